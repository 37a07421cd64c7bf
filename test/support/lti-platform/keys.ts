import { createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

/** An RSA signing key of the platform, identified by its `kid`. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM of the public key (what an attacker would use as an HS256 secret). */
  publicKeyPem: string;
  createdAt: Date;
}

export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export function generateSigningKey(
  options: { kid?: string; modulusLength?: number; now?: Date } = {},
): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: options.modulusLength ?? 2048,
  });
  return {
    kid: options.kid ?? `emu-${randomBytes(8).toString('hex')}`,
    privateKey,
    publicKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    createdAt: options.now ?? new Date(),
  };
}

export function toPublicJwk(key: Pick<SigningKey, 'kid' | 'publicKey'>): PublicJwk {
  const jwk = key.publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error('Only RSA keys are supported');
  }
  return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: key.kid, alg: 'RS256', use: 'sig' };
}

/** A public key from a JWK as found in a tool's JWKS (`{kty:'RSA', n, e, …}`). */
export function publicKeyFromJwk(jwk: Record<string, unknown>): KeyObject {
  if (jwk.kty !== 'RSA' || typeof jwk.n !== 'string' || typeof jwk.e !== 'string') {
    throw new Error(`Unsupported JWK (kty ${String(jwk.kty)}): an RSA key with n and e is expected`);
  }
  return createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
}

/**
 * The platform's key ring: one active key signs id_tokens; the JWKS publishes every key marked as
 * published. Rotation adds a key, makes it active and keeps or drops the previous one.
 */
export class KeyRing {
  readonly #keys: Array<{ key: SigningKey; published: boolean }> = [];
  #activeKid: string;
  readonly #modulusLength: number;

  constructor(options: { modulusLength?: number; initialKey?: SigningKey; now?: () => Date } = {}) {
    this.#modulusLength = options.modulusLength ?? 2048;
    const first =
      options.initialKey ??
      generateSigningKey({ modulusLength: this.#modulusLength, now: options.now?.() ?? new Date() });
    this.#keys.push({ key: first, published: true });
    this.#activeKid = first.kid;
  }

  get active(): SigningKey {
    const entry = this.#keys.find(({ key }) => key.kid === this.#activeKid);
    if (!entry) throw new Error('No active key');
    return entry.key;
  }

  get(kid: string): SigningKey | undefined {
    return this.#keys.find(({ key }) => key.kid === kid)?.key;
  }

  /** Every key known, published or not, oldest first. */
  all(): SigningKey[] {
    return this.#keys.map(({ key }) => key);
  }

  published(): SigningKey[] {
    return this.#keys.filter(({ published }) => published).map(({ key }) => key);
  }

  jwks(): { keys: PublicJwk[] } {
    return { keys: this.published().map(toPublicJwk) };
  }

  /** Adds a key (generated unless given); published by default, active only if asked. */
  add(options: { key?: SigningKey; kid?: string; publish?: boolean; activate?: boolean } = {}): SigningKey {
    const key = options.key ?? generateSigningKey({ kid: options.kid, modulusLength: this.#modulusLength });
    if (this.get(key.kid)) throw new Error(`A key with kid ${key.kid} already exists`);
    this.#keys.push({ key, published: options.publish ?? true });
    if (options.activate) this.activate(key.kid);
    return key;
  }

  activate(kid: string): void {
    const entry = this.#keys.find(({ key }) => key.kid === kid);
    if (!entry) throw new Error(`Unknown kid ${kid}`);
    entry.published = true;
    this.#activeKid = kid;
  }

  /** Publishes or withdraws a key from the JWKS (the active key cannot be withdrawn). */
  setPublished(kid: string, published: boolean): void {
    const entry = this.#keys.find(({ key }) => key.kid === kid);
    if (!entry) throw new Error(`Unknown kid ${kid}`);
    if (!published && kid === this.#activeKid) throw new Error('The active key must stay published');
    entry.published = published;
  }

  /** New active key; the previous one stays in the JWKS unless `keepPrevious` is false. */
  rotate(options: { keepPrevious?: boolean; kid?: string } = {}): SigningKey {
    const previous = this.active;
    const next = this.add({ kid: options.kid, publish: true, activate: true });
    if (options.keepPrevious === false) this.setPublished(previous.kid, false);
    return next;
  }

  remove(kid: string): void {
    if (kid === this.#activeKid) throw new Error('The active key cannot be removed');
    const index = this.#keys.findIndex(({ key }) => key.kid === kid);
    if (index < 0) throw new Error(`Unknown kid ${kid}`);
    this.#keys.splice(index, 1);
  }
}
