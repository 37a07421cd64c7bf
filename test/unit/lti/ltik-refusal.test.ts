import { expect } from 'chai';
import { statusForLaunchFailure } from '../../../src/lti/domain/launch-failures.js';
import {
  isIdTokenPost,
  ltikCarriedBy,
  type RequestLike,
} from '../../../src/lti/infrastructure/ltik-refusal.js';

describe('Unit | LTI | requests carrying an ltik', () => {
  const request = (overrides: Partial<RequestLike> = {}): RequestLike => ({
    method: 'GET',
    query: {},
    body: {},
    headers: {},
    ...overrides,
  });

  it('finds an ltik in every form ltijs reads it from', () => {
    expect(ltikCarriedBy(request({ query: { ltik: 'x' } }))).to.equal('query');
    expect(ltikCarriedBy(request({ query: { ltik: '' } }))).to.equal('query');
    expect(ltikCarriedBy(request({ query: { ltik: ['x', 'y'] } }))).to.equal('query');
    expect(ltikCarriedBy(request({ method: 'POST', body: { ltik: 'x' } }))).to.equal('body');
    expect(ltikCarriedBy(request({ headers: { authorization: 'Bearer x' } }))).to.equal('bearer');
    expect(ltikCarriedBy(request({ headers: { authorization: 'bearer x' } }))).to.equal('bearer');
    expect(
      ltikCarriedBy(request({ headers: { authorization: 'LTIK-AUTH-V1 Token=x, Additional=Bearer y' } })),
    ).to.equal('ltik-auth-v1');
    expect(ltikCarriedBy(request({ token: 'x' }))).to.equal('extracted');
  });

  it('finds none in a login, a keyset fetch or an authentication response', () => {
    expect(ltikCarriedBy(request({ query: { iss: 'https://lms', login_hint: 'u' } }))).to.equal(undefined);
    expect(ltikCarriedBy(request({ headers: { authorization: 'Basic dTpw' } }))).to.equal(undefined);
    expect(ltikCarriedBy(request({ method: 'POST', body: { id_token: 'a.b.c', state: 's' } }))).to.equal(
      undefined,
    );
    expect(ltikCarriedBy(request({ method: 'POST', body: 'ltik=x' }))).to.equal(undefined);
    expect(ltikCarriedBy(request({ method: 'POST', body: Buffer.from('ltik') }))).to.equal(undefined);
  });

  it('lets only the id_token POST without an ltik reach the launch', () => {
    expect(isIdTokenPost(request({ method: 'POST', body: { id_token: 'a.b.c', state: 's' } }))).to.equal(
      true,
    );
    expect(isIdTokenPost(request({ method: 'GET', query: { ltik: 'x' } }))).to.equal(false);
    expect(isIdTokenPost(request({ method: 'POST', body: { ltik: 'x' } }))).to.equal(false);
    expect(isIdTokenPost(request({ method: 'POST', body: { id_token: 'a.b.c', ltik: 'x' } }))).to.equal(
      false,
    );
    expect(
      isIdTokenPost(
        request({ method: 'POST', body: { id_token: 'a.b.c' }, headers: { authorization: 'Bearer x' } }),
      ),
    ).to.equal(false);
    expect(isIdTokenPost(request({ method: 'GET', body: { id_token: 'a.b.c' } }))).to.equal(false);
  });

  it('answers an ltik with 401, as an unauthenticated launch', () => {
    expect(statusForLaunchFailure('LTIK_NOT_ACCEPTED')).to.equal(401);
  });
});
