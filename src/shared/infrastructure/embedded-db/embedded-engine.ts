import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureEngineBinary, type Progress } from './engine-binary.js';

/**
 * Starts FerretDB (SQLite backend) on a free loopback port, waits until it answers `ping`,
 * and guarantees that it never outlives this process:
 * - stop() sends SIGTERM, then SIGKILL after a grace period;
 * - a process 'exit' hook kills it synchronously;
 * - the engine watches its stdin pipe and stops when it closes, which also covers a parent
 *   killed with SIGKILL.
 */

export interface EmbeddedEngine {
  /** mongodb://127.0.0.1:<port> — append '/<database>'. */
  readonly baseUri: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  uriFor(database: string): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  dataDir: string;
  progress?: Progress;
  startupTimeoutMs?: number;
  binaryPath?: string;
  /** A fixed loopback port; a free one is chosen when omitted. */
  port?: number;
}

export class EmbeddedEngineStartError extends Error {
  override name = 'EmbeddedEngineStartError';
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function pingUntilReady(uri: string, child: ChildProcess, deadline: number, stderrTail: () => string) {
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new EmbeddedEngineStartError(
        `the embedded database exited during start-up (code ${child.exitCode ?? child.signalCode}):\n${stderrTail()}`,
      );
    }
    const client = new mongoose.mongo.MongoClient(uri, {
      serverSelectionTimeoutMS: 300,
      connectTimeoutMS: 300,
    });
    try {
      await client.connect();
      await client.db('admin').command({ ping: 1 });
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      await client.close().catch(() => undefined);
    }
  }
  throw new EmbeddedEngineStartError(
    `the embedded database did not answer ping in time (${String(lastError)}):\n${stderrTail()}`,
  );
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function startOnce(binary: string, options: StartOptions): Promise<EmbeddedEngine> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const port = options.port ?? (await findFreePort());
  const child = spawn(
    binary,
    [
      '--listen-addr',
      `127.0.0.1:${port}`,
      '--data-dir',
      dataDir,
      '--log-level',
      'error',
      '--exit-on-stdin-close',
    ],
    { stdio: ['pipe', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  // Errors such as EPIPE on the watch pipe must not crash the parent.
  child.stdin?.on('error', () => undefined);
  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });

  const baseUri = `mongodb://127.0.0.1:${port}`;
  try {
    await pingUntilReady(baseUri, child, Date.now() + (options.startupTimeoutMs ?? 20_000), () => stderr);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  let stopping: Promise<void> | undefined;
  return {
    baseUri,
    port,
    dataDir,
    pid: child.pid ?? -1,
    uriFor: (database: string) => `${baseUri}/${database}`,
    stop() {
      stopping ??= (async () => {
        child.kill('SIGTERM');
        if (!(await waitForExit(child, 5000))) {
          child.kill('SIGKILL');
          await waitForExit(child, 2000);
        }
      })();
      return stopping;
    },
  };
}

/** Builds the engine if needed, then starts it. Retries once if the chosen port was taken meanwhile. */
export async function startEmbeddedEngine(options: StartOptions): Promise<EmbeddedEngine> {
  const binary =
    options.binaryPath ??
    (await ensureEngineBinary({ ...(options.progress && { progress: options.progress }) }));
  try {
    return await startOnce(binary, options);
  } catch (error) {
    const portWasChosen = options.port === undefined;
    if (
      portWasChosen &&
      error instanceof EmbeddedEngineStartError &&
      /address already in use/i.test(error.message)
    ) {
      return startOnce(binary, options);
    }
    throw error;
  }
}
