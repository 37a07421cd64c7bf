import type { KeyObject } from 'node:crypto';
import { publicKeyFromJwk } from './keys.js';

export interface ToolJwksFetch {
  url: string;
  ok: boolean;
  kids: string[];
  error?: string;
}

/**
 * The tools' public keys, fetched from their JWKS URL (ltijs: `/keys`), cached per URL and
 * fetched again when a kid is not in the cache (the tool rotated or added a key).
 */
export class ToolKeyCache {
  readonly #cache = new Map<string, Map<string, KeyObject>>();
  readonly #onFetch: (fetched: ToolJwksFetch) => void;
  readonly #timeoutMs: number;

  constructor(options: { onFetch?: (fetched: ToolJwksFetch) => void; timeoutMs?: number } = {}) {
    this.#onFetch = options.onFetch ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async key(jwksUrl: string, kid: string): Promise<KeyObject | undefined> {
    const cached = this.#cache.get(jwksUrl)?.get(kid);
    if (cached) return cached;
    const fresh = await this.#fetch(jwksUrl);
    return fresh.get(kid);
  }

  forget(jwksUrl?: string): void {
    if (jwksUrl) this.#cache.delete(jwksUrl);
    else this.#cache.clear();
  }

  async #fetch(url: string): Promise<Map<string, KeyObject>> {
    const keys = new Map<string, KeyObject>();
    try {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { keys?: unknown };
      if (!Array.isArray(body.keys)) throw new Error('no "keys" array');
      for (const jwk of body.keys as Array<Record<string, unknown>>) {
        if (typeof jwk.kid !== 'string') continue;
        try {
          keys.set(jwk.kid, publicKeyFromJwk(jwk));
        } catch {
          // A key the emulator cannot use (not RSA): skipped.
        }
      }
      this.#cache.set(url, keys);
      this.#onFetch({ url, ok: true, kids: [...keys.keys()] });
    } catch (error) {
      this.#onFetch({
        url,
        ok: false,
        kids: [],
        error: `Fetching the tool's JWKS failed: ${(error as Error).message}`,
      });
    }
    return keys;
  }
}
