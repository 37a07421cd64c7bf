import { expect } from 'chai';
import { isTestUser, launchRoleOf } from '../../../src/lti/domain/roles.js';

const MEMBERSHIP = 'http://purl.imsglobal.org/vocab/lis/v2/membership#';

describe('Unit | LTI | roles', () => {
  const cases: Array<[string, unknown, 'learner' | 'instructor']> = [
    ['a learner', [`${MEMBERSHIP}Learner`], 'learner'],
    ['an instructor', [`${MEMBERSHIP}Instructor`], 'instructor'],
    [
      'a teaching assistant',
      ['http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant'],
      'instructor',
    ],
    ['a course administrator', [`${MEMBERSHIP}Administrator`], 'instructor'],
    [
      'a system administrator',
      ['http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator'],
      'instructor',
    ],
    [
      'an institution administrator',
      ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator'],
      'instructor',
    ],
    ['a short Instructor role', ['Instructor'], 'instructor'],
    ['several roles including Instructor', [`${MEMBERSHIP}Learner`, `${MEMBERSHIP}Instructor`], 'instructor'],
    [
      'an institution faculty member only (no course role)',
      ['http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty'],
      'learner',
    ],
    ['a mentor', [`${MEMBERSHIP}Mentor`], 'learner'],
    ['unknown roles', ['urn:example:role:Wizard', 'Superuser'], 'learner'],
    ['empty roles', [], 'learner'],
    ['a missing claim', undefined, 'learner'],
    ['a non-list claim', 'Instructor', 'learner'],
    ['non-string entries', [42, null, { role: 'Instructor' }], 'learner'],
    ['a look-alike URI', ['http://evil.example/vocab/lis/v2/membership#Instructor'], 'learner'],
  ];
  for (const [label, roles, expected] of cases) {
    it(`treats ${label} as ${expected}`, () => {
      expect(launchRoleOf(roles)).to.equal(expected);
    });
  }

  it("recognises Canvas's test user", () => {
    expect(
      isTestUser(['http://purl.imsglobal.org/vocab/lti/system/person#TestUser', `${MEMBERSHIP}Learner`]),
    ).to.equal(true);
    expect(isTestUser([`${MEMBERSHIP}Learner`])).to.equal(false);
  });
});
