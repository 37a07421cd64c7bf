import { expect } from 'chai';
import {
  activityFromCustom,
  activityResourceId,
  activityToCustom,
  scoreMaximumFor,
  type Activity,
} from '../../../src/lti/domain/activity.js';
import { LTI_CLAIM } from '../../../src/lti/domain/id-token-checks.js';
import { customParameter, launchFromClaims } from '../../../src/lti/domain/launch.js';

describe('Unit | LTI | activities in custom parameters', () => {
  const activities: Activity[] = [
    { kind: 'positioning', scope: { type: 'all' } },
    { kind: 'positioning', scope: { type: 'area', code: '4' } },
    { kind: 'positioning', scope: { type: 'competence', code: '4.1' } },
    { kind: 'practice', targetProfileId: 'first-year-basics' },
    { kind: 'mock-certification' },
  ];
  for (const activity of activities) {
    it(`round-trips ${activityResourceId(activity)}`, () => {
      const custom = activityToCustom(activity);
      expect(activityFromCustom((name) => custom[name])).to.deep.equal(activity);
    });
  }

  it('refuses malformed parameters rather than guessing', () => {
    const parse = (custom: Record<string, string>) => activityFromCustom((name) => custom[name]);
    expect(parse({})).to.equal(undefined);
    expect(parse({ activity: 'positioning', scope: 'area:12' })).to.equal(undefined);
    expect(parse({ activity: 'positioning', scope: 'competence:4' })).to.equal(undefined);
    expect(parse({ activity: 'practice', target_profile: '../etc/passwd' })).to.equal(undefined);
    expect(parse({ activity: 'quiz' })).to.equal(undefined);
  });

  it('grades a positioning out of the pix in scope, and a practice unit out of 100', () => {
    expect(scoreMaximumFor({ kind: 'positioning', scope: { type: 'all' } }, 16, 6)).to.equal(768);
    expect(scoreMaximumFor({ kind: 'positioning', scope: { type: 'all' } }, 16, 8)).to.equal(1024);
    expect(scoreMaximumFor({ kind: 'positioning', scope: { type: 'area', code: '4' } }, 3, 6)).to.equal(144);
    expect(scoreMaximumFor({ kind: 'practice', targetProfileId: 'x' }, 16, 6)).to.equal(100);
  });
});

describe('Unit | LTI | launchFromClaims', () => {
  const claims = {
    iss: 'https://moodle.example.org',
    sub: 'u-42',
    given_name: 'Ada',
    family_name: 'Lovelace',
    email: 'ada@example.org',
    [`${LTI_CLAIM}deployment_id`]: '7',
    [`${LTI_CLAIM}message_type`]: 'LtiResourceLinkRequest',
    [`${LTI_CLAIM}roles`]: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
    [`${LTI_CLAIM}context`]: { id: 'course-1', title: 'Info 101' },
    [`${LTI_CLAIM}resource_link`]: { id: 'rl-9', title: 'Positionnement' },
    [`${LTI_CLAIM}launch_presentation`]: { locale: 'en-GB', return_url: 'https://moodle.example.org/back' },
    [`${LTI_CLAIM}custom`]: { activity: 'positioning', 'scope.v2': 'all', attempts: 3 },
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
      scope: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
      lineitems: 'https://moodle.example.org/lineitems',
    },
  };

  it('keeps identity, role, locale, context, services and custom parameters', () => {
    const launch = launchFromClaims(claims, 'client-1');
    expect(launch).to.deep.include({
      issuer: 'https://moodle.example.org',
      clientId: 'client-1',
      deploymentId: '7',
      userId: 'u-42',
      learnerKey: 'https://moodle.example.org#u-42',
      role: 'learner',
      locale: 'en',
      name: 'Ada Lovelace',
      email: 'ada@example.org',
      messageType: 'LtiResourceLinkRequest',
      returnUrl: 'https://moodle.example.org/back',
    });
    expect(launch.context).to.deep.equal({ id: 'course-1', title: 'Info 101' });
    expect(launch.resourceLink).to.deep.equal({ id: 'rl-9', title: 'Positionnement' });
    expect(launch.ags).to.deep.equal({
      lineItems: 'https://moodle.example.org/lineitems',
      scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
    });
    expect(launch.nrps).to.equal(undefined);
    expect(customParameter(launch, 'scope.v2')).to.equal('all');
    expect(customParameter(launch, 'attempts')).to.equal('3');
  });

  it('gives the same learner key across courses and the least privilege without personal data or context', () => {
    const minimal = {
      iss: 'https://moodle.example.org',
      sub: 'u-42',
      [`${LTI_CLAIM}deployment_id`]: '7',
      [`${LTI_CLAIM}message_type`]: 'LtiResourceLinkRequest',
      [`${LTI_CLAIM}roles`]: [],
      [`${LTI_CLAIM}resource_link`]: { id: 'other-link' },
    };
    const launch = launchFromClaims(minimal, 'client-1');
    expect(launch.learnerKey).to.equal(launchFromClaims(claims, 'client-1').learnerKey);
    expect(launch).to.include({ role: 'learner', locale: 'fr' });
    expect(launch.name).to.equal(undefined);
    expect(launch.email).to.equal(undefined);
    expect(launch.context).to.equal(undefined);
    expect(launch.givenName).to.equal(undefined);
    expect(launch.familyName).to.equal(undefined);
    expect(launch.externalId).to.equal(undefined);
  });

  it('keeps the given and family names apart, for sorting and exports', () => {
    const launch = launchFromClaims(claims, 'client-1');
    expect(launch).to.deep.include({ givenName: 'Ada', familyName: 'Lovelace' });
  });

  it("takes the external id from the LIS claim's person_sourcedid, else from the external_id custom parameter", () => {
    const withLis = launchFromClaims(
      {
        ...claims,
        [`${LTI_CLAIM}lis`]: { person_sourcedid: 'STU-2024-0042', course_section_sourcedid: 'INFO101' },
        [`${LTI_CLAIM}custom`]: { activity: 'positioning', external_id: 'ignored-when-lis-has-one' },
      },
      'client-1',
    );
    expect(withLis.externalId).to.equal('STU-2024-0042');

    const withCustom = (value: unknown) =>
      launchFromClaims(
        { ...claims, [`${LTI_CLAIM}custom`]: { activity: 'positioning', external_id: value } },
        'client-1',
      ).externalId;
    expect(withCustom('21904567')).to.equal('21904567');
    expect(withCustom(21904567)).to.equal('21904567');
    // An LMS that could not expand a substitution variable sends it as it is: that is no id.
    expect(withCustom('$Person.sourcedId')).to.equal(undefined);
    expect(withCustom('')).to.equal(undefined);
    expect(
      launchFromClaims({ ...claims, [`${LTI_CLAIM}lis`]: 'not-an-object' }, 'client-1').externalId,
    ).to.equal(undefined);
  });
});
