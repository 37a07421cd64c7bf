import { randomBytes } from 'node:crypto';
import { applyClaimOverrides } from './claims.js';
import { CLAIM } from './constants.js';
import { signHs256, signRs256, tamperSignature, unsignedJwt, type JwtPayload } from './jws.js';
import type { SigningKey } from './keys.js';

/**
 * Forged id_tokens for the security matrix (1EdTech certification "known bad payloads" and the
 * Security Framework checks). Pure: payload in, token out.
 */

export interface ForgeryKeys {
  /** The platform's active key (in its JWKS). */
  active: SigningKey;
  /** A key the platform never published. */
  foreign: SigningKey;
}

export type SignatureForgery =
  | 'alg-none'
  | 'hs256-with-public-key'
  | 'tampered-signature'
  | 'unknown-kid'
  | 'missing-kid'
  | 'foreign-key-own-kid'
  | 'foreign-key-active-kid';

export const SIGNATURE_FORGERIES: Record<SignatureForgery, string> = {
  'alg-none': 'unsigned token (alg none), with the active kid',
  'hs256-with-public-key': "HS256 keyed with the platform's public key PEM (algorithm confusion)",
  'tampered-signature': 'valid token with one signature byte flipped',
  'unknown-kid': 'signed with the active key but naming a kid not in the JWKS',
  'missing-kid': 'signed with the active key, no kid in the header',
  'foreign-key-own-kid': 'signed with a key not in the JWKS, under its own kid',
  'foreign-key-active-kid': 'signed with a key not in the JWKS, claiming the active kid',
};

export function forgeSignature(kind: SignatureForgery, payload: JwtPayload, keys: ForgeryKeys): string {
  const header = { typ: 'JWT', kid: keys.active.kid };
  switch (kind) {
    case 'alg-none':
      return unsignedJwt(header, payload);
    case 'hs256-with-public-key':
      return signHs256(header, payload, keys.active.publicKeyPem);
    case 'tampered-signature':
      return tamperSignature(signRs256({ ...header, alg: 'RS256' }, payload, keys.active.privateKey));
    case 'unknown-kid':
      return signRs256(
        { ...header, alg: 'RS256', kid: `unknown-${randomBytes(4).toString('hex')}` },
        payload,
        keys.active.privateKey,
      );
    case 'missing-kid':
      return signRs256({ alg: 'RS256', typ: 'JWT' }, payload, keys.active.privateKey);
    case 'foreign-key-own-kid':
      return signRs256({ alg: 'RS256', typ: 'JWT', kid: keys.foreign.kid }, payload, keys.foreign.privateKey);
    case 'foreign-key-active-kid':
      return signRs256({ ...header, alg: 'RS256' }, payload, keys.foreign.privateKey);
  }
}

/** Signs honestly with the active key (for payload mutations). */
export function signWithActiveKey(payload: JwtPayload, keys: ForgeryKeys): string {
  return signRs256({ alg: 'RS256', typ: 'JWT', kid: keys.active.kid }, payload, keys.active.privateKey);
}

export type PayloadMutation =
  | 'expired'
  | 'iat-in-future'
  | 'missing-exp'
  | 'missing-iat'
  | 'nonce-never-issued'
  | 'missing-nonce'
  | 'wrong-iss'
  | 'wrong-aud'
  | 'aud-array-wrong-azp'
  | 'aud-array-untrusted-audience'
  | 'missing-sub'
  | 'missing-roles'
  | 'missing-resource-link'
  | 'missing-resource-link-id'
  | 'missing-message-type'
  | 'wrong-message-type'
  | 'missing-version'
  | 'wrong-version'
  | 'missing-deployment-id'
  | 'missing-target-link-uri'
  | 'target-link-uri-elsewhere'
  | 'unknown-deployment-id'
  | 'oversized';

export const OVERSIZED_TOKEN_BYTES = 64 * 1024;

/** Adds a custom claim padded so that the signed token exceeds `bytes` (for the size limit). */
export function padPayload(payload: JwtPayload, bytes: number = OVERSIZED_TOKEN_BYTES): JwtPayload {
  const custom = (payload[CLAIM.custom] as Record<string, string> | undefined) ?? {};
  // base64url grows JSON by 4/3: this many characters make a token over `bytes` on their own.
  const padding = 'x'.repeat(Math.ceil((bytes * 3) / 4) + 16);
  return { ...payload, [CLAIM.custom]: { ...custom, padding } };
}

export const PAYLOAD_MUTATIONS: Record<
  PayloadMutation,
  { description: string; mutate: (payload: JwtPayload, nowSeconds: number) => JwtPayload }
> = {
  expired: {
    description: 'exp in the past',
    mutate: (p, now) => ({ ...p, iat: now - 600, exp: now - 300 }),
  },
  'iat-in-future': {
    description: 'iat one hour in the future',
    mutate: (p, now) => ({ ...p, iat: now + 3600, exp: now + 3900 }),
  },
  'missing-exp': { description: 'no exp', mutate: (p) => applyClaimOverrides(p, { omit: ['exp'] }) },
  'missing-iat': { description: 'no iat', mutate: (p) => applyClaimOverrides(p, { omit: ['iat'] }) },
  'nonce-never-issued': {
    description: 'a nonce the tool never sent',
    mutate: (p) => ({ ...p, nonce: `forged-${randomBytes(8).toString('hex')}` }),
  },
  'missing-nonce': { description: 'no nonce', mutate: (p) => applyClaimOverrides(p, { omit: ['nonce'] }) },
  'wrong-iss': {
    description: 'iss of another platform',
    mutate: (p) => ({ ...p, iss: 'https://evil.example.org' }),
  },
  'wrong-aud': {
    description: 'aud is another client id',
    mutate: (p) => ({ ...p, aud: 'another-client-id' }),
  },
  'aud-array-wrong-azp': {
    description: 'aud [client id, other] with azp = other',
    mutate: (p) =>
      applyClaimOverrides(p, { extraAudiences: ['another-client-id'], azp: 'another-client-id' }),
  },
  'aud-array-untrusted-audience': {
    description: 'aud [client id, untrusted] with azp = client id',
    mutate: (p) => applyClaimOverrides(p, { extraAudiences: ['untrusted-audience'] }),
  },
  'missing-sub': { description: 'no sub', mutate: (p) => applyClaimOverrides(p, { omit: ['sub'] }) },
  'missing-roles': {
    description: 'no roles claim',
    mutate: (p) => applyClaimOverrides(p, { omit: ['roles'] }),
  },
  'missing-resource-link': {
    description: 'no resource_link claim',
    mutate: (p) => applyClaimOverrides(p, { omit: ['resource_link'] }),
  },
  'missing-resource-link-id': {
    description: 'resource_link without id',
    mutate: (p) => applyClaimOverrides(p, { set: { resource_link: { title: 'No id' } } }),
  },
  'missing-message-type': {
    description: 'no message_type',
    mutate: (p) => applyClaimOverrides(p, { omit: ['message_type'] }),
  },
  'wrong-message-type': {
    description: 'message_type InvalidMessageType',
    mutate: (p) => applyClaimOverrides(p, { set: { message_type: 'InvalidMessageType' } }),
  },
  'missing-version': {
    description: 'no version',
    mutate: (p) => applyClaimOverrides(p, { omit: ['version'] }),
  },
  'wrong-version': {
    description: 'version 1.1.0',
    mutate: (p) => applyClaimOverrides(p, { set: { version: '1.1.0' } }),
  },
  'missing-deployment-id': {
    description: 'no deployment_id',
    mutate: (p) => applyClaimOverrides(p, { omit: ['deployment_id'] }),
  },
  'missing-target-link-uri': {
    description: 'no target_link_uri',
    mutate: (p) => applyClaimOverrides(p, { omit: ['target_link_uri'] }),
  },
  'target-link-uri-elsewhere': {
    description: 'target_link_uri names another URL than the one the token is posted to',
    mutate: (p) => applyClaimOverrides(p, { set: { target_link_uri: 'https://evil.example.org/launch' } }),
  },
  'unknown-deployment-id': {
    description: 'a deployment_id the tool does not know',
    mutate: (p) => applyClaimOverrides(p, { set: { deployment_id: 'unknown-deployment' } }),
  },
  oversized: {
    description: `a token over ${OVERSIZED_TOKEN_BYTES / 1024} kB (padded custom claim), validly signed`,
    mutate: (p) => padPayload(p),
  },
};
