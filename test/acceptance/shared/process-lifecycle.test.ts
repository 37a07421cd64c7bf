import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { findFreePort } from '../../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import {
  isBinaryUpToDate,
  PROJECT_ROOT,
} from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';

/** The real entry point, as `npm start` runs it, in a process of its own. */
function startTool(environment: Record<string, string>): ChildProcess & { output: () => string } {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...environment };
  if (!('MONGODB_URI' in environment)) delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return Object.assign(child, { output: () => output });
}

function exitOf(
  child: ChildProcess,
  timeoutMs = 20_000,
): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the process did not exit in time')), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

async function waitUntilReady(url: string, child: ReturnType<typeof startTool>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the tool exited early:\n${child.output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the tool was not ready in time:\n${child.output()}`);
}

/** Engine processes whose command line names this data folder. */
function enginesUsing(dataDir: string): number[] {
  const result = spawnSync('pgrep', ['-f', `ferretdb-embedded .*${dataDir}`], { encoding: 'utf8' });
  return result.stdout.split('\n').filter(Boolean).map(Number);
}

async function waitForNoEngine(dataDir: string, timeoutMs = 10_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let left = enginesUsing(dataDir);
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = enginesUsing(dataDir);
  }
  return left;
}

describe('Acceptance | Shared | the process lifecycle', function () {
  this.timeout(60_000);
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'pix-lti-lifecycle-'));
  });

  afterEach(async () => {
    for (const pid of enginesUsing(dataDir)) process.kill(pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exits with code 1 and a line naming PORT when PORT is not a number', async () => {
    const tool = startTool({ PORT: 'abc', DATA_DIR: dataDir });
    const { code } = await exitOf(tool);
    expect(code).to.equal(1);
    expect(tool.output()).to.match(/^ {2}PORT: must be a whole number from 0 to 65535 \(got "abc"\)$/m);
    expect(enginesUsing(dataDir)).to.deep.equal([]);
  });

  describe('with the embedded engine', () => {
    before(async function () {
      if (!(await isBinaryUpToDate())) this.skip();
    });

    it('starts its own engine in DATA_DIR, is ready, and leaves no engine behind after SIGINT', async () => {
      const port = await findFreePort();
      const tool = startTool({ PORT: String(port), DATA_DIR: dataDir });
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, tool);
      expect(enginesUsing(dataDir)).to.have.length(1);

      tool.kill('SIGINT');
      expect(await exitOf(tool)).to.deep.equal({ code: 0, signal: null });
      expect(await waitForNoEngine(dataDir, 2000)).to.deep.equal([]);
      expect(tool.output()).to.include('stopped cleanly');
    });

    it('leaves no engine behind even when the server is killed with SIGKILL', async () => {
      const port = await findFreePort();
      const tool = startTool({ PORT: String(port), DATA_DIR: dataDir });
      await waitUntilReady(`http://127.0.0.1:${port}/readyz`, tool);
      expect(enginesUsing(dataDir)).to.have.length(1);

      tool.kill('SIGKILL');
      await exitOf(tool);
      expect(await waitForNoEngine(dataDir, 5000)).to.deep.equal([]);
    });

    it('keeps its data in DATA_DIR across restarts', async () => {
      const { connectDatabase } = await import('../../../src/shared/infrastructure/database/database.js');
      const { startEmbeddedEngine } =
        await import('../../../src/shared/infrastructure/embedded-db/embedded-engine.js');
      let engine = await startEmbeddedEngine({ dataDir });
      let connection = await connectDatabase(engine.uriFor('persist'));
      await connection.collection('notes').insertOne({ text: 'still here' });
      await connection.close();
      await engine.stop();

      engine = await startEmbeddedEngine({ dataDir });
      connection = await connectDatabase(engine.uriFor('persist'));
      const notes = await connection
        .collection('notes')
        .find({}, { projection: { _id: 0 } })
        .toArray();
      await connection.close();
      await engine.stop();
      expect(notes).to.deep.equal([{ text: 'still here' }]);
    });
  });
});
