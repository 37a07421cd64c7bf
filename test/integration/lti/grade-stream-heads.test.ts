import { expect } from 'chai';
import type { Connection } from 'mongoose';
import {
  streamKeyOf,
  type ResourceLinkRef,
  type Score,
  type ScoreTarget,
} from '../../../src/lti/domain/grade-outbox.js';
import {
  createMongoGradeOutbox,
  GRADE_COLLECTIONS,
} from '../../../src/lti/infrastructure/grade-outbox-repository.js';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { freshDatabaseUri } from '../../support/database.js';

const ISSUER = 'https://moodle.example.org';
const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const linkOf = (resourceLinkId = 'link-1', deploymentId = 'dep-1'): ResourceLinkRef => ({
  issuer: ISSUER,
  clientId: 'client-1',
  deploymentId,
  resourceLinkId,
});

function target(userId: string, resourceLinkId = 'link-1', deploymentId = 'dep-1'): ScoreTarget {
  return {
    issuer: ISSUER,
    clientId: 'client-1',
    deploymentId,
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
  let outbox: ReturnType<typeof createMongoGradeOutbox>;

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

  const statesOf = async (resourceLinkId = 'link-1', deploymentId = 'dep-1') =>
    (await outbox.latestStatesForResourceLink(linkOf(resourceLinkId, deploymentId))).sort((a, b) =>
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
    expect(await outbox.latestStateForUser(linkOf('link-1'), 'bob')).to.deep.include({
      id: refused.id,
      status: 'dead',
    });
    expect(await outbox.latestStateForUser(linkOf('link-2'), 'bob')).to.equal(undefined);
  });

  it('keeps the scores of two deployments apart, though their resource links share an id', async () => {
    // LTI makes resource-link ids unique only within a deployment.
    const one = await outbox.enqueue(target('alice', 'link-1', 'dep-1'), score(10), at(0));
    await outbox.recordOutcome(one.id, { status: 'delivered', deliveredAt: at(5) });
    const other = await outbox.enqueue(target('alice', 'link-1', 'dep-2'), score(3), at(10));
    await outbox.recordOutcome(other.id, { status: 'dead', attempts: 1, lastError: 'HTTP 404' });

    // Each is the first score of its own stream, and each deployment sees only its own.
    expect([one.sequence, other.sequence]).to.deep.equal([1, 1]);
    expect(await statesOf('link-1', 'dep-1')).to.deep.equal([
      { id: one.id, userId: 'alice', sequence: 1, status: 'delivered', createdAt: at(0), deliveredAt: at(5) },
    ]);
    expect(await statesOf('link-1', 'dep-2')).to.deep.equal([
      {
        id: other.id,
        userId: 'alice',
        sequence: 1,
        status: 'dead',
        lastError: 'HTTP 404',
        createdAt: at(10),
      },
    ]);
    expect(await outbox.latestStateForUser(linkOf('link-1', 'dep-2'), 'alice')).to.deep.include({
      id: other.id,
    });
    expect((await outbox.listForUser(linkOf('link-1', 'dep-1'), 'alice')).map((e) => e.id)).to.deep.equal([
      one.id,
    ]);
    expect((await outbox.listForResourceLink(linkOf('link-1', 'dep-2'))).map((e) => e.id)).to.deep.equal([
      other.id,
    ]);
  });

  it('remembers the line item of each deployment’s resource link apart', async () => {
    await connection.collection(GRADE_COLLECTIONS.lineItems).deleteMany({});
    expect(await outbox.lineItems.save(linkOf('link-1', 'dep-1'), 'https://lms/items/1')).to.equal(
      'https://lms/items/1',
    );
    expect(await outbox.lineItems.find(linkOf('link-1', 'dep-2'))).to.equal(undefined);
    expect(await outbox.lineItems.save(linkOf('link-1', 'dep-2'), 'https://lms/items/2')).to.equal(
      'https://lms/items/2',
    );
    expect(await outbox.lineItems.find(linkOf('link-1', 'dep-1'))).to.equal('https://lms/items/1');
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

  it("moves a head written from an older entry on to the stream's latest, at that entry's next outcome", async () => {
    const first = await outbox.enqueue(target('alice'), score(10), at(0));
    const second = await outbox.enqueue(target('alice'), score(20), at(10));
    // As a racing writer of the first entry leaves it: read before the second was queued, written after.
    await connection.collection(GRADE_COLLECTIONS.streamHeads).updateOne(
      { _id: streamKeyOf(target('alice')) as never },
      {
        $set: {
          sequence: 1,
          d: JSON.stringify([first.id, 1, 'pending', null, at(0).getTime(), null, 'alice']),
        },
      },
    );
    await outbox.recordOutcome(first.id, { status: 'delivered', deliveredAt: at(20) });
    expect(await statesOf()).to.deep.equal([
      { id: second.id, userId: 'alice', sequence: 2, status: 'pending', createdAt: at(10) },
    ]);
  });

  it("shows the stream's latest entry when an outcome races the next enqueue", async () => {
    // The reviewer's race: recordOutcome(N) and enqueue(N + 1) at once, many times over.
    for (let run = 0; run < 15; run += 1) {
      const user = `racer-${run}`;
      const first = await outbox.enqueue(target(user), score(1), at(run));
      const [, second] = await Promise.all([
        outbox.recordOutcome(first.id, { status: 'delivered', deliveredAt: at(run + 1) }),
        outbox.enqueue(target(user), score(2), at(run + 1)),
      ]);
      expect(await outbox.latestStateForUser(linkOf(), user), `run ${run}`).to.deep.include({
        id: second.id,
        sequence: 2,
        status: 'pending',
      });
    }
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
