import type { Clock } from '../../shared/domain/clock.js';
import { toolEndpoints, type ToolEndpoints } from '../domain/tool-endpoints.js';
import type { Deployment, LaunchStore } from '../infrastructure/launch-store.js';

/**
 * Administration of the LMS registrations (platforms) and of their deployments: the use cases
 * behind `npm run platform -- …` (tools/platform.ts) and the /admin/platforms page. They work on
 * two ports: the registrations ltijs stores (issuer + client id, tool key pair, active flag) and
 * our deployments registry (launch-store.ts), which the launch checks read.
 *
 * Every input is validated before anything is written, so a refused command leaves the stored
 * data as it was.
 */

/** What an LMS administrator copies from the LMS to register it. */
export interface PlatformRegistrationInput {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
  readonly authenticationEndpoint: string;
  readonly accessTokenEndpoint: string;
  readonly jwksUrl: string;
  /** The `aud` of client assertions; the token endpoint when absent (ltijs's default). */
  readonly authorizationServer?: string;
}

/** A registration as ltijs stores it. */
export interface RegisteredPlatform {
  readonly issuer: string;
  readonly clientId: string;
  readonly name: string;
  /** The id of the tool key pair generated for this registration (the `kid` of our JWKS entry). */
  readonly kid: string;
  readonly active: boolean;
  readonly authenticationEndpoint: string;
  readonly accessTokenEndpoint: string;
  /** JWK_SET (a JWKS URL), JWK_KEY or RSA_KEY. */
  readonly keyMethod: string;
  /** The JWKS URL for JWK_SET; empty for inline keys. */
  readonly jwksUrl: string;
}

/** The registrations ltijs stores (src/lti/infrastructure/platform-registry.ts). */
export interface PlatformRegistry {
  find(issuer: string, clientId: string): Promise<RegisteredPlatform | undefined>;
  list(): Promise<RegisteredPlatform[]>;
  /** Registers a new platform with a fresh tool key pair, active or not. */
  register(input: PlatformRegistrationInput, options: { active: boolean }): Promise<RegisteredPlatform>;
  setActive(issuer: string, clientId: string, active: boolean): Promise<void>;
  /** Deletes the registration and its tool key pair. */
  remove(issuer: string, clientId: string): Promise<void>;
}

export type DeploymentStore = Pick<
  LaunchStore,
  | 'findDeployment'
  | 'addDeployment'
  | 'removeDeployment'
  | 'listDeployments'
  | 'allowsDeploymentAutoRegistration'
  | 'setDeploymentAutoRegistration'
>;

export interface PlatformSummary extends RegisteredPlatform {
  readonly deployments: readonly Deployment[];
  /** Whether unknown deployments of this registration are recorded at their first launch. */
  readonly autoDeployments: boolean;
}

export type PlatformAdminErrorCode =
  | 'INVALID_URL'
  | 'INVALID_CLIENT_ID'
  | 'INVALID_NAME'
  | 'INVALID_DEPLOYMENT_ID'
  | 'PLATFORM_EXISTS'
  | 'UNKNOWN_PLATFORM'
  | 'DEPLOYMENT_EXISTS'
  | 'UNKNOWN_DEPLOYMENT';

export type PlatformField =
  | 'issuer'
  | 'clientId'
  | 'name'
  | 'authenticationEndpoint'
  | 'accessTokenEndpoint'
  | 'jwksUrl'
  | 'authorizationServer'
  | 'registrationEndpoint'
  | 'openidConfiguration'
  | 'deploymentId';

/** A refused command: a code (for translated messages), the field at fault, a one-line detail. */
export class PlatformAdminError extends Error {
  override name = 'PlatformAdminError';
  constructor(
    readonly code: PlatformAdminErrorCode,
    readonly detail: string,
    readonly field?: PlatformField,
  ) {
    super(field ? `${field}: ${detail}` : detail);
  }
}

const MAX_URL_LENGTH = 2048;
/** LTI Core: client ids and deployment ids are case-sensitive strings of at most 255 ASCII characters. */
const IDENTIFIER = /^[\x21-\x7e]{1,255}$/;
const MAX_NAME_LENGTH = 200;

const hasControlCharacter = (value: string) =>
  [...value].some((character) => {
    const code = character.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });

const shown = (value: string) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);

/**
 * An absolute http(s) URL, returned exactly as given (an issuer must equal the `iss` claim to the
 * character: `new URL()` would add a trailing slash). Issuers take neither a query nor a fragment.
 */
export function checkUrl(value: string, field: PlatformField, options: { issuer?: boolean } = {}): string {
  const invalid = (why: string) =>
    new PlatformAdminError('INVALID_URL', `${why} (got ${shown(value)})`, field);
  if (value.length === 0) throw invalid('must be an absolute http(s) URL');
  if (value.length > MAX_URL_LENGTH) throw invalid(`must be at most ${MAX_URL_LENGTH} characters`);
  if (/\s/.test(value) || hasControlCharacter(value))
    throw invalid('must be an absolute http(s) URL without spaces');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid('must be an http(s) URL');
  if (url.username || url.password) throw invalid('must not contain credentials');
  if (value.includes('#')) throw invalid('must not contain a fragment');
  if (options.issuer && value.includes('?')) throw invalid('must not contain a query');
  return value;
}

export function checkClientId(value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new PlatformAdminError(
      'INVALID_CLIENT_ID',
      `must be 1 to 255 printable ASCII characters without spaces (got ${shown(value)})`,
      'clientId',
    );
  }
  return value;
}

export function checkDeploymentId(value: string): string {
  if (!IDENTIFIER.test(value)) {
    throw new PlatformAdminError(
      'INVALID_DEPLOYMENT_ID',
      `must be 1 to 255 printable ASCII characters without spaces (got ${shown(value)})`,
      'deploymentId',
    );
  }
  return value;
}

export function checkName(value: string): string {
  const name = value.trim();
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || hasControlCharacter(name)) {
    throw new PlatformAdminError(
      'INVALID_NAME',
      `must be 1 to ${MAX_NAME_LENGTH} characters on one line (got ${shown(value)})`,
      'name',
    );
  }
  return name;
}

/** Checks every field of a registration; throws the first problem found. */
export function checkRegistration(input: PlatformRegistrationInput): PlatformRegistrationInput {
  return {
    issuer: checkUrl(input.issuer.trim(), 'issuer', { issuer: true }),
    clientId: checkClientId(input.clientId.trim()),
    name: checkName(input.name),
    authenticationEndpoint: checkUrl(input.authenticationEndpoint.trim(), 'authenticationEndpoint'),
    accessTokenEndpoint: checkUrl(input.accessTokenEndpoint.trim(), 'accessTokenEndpoint'),
    jwksUrl: checkUrl(input.jwksUrl.trim(), 'jwksUrl'),
    ...(input.authorizationServer !== undefined && {
      authorizationServer: checkUrl(input.authorizationServer.trim(), 'authorizationServer'),
    }),
  };
}

export interface PlatformAdminDependencies {
  readonly registry: PlatformRegistry;
  readonly deployments: DeploymentStore;
  readonly clock: Clock;
  readonly publicUrl: string;
}

export interface AddPlatformInput extends PlatformRegistrationInput {
  readonly deploymentIds?: readonly string[];
  readonly autoDeployments?: boolean;
}

export type PlatformAdmin = ReturnType<typeof createPlatformAdmin>;

export function createPlatformAdmin(deps: PlatformAdminDependencies) {
  const { registry, deployments, clock } = deps;

  const summarize = async (platform: RegisteredPlatform): Promise<PlatformSummary> => ({
    ...platform,
    deployments: await deployments.listDeployments(platform.issuer, platform.clientId),
    autoDeployments: await deployments.allowsDeploymentAutoRegistration(platform.issuer, platform.clientId),
  });

  const requirePlatform = async (issuer: string, clientId: string): Promise<RegisteredPlatform> => {
    const platform = issuer && clientId ? await registry.find(issuer, clientId) : undefined;
    if (!platform) {
      throw new PlatformAdminError(
        'UNKNOWN_PLATFORM',
        `no platform is registered with issuer ${shown(issuer)} and client id ${shown(clientId)}`,
      );
    }
    return platform;
  };

  return {
    /** The URLs to give the LMS administrator, from PUBLIC_URL. */
    toolEndpoints(): ToolEndpoints {
      return toolEndpoints(deps.publicUrl);
    },

    async listPlatforms(): Promise<PlatformSummary[]> {
      const platforms = await registry.list();
      const sorted = [...platforms].sort(
        (a, b) => a.issuer.localeCompare(b.issuer) || a.clientId.localeCompare(b.clientId),
      );
      return Promise.all(sorted.map(summarize));
    },

    async getPlatform(issuer: string, clientId: string): Promise<PlatformSummary> {
      return summarize(await requirePlatform(issuer, clientId));
    },

    /**
     * Registers a platform (active), records its deployments (source 'admin') and its
     * auto-deployments policy. Refuses a pair (issuer, client id) that is already registered:
     * ltijs would silently overwrite its endpoints.
     */
    async addPlatform(input: AddPlatformInput): Promise<PlatformSummary> {
      const registration = checkRegistration(input);
      const deploymentIds = [
        ...new Set((input.deploymentIds ?? []).map((id) => checkDeploymentId(id.trim()))),
      ];
      const { issuer, clientId } = registration;
      if (await registry.find(issuer, clientId)) {
        throw new PlatformAdminError(
          'PLATFORM_EXISTS',
          `a platform is already registered with issuer ${shown(issuer)} and client id ${shown(clientId)}: remove it first, or manage its deployments`,
        );
      }
      const registered = await registry.register(registration, { active: true });
      try {
        for (const deploymentId of deploymentIds) {
          await deployments.addDeployment({ issuer, clientId, deploymentId, source: 'admin' }, clock.now());
        }
        await deployments.setDeploymentAutoRegistration(issuer, clientId, input.autoDeployments === true);
      } catch (error) {
        // Leave nothing half-registered behind.
        for (const deploymentId of deploymentIds) {
          await deployments.removeDeployment(issuer, clientId, deploymentId).catch(() => false);
        }
        await registry.remove(issuer, clientId).catch(() => undefined);
        throw error;
      }
      return summarize(registered);
    },

    /** Removes a registration, its tool key pair, its deployments and its auto-deployments policy. */
    async removePlatform(issuer: string, clientId: string): Promise<PlatformSummary> {
      const summary = await summarize(await requirePlatform(issuer, clientId));
      for (const deployment of summary.deployments) {
        await deployments.removeDeployment(issuer, clientId, deployment.deploymentId);
      }
      await deployments.setDeploymentAutoRegistration(issuer, clientId, false);
      await registry.remove(issuer, clientId);
      return summary;
    },

    /** Activates or deactivates a registration; returns it with its state before the change. */
    async setActive(
      issuer: string,
      clientId: string,
      active: boolean,
    ): Promise<{ platform: PlatformSummary; wasActive: boolean }> {
      const platform = await requirePlatform(issuer, clientId);
      if (platform.active !== active) await registry.setActive(issuer, clientId, active);
      return { platform: await summarize({ ...platform, active }), wasActive: platform.active };
    },

    async addDeployment(
      issuer: string,
      clientId: string,
      deploymentId: string,
      source: Deployment['source'] = 'admin',
    ): Promise<Deployment> {
      const id = checkDeploymentId(deploymentId.trim());
      await requirePlatform(issuer, clientId);
      if (await deployments.findDeployment(issuer, clientId, id)) {
        throw new PlatformAdminError(
          'DEPLOYMENT_EXISTS',
          `deployment ${shown(id)} is already recorded for this platform`,
          'deploymentId',
        );
      }
      return deployments.addDeployment({ issuer, clientId, deploymentId: id, source }, clock.now());
    },

    async removeDeployment(issuer: string, clientId: string, deploymentId: string): Promise<void> {
      const id = deploymentId.trim();
      await requirePlatform(issuer, clientId);
      if (!(await deployments.removeDeployment(issuer, clientId, id))) {
        throw new PlatformAdminError(
          'UNKNOWN_DEPLOYMENT',
          `deployment ${shown(id)} is not recorded for this platform`,
          'deploymentId',
        );
      }
    },

    /** Lets unknown deployments of this registration record themselves at their first launch, or not. */
    async setAutoDeployments(issuer: string, clientId: string, enabled: boolean): Promise<PlatformSummary> {
      const platform = await requirePlatform(issuer, clientId);
      await deployments.setDeploymentAutoRegistration(issuer, clientId, enabled);
      return summarize(platform);
    },
  };
}
