import { spawn, type ChildProcess } from 'node:child_process';
import { expect } from 'chai';
import { findFreePort } from '../../../src/shared/infrastructure/embedded-db/embedded-engine.js';
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
 * Issue 4, acceptance 4: a platform registered through the CLI can launch the tool running as its own
 * process (as `npm start` runs it), not only an in-process server.
 */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: PROJECT_ROOT, env });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('Acceptance | LTI | a CLI registration launches a separately started server', function () {
  this.timeout(120_000);
  let tool: ChildProcess | undefined;
  let emulator: PlatformEmulator;
  let toolOutput = '';
  let port: number;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    port = await findFreePort();
    env = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MONGODB_URI: freshDatabaseUri('cli-running-server'),
      DEMO_LMS: 'false',
    };
    tool = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: PROJECT_ROOT, env });
    tool.stdout?.on('data', (chunk: Buffer) => (toolOutput += chunk.toString()));
    tool.stderr?.on('data', (chunk: Buffer) => (toolOutput += chunk.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) break;
      if (Date.now() > deadline || tool.exitCode !== null)
        throw new Error(`the tool did not start:\n${toolOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    emulator = createPlatformEmulator({
      courses: [
        {
          id: 'course-cli',
          members: [{ user: { id: 'learner-cli', name: 'Lou Garnier' }, roles: [ROLE.learner] }],
          resourceLinks: [{ id: 'link-cli', custom: { activity: 'positioning', scope: 'competence:1.1' } }],
        },
      ],
    });
    await emulator.start();
    emulator.registerTool(
      ltijsToolRegistration(`http://127.0.0.1:${port}/lti`, {
        clientId: 'cli-client',
        appRoute: '/launch',
        deploymentIds: ['cli-deployment'],
      }),
    );
  });

  after(async () => {
    await emulator?.stop();
    if (tool && tool.exitCode === null) {
      tool.kill('SIGTERM');
      await new Promise((resolve) => tool?.once('exit', resolve));
    }
  });

  it('refuses the launch before the registration, then accepts it once the CLI has registered the platform', async () => {
    const client = createLaunchClient(emulator);
    const login = new URL(`http://127.0.0.1:${port}/lti/login`);
    login.search = new URLSearchParams({
      iss: emulator.issuer,
      client_id: 'cli-client',
      login_hint: 'learner-cli',
      target_link_uri: `http://127.0.0.1:${port}/lti/launch`,
    }).toString();
    const before = await fetch(login, { redirect: 'manual' });
    expect(before.status).to.be.within(400, 499);

    const added = await run(
      [
        'tools/platform.ts',
        'add',
        '--issuer',
        emulator.issuer,
        '--client-id',
        'cli-client',
        '--name',
        'Moodle (CLI)',
        '--auth-endpoint',
        emulator.authUrl,
        '--token-endpoint',
        emulator.tokenUrl,
        '--jwks-url',
        emulator.jwksUrl,
        '--deployment',
        'cli-deployment',
      ],
      env,
    );
    expect(added.code, added.output).to.equal(0);
    expect(added.output).to.include(`http://127.0.0.1:${port}/lti/launch`);

    const listed = await run(['tools/platform.ts', 'list'], env);
    expect(listed.code, listed.output).to.equal(0);
    expect(listed.output).to.include('cli-deployment');

    const launched = await client.launch({ user: 'learner-cli', resourceLinkId: 'link-cli' });
    expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
    expect(launched.body).to.include('Bonjour Lou Garnier !');
    expect(launched.body).to.include('Positionnement – compétence 1.1');
  });
});
