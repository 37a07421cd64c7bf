import { expect } from 'chai';
import {
  always,
  createManualClock,
  failFor,
  failTimes,
  firstOf,
  never,
  sequence,
  when,
  type FailureRequest,
} from '../../support/lti-platform/failures.js';
import {
  linkHeader,
  pageRequestFromQuery,
  pageUrl,
  paginate,
  parseLinkHeader,
} from '../../support/lti-platform/paging.js';

describe('Unit | LTI platform emulator | paging', () => {
  const items = ['a', 'b', 'c', 'd', 'e'];

  it('pages a list, clamping the page number', () => {
    expect(paginate(items)).to.deep.include({ items, pageCount: 1, hasNext: false, limit: undefined });
    expect(paginate(items, { limit: 2 })).to.deep.include({
      items: ['a', 'b'],
      page: 1,
      pageCount: 3,
      hasNext: true,
    });
    expect(paginate(items, { limit: 2, page: 3 })).to.deep.include({
      items: ['e'],
      hasNext: false,
      hasPrevious: true,
    });
    expect(paginate(items, { limit: 2, page: 9 }).page).to.equal(3);
    expect(paginate([], { limit: 2 })).to.deep.include({ items: [], pageCount: 1, hasNext: false });
  });

  it('reads limit and page from a query, ignoring junk', () => {
    expect(pageRequestFromQuery({ limit: '10', page: '2' })).to.deep.equal({ limit: 10, page: 2 });
    expect(pageRequestFromQuery({ limit: '-1', page: 'x' })).to.deep.equal({
      limit: undefined,
      page: undefined,
    });
    expect(pageRequestFromQuery({ limit: ['1', '2'] })).to.deep.equal({ limit: undefined, page: undefined });
  });

  it('writes Link headers that keep the other query parameters, and parses them back', () => {
    const url = 'https://lms.example.org/memberships?role=Learner&limit=2';
    const header = linkHeader(url, paginate(items, { limit: 2, page: 2 }));
    const links = parseLinkHeader(header);
    expect(links.next).to.equal(pageUrl(url, 3, 2));
    expect(links.prev).to.equal(pageUrl(url, 1, 2));
    expect(links.first).to.equal(pageUrl(url, 1, 2));
    expect(links.last).to.equal(pageUrl(url, 3, 2));
    expect(new URL(links.next ?? '').searchParams.get('role')).to.equal('Learner');
    expect(linkHeader(url, paginate(items))).to.equal(undefined);
  });

  it('parses Link headers as servers write them', () => {
    expect(parseLinkHeader('<https://x/1>; rel="next", <https://x/0>;rel=prev')).to.deep.equal({
      next: 'https://x/1',
      prev: 'https://x/0',
    });
    expect(parseLinkHeader('<https://x/d>; rel="differences"')).to.deep.equal({ differences: 'https://x/d' });
    expect(parseLinkHeader(undefined)).to.deep.equal({});
  });
});

describe('Unit | LTI platform emulator | failure schedules', () => {
  const request = (count = 1, url = '/api/x'): FailureRequest => ({
    service: 'ags.scores',
    method: 'POST',
    url,
    count,
  });

  it('answers 503 for two minutes of simulated time, then recovers', () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const rule = failFor(120_000, { status: 503 });
    expect(rule(request(), clock.now())).to.deep.equal({ status: 503 });
    clock.advance(119_999);
    expect(rule(request(), clock.now())).to.deep.equal({ status: 503 });
    clock.advance(1);
    expect(rule(request(), clock.now())).to.equal('ok');
  });

  it('can start the window at a given time', () => {
    const clock = createManualClock('2026-01-01T00:00:00Z');
    const rule = failFor(60_000, 'hang', { startAt: new Date('2026-01-01T00:01:00Z') });
    expect(rule(request(), clock.now())).to.equal('ok');
    clock.advance(60_000);
    expect(rule(request(), clock.now())).to.equal('hang');
  });

  it('fails a number of times, in sequence, conditionally or always', () => {
    const now = new Date();
    const twice = failTimes(2, { status: 500 });
    expect([1, 2, 3].map(() => twice(request(), now))).to.deep.equal([
      { status: 500 },
      { status: 500 },
      'ok',
    ]);
    const steps = sequence('hang', { status: 401 });
    expect([1, 2, 3].map(() => steps(request(), now))).to.deep.equal(['hang', { status: 401 }, 'ok']);
    const onlyResults = when((r) => r.url.includes('/results'), always({ status: 404 }));
    expect(onlyResults(request(1, '/api/results'), now)).to.deep.equal({ status: 404 });
    expect(onlyResults(request(1, '/api/scores'), now)).to.equal('ok');
    expect(firstOf(never, always('hang'))(request(), now)).to.equal('hang');
    expect(firstOf(never)(request(), now)).to.equal('ok');
  });
});
