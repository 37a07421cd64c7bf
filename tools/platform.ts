/**
 * Registers LMS platforms and their deployments, on the tool's own database.
 * Usage: npm run platform -- <command> [options]   (npm run platform -- help)
 *
 * The database is the tool's: MONGODB_URI, or, when it is unset, the embedded engine on DATA_DIR,
 * started for the command and stopped after it. The tool must not run on the same DATA_DIR at the
 * same time (two engines on one data folder): the command refuses to start when it finds one.
 * With MONGODB_URI, the tool may keep running: it reads registrations at each launch.
 *
 * The logic lives in src/lti/application/platform-admin.ts; this file parses, connects, prints.
 */
import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  createPlatformAdmin,
  PlatformAdminError,
  type PlatformAdmin,
  type PlatformField,
  type PlatformSummary,
} from '../src/lti/application/platform-admin.js';
import { toolEndpoints, type ToolEndpoints } from '../src/lti/domain/tool-endpoints.js';
import { ConfigError, loadConfig, type Config } from '../src/shared/config/config.js';
import { EmbeddedEngineUnavailableError } from '../src/shared/infrastructure/embedded-db/engine-binary.js';
import { systemClock } from '../src/shared/infrastructure/system-clock.js';

const USAGE = `Usage: npm run platform -- <command> [options]

Commands:
  add --issuer <url> --client-id <id> --name <text> --auth-endpoint <url>
      --token-endpoint <url> --jwks-url <url> [--authorization-server <url>]
      [--deployment <id> ...] [--auto-deployments]
                      Registers a platform (active), records its deployments, prints the
                      tool values to give the LMS.
  list [--json]       Lists the registrations: active flag, tool key id, deployments,
                      auto-deployments.
  remove --issuer <url> --client-id <id>
                      Removes a registration, its tool key pair and its deployments.
  activate --issuer <url> --client-id <id>
  deactivate --issuer <url> --client-id <id>
  deployment add|remove --issuer <url> --client-id <id> --deployment <id>
  auto-deployments on|off --issuer <url> --client-id <id>
                      On: unknown deployments of this registration are recorded at their
                      first launch. Off: they are refused (403 UNKNOWN_DEPLOYMENT).
  tool                Prints the tool values to give an LMS (no database needed).
  help                Prints this help.

The database is the tool's (MONGODB_URI, or the embedded engine on DATA_DIR). With the embedded
engine, stop the tool first: two engines must not share one DATA_DIR.
`;

class UsageError extends Error {}

const OPTIONS = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  name: { type: 'string' },
  'auth-endpoint': { type: 'string' },
  'token-endpoint': { type: 'string' },
  'jwks-url': { type: 'string' },
  'authorization-server': { type: 'string' },
  deployment: { type: 'string', multiple: true },
  'auto-deployments': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof OPTIONS;

const OPTION_OF_FIELD: Record<PlatformField, string> = {
  issuer: '--issuer',
  clientId: '--client-id',
  name: '--name',
  authenticationEndpoint: '--auth-endpoint',
  accessTokenEndpoint: '--token-endpoint',
  jwksUrl: '--jwks-url',
  authorizationServer: '--authorization-server',
  registrationEndpoint: 'registration endpoint',
  openidConfiguration: 'openid configuration',
  deploymentId: '--deployment',
};

type Values = {
  [K in OptionName]?: K extends 'deployment'
    ? string[]
    : K extends 'auto-deployments' | 'json' | 'help'
      ? boolean
      : string;
};

type Command =
  | { kind: 'help' }
  | { kind: 'tool' }
  | { kind: 'list'; json: boolean }
  | {
      kind: 'add';
      issuer: string;
      clientId: string;
      name: string;
      authenticationEndpoint: string;
      accessTokenEndpoint: string;
      jwksUrl: string;
      authorizationServer: string | undefined;
      deploymentIds: string[];
      autoDeployments: boolean;
    }
  | { kind: 'remove' | 'activate' | 'deactivate'; issuer: string; clientId: string }
  | { kind: 'deployment-add' | 'deployment-remove'; issuer: string; clientId: string; deploymentId: string }
  | { kind: 'auto-deployments'; issuer: string; clientId: string; enabled: boolean };

/** Parses the command line; throws a UsageError with a one-line message. */
function parseCommand(argv: string[]): Command {
  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true }) as {
      values: Values;
      positionals: string[];
    };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  const [command, sub] = positionals;
  if (values.help || command === undefined || command === 'help') return { kind: 'help' };

  const allow = (label: string, allowed: OptionName[], extraPositionals: number) => {
    const unexpected = (Object.keys(values) as OptionName[]).filter((name) => !allowed.includes(name));
    if (unexpected[0]) throw new UsageError(`${label} does not take --${unexpected[0]}`);
    const extra = positionals.slice(1 + extraPositionals);
    if (extra[0] !== undefined)
      throw new UsageError(`${label}: unexpected argument ${JSON.stringify(extra[0])}`);
  };
  const required = (label: string, name: OptionName): string => {
    const value = values[name];
    if (typeof value !== 'string' || value.trim() === '')
      throw new UsageError(`${label} needs --${name} <value>`);
    return value;
  };
  const platformKey = (label: string) => ({
    issuer: required(label, 'issuer'),
    clientId: required(label, 'client-id'),
  });

  switch (command) {
    case 'tool':
      allow('tool', [], 0);
      return { kind: 'tool' };
    case 'list':
      allow('list', ['json'], 0);
      return { kind: 'list', json: values.json === true };
    case 'add': {
      allow(
        'add',
        [
          'issuer',
          'client-id',
          'name',
          'auth-endpoint',
          'token-endpoint',
          'jwks-url',
          'authorization-server',
          'deployment',
          'auto-deployments',
        ],
        0,
      );
      return {
        kind: 'add',
        ...platformKey('add'),
        name: required('add', 'name'),
        authenticationEndpoint: required('add', 'auth-endpoint'),
        accessTokenEndpoint: required('add', 'token-endpoint'),
        jwksUrl: required('add', 'jwks-url'),
        authorizationServer: values['authorization-server'],
        deploymentIds: values.deployment ?? [],
        autoDeployments: values['auto-deployments'] === true,
      };
    }
    case 'remove':
    case 'activate':
    case 'deactivate':
      allow(command, ['issuer', 'client-id'], 0);
      return { kind: command, ...platformKey(command) };
    case 'deployment': {
      if (sub !== 'add' && sub !== 'remove') throw new UsageError('deployment needs add or remove');
      const label = `deployment ${sub}`;
      allow(label, ['issuer', 'client-id', 'deployment'], 1);
      const deployments = values.deployment ?? [];
      if (deployments.length !== 1) throw new UsageError(`${label} needs exactly one --deployment <id>`);
      return {
        kind: sub === 'add' ? 'deployment-add' : 'deployment-remove',
        ...platformKey(label),
        deploymentId: deployments[0] ?? '',
      };
    }
    case 'auto-deployments': {
      if (sub !== 'on' && sub !== 'off') throw new UsageError('auto-deployments needs on or off');
      allow(`auto-deployments ${sub}`, ['issuer', 'client-id'], 1);
      return { kind: 'auto-deployments', ...platformKey(`auto-deployments ${sub}`), enabled: sub === 'on' };
    }
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

// ─── Output ─────────────────────────────────────────────────────────────────────────────────────

function toolValues(endpoints: ToolEndpoints): string {
  return [
    'Tool values to give the LMS:',
    `  Login URL (OIDC login initiation):          ${endpoints.loginUrl}`,
    `  Redirect URI / launch URL (target link):    ${endpoints.launchUrl}`,
    `  Public keyset URL (JWKS):                   ${endpoints.keysetUrl}`,
    `  Deep linking URL:                           ${endpoints.deepLinkingUrl}`,
    `  Dynamic registration URL (Moodle):          ${endpoints.dynamicRegistrationUrl}`,
  ].join('\n');
}

function describe(platform: PlatformSummary): string {
  const deployments =
    platform.deployments.length === 0
      ? 'none'
      : platform.deployments
          .map((deployment) => `${deployment.deploymentId} (${deployment.source})`)
          .join(', ');
  return [
    `${platform.name}  [${platform.active ? 'active' : 'INACTIVE'}]`,
    `  issuer:            ${platform.issuer}`,
    `  client id:         ${platform.clientId}`,
    `  tool key id (kid): ${platform.kid}`,
    `  platform keys:     ${platform.jwksUrl || platform.keyMethod}`,
    `  auth endpoint:     ${platform.authenticationEndpoint}`,
    `  token endpoint:    ${platform.accessTokenEndpoint}`,
    `  deployments:       ${deployments}`,
    `  auto-deployments:  ${platform.autoDeployments ? 'on' : 'off'}`,
  ].join('\n');
}

function jsonOf(platform: PlatformSummary) {
  return {
    issuer: platform.issuer,
    clientId: platform.clientId,
    name: platform.name,
    kid: platform.kid,
    active: platform.active,
    authenticationEndpoint: platform.authenticationEndpoint,
    accessTokenEndpoint: platform.accessTokenEndpoint,
    keyMethod: platform.keyMethod,
    jwksUrl: platform.jwksUrl,
    autoDeployments: platform.autoDeployments,
    deployments: platform.deployments.map((deployment) => ({
      deploymentId: deployment.deploymentId,
      source: deployment.source,
      createdAt: deployment.createdAt.toISOString(),
    })),
  };
}

/** Runs a command on the use cases; returns what to print. */
async function runCommand(admin: PlatformAdmin, command: Command): Promise<string> {
  switch (command.kind) {
    case 'help':
      return USAGE;
    case 'tool':
      return toolValues(admin.toolEndpoints());
    case 'list': {
      const platforms = await admin.listPlatforms();
      if (command.json) return JSON.stringify(platforms.map(jsonOf), null, 2);
      if (platforms.length === 0) return 'No platform is registered.';
      return platforms.map(describe).join('\n\n');
    }
    case 'add': {
      const platform = await admin.addPlatform({
        issuer: command.issuer,
        clientId: command.clientId,
        name: command.name,
        authenticationEndpoint: command.authenticationEndpoint,
        accessTokenEndpoint: command.accessTokenEndpoint,
        jwksUrl: command.jwksUrl,
        ...(command.authorizationServer !== undefined && {
          authorizationServer: command.authorizationServer,
        }),
        deploymentIds: command.deploymentIds,
        autoDeployments: command.autoDeployments,
      });
      const warning =
        platform.deployments.length === 0 && !platform.autoDeployments
          ? '\n\nNo deployment is recorded and auto-deployments are off: every launch will be refused until you run\n' +
            `  npm run platform -- deployment add --issuer ${platform.issuer} --client-id ${platform.clientId} --deployment <id>`
          : '';
      return `Registered:\n${describe(platform)}\n\n${toolValues(admin.toolEndpoints())}${warning}`;
    }
    case 'remove': {
      const removed = await admin.removePlatform(command.issuer, command.clientId);
      return `Removed ${removed.name} (issuer ${removed.issuer}, client id ${removed.clientId}) and its ${removed.deployments.length} deployment(s).`;
    }
    case 'activate':
    case 'deactivate': {
      const active = command.kind === 'activate';
      const { platform, wasActive } = await admin.setActive(command.issuer, command.clientId, active);
      const state = active ? 'active' : 'inactive';
      return wasActive === active
        ? `${platform.name} was already ${state}.`
        : `${platform.name} is now ${state}.`;
    }
    case 'deployment-add': {
      const deployment = await admin.addDeployment(command.issuer, command.clientId, command.deploymentId);
      return `Deployment ${deployment.deploymentId} recorded for ${command.issuer} / ${command.clientId}.`;
    }
    case 'deployment-remove':
      await admin.removeDeployment(command.issuer, command.clientId, command.deploymentId);
      return `Deployment ${command.deploymentId.trim()} removed from ${command.issuer} / ${command.clientId}.`;
    case 'auto-deployments': {
      const platform = await admin.setAutoDeployments(command.issuer, command.clientId, command.enabled);
      return `Auto-deployments are ${command.enabled ? 'on' : 'off'} for ${platform.name}.`;
    }
  }
}

// ─── Database ───────────────────────────────────────────────────────────────────────────────────

/** Processes running an embedded engine on this data folder (Linux: read from /proc; else none). */
async function enginesOn(dataDir: string): Promise<number[]> {
  if (process.platform !== 'linux') return [];
  const wanted = new Set([path.resolve(dataDir), await realpath(dataDir).catch(() => path.resolve(dataDir))]);
  const pids: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const args = (await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '')).split('\0');
    if (!args.includes('--listen-addr')) continue;
    const at = args.indexOf('--data-dir');
    const dir = at >= 0 ? args[at + 1] : undefined;
    if (dir && wanted.has(dir)) pids.push(Number(entry));
  }
  return pids;
}

interface Opened {
  admin: PlatformAdmin;
  close(): Promise<void>;
}

async function open(config: Config): Promise<Opened> {
  // Loaded here, not at the top: help and usage errors answer without loading ltijs and mongoose.
  const [{ pino }, { createMongoLaunchStore }, { startLti, stopLti }, { createLtijsPlatformRegistry }] =
    await Promise.all([
      import('pino'),
      import('../src/lti/infrastructure/launch-store.js'),
      import('../src/lti/infrastructure/lti-provider.js'),
      import('../src/lti/infrastructure/platform-registry.js'),
    ]);
  const [{ connectDatabase }, { startEmbeddedEngine }] = await Promise.all([
    import('../src/shared/infrastructure/database/database.js'),
    import('../src/shared/infrastructure/embedded-db/embedded-engine.js'),
  ]);
  const cleanups: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    let databaseUri = config.mongodbUri;
    if (!databaseUri) {
      const running = await enginesOn(config.dataDir);
      if (running.length > 0) {
        throw new UsageError(
          `the embedded database in ${path.resolve(config.dataDir)} is in use by process ${running.join(', ')} (is the tool running?): stop it first, or set MONGODB_URI`,
        );
      }
      const engine = await startEmbeddedEngine({
        dataDir: config.dataDir,
        progress: (message) => process.stderr.write(`${message}\n`),
      });
      cleanups.push(() => engine.stop());
      databaseUri = engine.uriFor('pix-lti');
    }
    const connection = await connectDatabase(databaseUri).catch((error: unknown) => {
      throw new UsageError(`cannot reach the database: ${(error as Error).message.split('\n')[0]}`);
    });
    cleanups.push(() => connection.close());
    const store = createMongoLaunchStore(connection);
    await store.ensureIndexes();

    // ltijs as the tool sets it up (same encryption key, same database), without serving anything.
    const logger = pino({ level: 'error' }, pino.destination(2));
    await startLti({
      databaseUri,
      encryptionKey: config.lti.encryptionKey,
      publicUrl: config.publicUrl,
      store,
      clock: systemClock,
      logger,
      async onLaunch(_launch, _req, res) {
        res.status(503).end();
      },
      onRefusal(_reason, _detail, _req, res) {
        res.status(503).end();
      },
    });
    cleanups.push(() => stopLti());
    const admin = createPlatformAdmin({
      registry: createLtijsPlatformRegistry(),
      deployments: store,
      clock: systemClock,
      publicUrl: config.publicUrl,
    });
    return { admin, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function oneLine(error: unknown): string {
  if (error instanceof PlatformAdminError) {
    return error.field ? `${OPTION_OF_FIELD[error.field]}: ${error.detail}` : error.detail;
  }
  if (error instanceof ConfigError) return `invalid configuration: ${error.problems.join('; ')}`;
  if (error instanceof UsageError) return error.message;
  if (error instanceof EmbeddedEngineUnavailableError) return error.message.split('\n').join(' ');
  return error instanceof Error ? (error.message.split('\n')[0] ?? String(error)) : String(error);
}

async function main(): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`error: ${oneLine(error)} (see: npm run platform -- help)\n`);
    return 1;
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let opened: Opened | undefined;
  try {
    const config = loadConfig();
    if (command.kind === 'tool') {
      // No database: the values come from PUBLIC_URL alone.
      process.stdout.write(`${toolValues(toolEndpoints(config.publicUrl))}\n`);
      return 0;
    }
    opened = await open(config);
    process.stdout.write(`${await runCommand(opened.admin, command)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`error: ${oneLine(error)}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}

process.exitCode = await main();
// ltijs and the database drivers may keep timers alive: leave once everything is closed.
process.exit();
