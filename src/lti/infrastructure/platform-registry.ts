import type { Platform } from 'ltijs';
import type {
  PlatformRegistrationInput,
  PlatformRegistry,
  RegisteredPlatform,
} from '../application/platform-admin.js';
import { ltiProvider } from './lti-provider.js';

/**
 * The registrations ltijs stores (its `platforms`, `platformstatuses`, `publickeys` and
 * `privatekeys` collections), through its public API. ltijs must be started (startLti) in this
 * process: the provider is called at each use, not when the registry is created.
 *
 * ltijs reads a registration without a status document as active; `register` writes the status
 * right after the registration, so an inactive one is active for at most that instant, and only
 * for a platform that does not know its client id yet.
 */

async function toRegistered(platform: Platform): Promise<RegisteredPlatform> {
  const authConfig = await platform.platformAuthConfig();
  return {
    issuer: await platform.platformUrl(),
    clientId: await platform.platformClientId(),
    name: await platform.platformName(),
    kid: await platform.platformKid(),
    active: await platform.platformActive(),
    authenticationEndpoint: await platform.platformAuthEndpoint(),
    accessTokenEndpoint: await platform.platformAccessTokenEndpoint(),
    keyMethod: authConfig.method,
    jwksUrl: authConfig.method === 'JWK_SET' ? authConfig.key : '',
  };
}

export function createLtijsPlatformRegistry(): PlatformRegistry {
  const find = async (issuer: string, clientId: string) => {
    const platform = await ltiProvider().getPlatform(issuer, clientId);
    return platform ? platform : undefined;
  };

  return {
    async find(issuer, clientId) {
      const platform = await find(issuer, clientId);
      return platform ? toRegistered(platform) : undefined;
    },
    async list() {
      const platforms = await ltiProvider().getAllPlatforms();
      return Promise.all(platforms.map(toRegistered));
    },
    async register(input: PlatformRegistrationInput, options) {
      const platform = await ltiProvider().registerPlatform({
        url: input.issuer,
        name: input.name,
        clientId: input.clientId,
        authenticationEndpoint: input.authenticationEndpoint,
        accesstokenEndpoint: input.accessTokenEndpoint,
        ...(input.authorizationServer !== undefined && { authorizationServer: input.authorizationServer }),
        authConfig: { method: 'JWK_SET', key: input.jwksUrl },
      });
      await platform.platformActive(options.active);
      return toRegistered(platform);
    },
    async setActive(issuer, clientId, active) {
      const platform = await find(issuer, clientId);
      if (!platform) throw new Error(`no platform ${issuer} / ${clientId}`);
      await platform.platformActive(active);
    },
    async remove(issuer, clientId) {
      await ltiProvider().deletePlatform(issuer, clientId);
    },
  };
}
