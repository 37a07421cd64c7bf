import { expect } from 'chai';
import {
  afterAttempt,
  DEFAULT_RETRY_POLICY,
  dueHeads,
  isRetryable,
  retryDelayMs,
  streamKeyOf,
} from '../../../src/lti/domain/grade-outbox.js';
import { createSeededRandom } from '../../../src/shared/domain/random.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

describe('Unit | LTI | grade outbox rules', () => {
  it('doubles the delay at each attempt, with jitter in [0.5, 1), up to the cap', () => {
    const random = createSeededRandom(1);
    for (let attempt = 1; attempt <= 20; attempt += 1) {
      const full = Math.min(
        DEFAULT_RETRY_POLICY.maxDelayMs,
        DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1),
      );
      const delay = retryDelayMs(attempt, random);
      expect(delay, `attempt ${attempt}`)
        .to.be.at.least(full / 2)
        .and.at.most(full);
    }
  });

  it('spreads the retries of many failures (jitter)', () => {
    const random = createSeededRandom(2);
    const delays = new Set(Array.from({ length: 50 }, () => retryDelayMs(3, random)));
    expect(delays.size).to.be.greaterThan(40);
  });

  it('retries server errors, timeouts, throttling, network errors and 401; not refusals of the score', () => {
    for (const status of [500, 502, 503, 504, 408, 429, 401])
      expect(isRetryable({ kind: 'http', status }), `${status}`).to.equal(true);
    for (const status of [400, 403, 404, 409, 422])
      expect(isRetryable({ kind: 'http', status }), `${status}`).to.equal(false);
    expect(isRetryable({ kind: 'timeout' })).to.equal(true);
    expect(isRetryable({ kind: 'network', message: 'ECONNRESET' })).to.equal(true);
    expect(isRetryable({ kind: 'configuration', message: 'no score scope' })).to.equal(false);
  });

  it('records a delivery, schedules a retry, or gives up after the last attempt', () => {
    const random = createSeededRandom(3);
    expect(afterAttempt({ attempts: 0 }, undefined, NOW, random)).to.deep.equal({
      status: 'delivered',
      deliveredAt: NOW,
    });
    const retry = afterAttempt({ attempts: 2 }, { kind: 'http', status: 503 }, NOW, random);
    expect(retry).to.include({ status: 'pending', attempts: 3, lastError: 'HTTP 503' });
    if (retry.status === 'pending') {
      const wait = retry.nextAttemptAt.getTime() - NOW.getTime();
      expect(wait).to.be.within(10_000, 20_000);
    }
    const last = afterAttempt(
      { attempts: DEFAULT_RETRY_POLICY.maxAttempts - 1 },
      { kind: 'timeout' },
      NOW,
      random,
    );
    expect(last).to.deep.equal({
      status: 'dead',
      attempts: DEFAULT_RETRY_POLICY.maxAttempts,
      lastError: 'timed out',
    });
    expect(
      afterAttempt({ attempts: 0 }, { kind: 'http', status: 400, body: 'bad' }, NOW, random),
    ).to.deep.equal({
      status: 'dead',
      attempts: 1,
      lastError: 'HTTP 400: bad',
    });
  });

  it('lets only the lowest pending sequence of each stream go, once it is due', () => {
    const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);
    const a = streamKeyOf({
      issuer: 'i',
      clientId: 'c',
      deploymentId: 'd',
      resourceLinkId: 'r',
      userId: 'a',
    });
    const b = streamKeyOf({
      issuer: 'i',
      clientId: 'c',
      deploymentId: 'd',
      resourceLinkId: 'r',
      userId: 'b',
    });
    const pending = [
      { id: 'a2', streamKey: a, sequence: 2, nextAttemptAt: at(-60) },
      { id: 'a1', streamKey: a, sequence: 1, nextAttemptAt: at(30) },
      { id: 'b3', streamKey: b, sequence: 3, nextAttemptAt: at(-5) },
      { id: 'b4', streamKey: b, sequence: 4, nextAttemptAt: at(-50) },
    ];
    // a1 is the head of stream a but not due yet: a2 must wait behind it.
    expect(dueHeads(pending, NOW).map((entry) => entry.id)).to.deep.equal(['b3']);
    expect(dueHeads(pending, at(30)).map((entry) => entry.id)).to.deep.equal(['b3', 'a1']);
  });

  it('keys a stream by registration, deployment, resource link and user, without ambiguity', () => {
    const key = (deploymentId: string, resourceLinkId: string, userId: string) =>
      streamKeyOf({ issuer: 'i', clientId: 'c', deploymentId, resourceLinkId, userId });
    expect(key('d', 'r', 'u')).not.to.equal(key('d', 'ru', ''));
    // Resource-link ids are unique only within a deployment.
    expect(key('d1', 'r', 'u')).not.to.equal(key('d2', 'r', 'u'));
  });
});
