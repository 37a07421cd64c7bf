import { expect } from 'chai';
import { pino } from 'pino';
import { Schema, type Connection } from 'mongoose';
import { createFixedClock, type Clock } from '../../../src/shared/domain/clock.js';
import { connectDatabase, modelOn } from '../../../src/shared/infrastructure/database/database.js';
import type { ParticipantRepository } from '../../../src/teaching/application/ports.js';
import {
  participantId,
  type ActivityKey,
  type ClassParticipant,
} from '../../../src/teaching/domain/class-participant.js';
import {
  createMongoParticipantRepository,
  PARTICIPANT_COLLECTIONS,
} from '../../../src/teaching/infrastructure/participant-repository.js';
import {
  createLocks,
  LeaseExpiredError,
  LOCK_LEASE_MS,
  type Lease,
  type LockDocument,
} from '../../../src/teaching/infrastructure/participant-locks.js';
import { freshDatabaseUri } from '../../support/database.js';

const COURSE_A: ActivityKey = {
  issuer: 'https://moodle.example.org',
  clientId: 'client-1',
  deploymentId: 'deployment-1',
  contextId: 'course-A',
  resourceLinkId: 'link-1',
};
const T0 = new Date('2026-03-02T08:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function participant(overrides: Partial<ClassParticipant> = {}): ClassParticipant {
  const activity = { ...COURSE_A, ...overrides };
  const userId = overrides.userId ?? 'u-1';
  return {
    ...activity,
    userId,
    learnerKey: `${activity.issuer}#${userId}`,
    name: 'Camille Martin',
    givenName: 'Camille',
    familyName: 'Martin',
    email: 'camille@example.org',
    activityTitle: 'Positionnement',
    contextTitle: 'Culture numérique L1',
    firstLaunchAt: T0,
    lastLaunchAt: T0,
    status: 'not-started',
    answerCount: 0,
    pix: 0,
    maxPix: 96,
    competences: [
      { code: '1.1', pix: 0, level: 0, status: 'not-started' },
      { code: '1.2', pix: 0, level: 0, status: 'not-started' },
    ],
    tubes: [
      { tubeId: 'webBrowsing', validated: 0, targeted: 3 },
      { tubeId: 'searchOperators', validated: 0, targeted: 4 },
    ],
    maxLevel: 6,
    version: 0,
    updatedAt: T0,
    ...overrides,
  };
}

/** The same learner after some answers: `version` grows with them. */
function progressed(version: number, base: Partial<ClassParticipant> = {}): ClassParticipant {
  return participant({
    ...base,
    status: 'in-progress',
    answerCount: version,
    startedAt: at(1),
    pix: version,
    competences: [
      { code: '1.1', pix: version, level: Math.floor(version / 8), status: 'in-progress' },
      { code: '1.2', pix: 0, level: 0, status: 'not-started' },
    ],
    tubes: [
      { tubeId: 'webBrowsing', validated: Math.min(3, version), targeted: 3 },
      { tubeId: 'searchOperators', validated: 0, targeted: 4 },
    ],
    version,
    updatedAt: at(version),
  });
}

describe('Integration | Teaching | participant repository', () => {
  let connection: Connection;
  let repository: ParticipantRepository;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('teaching-participants'));
    repository = createMongoParticipantRepository(connection);
    await repository.ensureIndexes();
  });

  beforeEach(async () => {
    await connection.collection(PARTICIPANT_COLLECTIONS.participants).deleteMany({});
    await connection.collection(PARTICIPANT_COLLECTIONS.locks).deleteMany({});
    await connection.collection(PARTICIPANT_COLLECTIONS.learnerActivities).deleteMany({});
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('records a first launch as a not-started participant, and reads it back whole', async () => {
    const first = participant({ externalId: 'STU-42' });
    await repository.recordLaunch(first);
    expect(await repository.find(COURSE_A, 'u-1')).to.deep.equal(first);
    const [stored] = await connection.collection(PARTICIPANT_COLLECTIONS.participants).find({}).toArray();
    expect(stored?._id).to.equal(participantId(COURSE_A, 'u-1'));
  });

  it('saves a snapshot over an older one, and refuses a stale one, leaving the newer in place', async () => {
    await repository.recordLaunch(participant());
    expect(await repository.save(progressed(5))).to.equal(true);
    expect(await repository.save(progressed(9))).to.equal(true);
    expect(await repository.save(progressed(7))).to.equal(false);
    expect(await repository.find(COURSE_A, 'u-1')).to.deep.equal(progressed(9));
    // The same version again is harmless (the same data, recomputed).
    expect(await repository.save(progressed(9))).to.equal(true);
    expect(await connection.collection(PARTICIPANT_COLLECTIONS.participants).countDocuments()).to.equal(1);
  });

  it('creates the participant when a snapshot comes before any recorded launch', async () => {
    expect(await repository.save(progressed(3))).to.equal(true);
    expect(await repository.find(COURSE_A, 'u-1')).to.deep.equal(progressed(3));
  });

  it('drops the dates a newer snapshot no longer has (a reset competence)', async () => {
    await repository.save({ ...progressed(4), status: 'completed', completedAt: at(30) });
    const reset = participant({ version: 6, answerCount: 4, updatedAt: at(60) });
    expect(await repository.save(reset)).to.equal(true);
    const stored = await repository.find(COURSE_A, 'u-1');
    expect(stored).to.deep.equal(reset);
    expect(stored).not.to.have.property('startedAt');
    expect(stored).not.to.have.property('completedAt');
  });

  it('refreshes identity and the last launch on a second launch, never the snapshot or the first launch', async () => {
    await repository.recordLaunch(participant({ externalId: 'STU-42' }));
    await repository.save(progressed(6));
    await repository.recordLaunch(
      participant({
        name: 'Camille Martin-Durand',
        familyName: 'Martin-Durand',
        email: undefined,
        externalId: 'STU-42',
        activityTitle: 'Positionnement (S2)',
        contextTitle: undefined,
        firstLaunchAt: at(120),
        lastLaunchAt: at(120),
      }),
    );
    const stored = await repository.find(COURSE_A, 'u-1');
    const { email: _dropped, ...progressedWithoutEmail } = progressed(6);
    expect(stored).to.deep.equal({
      ...progressedWithoutEmail,
      name: 'Camille Martin-Durand',
      familyName: 'Martin-Durand',
      externalId: 'STU-42',
      activityTitle: 'Positionnement (S2)',
      // A title the LMS did not send this time is kept; an email it no longer shares is dropped.
      contextTitle: 'Culture numérique L1',
      firstLaunchAt: T0,
      lastLaunchAt: at(120),
    });
  });

  it('keeps the newest of many concurrent saves, whatever order they land in', async () => {
    await repository.recordLaunch(participant());
    const versions = [3, 11, 7, 15, 1, 9, 13, 5];
    const results = await Promise.all(versions.map((version) => repository.save(progressed(version))));
    expect(results.some(Boolean)).to.equal(true);
    expect(await repository.find(COURSE_A, 'u-1')).to.deep.equal(progressed(15));
    expect(await repository.listByActivity(COURSE_A)).to.deep.equal([progressed(15)]);
    expect(await connection.collection(PARTICIPANT_COLLECTIONS.participants).countDocuments()).to.equal(1);
  });

  it('creates one participant when concurrent launches and saves race for a new learner', async () => {
    const writes = await Promise.all([
      repository.recordLaunch(participant({ userId: 'u-race' })),
      repository.save(progressed(4, { userId: 'u-race' })),
      repository.recordLaunch(participant({ userId: 'u-race' })),
      repository.save(progressed(2, { userId: 'u-race' })),
    ]);
    expect(writes).to.have.length(4);
    const stored = await repository.find(COURSE_A, 'u-race');
    expect(stored?.version).to.equal(4);
    expect(stored?.competences[0]).to.deep.equal({ code: '1.1', pix: 4, level: 0, status: 'in-progress' });
    expect(await repository.listByActivity(COURSE_A)).to.have.length(1);
  });

  it("lists an activity's participants and a course's, never another course's or registration's", async () => {
    const otherLink = { resourceLinkId: 'link-2' };
    const courseB = { contextId: 'course-B' };
    const otherRegistration = { clientId: 'client-2' };
    const otherPlatform = { issuer: 'https://canvas.example.org' };
    await Promise.all([
      repository.recordLaunch(participant({ userId: 'a1' })),
      repository.save(progressed(2, { userId: 'a2' })),
      repository.recordLaunch(participant({ userId: 'a3', ...otherLink })),
      repository.recordLaunch(participant({ userId: 'b1', ...courseB, resourceLinkId: 'link-B' })),
      repository.recordLaunch(participant({ userId: 'b2', ...courseB, resourceLinkId: 'link-1' })),
      repository.recordLaunch(participant({ userId: 'r1', ...otherRegistration })),
      repository.recordLaunch(participant({ userId: 'p1', ...otherPlatform })),
    ]);
    const ids = (list: ClassParticipant[]) => list.map((one) => one.userId).sort();

    expect(ids(await repository.listByActivity(COURSE_A))).to.deep.equal(['a1', 'a2']);
    expect(ids(await repository.listByActivity({ ...COURSE_A, ...otherLink }))).to.deep.equal(['a3']);
    expect(ids(await repository.listByActivity({ ...COURSE_A, ...courseB }))).to.deep.equal(['b2']);
    expect(ids(await repository.listByContext(COURSE_A))).to.deep.equal(['a1', 'a2', 'a3']);
    expect(ids(await repository.listByContext({ ...COURSE_A, clientId: 'client-2' }))).to.deep.equal(['r1']);
    expect(await repository.find({ ...COURSE_A, ...courseB }, 'a1')).to.equal(undefined);
    expect(await repository.find(COURSE_A, 'b1')).to.equal(undefined);
  });

  it('stores the scope of the snapshots once, and reads it back from a repository that never wrote it', async () => {
    await Promise.all(['s1', 's2', 's3'].map((userId) => repository.save(progressed(4, { userId }))));
    expect(await connection.collection(PARTICIPANT_COLLECTIONS.scopes).countDocuments()).to.equal(1);
    const restarted = createMongoParticipantRepository(connection);
    expect(await restarted.find(COURSE_A, 's2')).to.deep.equal(progressed(4, { userId: 's2' }));
  });

  it('waits for a busy participant, and takes over the lock of a writer that died once it expires', async () => {
    const clock = createFixedClock(T0);
    const locked = createMongoParticipantRepository(connection, { clock });
    const lockId = participantId(COURSE_A, 'u-1');
    // A live writer holds the lock for a moment: the save waits, then goes through.
    await connection
      .collection(PARTICIPANT_COLLECTIONS.locks)
      .insertOne({ _id: lockId as never, expiresAt: at(1) });
    setTimeout(() => {
      void connection.collection(PARTICIPANT_COLLECTIONS.locks).deleteOne({ _id: lockId as never });
    }, 60);
    expect(await locked.save(progressed(2))).to.equal(true);
    // A dead writer's lock: expired for the clock, it is taken over.
    await connection
      .collection(PARTICIPANT_COLLECTIONS.locks)
      .insertOne({ _id: lockId as never, expiresAt: at(1) });
    clock.advance(2 * 60_000);
    expect(await locked.save(progressed(3))).to.equal(true);
    expect((await locked.find(COURSE_A, 'u-1'))?.version).to.equal(3);
    expect(await connection.collection(PARTICIPANT_COLLECTIONS.locks).countDocuments()).to.equal(0);
  });

  it('stores no dotted key and no nested array (the portable subset)', async () => {
    await repository.save(progressed(8));
    const [stored] = await connection.collection(PARTICIPANT_COLLECTIONS.participants).find({}).toArray();
    const visit = (value: unknown, path: string) => {
      if (Array.isArray(value)) {
        for (const item of value) {
          expect(Array.isArray(item), `nested array at ${path}`).to.equal(false);
          visit(item, `${path}[]`);
        }
      } else if (value && typeof value === 'object' && !(value instanceof Date)) {
        for (const [key, inner] of Object.entries(value)) {
          expect(key, `key at ${path}`).not.to.match(/[.$]/);
          visit(inner, `${path}.${key}`);
        }
      }
    };
    visit(stored, '');
  });

  it('keeps two deployments apart, with the same context, link and user ids (LTI ids are per deployment)', async () => {
    const otherDeployment: ActivityKey = { ...COURSE_A, deploymentId: 'deployment-2' };
    await repository.recordLaunch(participant({ userId: 'u-1' }));
    await repository.recordLaunch(
      participant({ userId: 'u-1', deploymentId: 'deployment-2', name: 'Other' }),
    );
    await repository.save(progressed(5, { userId: 'u-2', deploymentId: 'deployment-2' }));
    const ids = (list: ClassParticipant[]) => list.map((one) => one.userId).sort();

    expect(ids(await repository.listByActivity(COURSE_A))).to.deep.equal(['u-1']);
    expect(ids(await repository.listByContext(COURSE_A))).to.deep.equal(['u-1']);
    expect(ids(await repository.listByActivity(otherDeployment))).to.deep.equal(['u-1', 'u-2']);
    expect(ids(await repository.listByContext(otherDeployment))).to.deep.equal(['u-1', 'u-2']);
    expect(await repository.find(COURSE_A, 'u-2')).to.equal(undefined);
    expect(await repository.find(COURSE_A, 'u-1')).to.deep.equal(participant({ userId: 'u-1' }));
    expect((await repository.find(otherDeployment, 'u-1'))?.name).to.equal('Other');
  });

  it("lists a learner's participants of every activity, course and deployment, each once", async () => {
    const learnerKey = `${COURSE_A.issuer}#u-1`;
    await repository.recordLaunch(participant());
    await repository.recordLaunch(participant({ resourceLinkId: 'link-2' }));
    // A snapshot written before any recorded launch (the launch's write failed) is listed too.
    await repository.save(progressed(3, { contextId: 'course-B' }));
    await repository.recordLaunch(participant({ deploymentId: 'deployment-2' }));
    await repository.recordLaunch(participant({ lastLaunchAt: at(5) }));
    await repository.save(progressed(4));
    await repository.recordLaunch(participant({ userId: 'u-9' }));

    const listed = await repository.listByLearner(learnerKey);
    const keys = listed.map((one) => participantId(one, one.userId)).sort();
    expect(keys).to.deep.equal(
      [
        participantId(COURSE_A, 'u-1'),
        participantId({ ...COURSE_A, resourceLinkId: 'link-2' }, 'u-1'),
        participantId({ ...COURSE_A, contextId: 'course-B' }, 'u-1'),
        participantId({ ...COURSE_A, deploymentId: 'deployment-2' }, 'u-1'),
      ].sort(),
    );
    expect(
      listed.find(
        (one) =>
          one.resourceLinkId === 'link-1' &&
          one.contextId === 'course-A' &&
          one.deploymentId === 'deployment-1',
      )?.version,
    ).to.equal(4);
    expect(await repository.listByLearner(`${COURSE_A.issuer}#nobody`)).to.deep.equal([]);
  });

  it('skips an unreadable document when listing (and logs it), and overwrites it on save and launch', async () => {
    const logs: unknown[] = [];
    const logged = createMongoParticipantRepository(connection, {
      logger: pino({ level: 'warn' }, { write: (line: string) => logs.push(line) }),
    });
    await logged.recordLaunch(participant({ userId: 'a1' }));
    await logged.save(progressed(2, { userId: 'a2' }));
    await logged.save(progressed(2, { userId: 'bad-format' }));
    await logged.save(progressed(2, { userId: 'bad-scope' }));
    const documents = connection.collection<{ _id: string; d: string }>(PARTICIPANT_COLLECTIONS.participants);
    const spoil = async (userId: string, change: (d: unknown[]) => void) => {
      const id = participantId(COURSE_A, userId);
      const stored = await documents.findOne({ _id: id });
      const d = JSON.parse(stored?.d ?? '[]') as unknown[];
      change(d);
      await documents.updateOne({ _id: id }, { $set: { d: JSON.stringify(d) } });
    };
    await spoil('bad-format', (d) => {
      d[0] = 99;
    });
    await spoil('bad-scope', (d) => {
      d[18] = 'no-such-scope';
    });
    const ids = (list: ClassParticipant[]) => list.map((one) => one.userId).sort();

    expect(ids(await logged.listByActivity(COURSE_A))).to.deep.equal(['a1', 'a2']);
    expect(ids(await logged.listByContext(COURSE_A))).to.deep.equal(['a1', 'a2']);
    expect(ids(await logged.listByLearner(`${COURSE_A.issuer}#bad-scope`))).to.deep.equal([]);
    expect(await logged.find(COURSE_A, 'bad-format')).to.equal(undefined);
    expect(logs.length).to.be.at.least(2);

    expect(await logged.save(progressed(1, { userId: 'bad-format' }))).to.equal(true);
    expect(await logged.find(COURSE_A, 'bad-format')).to.deep.equal(progressed(1, { userId: 'bad-format' }));
    await logged.recordLaunch(participant({ userId: 'bad-scope' }));
    expect(await logged.find(COURSE_A, 'bad-scope')).to.deep.equal(participant({ userId: 'bad-scope' }));
    expect(ids(await logged.listByActivity(COURSE_A))).to.deep.equal(['a1', 'a2', 'bad-format', 'bad-scope']);
  });

  it('gives up the write of a writer stalled past its lease, and releases only its own lock', async () => {
    await repository.save(progressed(5));
    // The lock is taken at T0; every later look at the clock finds the lease passed.
    let looks = 0;
    const stalling: Clock = {
      now: () => {
        looks += 1;
        return looks === 1 ? T0 : new Date(T0.getTime() + LOCK_LEASE_MS + 1);
      },
    };
    const stalled = createMongoParticipantRepository(connection, { clock: stalling });
    let error: unknown;
    try {
      await stalled.save(progressed(9));
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(LeaseExpiredError);
    expect((await repository.find(COURSE_A, 'u-1'))?.version).to.equal(5);
    expect(await connection.collection(PARTICIPANT_COLLECTIONS.locks).countDocuments()).to.equal(0);
  });

  it('never lets a stalled writer write or delete the lock another writer took over (tokens, lease)', async () => {
    const Locks = modelOn(
      connection,
      'TestParticipantLock',
      new Schema<LockDocument>(
        { _id: String, token: String, expiresAt: Date },
        { versionKey: false, collection: 'test_participant_locks' },
      ),
    );
    await Locks.deleteMany({});
    const clock = createFixedClock(T0);
    const tokens = ['token-a', 'token-b'];
    const withLock = createLocks(Locks, { clock, newToken: () => tokens.shift() ?? 'token-x' });
    const writes: string[] = [];
    /** A writer that holds the lock until `resume` is called, then writes if its lease allows. */
    function writer(name: string) {
      let resume = () => {};
      let held = () => {};
      const holding = new Promise<void>((resolve) => {
        held = resolve;
      });
      const done = withLock('participant', async (lease: Lease) => {
        held();
        await new Promise<void>((resolve) => {
          resume = resolve;
        });
        lease.assertHeld();
        writes.push(name);
      }).then(
        () => undefined,
        (error: unknown) => error,
      );
      return { holding, done, resume: () => resume() };
    }

    const a = writer('a');
    await a.holding;
    clock.advance(LOCK_LEASE_MS + 1);
    // A's lease has passed: B takes the lock over while A is stalled.
    const b = writer('b');
    await b.holding;
    a.resume();
    expect(await a.done).to.be.instanceOf(LeaseExpiredError);
    expect(writes).to.deep.equal([]);
    // A's release left B's lock in place.
    expect(await Locks.find({}).lean()).to.deep.equal([
      { _id: 'participant', token: 'token-b', expiresAt: new Date(T0.getTime() + 2 * LOCK_LEASE_MS + 1) },
    ]);
    b.resume();
    expect(await b.done).to.equal(undefined);
    expect(writes).to.deep.equal(['b']);
    expect(await Locks.countDocuments()).to.equal(0);
  });
});
