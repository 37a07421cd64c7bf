import { createHmac, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Hand-made JWS (compact serialisation) so that any header and payload can be signed, including
 * what jsonwebtoken refuses to produce (alg none, HS256 keyed with a PEM public key, claims of the
 * wrong type). The emulator signs its honest tokens with the same code.
 */

export type JwsHeader = Record<string, unknown> & { alg?: unknown; kid?: unknown; typ?: unknown };
export type JwtPayload = Record<string, unknown>;

export function base64url(input: Buffer | string): string {
  return Buffer.from(input).toString('base64url');
}

export function encodeSegment(value: unknown): string {
  return base64url(JSON.stringify(value));
}

/** The `header.payload` part that gets signed. */
export function signingInput(header: JwsHeader, payload: JwtPayload): string {
  return `${encodeSegment(header)}.${encodeSegment(payload)}`;
}

/** RS256 (RSASSA-PKCS1-v1_5 with SHA-256): deterministic for a given key and input. */
export function signRs256(header: JwsHeader, payload: JwtPayload, privateKey: KeyObject | string): string {
  const input = signingInput({ ...header, alg: header.alg ?? 'RS256' }, payload);
  const signature = sign('RSA-SHA256', Buffer.from(input), privateKey);
  return `${input}.${base64url(signature)}`;
}

/** HS256 keyed with any secret, e.g. the platform's public key PEM (the classic RS/HS confusion). */
export function signHs256(header: JwsHeader, payload: JwtPayload, secret: string | Buffer): string {
  const input = signingInput({ ...header, alg: 'HS256' }, payload);
  const signature = createHmac('sha256', secret).update(input).digest();
  return `${input}.${base64url(signature)}`;
}

/** An unsigned token: `alg: none` and an empty signature segment. */
export function unsignedJwt(header: JwsHeader, payload: JwtPayload): string {
  return `${signingInput({ ...header, alg: 'none' }, payload)}.`;
}

/** The same token with its signature altered (one byte flipped in the middle). */
export function tamperSignature(token: string): string {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || !signature) throw new Error('Not a signed JWS');
  const bytes = Buffer.from(signature, 'base64url');
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  return `${header}.${payload}.${base64url(bytes)}`;
}

export interface DecodedJws {
  header: JwsHeader;
  payload: JwtPayload;
  signature: string;
}

/** Decodes without verifying; throws on anything that is not a three-part JWS of JSON objects. */
export function decodeJws(token: string): DecodedJws {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('A JWS has three dot-separated parts');
  const [header, payload, signature] = parts as [string, string, string];
  const parse = (segment: string, what: string): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    } catch {
      throw new Error(`The JWS ${what} is not base64url-encoded JSON`);
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`The JWS ${what} is not a JSON object`);
    }
    return value as Record<string, unknown>;
  };
  return { header: parse(header, 'header'), payload: parse(payload, 'payload'), signature };
}

/** Verifies an RS256 JWS signature (and only the signature) with a public key. */
export function verifyRs256Signature(token: string, publicKey: KeyObject): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [header, payload, signature] = parts as [string, string, string];
  return verify(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    publicKey,
    Buffer.from(signature, 'base64url'),
  );
}
