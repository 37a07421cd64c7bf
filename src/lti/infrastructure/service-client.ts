import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../shared/domain/clock.js';
import type { DeliveryFailure } from '../domain/grade-outbox.js';

/**
 * Calls to an LMS's LTI Advantage services (AGS, NRPS): a service token from an RFC 7523 client
 * assertion signed with the registration's tool key, cached until shortly before it expires and
 * dropped on 401; a timeout on every call (ltijs sets none); failures as data, not exceptions.
 */

/** What signing a client assertion needs from a registration. */
export interface ServiceCredentials {
  readonly tokenEndpoint: string;
  /** The assertion's audience; the token endpoint when the platform names no authorization server. */
  readonly audience: string;
  readonly clientId: string;
  readonly keyId: string;
  readonly privateKey: string;
}

export type CredentialsLookup = (issuer: string, clientId: string) => Promise<ServiceCredentials | undefined>;

export interface Registration {
  readonly issuer: string;
  readonly clientId: string;
}

export class ServiceFailure extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super('LTI service call failed');
  }
}

export interface ServiceClient {
  /** A call with a bearer token for `scopes`; throws a ServiceFailure for any non-2xx or transport error. */
  request(
    registration: Registration,
    scopes: readonly string[],
    url: string,
    init?: RequestInit,
  ): Promise<Response>;
}

export function createServiceClient(deps: {
  credentials: CredentialsLookup;
  clock: Clock;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}): ServiceClient {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const fetchImpl = deps.fetchImpl ?? fetch;
  const tokens = new Map<string, { value: string; expiresAt: number }>();

  async function call(url: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetchImpl(url, {
        ...init,
        headers: { 'User-Agent': 'pix-lti', ...(init.headers as Record<string, string>) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new ServiceFailure(
        name === 'TimeoutError' || name === 'AbortError'
          ? { kind: 'timeout' }
          : { kind: 'network', message: (error as Error).message },
      );
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new ServiceFailure({ kind: 'http', status: response.status, body });
    }
    return response;
  }

  async function token(
    registration: Registration,
    scopes: readonly string[],
  ): Promise<{ key: string; value: string }> {
    const scope = [...scopes].sort().join(' ');
    const key = `${registration.issuer}\n${registration.clientId}\n${scope}`;
    const now = deps.clock.now().getTime();
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > now) return { key, value: cached.value };
    const credentials = await deps.credentials(registration.issuer, registration.clientId);
    if (!credentials) {
      throw new ServiceFailure({
        kind: 'configuration',
        message: 'the platform registration no longer exists',
      });
    }
    const seconds = Math.floor(now / 1000);
    const assertion = jwt.sign(
      {
        iss: credentials.clientId,
        sub: credentials.clientId,
        aud: credentials.audience,
        iat: seconds,
        exp: seconds + 60,
        jti: randomUUID(),
      },
      credentials.privateKey,
      { algorithm: 'RS256', keyid: credentials.keyId },
    );
    const response = await call(credentials.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: assertion,
        scope,
      }),
    });
    const body = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
    if (typeof body.access_token !== 'string') {
      throw new ServiceFailure({
        kind: 'network',
        message: 'the token endpoint answered without an access_token',
      });
    }
    const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renew a minute early so that a token never expires between being read and being used.
    tokens.set(key, { value: body.access_token, expiresAt: now + Math.max(0, lifetimeSeconds - 60) * 1000 });
    return { key, value: body.access_token };
  }

  return {
    async request(registration, scopes, url, init = {}) {
      const { key, value } = await token(registration, scopes);
      try {
        return await call(url, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${value}` },
        });
      } catch (error) {
        if (
          error instanceof ServiceFailure &&
          error.failure.kind === 'http' &&
          error.failure.status === 401
        ) {
          tokens.delete(key);
        }
        throw error;
      }
    },
  };
}
