import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import { CLAIM } from '../../support/lti-platform/constants.js';
import {
  OVERSIZED_TOKEN_BYTES,
  PAYLOAD_MUTATIONS,
  SIGNATURE_FORGERIES,
  forgeSignature,
  padPayload,
  signWithActiveKey,
  type ForgeryKeys,
} from '../../support/lti-platform/forgery.js';
import {
  decodeJws,
  signHs256,
  signRs256,
  tamperSignature,
  unsignedJwt,
  verifyRs256Signature,
} from '../../support/lti-platform/jws.js';
import {
  KeyRing,
  generateSigningKey,
  publicKeyFromJwk,
  toPublicJwk,
} from '../../support/lti-platform/keys.js';
import { SECURITY_CASES } from '../../support/lti-platform/security-matrix.js';

describe('Unit | LTI platform emulator | JWS and forged tokens', () => {
  const keys: ForgeryKeys = {
    active: generateSigningKey({ kid: 'active' }),
    foreign: generateSigningKey({ kid: 'foreign' }),
  };
  const now = 1_800_000_000;
  const payload = {
    iss: 'https://lms.example.org',
    aud: 'client-1',
    sub: 'u1',
    iat: now,
    exp: now + 300,
    nonce: 'n',
  };

  it('signs RS256 tokens that jsonwebtoken verifies, deterministically', () => {
    const token = signRs256({ alg: 'RS256', kid: 'active' }, payload, keys.active.privateKey);
    expect(
      jwt.verify(token, keys.active.publicKey, { algorithms: ['RS256'], clockTimestamp: now }),
    ).to.deep.equal(payload);
    expect(signRs256({ alg: 'RS256', kid: 'active' }, payload, keys.active.privateKey)).to.equal(token);
    expect(verifyRs256Signature(token, keys.active.publicKey)).to.equal(true);
    expect(verifyRs256Signature(token, keys.foreign.publicKey)).to.equal(false);
    expect(decodeJws(token)).to.deep.include({ header: { alg: 'RS256', kid: 'active' }, payload });
  });

  it('crafts what jsonwebtoken refuses: alg none and HS256 keyed with the public key PEM', () => {
    const none = unsignedJwt({ kid: 'active' }, payload);
    expect(none.endsWith('.')).to.equal(true);
    expect(decodeJws(none).header).to.deep.equal({ kid: 'active', alg: 'none' });

    const hs = signHs256({ kid: 'active' }, payload, keys.active.publicKeyPem);
    const [header, body, signature] = hs.split('.');
    const expected = createHmac('sha256', keys.active.publicKeyPem)
      .update(`${header}.${body}`)
      .digest('base64url');
    expect(signature).to.equal(expected);
    expect(() => jwt.verify(hs, keys.active.publicKeyPem, { algorithms: ['HS256'] })).to.throw(
      /symmetric key/,
    );
  });

  it('tampers a signature so that it no longer verifies', () => {
    const token = signRs256({ alg: 'RS256' }, payload, keys.active.privateKey);
    const tampered = tamperSignature(token);
    expect(tampered).not.to.equal(token);
    expect(tampered.split('.').slice(0, 2)).to.deep.equal(token.split('.').slice(0, 2));
    expect(verifyRs256Signature(tampered, keys.active.publicKey)).to.equal(false);
  });

  it('decodes only well-formed JWS', () => {
    expect(() => decodeJws('not-a-jwt')).to.throw(/three/);
    expect(() => decodeJws('a.b.c')).to.throw(/base64url-encoded JSON/);
  });

  it('forges every signature case with the expected header', () => {
    const headers = Object.fromEntries(
      (Object.keys(SIGNATURE_FORGERIES) as Array<keyof typeof SIGNATURE_FORGERIES>).map((kind) => [
        kind,
        decodeJws(forgeSignature(kind, payload, keys)).header,
      ]),
    );
    expect(headers['alg-none']).to.include({ alg: 'none', kid: 'active' });
    expect(headers['hs256-with-public-key']).to.include({ alg: 'HS256', kid: 'active' });
    expect(headers['unknown-kid']?.kid).to.match(/^unknown-/);
    expect(headers['missing-kid']).not.to.have.property('kid');
    expect(headers['foreign-key-own-kid']).to.include({ alg: 'RS256', kid: 'foreign' });
    expect(headers['foreign-key-active-kid']).to.include({ alg: 'RS256', kid: 'active' });
    expect(
      verifyRs256Signature(forgeSignature('foreign-key-active-kid', payload, keys), keys.active.publicKey),
    ).to.equal(false);
  });

  it('mutates payloads as described, signed with the active key', () => {
    const full = {
      ...payload,
      [CLAIM.roles]: [],
      [CLAIM.version]: '1.3.0',
      [CLAIM.messageType]: 'LtiResourceLinkRequest',
    };
    const mutated = (name: keyof typeof PAYLOAD_MUTATIONS) =>
      decodeJws(signWithActiveKey(PAYLOAD_MUTATIONS[name].mutate(full, now), keys)).payload;
    expect(mutated('expired').exp).to.be.lessThan(now);
    expect(mutated('iat-in-future').iat).to.be.greaterThan(now);
    expect(mutated('missing-roles')).not.to.have.property(CLAIM.roles);
    expect(mutated('wrong-version')[CLAIM.version]).to.equal('1.1.0');
    expect(mutated('aud-array-wrong-azp')).to.deep.include({
      aud: ['client-1', 'another-client-id'],
      azp: 'another-client-id',
    });
    expect(mutated('nonce-never-issued').nonce).to.match(/^forged-/);
  });

  it('pads a token beyond 64 kB', () => {
    const token = signWithActiveKey(padPayload(payload), keys);
    expect(Buffer.byteLength(token)).to.be.greaterThan(OVERSIZED_TOKEN_BYTES);
    expect(Buffer.byteLength(token)).to.be.lessThan(100 * 1024);
  });

  it('lists every security case once, all to be rejected but the control', () => {
    const ids = SECURITY_CASES.map(({ id }) => id);
    expect(new Set(ids).size).to.equal(ids.length);
    expect(SECURITY_CASES.filter(({ mustReject }) => !mustReject).map(({ id }) => id)).to.deep.equal([
      'valid',
    ]);
  });
});

describe('Unit | LTI platform emulator | key ring', function () {
  this.timeout(20_000);
  it('publishes the active key, rotates keeping or dropping the previous one', () => {
    const ring = new KeyRing();
    const first = ring.active.kid;
    expect(ring.jwks().keys.map(({ kid }) => kid)).to.deep.equal([first]);
    const second = ring.rotate();
    expect(ring.active.kid).to.equal(second.kid);
    expect(ring.jwks().keys.map(({ kid }) => kid)).to.deep.equal([first, second.kid]);
    const third = ring.rotate({ keepPrevious: false });
    expect(ring.jwks().keys.map(({ kid }) => kid)).to.deep.equal([first, third.kid]);
    const hidden = ring.add({ publish: false });
    expect(ring.jwks().keys.map(({ kid }) => kid)).not.to.include(hidden.kid);
    expect(() => ring.setPublished(third.kid, false)).to.throw(/active/);
    expect(() => ring.remove(third.kid)).to.throw(/active/);
    ring.remove(first);
    expect(ring.all().map(({ kid }) => kid)).to.deep.equal([second.kid, third.kid, hidden.kid]);
  });

  it('exports RS256 signing JWKs that round-trip to public keys', () => {
    const key = generateSigningKey({ kid: 'k1' });
    const jwk = toPublicJwk(key);
    expect(jwk).to.include({ kty: 'RSA', kid: 'k1', alg: 'RS256', use: 'sig', e: 'AQAB' });
    const token = signRs256({ alg: 'RS256' }, { a: 1 }, key.privateKey);
    expect(verifyRs256Signature(token, publicKeyFromJwk({ ...jwk }))).to.equal(true);
    expect(() => publicKeyFromJwk({ kty: 'EC' })).to.throw(/RSA/);
  });
});
