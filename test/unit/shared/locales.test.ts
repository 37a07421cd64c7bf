import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { LOCALES_DIR, readLocaleFile } from '../../../src/shared/infrastructure/i18n/i18n.js';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';

function flatten(tree: Record<string, unknown>, prefix = ''): Map<string, unknown> {
  const entries = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [child, leaf] of flatten(value as Record<string, unknown>, `${prefix}${key}.`))
        entries.set(child, leaf);
    } else {
      entries.set(`${prefix}${key}`, value);
    }
  }
  return entries;
}

function viewFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ejs'))
    .map((file) => path.join(directory, file));
}

describe('Unit | Shared | locale files', () => {
  const fr = flatten(readLocaleFile('fr'));
  const en = flatten(readLocaleFile('en'));

  it('has exactly the same keys in fr.json and en.json', () => {
    const onlyFr = [...fr.keys()].filter((key) => !en.has(key));
    const onlyEn = [...en.keys()].filter((key) => !fr.has(key));
    expect({ onlyFr, onlyEn }).to.deep.equal({ onlyFr: [], onlyEn: [] });
  });

  it('has no empty or non-string translation', () => {
    const bad = [...fr, ...en].filter(([, value]) => typeof value !== 'string' || value.trim() === '');
    expect(bad.map(([key]) => key)).to.deep.equal([]);
  });

  it('uses the same interpolation variables in both languages', () => {
    const variables = (text: unknown) =>
      [...String(text).matchAll(/{{\s*(\w+)\s*}}/g)].map((m) => m[1]).sort();
    const mismatched = [...fr.keys()].filter(
      (key) => JSON.stringify(variables(fr.get(key))) !== JSON.stringify(variables(en.get(key))),
    );
    expect(mismatched).to.deep.equal([]);
  });

  it('defines every literal key the views ask for', () => {
    const missing: string[] = [];
    for (const file of viewFiles(path.join(PROJECT_ROOT, 'views'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([\w.]+)'/g)) {
        const key = match[1] ?? '';
        if (!fr.has(key)) missing.push(`${path.relative(PROJECT_ROOT, file)}: ${key}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it('reads the files from the locales folder', () => {
    expect(readdirSync(LOCALES_DIR).sort()).to.include.members(['en.json', 'fr.json']);
  });
});
