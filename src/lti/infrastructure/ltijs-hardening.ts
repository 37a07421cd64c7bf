import { AsyncLocalStorage } from 'node:async_hooks';
import { createPublicKey, randomBytes, type JsonWebKey, type KeyObject } from 'node:crypto';
import { createRequire } from 'node:module';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../shared/domain/clock.js';
import {
  assertAudience,
  assertLtiClaims,
  assertTimes,
  assertTokenSize,
  claim,
  sameLaunchUrl,
  type Claims,
} from '../domain/id-token-checks.js';
import { LaunchRefusal } from '../domain/launch-failures.js';
import type { JwksCache } from './jwks-cache.js';
import type { LaunchStore } from './launch-store.js';

/**
 * Launch validation for ltijs 5.9.9, replacing `Auth.validateToken` and the nonce generation of
 * `Request.ltiAdvantageLogin`. Everything runs before ltijs stores a session, so a refused launch
 * leaves nothing behind. What it adds to ltijs (docs/adr/0003-ltijs-hardening.md):
 * - a 64 kB limit on the id_token, checked before decoding;
 * - RS256 required from the header on, before any key is looked up;
 * - platform keys from a cache, refreshed on an unknown kid (ltijs downloads them on every launch);
 * - audience and azp checked as the Security Framework says (ltijs accepts extra audiences);
 * - exp required; iat neither in the future beyond the clock skew nor older than the token age;
 * - nonces from a CSPRNG (ltijs uses Math.random), bound to the login (state) that issued them, used once
 *   through an insert under a unique key (ltijs's check-then-insert lets a racing replay through);
 * - the deployment id must be known for the registration, unless the admin lets deployments register;
 * - the URL that received the launch must equal target_link_uri.
 */

const require = createRequire(import.meta.url);
const SUPPORTED_LTIJS_VERSION = '5.9.9';

interface LtijsPlatform {
  platformUrl(): Promise<string>;
  platformClientId(): Promise<string>;
  platformKid(): Promise<string>;
  platformActive(): Promise<boolean>;
  platformAuthConfig(): Promise<{ method: string; key: string }>;
}

type GetPlatform = (
  url: string,
  clientId: string | undefined,
  encryptionKey: string,
  database: unknown,
) => Promise<LtijsPlatform | LtijsPlatform[] | false>;

interface LtijsAuth {
  validateToken(
    token: string,
    devMode: boolean,
    validationParameters: { iss?: string; maxAge?: number | false },
    getPlatform: GetPlatform,
    encryptionKey: string,
    database: unknown,
  ): Promise<Claims & { clientId: string; platformId: string }>;
}

interface LtijsRequest {
  ltiAdvantageLogin(
    request: Record<string, string>,
    platform: LtijsPlatform,
    state: string,
  ): Promise<Record<string, string>>;
}

export interface HardeningDependencies {
  readonly store: LaunchStore;
  readonly jwks: JwksCache;
  readonly clock: Clock;
  /** The tool's public base URL, e.g. https://pix-lti.example.org */
  readonly publicUrl: string;
}

/** The request being validated, made visible to the replaced ltijs functions. */
const currentLaunch = new AsyncLocalStorage<{ receivedUrl: string; state?: string }>();

export function runWithLaunchRequest<T>(
  request: { receivedUrl: string; state?: string },
  callback: () => T,
): T {
  return currentLaunch.run(request, callback);
}

async function platformKey(
  platform: LtijsPlatform,
  header: jwt.JwtHeader,
  jwks: JwksCache,
): Promise<KeyObject | string> {
  const authConfig = await platform.platformAuthConfig();
  switch (authConfig.method) {
    case 'JWK_SET':
      if (!header.kid) throw new LaunchRefusal('UNKNOWN_KEY', 'no kid in the header');
      return jwks.keyFor(authConfig.key, header.kid);
    case 'JWK_KEY':
      return createPublicKey({ key: JSON.parse(authConfig.key) as JsonWebKey, format: 'jwk' });
    case 'RSA_KEY':
      return authConfig.key;
    default:
      throw new LaunchRefusal('UNKNOWN_KEY', `unsupported key method ${authConfig.method}`);
  }
}

async function findPlatform(
  claims: Claims,
  getPlatform: GetPlatform,
  encryptionKey: string,
  database: unknown,
): Promise<LtijsPlatform> {
  const issuer = claims.iss;
  if (typeof issuer !== 'string' || issuer === '') throw new LaunchRefusal('MISSING_CLAIM', 'iss');
  const audiences = (Array.isArray(claims.aud) ? claims.aud : [claims.aud]).filter(
    (audience): audience is string => typeof audience === 'string',
  );
  // With several audiences, azp names ours; otherwise the single audience does.
  const candidates = typeof claims.azp === 'string' ? [claims.azp, ...audiences] : audiences;
  for (const clientId of candidates) {
    const found = await getPlatform(issuer, clientId, encryptionKey, database);
    if (found && !Array.isArray(found)) return found;
  }
  const anyForIssuer = await getPlatform(issuer, undefined, encryptionKey, database);
  if (Array.isArray(anyForIssuer) && anyForIssuer.length > 0) throw new LaunchRefusal('UNKNOWN_CLIENT');
  throw new LaunchRefusal('UNKNOWN_ISSUER');
}

function createValidateToken(deps: HardeningDependencies): LtijsAuth['validateToken'] {
  return async (token, _devMode, validationParameters, getPlatform, encryptionKey, database) => {
    if (typeof token !== 'string') throw new LaunchRefusal('MALFORMED_TOKEN');
    assertTokenSize(token);
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object' || decoded.payload === null) {
      throw new LaunchRefusal('MALFORMED_TOKEN');
    }
    if (decoded.header.alg !== 'RS256') throw new LaunchRefusal('BAD_ALGORITHM', String(decoded.header.alg));
    const unverified = decoded.payload as Claims;

    // The state cookie holds the issuer our login step was started for (ltijs sets it).
    if (!validationParameters.iss) throw new LaunchRefusal('MISSING_STATE');
    if (validationParameters.iss !== unverified.iss) throw new LaunchRefusal('STATE_MISMATCH');

    const platform = await findPlatform(unverified, getPlatform, encryptionKey, database);
    if (!(await platform.platformActive())) throw new LaunchRefusal('PLATFORM_INACTIVE');
    const clientId = await platform.platformClientId();
    const issuer = await platform.platformUrl();

    let claims: Claims;
    try {
      // Times are checked below with our skew rules, on the verified claims.
      claims = jwt.verify(token, await platformKey(platform, decoded.header, deps.jwks), {
        algorithms: ['RS256'],
        issuer,
        ignoreExpiration: true,
        ignoreNotBefore: true,
      }) as Claims;
    } catch (error) {
      if (error instanceof LaunchRefusal) throw error;
      const message = (error as Error).message;
      if (/signature/.test(message)) throw new LaunchRefusal('BAD_SIGNATURE');
      if (/issuer/.test(message)) throw new LaunchRefusal('UNKNOWN_ISSUER');
      throw new LaunchRefusal('MALFORMED_TOKEN', message);
    }

    assertAudience(claims, clientId);
    assertTimes(claims, deps.clock.now().getTime() / 1000);
    assertLtiClaims(claims);

    const nonce = claims.nonce as string;
    const issued = await deps.store.findIssuedNonce(nonce);
    const state = currentLaunch.getStore()?.state;
    if (!issued || issued.issuer !== issuer || issued.clientId !== clientId || issued.state !== state) {
      throw new LaunchRefusal('NONCE_NOT_ISSUED', issued ? 'issued for another login' : '');
    }
    if (!(await deps.store.markNonceUsed(nonce, deps.clock.now()))) throw new LaunchRefusal('NONCE_REPLAYED');

    const deploymentId = claim(claims, 'deployment_id') as string;
    if (!(await deps.store.findDeployment(issuer, clientId, deploymentId))) {
      if (!(await deps.store.allowsDeploymentAutoRegistration(issuer, clientId))) {
        throw new LaunchRefusal('UNKNOWN_DEPLOYMENT', deploymentId);
      }
      await deps.store.addDeployment({ issuer, clientId, deploymentId, source: 'auto' }, deps.clock.now());
    }

    const targetLinkUri = claim(claims, 'target_link_uri');
    const received = currentLaunch.getStore()?.receivedUrl;
    if (typeof targetLinkUri === 'string' && (!received || !sameLaunchUrl(targetLinkUri, received))) {
      throw new LaunchRefusal('TARGET_LINK_URI_MISMATCH', `${targetLinkUri} ≠ ${received ?? '(unknown)'}`);
    }

    return { ...claims, clientId, platformId: await platform.platformKid() };
  };
}

function createLogin(
  deps: HardeningDependencies,
  original: LtijsRequest['ltiAdvantageLogin'],
): LtijsRequest['ltiAdvantageLogin'] {
  return async (request, platform, state) => {
    // The id_token comes back in a moment: its platform's keys are fetched meanwhile.
    const authConfig = await platform.platformAuthConfig();
    if (authConfig.method === 'JWK_SET') deps.jwks.warm(authConfig.key);
    const query = await original(request, platform, state);
    const nonce = randomBytes(24).toString('base64url');
    await deps.store.recordIssuedNonce(
      {
        nonce,
        state,
        issuer: await platform.platformUrl(),
        clientId: query.client_id ?? (await platform.platformClientId()),
      },
      deps.clock.now(),
    );
    return { ...query, nonce };
  };
}

let installed:
  | {
      auth: LtijsAuth;
      request: LtijsRequest;
      originals: [LtijsAuth['validateToken'], LtijsRequest['ltiAdvantageLogin']];
    }
  | undefined;

/** Replaces the two ltijs functions. Refuses any ltijs version other than the one it was written for. */
export function installLtijsHardening(deps: HardeningDependencies): void {
  const version = (require('ltijs/package.json') as { version: string }).version;
  if (version !== SUPPORTED_LTIJS_VERSION) {
    throw new Error(
      `ltijs ${version} is installed, but the launch hardening was written for ${SUPPORTED_LTIJS_VERSION}: ` +
        'review src/lti/infrastructure/ltijs-hardening.ts against the new version before upgrading.',
    );
  }
  const auth = require('ltijs/dist/Utils/Auth.js') as LtijsAuth;
  const request = require('ltijs/dist/Utils/Request.js') as LtijsRequest;
  const originals = installed?.originals ?? [auth.validateToken, request.ltiAdvantageLogin];
  auth.validateToken = createValidateToken(deps);
  request.ltiAdvantageLogin = createLogin(deps, originals[1].bind(request));
  installed = { auth, request, originals };
}
