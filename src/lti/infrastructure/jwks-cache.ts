import { createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { LaunchRefusal } from '../domain/launch-failures.js';

/**
 * Platform keys, cached. ltijs 5.9.9 downloads a platform's JWKS on every launch; we keep each key
 * set for `ttlMs` and refetch early only when a token names a `kid` we do not have (key rotation),
 * at most once per `minRefreshIntervalMs`, so that forged kids cannot make us flood the platform.
 * A cache per process is fine: it holds public data that any instance can refetch.
 */
export interface JwksCache {
  keyFor(jwksUrl: string, kid: string): Promise<KeyObject>;
  /**
   * Starts fetching a key set that is missing or stale, without waiting and without failing (the
   * launch's own keyFor reports any error). Called at the login step, so that the download
   * overlaps the platform's authentication round trip instead of delaying the launch.
   */
  warm(jwksUrl: string): void;
}

interface Entry {
  keys: Map<string, KeyObject>;
  fetchedAt: number;
}

export function createJwksCache(
  options: {
    ttlMs?: number;
    minRefreshIntervalMs?: number;
    timeoutMs?: number;
    now?: () => number;
    fetchImpl?: typeof fetch;
  } = {},
): JwksCache {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const minRefreshIntervalMs = options.minRefreshIntervalMs ?? 10_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetchImpl ?? fetch;
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Entry>>();
  const warmedAt = new Map<string, number>();

  async function download(url: string): Promise<Entry> {
    let body: unknown;
    try {
      const response = await fetchImpl(url, {
        headers: { Accept: 'application/json', 'User-Agent': 'pix-lti' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      body = await response.json();
    } catch (error) {
      throw new LaunchRefusal('PLATFORM_KEYS_UNAVAILABLE', `${url}: ${(error as Error).message}`);
    }
    const keys = new Map<string, KeyObject>();
    const list = (body as { keys?: unknown }).keys;
    if (Array.isArray(list)) {
      for (const jwk of list as Array<Record<string, unknown>>) {
        if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig'))
          continue;
        try {
          keys.set(jwk.kid, createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }));
        } catch {
          // A malformed key is skipped; the others stay usable.
        }
      }
    }
    return { keys, fetchedAt: now() };
  }

  function refresh(url: string): Promise<Entry> {
    let pending = inFlight.get(url);
    if (!pending) {
      pending = download(url)
        .then((entry) => {
          entries.set(url, entry);
          return entry;
        })
        .finally(() => inFlight.delete(url));
      inFlight.set(url, pending);
    }
    return pending;
  }

  return {
    warm(jwksUrl) {
      const entry = entries.get(jwksUrl);
      if (entry && now() - entry.fetchedAt <= ttlMs) return;
      // Logins cost nothing to send: at most one warming download per interval, even when failing.
      const last = warmedAt.get(jwksUrl);
      if (last !== undefined && now() - last < minRefreshIntervalMs) return;
      warmedAt.set(jwksUrl, now());
      refresh(jwksUrl).catch(() => undefined);
    },
    async keyFor(jwksUrl, kid) {
      let entry = entries.get(jwksUrl);
      if (!entry || now() - entry.fetchedAt > ttlMs) {
        entry = await refresh(jwksUrl);
      } else if (!entry.keys.has(kid) && now() - entry.fetchedAt >= minRefreshIntervalMs) {
        entry = await refresh(jwksUrl);
      }
      const key = entry.keys.get(kid);
      if (!key) throw new LaunchRefusal('UNKNOWN_KEY', kid);
      return key;
    },
  };
}
