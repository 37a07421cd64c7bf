import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Clock } from '../../shared/domain/clock.js';
import type { DeliveryFailure, OutboxEntry, ScoreTarget } from '../domain/grade-outbox.js';
import type { LineItemStore } from './grade-outbox-repository.js';

/**
 * LTI Assignment and Grade Services, as the grade worker needs them: a service token (RFC 7523
 * client assertion), the line item of a resource link (found or created), and the score POST.
 * LMS quirks stay in here: Moodle's `?type_id=` on line item URLs, Canvas's need for a User-Agent,
 * and tokens refused after a key change (401 drops the cached token).
 */

export const AGS_SCOPES = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

const MEDIA = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItems: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

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

export interface AgsClient {
  /** Delivers one queued score; undefined on success, else why it failed. */
  deliver(entry: Pick<OutboxEntry, 'target' | 'score'>): Promise<DeliveryFailure | undefined>;
}

class Failure extends Error {
  constructor(readonly failure: DeliveryFailure) {
    super('delivery failed');
  }
}

export function createAgsClient(deps: {
  credentials: CredentialsLookup;
  lineItems: LineItemStore;
  clock: Clock;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}): AgsClient {
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
      throw new Failure(
        name === 'TimeoutError' || name === 'AbortError'
          ? { kind: 'timeout' }
          : { kind: 'network', message: (error as Error).message },
      );
    }
    if (!response.ok) {
      const body = await response.text().catch(() => '');
      throw new Failure({ kind: 'http', status: response.status, body });
    }
    return response;
  }

  async function token(
    target: ScoreTarget,
    scopes: readonly string[],
  ): Promise<{ key: string; value: string }> {
    const scope = [...scopes].sort().join(' ');
    const key = `${target.issuer}\n${target.clientId}\n${scope}`;
    const now = deps.clock.now().getTime();
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > now) return { key, value: cached.value };
    const credentials = await deps.credentials(target.issuer, target.clientId);
    if (!credentials) {
      throw new Failure({ kind: 'configuration', message: 'the platform registration no longer exists' });
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
      throw new Failure({ kind: 'network', message: 'the token endpoint answered without an access_token' });
    }
    const lifetimeSeconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    // Renew a minute early so that a token never expires between being read and being used.
    tokens.set(key, { value: body.access_token, expiresAt: now + Math.max(0, lifetimeSeconds - 60) * 1000 });
    return { key, value: body.access_token };
  }

  async function authorised(target: ScoreTarget, scopes: readonly string[], url: string, init: RequestInit) {
    const { key, value } = await token(target, scopes);
    try {
      return await call(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${value}` },
      });
    } catch (error) {
      if (error instanceof Failure && error.failure.kind === 'http' && error.failure.status === 401)
        tokens.delete(key);
      throw error;
    }
  }

  function granted(target: ScoreTarget, scope: string): boolean {
    return target.scopes.includes(scope);
  }

  async function lineItemUrl(target: ScoreTarget): Promise<string> {
    if (target.lineItemUrl) return target.lineItemUrl;
    const known = await deps.lineItems.find(target.issuer, target.clientId, target.resourceLinkId);
    if (known) return known;
    if (!target.lineItemsUrl) {
      throw new Failure({
        kind: 'configuration',
        message: 'the launch granted no line items URL for this link',
      });
    }
    const readScope = granted(target, AGS_SCOPES.lineItemReadOnly)
      ? AGS_SCOPES.lineItemReadOnly
      : AGS_SCOPES.lineItem;
    const search = new URL(target.lineItemsUrl);
    search.searchParams.set('resource_link_id', target.resourceLinkId);
    const listed = await authorised(target, [readScope], search.toString(), {
      headers: { Accept: MEDIA.lineItems },
    });
    const items = (await listed.json()) as Array<{ id?: unknown; resourceLinkId?: unknown }>;
    const existing = Array.isArray(items)
      ? items.find(
          (item) =>
            typeof item.id === 'string' &&
            (item.resourceLinkId ?? target.resourceLinkId) === target.resourceLinkId,
        )
      : undefined;
    if (existing && typeof existing.id === 'string') {
      return deps.lineItems.save(target.issuer, target.clientId, target.resourceLinkId, existing.id);
    }
    if (!granted(target, AGS_SCOPES.lineItem)) {
      throw new Failure({
        kind: 'configuration',
        message: 'no line item exists and the launch does not allow creating one',
      });
    }
    const created = await authorised(target, [AGS_SCOPES.lineItem], target.lineItemsUrl, {
      method: 'POST',
      headers: { 'Content-Type': MEDIA.lineItem, Accept: MEDIA.lineItem },
      body: JSON.stringify({ ...target.lineItem, resourceLinkId: target.resourceLinkId }),
    });
    const item = (await created.json()) as { id?: unknown };
    if (typeof item.id !== 'string') {
      throw new Failure({ kind: 'network', message: 'the platform created a line item without an id' });
    }
    return deps.lineItems.save(target.issuer, target.clientId, target.resourceLinkId, item.id);
  }

  /** `<line item>/scores`, keeping the line item's query string (Moodle adds `?type_id=N`). */
  function scoresUrl(lineItem: string): string {
    const url = new URL(lineItem);
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/scores`;
    return url.toString();
  }

  return {
    async deliver({ target, score }) {
      try {
        if (!granted(target, AGS_SCOPES.score)) {
          return { kind: 'configuration', message: 'the launch does not grant the score scope' };
        }
        const url = scoresUrl(await lineItemUrl(target));
        await authorised(target, [AGS_SCOPES.score], url, {
          method: 'POST',
          headers: { 'Content-Type': MEDIA.score },
          body: JSON.stringify({
            userId: target.userId,
            ...(score.scoreGiven !== undefined && { scoreGiven: score.scoreGiven }),
            scoreMaximum: score.scoreMaximum,
            activityProgress: score.activityProgress,
            gradingProgress: score.gradingProgress,
            ...(score.comment !== undefined && { comment: score.comment }),
            timestamp: score.timestamp.toISOString(),
          }),
        });
        return undefined;
      } catch (error) {
        if (error instanceof Failure) return error.failure;
        return { kind: 'network', message: (error as Error).message };
      }
    },
  };
}
