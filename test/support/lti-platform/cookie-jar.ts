/**
 * A small cookie jar for driving a tool without a browser (RFC 6265 subset): host-only and domain
 * cookies, path matching, Max-Age/Expires, Secure (never sent over http), deletion by expiry.
 * SameSite is recorded but not enforced (there is no cross-site context outside a browser).
 */

export interface StoredCookie {
  name: string;
  value: string;
  domain: string;
  hostOnly: boolean;
  path: string;
  /** Epoch milliseconds; undefined for a session cookie. */
  expiresAt?: number;
  secure: boolean;
  httpOnly: boolean;
  sameSite?: string;
}

function defaultPath(url: URL): string {
  const path = url.pathname;
  if (!path.startsWith('/') || path === '/') return '/';
  const last = path.lastIndexOf('/');
  return last <= 0 ? '/' : path.slice(0, last);
}

function domainMatches(host: string, cookie: StoredCookie): boolean {
  if (cookie.hostOnly) return host === cookie.domain;
  return host === cookie.domain || host.endsWith(`.${cookie.domain}`);
}

function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** Parses one Set-Cookie header value; undefined if it has no name=value pair. */
export function parseSetCookie(header: string, requestUrl: URL, now: number): StoredCookie | undefined {
  const [pair, ...attributes] = header.split(';');
  if (!pair || !pair.includes('=')) return undefined;
  const separator = pair.indexOf('=');
  const name = pair.slice(0, separator).trim();
  const value = pair.slice(separator + 1).trim();
  if (!name) return undefined;
  const cookie: StoredCookie = {
    name,
    value,
    domain: requestUrl.hostname,
    hostOnly: true,
    path: defaultPath(requestUrl),
    secure: false,
    httpOnly: false,
  };
  let maxAge: number | undefined;
  let expires: number | undefined;
  for (const attribute of attributes) {
    const [rawKey, ...rest] = attribute.split('=');
    const key = (rawKey ?? '').trim().toLowerCase();
    const attributeValue = rest.join('=').trim();
    if (key === 'domain' && attributeValue) {
      cookie.domain = attributeValue.replace(/^\./, '').toLowerCase();
      cookie.hostOnly = false;
    } else if (key === 'path' && attributeValue.startsWith('/')) {
      cookie.path = attributeValue;
    } else if (key === 'max-age' && /^-?\d+$/.test(attributeValue)) {
      maxAge = Number(attributeValue);
    } else if (key === 'expires') {
      const parsed = Date.parse(attributeValue);
      if (!Number.isNaN(parsed)) expires = parsed;
    } else if (key === 'secure') {
      cookie.secure = true;
    } else if (key === 'httponly') {
      cookie.httpOnly = true;
    } else if (key === 'samesite') {
      cookie.sameSite = attributeValue;
    }
  }
  if (maxAge !== undefined) cookie.expiresAt = now + maxAge * 1000;
  else if (expires !== undefined) cookie.expiresAt = expires;
  return cookie;
}

export class CookieJar {
  #cookies: StoredCookie[] = [];
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Stores the cookies of a response (an array of Set-Cookie header values) received from `url`. */
  store(url: string | URL, setCookieHeaders: readonly string[]): void {
    const requestUrl = new URL(url);
    const now = this.#now();
    for (const header of setCookieHeaders) {
      const cookie = parseSetCookie(header, requestUrl, now);
      if (!cookie) continue;
      if (!cookie.hostOnly && !domainMatches(requestUrl.hostname, { ...cookie, hostOnly: false })) continue;
      this.#cookies = this.#cookies.filter(
        (existing) =>
          !(
            existing.name === cookie.name &&
            existing.domain === cookie.domain &&
            existing.path === cookie.path
          ),
      );
      if (cookie.expiresAt === undefined || cookie.expiresAt > now) this.#cookies.push(cookie);
    }
  }

  /** Cookies that a request to `url` carries, longest path first. */
  cookiesFor(url: string | URL): StoredCookie[] {
    const target = new URL(url);
    const now = this.#now();
    this.#cookies = this.#cookies.filter(
      (cookie) => cookie.expiresAt === undefined || cookie.expiresAt > now,
    );
    return this.#cookies
      .filter(
        (cookie) =>
          domainMatches(target.hostname, cookie) &&
          pathMatches(target.pathname, cookie.path) &&
          (!cookie.secure || target.protocol === 'https:'),
      )
      .sort((a, b) => b.path.length - a.path.length);
  }

  /** The `Cookie` request header for `url`, or undefined when there is none. */
  headerFor(url: string | URL): string | undefined {
    const cookies = this.cookiesFor(url);
    return cookies.length > 0 ? cookies.map(({ name, value }) => `${name}=${value}`).join('; ') : undefined;
  }

  all(): StoredCookie[] {
    return this.#cookies.map((cookie) => ({ ...cookie }));
  }

  get(name: string): StoredCookie | undefined {
    return this.#cookies.find((cookie) => cookie.name === name);
  }

  /** Removes cookies whose name matches (a string or a predicate). */
  remove(match: string | ((cookie: StoredCookie) => boolean)): number {
    const before = this.#cookies.length;
    const predicate = typeof match === 'string' ? (cookie: StoredCookie) => cookie.name === match : match;
    this.#cookies = this.#cookies.filter((cookie) => !predicate(cookie));
    return before - this.#cookies.length;
  }

  clear(): void {
    this.#cookies = [];
  }

  clone(): CookieJar {
    const copy = new CookieJar({ now: this.#now });
    copy.#cookies = this.all();
    return copy;
  }
}
