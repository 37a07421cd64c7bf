import { expect } from 'chai';
import {
  applyClaimOverrides,
  buildIdTokenPayload,
  claimOf,
  type IdTokenInput,
} from '../../support/lti-platform/claims.js';
import { CLAIM, MESSAGE_TYPE, ROLE, SCOPE, claimName } from '../../support/lti-platform/constants.js';

describe('Unit | LTI platform emulator | id_token claims', () => {
  const base: IdTokenInput = {
    issuer: 'https://lms.example.org',
    clientId: 'client-1',
    deploymentId: 'dep-1',
    nonce: 'nonce-1',
    issuedAt: 1_800_000_000,
    lifetime: 300,
    messageType: MESSAGE_TYPE.resourceLink,
    targetLinkUri: 'https://tool.example.org/launch',
    user: {
      id: 'u1',
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      email: 'ada@example.org',
    },
    roles: [ROLE.learner],
    context: { id: 'c1', label: 'DIG', title: 'Digital skills' },
    resourceLink: { id: 'rl-1', title: 'Quiz' },
    launchPresentation: {
      locale: 'fr-FR',
      document_target: 'iframe',
      return_url: 'https://lms.example.org/back',
    },
    custom: { mode: 'exam' },
    ags: {
      scope: [SCOPE.score],
      lineitems: 'https://lms.example.org/li',
      lineitem: 'https://lms.example.org/li/1',
    },
    nrps: { context_memberships_url: 'https://lms.example.org/m', service_versions: ['2.0'] },
    toolPlatform: { guid: 'g', name: 'LMS' },
  };

  it('builds a resource link launch with the core, PII and service claims', () => {
    const payload = buildIdTokenPayload(base);
    expect(payload).to.include({
      iss: 'https://lms.example.org',
      aud: 'client-1',
      sub: 'u1',
      iat: 1_800_000_000,
      exp: 1_800_000_300,
      nonce: 'nonce-1',
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      [CLAIM.messageType]: 'LtiResourceLinkRequest',
      [CLAIM.version]: '1.3.0',
      [CLAIM.deploymentId]: 'dep-1',
      [CLAIM.targetLinkUri]: 'https://tool.example.org/launch',
    });
    expect(payload[CLAIM.roles]).to.deep.equal([ROLE.learner]);
    expect(payload[CLAIM.resourceLink]).to.deep.equal({ id: 'rl-1', title: 'Quiz' });
    expect(payload[CLAIM.context]).to.deep.equal({ id: 'c1', label: 'DIG', title: 'Digital skills' });
    expect(payload[CLAIM.custom]).to.deep.equal({ mode: 'exam' });
    expect(payload[CLAIM.ags]).to.deep.equal(base.ags);
    expect(payload[CLAIM.nrps]).to.deep.equal(base.nrps);
    expect(payload).not.to.have.property(CLAIM.deepLinkingSettings);
  });

  it('omits absent PII, context and services, and keeps an empty roles list', () => {
    const payload = buildIdTokenPayload({
      ...base,
      user: { id: 'anon' },
      roles: [],
      context: undefined,
      ags: undefined,
      nrps: undefined,
      custom: undefined,
    });
    for (const absent of [
      'name',
      'given_name',
      'family_name',
      'email',
      CLAIM.context,
      CLAIM.ags,
      CLAIM.nrps,
      CLAIM.custom,
    ]) {
      expect(payload, absent).not.to.have.property(absent);
    }
    expect(payload[CLAIM.roles]).to.deep.equal([]);
  });

  it('builds a deep linking request with its settings and without resource link', () => {
    const settings = {
      deep_link_return_url: 'https://lms.example.org/dl/1',
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe'],
      data: 'opaque',
    };
    const payload = buildIdTokenPayload({
      ...base,
      messageType: MESSAGE_TYPE.deepLinkingRequest,
      deepLinkingSettings: settings,
    });
    expect(payload[CLAIM.messageType]).to.equal('LtiDeepLinkingRequest');
    expect(payload[CLAIM.deepLinkingSettings]).to.deep.equal(settings);
    expect(payload).not.to.have.property(CLAIM.resourceLink);
    expect(() => buildIdTokenPayload({ ...base, messageType: MESSAGE_TYPE.deepLinkingRequest })).to.throw(
      /deep_linking_settings/,
    );
  });

  it('applies overrides by short or full claim name, without touching the original', () => {
    const payload = buildIdTokenPayload(base);
    const changed = applyClaimOverrides(payload, {
      omit: ['roles', 'email', CLAIM.deploymentId],
      set: { version: '1.1.0', sub: 'u2', [CLAIM.custom]: { x: '1' } },
    });
    expect(changed).not.to.have.property(CLAIM.roles);
    expect(changed).not.to.have.property('email');
    expect(changed).not.to.have.property(CLAIM.deploymentId);
    expect(claimOf(changed, 'version')).to.equal('1.1.0');
    expect(changed.sub).to.equal('u2');
    expect(claimOf(changed, 'custom')).to.deep.equal({ x: '1' });
    expect(payload[CLAIM.roles]).to.deep.equal([ROLE.learner]);
  });

  it('adds audiences with azp = client id unless told otherwise', () => {
    const payload = buildIdTokenPayload(base);
    expect(applyClaimOverrides(payload, { extraAudiences: ['other'] })).to.deep.include({
      aud: ['client-1', 'other'],
      azp: 'client-1',
    });
    expect(applyClaimOverrides(payload, { extraAudiences: ['other'], azp: 'other' }).azp).to.equal('other');
    expect(applyClaimOverrides(payload, { extraAudiences: ['other'], azp: null })).not.to.have.property(
      'azp',
    );
  });

  it('maps short claim names to their URIs and leaves others alone', () => {
    expect(claimName('ags')).to.equal(CLAIM.ags);
    expect(claimName('deep_linking_settings')).to.equal(CLAIM.deepLinkingSettings);
    expect(claimName('sub')).to.equal('sub');
  });
});
