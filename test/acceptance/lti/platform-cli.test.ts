import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import mongoose from 'mongoose';
import {
  findFreePort,
  startEmbeddedEngine,
} from '../../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { freshDatabaseUri } from '../../support/database.js';
import {
  createLaunchClient,
  createPlatformEmulator,
  ltijsToolRegistration,
  ROLE,
  type PlatformEmulator,
} from '../../support/lti-platform/index.js';

/**
 * `npm run platform -- …` as an administrator runs it: a process of its own on the tool's database.
 * Every bad input is one line on stderr, exit code 1, and the stored data unchanged; what the
 * command writes is what the running tool reads at the next launch.
 */

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const PUBLIC_URL = 'https://pix-lti.example.org';

function runCli(args: string[], environment: Record<string, string>): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PUBLIC_URL,
    // The tool under test uses the development key: so must the command.
    LTI_ENCRYPTION_KEY: '',
    ...environment,
  };
  if (!('MONGODB_URI' in environment)) delete env.MONGODB_URI;
  const child = spawn(process.execPath, ['--import', 'tsx', 'tools/platform.ts', ...args], {
    cwd: PROJECT_ROOT,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`platform ${args.join(' ')} did not finish in time:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Everything a platform command may touch, to prove that a refused one touched nothing. */
async function snapshotOf(uri: string): Promise<string> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    const collections = [
      'platforms',
      'platformstatuses',
      'publickeys',
      'privatekeys',
      'lti_deployments',
      'lti_registration_policies',
    ];
    const contents: Record<string, unknown[]> = {};
    for (const name of collections) {
      contents[name] = await connection.collection(name).find({}).sort({ _id: 1 }).toArray();
    }
    return JSON.stringify(contents);
  } finally {
    await connection.close();
  }
}

function expectOneLineError(result: CliResult, pattern: RegExp) {
  expect(result.code, result.stdout + result.stderr).to.equal(1);
  expect(result.stdout).to.equal('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).to.have.length(1);
  expect(lines[0])
    .to.match(/^error: /)
    .and.match(pattern);
}

interface ListedPlatform {
  issuer: string;
  clientId: string;
  name: string;
  kid: string;
  active: boolean;
  autoDeployments: boolean;
  deployments: Array<{ deploymentId: string; source: string }>;
}

async function listOf(environment: Record<string, string>): Promise<ListedPlatform[]> {
  const result = await runCli(['list', '--json'], environment);
  expect(result.code, result.stderr).to.equal(0);
  return JSON.parse(result.stdout) as ListedPlatform[];
}

const MOODLE = [
  '--issuer',
  'https://moodle.example.org',
  '--client-id',
  'aBcD1234',
  '--name',
  'Moodle – Université Exemple',
  '--auth-endpoint',
  'https://moodle.example.org/mod/lti/auth.php',
  '--token-endpoint',
  'https://moodle.example.org/mod/lti/token.php',
  '--jwks-url',
  'https://moodle.example.org/mod/lti/certs.php',
];
const KEY = ['--issuer', 'https://moodle.example.org', '--client-id', 'aBcD1234'];

describe('Acceptance | LTI | the platform command (npm run platform)', function () {
  this.timeout(120_000);

  describe('on a database given by MONGODB_URI', () => {
    let environment: Record<string, string>;

    before(() => {
      environment = { MONGODB_URI: freshDatabaseUri('platform-cli') };
    });

    it('prints its usage', async () => {
      const result = await runCli(['help'], {});
      expect(result.code).to.equal(0);
      expect(result.stdout).to.include('Usage: npm run platform -- <command> [options]');
    });

    it('adds a platform, active, with its deployments, and prints the tool values from PUBLIC_URL', async () => {
      expect((await runCli(['list'], environment)).stdout).to.include('No platform is registered.');
      const result = await runCli(['add', ...MOODLE, '--deployment', '3', '--deployment', '4'], environment);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('Moodle – Université Exemple  [active]');
      for (const value of [
        `${PUBLIC_URL}/lti/login`,
        `${PUBLIC_URL}/lti/launch`,
        `${PUBLIC_URL}/lti/keys`,
        `${PUBLIC_URL}/lti/register`,
      ]) {
        expect(result.stdout).to.include(value);
      }
      const [platform, ...others] = await listOf(environment);
      expect(others).to.deep.equal([]);
      expect(platform).to.deep.include({
        issuer: 'https://moodle.example.org',
        clientId: 'aBcD1234',
        active: true,
        autoDeployments: false,
      });
      expect(platform?.kid).to.match(/^[0-9a-f]{32}$/);
      expect(platform?.deployments.map((d) => [d.deploymentId, d.source])).to.deep.equal([
        ['3', 'admin'],
        ['4', 'admin'],
      ]);
    });

    it('refuses every bad input with one line and exit code 1, leaving the stored data intact', async () => {
      const before = await snapshotOf(environment.MONGODB_URI ?? '');
      const cases: Array<[string[], RegExp]> = [
        [
          ['add', ...MOODLE.slice(0, 1), 'not a url', ...MOODLE.slice(2)],
          /--issuer: must be an absolute http\(s\) URL/,
        ],
        [
          [
            'add',
            '--issuer',
            'moodle.example.org',
            ...MOODLE.slice(2).map((v) => (v === 'aBcD1234' ? 'new-client' : v)),
          ],
          /--issuer: must be an absolute http\(s\) URL \(got "moodle\.example\.org"\)/,
        ],
        [
          ['add', ...MOODLE.map((v) => (v === 'aBcD1234' ? 'new-client' : v)), '--deployment', 'two words'],
          /--deployment: must be 1 to 255 printable ASCII characters/,
        ],
        [
          [
            'add',
            ...MOODLE.map((v) => (v.endsWith('certs.php') ? 'certs.php' : v === 'aBcD1234' ? 'c2' : v)),
          ],
          /--jwks-url: must be an absolute http\(s\) URL/,
        ],
        [
          ['add', ...MOODLE],
          /already registered with issuer "https:\/\/moodle\.example\.org" and client id "aBcD1234"/,
        ],
        [['add', '--issuer', 'https://moodle.example.org'], /add needs --client-id <value>/],
        [
          ['remove', '--issuer', 'https://unknown.example.org', '--client-id', 'aBcD1234'],
          /no platform is registered with issuer "https:\/\/unknown\.example\.org"/,
        ],
        [
          ['activate', '--issuer', 'https://moodle.example.org', '--client-id', 'other'],
          /no platform is registered/,
        ],
        [
          ['deployment', 'remove', ...KEY, '--deployment', '99'],
          /deployment "99" is not recorded for this platform/,
        ],
        [
          ['deployment', 'add', ...KEY, '--deployment', '3'],
          /deployment "3" is already recorded for this platform/,
        ],
        [['deployment', 'add', ...KEY], /deployment add needs exactly one --deployment <id>/],
        [['deployment', 'list', ...KEY], /deployment needs add or remove/],
        [['auto-deployments', 'maybe', ...KEY], /auto-deployments needs on or off/],
        [['list', '--issuer', 'https://moodle.example.org'], /list does not take --issuer/],
        [['frobnicate'], /unknown command "frobnicate"/],
        [['list', '--frob'], /Unknown option '--frob'/],
      ];
      // Independent of one another (none may change anything): run them side by side.
      const results = await Promise.all(cases.map(([args]) => runCli(args, environment)));
      results.forEach((result, index) => expectOneLineError(result, cases[index]?.[1] ?? /./));
      expectOneLineError(
        await runCli(['list'], { ...environment, PUBLIC_URL: 'not-a-url' }),
        /invalid configuration: PUBLIC_URL: must be an absolute URL/,
      );
      expect(await snapshotOf(environment.MONGODB_URI ?? '')).to.equal(before);
    });

    it('deactivates and activates, manages deployments and the auto-deployments switch, then removes', async () => {
      const run = async (args: string[]) => {
        const result = await runCli(args, environment);
        expect(result.code, result.stderr).to.equal(0);
        return result.stdout;
      };
      expect(await run(['deactivate', ...KEY])).to.include('is now inactive');
      expect((await listOf(environment))[0]?.active).to.equal(false);
      expect(await run(['deactivate', ...KEY])).to.include('was already inactive');
      expect(await run(['activate', ...KEY])).to.include('is now active');
      await run(['deployment', 'add', ...KEY, '--deployment', '12:8865aa05b4b79b64']);
      await run(['deployment', 'remove', ...KEY, '--deployment', '3']);
      await run(['auto-deployments', 'on', ...KEY]);
      const [platform] = await listOf(environment);
      expect(platform?.active).to.equal(true);
      expect(platform?.autoDeployments).to.equal(true);
      expect(platform?.deployments.map((d) => d.deploymentId)).to.deep.equal(['12:8865aa05b4b79b64', '4']);
      expect(await run(['auto-deployments', 'off', ...KEY])).to.include('Auto-deployments are off');

      expect(await run(['remove', ...KEY])).to.include('and its 2 deployment(s)');
      expect(await listOf(environment)).to.deep.equal([]);
      const left = JSON.parse(await snapshotOf(environment.MONGODB_URI ?? '')) as Record<string, unknown[]>;
      expect(left.platforms).to.deep.equal([]);
      expect(left.lti_deployments).to.deep.equal([]);
      expect(left.publickeys).to.deep.equal([]);
    });
  });

  describe('against the running tool (a process of its own, same MONGODB_URI)', () => {
    let tool: ChildProcess & { output: () => string };
    let toolUrl: string;
    let environment: Record<string, string>;
    let emulator: PlatformEmulator;
    const clientKey = () => ['--issuer', emulator.issuer, '--client-id', 'cli-client'];

    before(async () => {
      const port = await findFreePort();
      toolUrl = `http://127.0.0.1:${port}`;
      environment = { MONGODB_URI: freshDatabaseUri('platform-cli-e2e'), PUBLIC_URL: toolUrl };
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        HOST: '127.0.0.1',
        PORT: String(port),
        LTI_ENCRYPTION_KEY: '',
        DEMO_LMS: 'false',
        ...environment,
      };
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      tool = Object.assign(child, { output: () => output });
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (tool.exitCode !== null) throw new Error(`the tool exited early:\n${output}`);
        const status = await fetch(`${toolUrl}/readyz`).then(
          (response) => response.status,
          () => 0,
        );
        if (status === 200) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      emulator = createPlatformEmulator({
        courses: [
          {
            id: 'course-1',
            title: 'Culture numérique L1',
            members: [{ user: { id: 'learner-1', name: 'Camille Martin' }, roles: [ROLE.learner] }],
            resourceLinks: [
              {
                id: 'link-positioning',
                title: 'Positionnement',
                custom: { activity: 'positioning', scope: 'area:4' },
              },
            ],
          },
        ],
      });
      await emulator.start();
      emulator.registerTool(
        ltijsToolRegistration(`${toolUrl}/lti`, {
          clientId: 'cli-client',
          appRoute: '/launch',
          deploymentIds: ['cli-deployment'],
        }),
      );
    });

    after(async () => {
      await emulator?.stop();
      if (tool && tool.exitCode === null) {
        const exited = new Promise((resolve) => tool.once('exit', resolve));
        tool.kill('SIGTERM');
        await exited;
      }
    });

    it('registers the platform the running tool then accepts launches from', async () => {
      const config = emulator.platformConfig('cli-client');
      const result = await runCli(
        [
          'add',
          ...clientKey(),
          '--name',
          'Emulated Moodle',
          '--auth-endpoint',
          config.authenticationEndpoint,
          '--token-endpoint',
          config.accessTokenEndpoint,
          '--jwks-url',
          config.jwksUrl,
          '--deployment',
          'cli-deployment',
        ],
        environment,
      );
      expect(result.code, result.stderr).to.equal(0);
      // The values printed are those the platform was given.
      const registration = emulator.tool('cli-client');
      expect(result.stdout)
        .to.include(registration.loginUrl)
        .and.include(registration.targetLinkUri)
        .and.include(registration.jwksUrl);

      const launched = await createLaunchClient(emulator).launch({ user: 'learner-1' });
      expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
      expect(launched.body).to.match(/Bonjour Camille Martin/);
    });

    it('deactivates it: the running tool refuses the next launch at once', async () => {
      expect((await runCli(['deactivate', ...clientKey()], environment)).code).to.equal(0);
      const client = createLaunchClient(emulator);
      const refused = await client.request(emulator.prepareLaunch({ user: 'learner-1' }).loginInitiationUrl);
      expect(refused.status).to.equal(403);
      expect(refused.body).to.include('PLATFORM_INACTIVE');
      expect((await runCli(['activate', ...clientKey()], environment)).code).to.equal(0);
    });

    it('removes the deployment (403 UNKNOWN_DEPLOYMENT), then lets deployments record themselves', async () => {
      await runCli(['deployment', 'remove', ...clientKey(), '--deployment', 'cli-deployment'], environment);
      const refused = await createLaunchClient(emulator).launch({ user: 'learner-1' });
      expect(refused.status).to.equal(403);
      expect(refused.body).to.include('UNKNOWN_DEPLOYMENT');

      await runCli(['auto-deployments', 'on', ...clientKey()], environment);
      const launched = await createLaunchClient(emulator).launch({ user: 'learner-1' });
      expect(launched.status).to.equal(200);
      const [platform] = await listOf(environment);
      expect(platform?.deployments.map((d) => [d.deploymentId, d.source])).to.deep.equal([
        ['cli-deployment', 'auto'],
      ]);
    });
  });

  describe('on the embedded engine (MONGODB_URI unset)', () => {
    let dataDir: string;
    const enginesOn = (dir: string) =>
      spawnSync('pgrep', ['-f', `ferretdb-embedded .*${dir}`], { encoding: 'utf8' })
        .stdout.split('\n')
        .filter(Boolean);

    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'pix-lti-platform-cli-'));
    });

    afterEach(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('starts the engine on DATA_DIR for the command, and stops it afterwards', async () => {
      const result = await runCli(['list'], { DATA_DIR: dataDir });
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('No platform is registered.');
      expect(enginesOn(dataDir)).to.deep.equal([]);
    });

    it('refuses to run while an engine (the tool) uses the same DATA_DIR', async () => {
      const engine = await startEmbeddedEngine({ dataDir });
      try {
        expectOneLineError(
          await runCli(['list'], { DATA_DIR: dataDir }),
          new RegExp(
            `the embedded database in ${dataDir} is in use by process ${engine.pid} \\(is the tool running\\?\\)`,
          ),
        );
      } finally {
        await engine.stop();
      }
    });
  });
});
