/**
 * Every file under content/files/ opens with a real parser for its type, and holds what the
 * challenges depend on (the `checks` of its spec under content/files-src/). The generator is
 * reproducible: building into a temporary folder gives byte-identical files.
 */
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateAttachments } from '../../../tools/generate-attachments.js';
import { loadTargets, type AttachmentTarget } from '../../../tools/lib/attachments/spec.js';
import { inspect } from './inspect.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FILES_DIR = path.join(ROOT, 'content/files');
const SRC_DIR = path.join(ROOT, 'content/files-src');

async function listFiles(dir: string, relative = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, relative), { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(dir, child)));
    else if (child !== 'README.md') files.push(child);
  }
  return files.sort();
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

const files = await listFiles(FILES_DIR);
// A broken spec must fail a test, not the loading of this file.
let targets: AttachmentTarget[] = [];
let specError: Error | undefined;
try {
  targets = await loadTargets(SRC_DIR);
} catch (error) {
  specError = error as Error;
}
const targetsByPath = new Map<string, AttachmentTarget>(targets.map((target) => [target.path, target]));

describe('Unit | content files | attachments', function () {
  this.timeout(20_000);

  it('reads every spec of content/files-src', () => {
    if (specError) throw specError;
  });

  it('has a file for every spec of content/files-src', () => {
    const missing = targets.map((target) => target.path).filter((file) => !files.includes(file));
    expect(missing, 'run npm run content:attachments').to.deep.equal([]);
  });

  for (const file of files) {
    const target = targetsByPath.get(file);
    const checks = target?.spec.checks;
    const count = (checks?.contains?.length ?? 0) + Object.keys(checks?.props ?? {}).length;
    it(`${file} opens with its parser${count ? ` and holds the ${count} value(s) its challenges use` : ''}`, async () => {
      const data = await readFile(path.join(FILES_DIR, file));
      const encoding = typeof target?.spec.encoding === 'string' ? target.spec.encoding : undefined;
      const { text, props } = await inspect(file, data, encoding);
      if (!target) return;
      expect(count, `${target.source}: give the spec checks (contains / props)`).to.be.greaterThan(0);
      const shown = normalize(text);
      for (const expected of checks?.contains ?? []) {
        expect(expected, `${target.source}: checks.contains items must be texts`).to.be.a('string');
        expect(shown, `${file} should contain "${expected}"`).to.include(normalize(expected));
      }
      for (const [key, expected] of Object.entries(checks?.props ?? {})) {
        expect(props, `${file}: property "${key}"`).to.have.property(key);
        const actual = props[key];
        if (typeof expected === 'number' && typeof actual === 'number') {
          expect(actual, `${file}: ${key}`).to.be.closeTo(expected, 1e-6);
        } else {
          expect(actual, `${file}: ${key}`).to.equal(expected);
        }
      }
    });
  }
});

describe('Unit | content files | generator', function () {
  this.timeout(120_000);
  let outDir: string;

  before(async () => {
    outDir = await mkdtemp(path.join(os.tmpdir(), 'pix-lti-attachments-'));
  });

  after(async () => {
    await rm(outDir, { recursive: true, force: true });
  });

  it('builds byte-identical files to the committed ones (reproducible build)', async () => {
    const { files: generated } = await generateAttachments({ srcDir: SRC_DIR, outDir });
    expect(generated.map((file) => file.path)).to.deep.equal(targets.map((target) => target.path));
    const different: string[] = [];
    for (const file of generated) {
      const fresh = await readFile(path.join(outDir, file.path));
      const committed = await readFile(path.join(FILES_DIR, file.path)).catch(() => Buffer.alloc(0));
      if (sha256(fresh) !== sha256(committed)) different.push(file.path);
    }
    expect(different, 'files differ from a fresh build: run npm run content:attachments').to.deep.equal([]);
  });
});
