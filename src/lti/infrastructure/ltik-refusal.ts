/**
 * ltijs's "ltik" (its own signed launch reference) is never handed out by this tool: a launch is the
 * validated id_token POST alone, and our session takes over at once (docs/adr/0003, "Sessions after
 * launch"). In ltiaas mode ltijs would accept any request carrying a valid ltik without its platform
 * session cookie, and call onConnect with the stored id token: these checks let us refuse every
 * request that carries one, in any of the forms ltijs 5.9.9 reads (dist/Utils/Server.js).
 */

/** Where a request carries an ltik: ltijs reads all of these. */
export type LtikCarrier = 'query' | 'body' | 'bearer' | 'ltik-auth-v1' | 'extracted';

export interface RequestLike {
  readonly method: string;
  readonly query?: unknown;
  readonly body?: unknown;
  readonly headers: { readonly authorization?: string | undefined };
  /** Set by ltijs's server when it found an ltik. */
  readonly token?: unknown;
}

const hasField = (container: unknown, name: string): boolean =>
  typeof container === 'object' &&
  container !== null &&
  !Buffer.isBuffer(container) &&
  (container as Record<string, unknown>)[name] !== undefined;

/** The first place this request carries an ltik in, or undefined when it carries none. */
export function ltikCarriedBy(req: RequestLike): LtikCarrier | undefined {
  const authorization = req.headers.authorization ?? '';
  if (/LTIK-AUTH-V1/i.test(authorization)) return 'ltik-auth-v1';
  if (/^\s*Bearer\s/i.test(authorization)) return 'bearer';
  if (hasField(req.query, 'ltik')) return 'query';
  if (hasField(req.body, 'ltik')) return 'body';
  if (req.token !== undefined && req.token !== null && req.token !== '') return 'extracted';
  return undefined;
}

/** The only request that may reach onConnect: the platform's authentication response, without an ltik. */
export function isIdTokenPost(req: RequestLike): boolean {
  return (
    req.method === 'POST' &&
    typeof (req.body as { id_token?: unknown } | undefined)?.id_token === 'string' &&
    ltikCarriedBy(req) === undefined
  );
}
