import { expect } from 'chai';
import { CLAIM, SCOPE } from '../../support/lti-platform/constants.js';
import {
  Gradebook,
  isIsoTimestamp,
  validateLineItem,
  validateScore,
} from '../../support/lti-platform/gradebook.js';
import {
  checkClientAssertion,
  checkDeepLinkingResponse,
  grantScopes,
  parseScopes,
  type DeepLinkingExpectations,
} from '../../support/lti-platform/tool-messages.js';

describe('Unit | LTI platform emulator | gradebook', () => {
  const score = {
    userId: 'u1',
    timestamp: '2026-03-01T10:00:00.000Z',
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
  };

  function gradebook() {
    const book = new Gradebook({ lineItemUrl: (course, id) => `https://lms.test/${course}/lineitems/${id}` });
    book.addCourse({ id: 'c1', title: 'Course' });
    book.enrol('c1', { userId: 'u1', roles: ['Learner'] });
    return book;
  }

  it('validates line items', () => {
    expect(validateLineItem({ label: 'Quiz', scoreMaximum: 10, tag: 't' })).to.deep.equal({
      ok: true,
      value: { label: 'Quiz', scoreMaximum: 10, tag: 't' },
    });
    const invalid = validateLineItem({ label: ' ', scoreMaximum: -1, tag: 3, startDateTime: 'yesterday' });
    expect(invalid.ok).to.equal(false);
    expect(!invalid.ok && invalid.errors).to.deep.equal([
      'label is required (a non-empty string)',
      'scoreMaximum is required (a number > 0)',
      'tag must be a string',
      'startDateTime must be an ISO 8601 date-time',
    ]);
    expect(validateLineItem([]).ok).to.equal(false);
  });

  it('validates scores the way the spec and Moodle do', () => {
    expect(validateScore({ ...score, scoreGiven: 8, scoreMaximum: 10 }).ok).to.equal(true);
    expect(validateScore(score).ok).to.equal(true);
    const errorsOf = (body: unknown, options = {}) => {
      const result = validateScore(body, options);
      return result.ok ? [] : result.errors;
    };
    expect(errorsOf({ ...score, scoreGiven: 11, scoreMaximum: 10 })).to.deep.equal([
      'scoreGiven (11) is greater than scoreMaximum (10)',
    ]);
    expect(
      errorsOf({ ...score, scoreGiven: 11, scoreMaximum: 10 }, { allowExtraCredit: true }),
    ).to.deep.equal([]);
    expect(errorsOf({ ...score, scoreGiven: 5 })).to.deep.equal([
      'scoreMaximum is required when scoreGiven is present',
    ]);
    expect(
      errorsOf({
        ...score,
        userId: '',
        timestamp: '2026-03-01',
        activityProgress: 'Done',
        gradingProgress: 'x',
      }),
    ).to.have.length(4);
    expect(isIsoTimestamp('2026-03-01T10:00:00+02:00')).to.equal(true);
    expect(isIsoTimestamp('2026-13-45T10:00:00Z')).to.equal(false);
  });

  it('keeps the ordered history and the latest score per user, refusing older scores and strangers', () => {
    const book = gradebook();
    const lineItem = book.createLineItem('c1', { label: 'Quiz', scoreMaximum: 10 });
    expect(lineItem.id).to.equal('https://lms.test/c1/lineitems/1');
    const at = (minute: number) => `2026-03-01T10:0${minute}:00.000Z`;
    const record = (fields: Record<string, unknown>) => {
      const validation = validateScore({ ...score, ...fields });
      if (!validation.ok) throw new Error(validation.errors.join());
      return book.recordScore(lineItem, validation.value, fields, new Date(), { requireMember: true });
    };
    expect(record({ scoreGiven: 3, scoreMaximum: 10, timestamp: at(1) }).ok).to.equal(true);
    expect(record({ scoreGiven: 7, scoreMaximum: 10, timestamp: at(2) }).ok).to.equal(true);
    expect(record({ scoreGiven: 1, scoreMaximum: 10, timestamp: at(0) })).to.deep.include({
      ok: false,
      status: 409,
    });
    expect(record({ userId: 'u9', timestamp: at(3) })).to.deep.include({ ok: false, status: 400 });
    expect(book.scoreHistory(lineItem.id).map(({ scoreGiven }) => scoreGiven)).to.deep.equal([3, 7]);
    const [entry] = book.view('c1');
    expect(entry?.latest.u1?.scoreGiven).to.equal(7);
    expect(entry?.history).to.have.length(2);
  });

  it('filters, updates and deletes line items, and binds them to resource links', () => {
    const book = gradebook();
    const link = book.addResourceLink({ courseId: 'c1', title: 'A' });
    book.addResourceLink({ id: 'rl-2', courseId: 'c1' });
    expect(book.addResourceLink({ courseId: 'c1' }).id).to.equal('rl-3');
    const bound = book.createLineItem('c1', {
      label: 'Bound',
      scoreMaximum: 1,
      resourceLinkId: link.id,
      tag: 'x',
    });
    book.createLineItem('c1', { label: 'Free', scoreMaximum: 1, resourceId: 'r' });
    expect(book.resourceLink(link.id)?.lineItemId).to.equal(bound.localId);
    expect(book.lineItems('c1', { tag: 'x' }).map(({ label }) => label)).to.deep.equal(['Bound']);
    expect(book.lineItems('c1', { resourceId: 'r' }).map(({ label }) => label)).to.deep.equal(['Free']);
    expect(book.updateLineItem('c1', bound.localId, { label: 'Renamed', scoreMaximum: 5 })).to.include({
      id: bound.id,
      label: 'Renamed',
    });
    expect(book.lineItemById(bound.id)?.label).to.equal('Renamed');
    expect(book.deleteLineItem('c1', bound.localId)).to.equal(true);
    expect(book.resourceLink(link.id)?.lineItemId).to.equal(undefined);
    expect(book.lineItem('c1', bound.localId)).to.equal(undefined);
    expect(() => book.addResourceLink({ id: 'rl-2', courseId: 'c1' })).to.throw(/already exists/);
  });
});

describe('Unit | LTI platform emulator | messages from the tool', () => {
  const now = 1_800_000_000;

  it('checks client assertions (RFC 7523)', () => {
    const valid = { iss: 'c', sub: 'c', aud: 'https://lms.test/token', iat: now, exp: now + 60, jti: 'j1' };
    const expectations = {
      clientId: 'c',
      audiences: ['https://lms.test/token'],
      nowSeconds: now,
      jtiSeen: () => false,
    };
    expect(checkClientAssertion(valid, expectations)).to.deep.equal([]);
    expect(
      checkClientAssertion({ ...valid, aud: ['x', 'https://lms.test/token'] }, expectations),
    ).to.deep.equal([]);
    expect(
      checkClientAssertion(
        { ...valid, iss: 'd', exp: now - 10, iat: now + 60, jti: undefined },
        expectations,
      ),
    ).to.deep.equal([
      'iss must be the client id c',
      'the client assertion has expired',
      'iat is in the future',
      'jti is required',
    ]);
    expect(checkClientAssertion(valid, { ...expectations, jtiSeen: () => true })).to.deep.equal([
      'jti j1 was already used',
    ]);
  });

  it('grants scopes by policy', () => {
    expect(parseScopes(` ${SCOPE.score}  ${SCOPE.lineItem} `)).to.deep.equal([SCOPE.score, SCOPE.lineItem]);
    const allowed = [SCOPE.score];
    expect(grantScopes([SCOPE.score], allowed, 'reject')).to.deep.equal({ granted: [SCOPE.score] });
    expect(grantScopes([SCOPE.score, SCOPE.lineItem], allowed, 'reject')).to.have.property('error');
    expect(grantScopes([SCOPE.score, SCOPE.lineItem], allowed, 'narrow')).to.deep.equal({
      granted: [SCOPE.score],
    });
    expect(grantScopes([SCOPE.lineItem], allowed, 'narrow')).to.have.property('error');
    expect(grantScopes([], allowed, 'narrow')).to.deep.equal({ error: 'scope is required' });
  });

  it('checks deep linking responses and their content items', () => {
    const expectations: DeepLinkingExpectations = {
      clientId: 'c',
      platformIssuer: 'https://lms.test',
      deploymentId: 'd1',
      data: 'opaque',
      acceptTypes: ['ltiResourceLink'],
      acceptMultiple: true,
      acceptLineItem: true,
      nowSeconds: now,
    };
    const item = {
      type: 'ltiResourceLink',
      url: 'https://tool.test/launch',
      custom: { a: '1' },
      lineItem: { scoreMaximum: 10 },
    };
    const valid = {
      iss: 'c',
      aud: 'https://lms.test',
      iat: now,
      exp: now + 60,
      nonce: 'n',
      [CLAIM.messageType]: 'LtiDeepLinkingResponse',
      [CLAIM.version]: '1.3.0',
      [CLAIM.deploymentId]: 'd1',
      [CLAIM.dlData]: 'opaque',
      [CLAIM.dlContentItems]: [item],
    };
    expect(checkDeepLinkingResponse(valid, expectations)).to.deep.equal({ errors: [], contentItems: [item] });
    expect(
      checkDeepLinkingResponse({ ...valid, [CLAIM.dlContentItems]: undefined }, expectations),
    ).to.deep.equal({
      errors: [],
      contentItems: [],
    });
    const bad = checkDeepLinkingResponse(
      {
        ...valid,
        [CLAIM.dlData]: 'other',
        [CLAIM.dlContentItems]: [
          { type: 'html' },
          { type: 'ltiResourceLink', url: 'relative', custom: { n: 1 }, lineItem: { label: 2 } },
        ],
      },
      { ...expectations, acceptMultiple: false, acceptLineItem: false },
    );
    expect(bad.errors).to.deep.equal([
      'data must echo the request\'s data (opaque), got "other"',
      '2 content items returned but accept_multiple is false',
      'content_items[0].type html is not in accept_types',
      'content_items[1].url must be an absolute URL',
      'content_items[1].custom.n must be a string',
      'content_items[1].lineItem is not accepted (accept_lineitem is false)',
      'content_items[1].lineItem.scoreMaximum is required (a number > 0)',
      'content_items[1].lineItem.label must be a string',
    ]);
  });
});
