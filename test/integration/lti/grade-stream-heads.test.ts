import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { streamKeyOf, type Score, type ScoreTarget } from '../../../src/lti/domain/grade-outbox.js';
import {
  createMongoGradeOutbox,
  GRADE_COLLECTIONS,
  type GradeOutboxRepository,
} from '../../../src/lti/infrastructure/grade-outbox-repository.js';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { freshDatabaseUri } from '../../support/database.js';

const ISSUER = 'https://moodle.example.org';
const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function target(userId: string, resourceLinkId = 'link-1'): ScoreTarget {
  return {
    issuer: ISSUER,
    clientId: 'client-1',
    deploymentId: 'dep-1',
    userId,
    resourceLinkId,
    scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
    lineItem: { label: 'Positionnement', scoreMaximum: 96, resourceId: 'positioning:area:1', tag: 'pix-lti' },
  };
}

const score = (scoreGiven: number): Score => ({
  scoreGiven,
  scoreMaximum: 96,
  activityProgress: 'InProgress',
  gradingProgress: 'Pending',
  timestamp: T0,
});

/** The latest score of each user of a link, as the class dashboard reads it (one head per stream). */
describe('Integration | LTI | grade outbox stream heads', () => {
  let connection: Connection;
  let outbox: GradeOutboxRepository;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('grade-stream-heads'));
    outbox = createMongoGradeOutbox(connection);
    await outbox.ensureIndexes();
  });

  beforeEach(async () => {
    await connection.collection(GRADE_COLLECTIONS.outbox).deleteMany({});
    await connection.collection(GRADE_COLLECTIONS.streamHeads).deleteMany({});
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const statesOf = async (resourceLinkId = 'link-1') =>
    (await outbox.latestStatesForResourceLink(ISSUER, 'client-1', resourceLinkId)).sort((a, b) =>
      a.userId < b.userId ? -1 : 1,
    );

  it("gives each user's latest score of the link with its delivery state, and nothing of another link", async () => {
    const first = await outbox.enqueue(target('alice'), score(10), at(0));
    await outbox.recordOutcome(first.id, { status: 'delivered', deliveredAt: at(5) });
    const second = await outbox.enqueue(target('alice'), score(18), at(60));
    await outbox.recordOutcome(second.id, {
      status: 'pending',
      attempts: 1,
      nextAttemptAt: at(70),
      lastError: 'timeout',
    });
    const refused = await outbox.enqueue(target('bob'), score(4), at(30));
    await outbox.recordOutcome(refused.id, {
      status: 'dead',
      attempts: 14,
      lastError: 'HTTP 422: not enrolled',
    });
    await outbox.enqueue(target('carol', 'link-2'), score(7), at(40));

    expect(await statesOf()).to.deep.equal([
      {
        id: second.id,
        userId: 'alice',
        sequence: 2,
        status: 'pending',
        lastError: 'timeout',
        createdAt: at(60),
      },
      {
        id: refused.id,
        userId: 'bob',
        sequence: 1,
        status: 'dead',
        lastError: 'HTTP 422: not enrolled',
        createdAt: at(30),
      },
    ]);
    await outbox.recordOutcome(second.id, { status: 'delivered', deliveredAt: at(90) });
    expect((await statesOf())[0]).to.deep.include({
      id: second.id,
      status: 'delivered',
      deliveredAt: at(90),
    });
    expect((await statesOf('link-2')).map((state) => state.userId)).to.deep.equal(['carol']);
    expect(await outbox.latestStateForUser(ISSUER, 'client-1', 'link-1', 'bob')).to.deep.include({
      id: refused.id,
      status: 'dead',
    });
    expect(await outbox.latestStateForUser(ISSUER, 'client-1', 'link-2', 'bob')).to.equal(undefined);
  });

  it('shows a retried score as pending again', async () => {
    const refused = await outbox.enqueue(target('bob'), score(4), at(0));
    await outbox.recordOutcome(refused.id, { status: 'dead', attempts: 14, lastError: 'HTTP 500' });
    expect(await outbox.retry(refused.id, at(100))).to.equal(true);
    expect((await statesOf())[0]).to.deep.include({ id: refused.id, status: 'pending' });
  });

  it("never moves a head back to an older score's outcome", async () => {
    const first = await outbox.enqueue(target('alice'), score(10), at(0));
    const second = await outbox.enqueue(target('alice'), score(20), at(10));
    await outbox.recordOutcome(first.id, { status: 'dead', attempts: 14, lastError: 'HTTP 500' });
    expect(await statesOf()).to.deep.equal([
      { id: second.id, userId: 'alice', sequence: 2, status: 'pending', createdAt: at(10) },
    ]);
  });

  it('numbers the scores of a stream in sequence, concurrent ones and ones queued before heads existed', async () => {
    // Scores queued before heads existed: entries without a head.
    for (const sequence of [1, 2, 3]) {
      await connection.collection(GRADE_COLLECTIONS.outbox).insertOne({
        _id: `legacy-${sequence}` as never,
        streamKey: streamKeyOf(target('dana')),
        sequence,
        target: target('dana'),
        score: score(sequence),
        status: 'delivered',
        attempts: 1,
        nextAttemptAt: at(0),
        createdAt: at(sequence),
        deliveredAt: at(sequence),
      });
    }
    const next = await outbox.enqueue(target('dana'), score(4), at(10));
    expect(next.sequence).to.equal(4);

    const concurrent = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => outbox.enqueue(target('erin'), score(n), at(20 + n))),
    );
    expect(concurrent.map((entry) => entry.sequence).sort()).to.deep.equal([1, 2, 3, 4, 5]);
    const erin = (await statesOf()).find((state) => state.userId === 'erin');
    expect(erin?.sequence).to.equal(5);
  });
});
