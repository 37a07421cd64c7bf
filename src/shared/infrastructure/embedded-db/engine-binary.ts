import { createHash } from 'node:crypto';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the embedded FerretDB binary from the Go wrapper in tools/ferretdb once, into the
 * git-ignored .tools/bin/, and reuses it until the wrapper's sources change.
 * See docs/adr/0001-embedded-database.md.
 */

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const WRAPPER_DIR = path.join(PROJECT_ROOT, 'tools', 'ferretdb');
export const BINARY_PATH = path.join(PROJECT_ROOT, '.tools', 'bin', 'ferretdb-embedded');
const STAMP_PATH = `${BINARY_PATH}.stamp`;
const WRAPPER_SOURCES = ['main.go', 'go.mod', 'go.sum'];

export class EmbeddedEngineUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `The embedded database (FerretDB) cannot be used: ${reason}\n` +
        'Fix it in one of two ways:\n' +
        '  1. set MONGODB_URI to a MongoDB you run, e.g. MONGODB_URI=mongodb://127.0.0.1:27017/pix-lti npm start\n' +
        '  2. install Go 1.24 or later (e.g. apt-get install golang-go, or https://go.dev/dl/), then run npm run db:build',
    );
    this.name = 'EmbeddedEngineUnavailableError';
  }
}

export type Progress = (message: string) => void;

/** A hash of the wrapper's sources: the binary is rebuilt whenever it changes. */
export async function wrapperSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of WRAPPER_SOURCES) {
    hash
      .update(file)
      .update('\0')
      .update(await readFile(path.join(WRAPPER_DIR, file)));
  }
  return hash.digest('hex');
}

export async function isBinaryUpToDate(): Promise<boolean> {
  if (!existsSync(BINARY_PATH) || !existsSync(STAMP_PATH)) return false;
  const stamp = (await readFile(STAMP_PATH, 'utf8')).trim();
  return stamp === (await wrapperSourceHash());
}

function goToolchainVersion(goCommand: string): string | undefined {
  const probe = spawnSync(goCommand, ['version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

/**
 * Returns the path of an up-to-date binary, building it first when needed.
 * A cold build downloads about 70 Go modules and compiles them: minutes on 2 cores.
 */
export async function ensureEngineBinary(
  options: { progress?: Progress; goCommand?: string; force?: boolean } = {},
): Promise<string> {
  const progress = options.progress ?? (() => undefined);
  if (!options.force && (await isBinaryUpToDate())) return BINARY_PATH;

  const goCommand = options.goCommand ?? 'go';
  const goVersion = goToolchainVersion(goCommand);
  if (!goVersion) {
    throw new EmbeddedEngineUnavailableError(
      existsSync(BINARY_PATH)
        ? 'its binary is out of date with tools/ferretdb and the Go toolchain was not found to rebuild it.'
        : 'it is not built yet and the Go toolchain was not found (`go` is not on PATH).',
    );
  }

  const hash = await wrapperSourceHash();
  await mkdir(path.dirname(BINARY_PATH), { recursive: true });
  const temporary = `${BINARY_PATH}.${process.pid}.tmp`;
  progress(`Building the embedded database with ${goVersion} (the first build takes a few minutes)…`);
  const started = Date.now();
  const ticker = setInterval(() => {
    progress(`  still building the embedded database… ${Math.round((Date.now() - started) / 1000)} s`);
  }, 15_000);
  try {
    await new Promise<void>((resolve, reject) => {
      // -mod=readonly: the committed go.sum is authoritative; a mismatch fails the build.
      const build = spawn(goCommand, ['build', '-mod=readonly', '-trimpath', '-o', temporary, '.'], {
        cwd: WRAPPER_DIR,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      build.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      build.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      build.on('error', reject);
      build.on('close', (code) => {
        if (code === 0) resolve();
        else
          reject(
            new EmbeddedEngineUnavailableError(`\`go build\` failed (exit ${code}):\n${output.slice(-4000)}`),
          );
      });
    });
    await rename(temporary, BINARY_PATH);
    await writeFile(STAMP_PATH, `${hash}\n`);
  } finally {
    clearInterval(ticker);
    await rm(temporary, { force: true });
  }
  progress(`Embedded database built in ${Math.round((Date.now() - started) / 1000)} s: ${BINARY_PATH}`);
  return BINARY_PATH;
}
