import { expect } from 'chai';
import {
  assertAudience,
  assertLtiClaims,
  assertTimes,
  assertTokenSize,
  CLOCK_SKEW_SECONDS,
  LTI_CLAIM,
  MAX_ID_TOKEN_BYTES,
  sameLaunchUrl,
  TOKEN_MAX_AGE_SECONDS,
} from '../../../src/lti/domain/id-token-checks.js';
import { LaunchRefusal } from '../../../src/lti/domain/launch-failures.js';

function reasonOf(check: () => unknown): string | undefined {
  try {
    check();
  } catch (error) {
    if (error instanceof LaunchRefusal) return error.reason;
    throw error;
  }
  return undefined;
}

const validClaims = () => ({
  iss: 'https://lms.example.org',
  aud: 'client-1',
  sub: 'user-1',
  nonce: 'n-1',
  iat: 1000,
  exp: 1060,
  [`${LTI_CLAIM}version`]: '1.3.0',
  [`${LTI_CLAIM}message_type`]: 'LtiResourceLinkRequest',
  [`${LTI_CLAIM}roles`]: [],
  [`${LTI_CLAIM}deployment_id`]: 'dep-1',
  [`${LTI_CLAIM}resource_link`]: { id: 'rl-1' },
  [`${LTI_CLAIM}target_link_uri`]: 'https://tool.example.org/lti/launch',
});

describe('Unit | LTI | id_token checks', () => {
  it('accepts a token of exactly 64 kB and refuses one byte more', () => {
    expect(reasonOf(() => assertTokenSize('a'.repeat(MAX_ID_TOKEN_BYTES)))).to.equal(undefined);
    expect(reasonOf(() => assertTokenSize('a'.repeat(MAX_ID_TOKEN_BYTES + 1)))).to.equal('TOKEN_TOO_LARGE');
    expect(reasonOf(() => assertTokenSize('é'.repeat(MAX_ID_TOKEN_BYTES / 2 + 1)))).to.equal(
      'TOKEN_TOO_LARGE',
    );
  });

  describe('audience', () => {
    it('accepts our client id alone, as a string or a one-entry list, with or without a matching azp', () => {
      expect(reasonOf(() => assertAudience({ aud: 'client-1' }, 'client-1'))).to.equal(undefined);
      expect(reasonOf(() => assertAudience({ aud: ['client-1'] }, 'client-1'))).to.equal(undefined);
      expect(reasonOf(() => assertAudience({ aud: ['client-1'], azp: 'client-1' }, 'client-1'))).to.equal(
        undefined,
      );
    });
    it('refuses another audience, an untrusted extra audience even with our azp, and a foreign azp', () => {
      const check = (claims: Record<string, unknown>) => reasonOf(() => assertAudience(claims, 'client-1'));
      expect(check({ aud: 'other' })).to.equal('BAD_AUDIENCE');
      expect(check({ aud: ['client-1', 'other'] })).to.equal('BAD_AUDIENCE');
      expect(check({ aud: ['client-1', 'other'], azp: 'client-1' })).to.equal('BAD_AUDIENCE');
      expect(check({ aud: ['client-1', 'client-1'] })).to.equal('BAD_AZP');
      expect(check({ aud: 'client-1', azp: 'other' })).to.equal('BAD_AZP');
    });
  });

  describe('times', () => {
    const claims = { iat: 1000, exp: 1060 };
    it('accepts a fresh token, and tolerates the clock skew', () => {
      expect(reasonOf(() => assertTimes(claims, 1001))).to.equal(undefined);
      expect(reasonOf(() => assertTimes(claims, 1000 - CLOCK_SKEW_SECONDS))).to.equal(undefined);
      expect(reasonOf(() => assertTimes(claims, 1060 + CLOCK_SKEW_SECONDS))).to.equal(undefined);
    });
    it('refuses an expired token, an iat in the future beyond the skew, and a token too old', () => {
      expect(reasonOf(() => assertTimes(claims, 1061 + CLOCK_SKEW_SECONDS))).to.equal('EXPIRED');
      expect(reasonOf(() => assertTimes(claims, 1000 - CLOCK_SKEW_SECONDS - 1))).to.equal('ISSUED_IN_FUTURE');
      const longLived = { iat: 1000, exp: 99_999 };
      expect(
        reasonOf(() => assertTimes(longLived, 1000 + TOKEN_MAX_AGE_SECONDS + CLOCK_SKEW_SECONDS + 1)),
      ).to.equal('TOO_OLD');
    });
    it('requires exp and iat', () => {
      expect(reasonOf(() => assertTimes({ iat: 1000 }, 1000))).to.equal('MISSING_CLAIM');
      expect(reasonOf(() => assertTimes({ exp: 1060 }, 1000))).to.equal('MISSING_CLAIM');
    });
  });

  describe('LTI claims', () => {
    it('accepts a complete resource link launch and a deep-linking request', () => {
      expect(assertLtiClaims(validClaims())).to.equal('LtiResourceLinkRequest');
      const deepLinking = {
        ...validClaims(),
        [`${LTI_CLAIM}message_type`]: 'LtiDeepLinkingRequest',
        [`${LTI_CLAIM}resource_link`]: undefined,
        'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings': {
          deep_link_return_url: 'https://x/y',
        },
      };
      expect(assertLtiClaims(deepLinking)).to.equal('LtiDeepLinkingRequest');
    });

    const mutations: Array<[string, (claims: Record<string, unknown>) => void, string]> = [
      ['no version', (c) => delete c[`${LTI_CLAIM}version`], 'MISSING_CLAIM'],
      ['version 1.1', (c) => (c[`${LTI_CLAIM}version`] = '1.1'), 'BAD_VERSION'],
      ['no message type', (c) => delete c[`${LTI_CLAIM}message_type`], 'MISSING_CLAIM'],
      [
        'an unknown message type',
        (c) => (c[`${LTI_CLAIM}message_type`] = 'LtiSubmissionReviewRequest'),
        'BAD_MESSAGE_TYPE',
      ],
      ['no nonce', (c) => delete c.nonce, 'MISSING_CLAIM'],
      ['no sub', (c) => delete c.sub, 'MISSING_CLAIM'],
      ['an empty sub', (c) => (c.sub = ''), 'MISSING_CLAIM'],
      ['no roles', (c) => delete c[`${LTI_CLAIM}roles`], 'MISSING_CLAIM'],
      ['no deployment id', (c) => delete c[`${LTI_CLAIM}deployment_id`], 'MISSING_CLAIM'],
      ['no resource link', (c) => delete c[`${LTI_CLAIM}resource_link`], 'MISSING_CLAIM'],
      [
        'a resource link without id',
        (c) => (c[`${LTI_CLAIM}resource_link`] = { title: 'x' }),
        'MISSING_CLAIM',
      ],
      ['no target link uri', (c) => delete c[`${LTI_CLAIM}target_link_uri`], 'MISSING_CLAIM'],
    ];
    for (const [label, mutate, reason] of mutations) {
      it(`refuses a launch with ${label}`, () => {
        const claims: Record<string, unknown> = validClaims();
        mutate(claims);
        expect(reasonOf(() => assertLtiClaims(claims))).to.equal(reason);
      });
    }
  });

  it('compares launch URLs without query, trailing slash or host case', () => {
    expect(
      sameLaunchUrl('https://Tool.example.org/lti/launch/', 'https://tool.example.org/lti/launch'),
    ).to.equal(true);
    expect(
      sameLaunchUrl('https://tool.example.org/lti/launch?x=1', 'https://tool.example.org/lti/launch'),
    ).to.equal(true);
    expect(sameLaunchUrl('https://tool.example.org/other', 'https://tool.example.org/lti/launch')).to.equal(
      false,
    );
    expect(
      sameLaunchUrl('http://tool.example.org/lti/launch', 'https://tool.example.org/lti/launch'),
    ).to.equal(false);
    expect(sameLaunchUrl('not a url', 'https://tool.example.org/lti/launch')).to.equal(false);
  });
});
