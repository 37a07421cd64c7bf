import type { KeyObject } from 'node:crypto';
import { request } from 'node:https';
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
  readonly #trustedCa: string | undefined;

  constructor(
    options: {
      onFetch?: (fetched: ToolJwksFetch) => void;
      timeoutMs?: number;
      /** PEM of a certificate to trust for https JWKS URLs (a test tool's self-signed one). */
      trustedCa?: string;
    } = {},
  ) {
    this.#onFetch = options.onFetch ?? (() => undefined);
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#trustedCa = options.trustedCa;
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
      const body = (await this.#getJson(url)) as { keys?: unknown };
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

  /** GET a JSON document; over https with the trusted certificate when one is given. */
  async #getJson(url: string): Promise<unknown> {
    if (this.#trustedCa === undefined || !url.startsWith('https:')) {
      const response = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    }
    const ca = this.#trustedCa;
    return new Promise((resolve, reject) => {
      const outgoing = request(
        url,
        { ca, headers: { accept: 'application/json' }, timeout: this.#timeoutMs },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            if ((response.statusCode ?? 0) < 200 || (response.statusCode ?? 0) >= 300) {
              reject(new Error(`HTTP ${response.statusCode}`));
              return;
            }
            try {
              resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
            } catch (error) {
              reject(error as Error);
            }
          });
          response.on('error', reject);
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', reject);
      outgoing.end();
    });
  }
}
