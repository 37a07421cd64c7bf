import { pino } from 'pino';
import { parseConfig } from '../../src/shared/config/config.js';
import { findFreePort } from '../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import { ltiProvider } from '../../src/lti/infrastructure/lti-provider.js';
import type { Launch } from '../../src/lti/domain/launch.js';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server.js';
import { freshDatabaseUri } from './database.js';
import {
  createLaunchClient,
  createPlatformEmulator,
  ltijsToolRegistration,
  ROLE,
  type LaunchClient,
  type LaunchSpec,
  type PlatformEmulator,
} from './lti-platform/index.js';

export const TOOL_CLIENT_ID = 'pix-lti-acceptance';
export const DEPLOYMENT_ID = 'deployment-1';

export interface ToolWithPlatform {
  readonly server: RunningServer;
  readonly emulator: PlatformEmulator;
  readonly client: LaunchClient;
  /** Every log line the server wrote, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Launches and returns what the tool stored for that launch; fails unless the launch succeeded. */
  launchAndReadBack(spec: LaunchSpec): Promise<Launch>;
  stop(): Promise<void>;
}

/**
 * The whole tool, started as `npm start` would (on a fresh database of the test engine), with a
 * platform emulator registered in it: one course, two learners and a teacher.
 */
export async function startToolWithPlatform(
  label: string,
  options: { environment?: Record<string, string>; overrides?: ServerOverrides } = {},
): Promise<ToolWithPlatform> {
  const port = await findFreePort();
  const logs: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const config = parseConfig({
    NODE_ENV: 'test',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    MONGODB_URI: freshDatabaseUri(label),
    ...options.environment,
  });
  const server = await startServer(config, logger, options.overrides);
  const emulator = createPlatformEmulator({
    ...(options.overrides?.clock && { clock: options.overrides.clock }),
    courses: [
      {
        id: 'course-1',
        title: 'Culture numérique L1',
        members: [
          {
            user: { id: 'learner-1', name: 'Camille Martin', email: 'camille@example.org' },
            roles: [ROLE.learner],
          },
          {
            user: { id: 'learner-2', name: 'Sacha Petit', email: 'sacha@example.org' },
            roles: [ROLE.learner],
          },
          {
            user: { id: 'teacher-1', name: 'Dominique Bernard', email: 'dominique@example.org' },
            roles: [ROLE.instructor],
          },
        ],
        resourceLinks: [
          {
            id: 'link-positioning',
            title: 'Positionnement',
            custom: { activity: 'positioning', scope: 'area:4' },
            lineItem: {
              scoreMaximum: 144,
              label: 'Positionnement',
              resourceId: 'positioning:area:4',
              tag: 'pix-lti',
            },
          },
        ],
      },
    ],
  });
  await emulator.start();
  emulator.registerTool(
    ltijsToolRegistration(`${server.url}/lti`, {
      clientId: TOOL_CLIENT_ID,
      appRoute: '/launch',
      deploymentIds: [DEPLOYMENT_ID],
    }),
  );
  await ltiProvider().registerPlatform(emulator.platformConfig(TOOL_CLIENT_ID).ltijsRegistration);
  await server.launchStore.addDeployment(
    { issuer: emulator.issuer, clientId: TOOL_CLIENT_ID, deploymentId: DEPLOYMENT_ID, source: 'admin' },
    new Date(),
  );
  const client = createLaunchClient(emulator);
  return {
    server,
    emulator,
    client,
    logs,
    async launchAndReadBack(spec) {
      const response = await client.launch(spec);
      if (response.status !== 200)
        throw new Error(`launch refused (${response.status}): ${response.body.slice(0, 300)}`);
      const sessionId = new URL(response.url).pathname.split('/').at(-1);
      const stored = await server.connection.collection('lti_sessions').findOne({ _id: sessionId as never });
      if (!stored) throw new Error(`no session stored for ${response.url}`);
      return stored.launch as Launch;
    },
    async stop() {
      await emulator.stop();
      await ltiProvider().deletePlatform(emulator.issuer, TOOL_CLIENT_ID);
      await server.stop();
    },
  };
}
