/**
 * npm run content:attachments [-- --out <folder>] [-- --src <folder>] [-- --quiet]
 *
 * Builds every challenge attachment described under content/files-src/ (one YAML spec per file,
 * see tools/lib/attachments/spec.ts) into content/files/<competence>/<name>.<ext>.
 *
 * The build is reproducible: the same sources give byte-identical files, because every date
 * embedded in a file (ZIP entries, office document properties, PDF dates and ID, EXIF) comes from
 * the spec or from a fixed default, and nothing is random. Files of content/files/ that no spec
 * builds (illustrations added by hand) are left alone.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildAttachment, KINDS } from './lib/attachments/build.js';
import { loadTargets, SpecError } from './lib/attachments/spec.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DEFAULT_SRC_DIR = path.join(ROOT, 'content/files-src');
export const DEFAULT_OUT_DIR = path.join(ROOT, 'content/files');

export interface GeneratedFile {
  /** Path under the output folder, e.g. `1.3/club-budget.xlsx`. */
  readonly path: string;
  readonly source: string;
  readonly bytes: number;
}

export interface GenerateOptions {
  readonly srcDir?: string;
  readonly outDir?: string;
  /** Called after each file is written. */
  readonly onFile?: (file: GeneratedFile, index: number, total: number) => void;
}

export interface GenerateResult {
  readonly files: readonly GeneratedFile[];
  readonly durationMs: number;
}

/** Builds every attachment into `outDir` (content/files/ by default). */
export async function generateAttachments(options: GenerateOptions = {}): Promise<GenerateResult> {
  const started = performance.now();
  const srcDir = options.srcDir ?? DEFAULT_SRC_DIR;
  const outDir = options.outDir ?? DEFAULT_OUT_DIR;
  const targets = await loadTargets(srcDir);
  const files: GeneratedFile[] = [];
  for (const [index, target] of targets.entries()) {
    const extension = path.extname(target.path).slice(1).toLowerCase();
    if (!KINDS[target.spec.kind]?.includes(extension)) {
      throw new SpecError(target.source, `a "${target.spec.kind}" spec cannot write a .${extension} file`);
    }
    let data: Buffer;
    try {
      data = await buildAttachment(target.spec, target.path);
    } catch (error) {
      throw new SpecError(target.source, `${target.path}: ${(error as Error).message}`);
    }
    const destination = path.join(outDir, target.path);
    await mkdir(path.dirname(destination), { recursive: true });
    await writeFile(destination, data);
    const file = { path: target.path, source: target.source, bytes: data.length };
    files.push(file);
    options.onFile?.(file, index, targets.length);
  }
  return { files, durationMs: performance.now() - started };
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      src: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run content:attachments [-- --src <specs folder>] [--out <output folder>] [--quiet]',
    );
    return;
  }
  const outDir = path.resolve(values.out ?? DEFAULT_OUT_DIR);
  const result = await generateAttachments({
    srcDir: path.resolve(values.src ?? DEFAULT_SRC_DIR),
    outDir,
    onFile: values.quiet
      ? undefined
      : (file, index, total) =>
          console.log(
            `  [${String(index + 1).padStart(3)}/${total}] ${file.path.padEnd(48)} ${formatBytes(file.bytes).padStart(9)}`,
          ),
  });
  const byExtension = new Map<string, { count: number; bytes: number }>();
  for (const file of result.files) {
    const extension = path.extname(file.path).slice(1);
    const entry = byExtension.get(extension) ?? { count: 0, bytes: 0 };
    entry.count++;
    entry.bytes += file.bytes;
    byExtension.set(extension, entry);
  }
  const total = result.files.reduce((sum, file) => sum + file.bytes, 0);
  const largest = [...result.files].sort((a, b) => b.bytes - a.bytes)[0];
  console.log(
    `\n✓ ${result.files.length} attachments written to ${path.relative(process.cwd(), outDir) || '.'} ` +
      `(${formatBytes(total)}) in ${result.durationMs.toFixed(0)} ms.`,
  );
  console.log(
    `  By format: ${[...byExtension]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([extension, { count, bytes }]) => `${extension} ${count} (${formatBytes(bytes)})`)
      .join(', ')}.`,
  );
  if (largest) console.log(`  Largest: ${largest.path} (${formatBytes(largest.bytes)}).`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  });
}
