import { createHash } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import type { Clock } from '../../shared/domain/clock.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
} from '../../shared/infrastructure/database/mongo-helpers.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import { systemClock } from '../../shared/infrastructure/system-clock.js';
import type { ParticipantRepository } from '../application/ports.js';
import {
  participantId,
  type ClassParticipant,
  type CourseKey,
  type ParticipantCompetence,
  type ParticipationStatus,
} from '../domain/class-participant.js';
import { createLocks, type Lease, type LockDocument } from './participant-locks.js';

export const PARTICIPANT_COLLECTIONS = {
  participants: 'teaching_participants',
  /** The competences and tubes of the snapshots' scopes, stored once per scope (immutable). */
  scopes: 'teaching_snapshot_scopes',
  /** Short-lived write locks, one per participant (or learner list) being written. */
  locks: 'teaching_participant_locks',
  /** Per learner (`_id` = learnerKey), the ids of their participant documents. */
  learnerActivities: 'teaching_learner_activities',
} as const;

/**
 * A participant's document. A dashboard reads 1,000 of them at once, and the embedded engine's
 * cost grows with every field, array element and byte of every document it reads (measured by
 * tools/bench-dashboard.ts: 1,000 documents of parallel arrays took over a second), so:
 * - the fields queries filter on are fields of their own: the course (JSON of issuer, clientId,
 *   contextId) and the resource link;
 * - everything else is one positional JSON text `d` (see `pack`), read and written whole;
 * - the competence codes and the tubes of a snapshot's scope (and each tube's targeted skills) are
 *   the same for every learner of the activity: they live once in teaching_snapshot_scopes under a
 *   fingerprint, and a snapshot keeps the fingerprint, its pix/level/status per competence and its
 *   validated skills per tube, by position.
 * No key holds a dot, nothing is an array of arrays.
 */
interface ParticipantDocument {
  /** JSON of [issuer, clientId, deploymentId, contextId, resourceLinkId, userId]. */
  _id: string;
  /** JSON of [issuer, clientId, deploymentId, contextId]: the course, on one deployment. */
  course: string;
  resourceLinkId: string;
  d: string;
}

interface ScopeDocument {
  /** The fingerprint of the three lists. */
  _id: string;
  competenceCodes: string[];
  tubeIds: string[];
  tubeTargeted: number[];
}

interface LearnerActivitiesDocument {
  /** The learner key. */
  _id: string;
  /** Their participant documents' ids. */
  participants: string[];
}

interface SnapshotScope {
  readonly id: string;
  readonly competenceCodes: readonly string[];
  readonly tubeIds: readonly string[];
  readonly tubeTargeted: readonly number[];
}

/** 2: the deployment in the ids, the max level in `d`. Documents of another format are skipped. */
const FORMAT = 2;
const STATUS_CODES: Readonly<Record<ParticipationStatus, string>> = {
  'not-started': 'n',
  'in-progress': 'i',
  completed: 'c',
};
const STATUS_OF_CODE: Readonly<Record<string, ParticipationStatus>> = {
  n: 'not-started',
  i: 'in-progress',
  c: 'completed',
};
const courseOf = (course: CourseKey) =>
  JSON.stringify([course.issuer, course.clientId, course.deploymentId, course.contextId]);

/** The lock of a learner's list of participants (never a participant id: those are 6-item arrays). */
const learnerLockId = (learnerKey: string) => JSON.stringify(['learner', learnerKey]);

function scopeOf(participant: ClassParticipant): SnapshotScope {
  const competenceCodes = participant.competences.map((competence) => competence.code);
  const tubeIds = participant.tubes.map((tube) => tube.tubeId);
  const tubeTargeted = participant.tubes.map((tube) => tube.targeted);
  const id = createHash('sha256')
    .update(JSON.stringify([competenceCodes, tubeIds, tubeTargeted]))
    .digest('base64url')
    .slice(0, 16);
  return { id, competenceCodes, tubeIds, tubeTargeted };
}

const time = (date: Date | undefined) => (date === undefined ? null : date.getTime());
const text = (value: string | undefined) => (value === undefined || value === '' ? null : value);

/** The packed text of a participant (everything but the activity key, the user and the version). */
function pack(participant: ClassParticipant, scope: SnapshotScope): string {
  return JSON.stringify([
    FORMAT,
    participant.learnerKey,
    text(participant.name),
    text(participant.givenName),
    text(participant.familyName),
    text(participant.email),
    text(participant.externalId),
    text(participant.activityTitle),
    text(participant.contextTitle),
    time(participant.firstLaunchAt),
    time(participant.lastLaunchAt),
    time(participant.updatedAt),
    STATUS_CODES[participant.status],
    participant.answerCount,
    time(participant.startedAt),
    time(participant.completedAt),
    participant.pix,
    participant.maxPix,
    scope.id,
    participant.competences
      .map((competence) => `${competence.pix}:${competence.level}${STATUS_CODES[competence.status]}`)
      .join(','),
    participant.tubes.map((tube) => tube.validated).join(','),
    participant.version,
    participant.maxLevel,
  ]);
}

type Packed = [
  format: number,
  learnerKey: string,
  name: string | null,
  givenName: string | null,
  familyName: string | null,
  email: string | null,
  externalId: string | null,
  activityTitle: string | null,
  contextTitle: string | null,
  firstLaunchAt: number,
  lastLaunchAt: number,
  updatedAt: number,
  status: string,
  answerCount: number,
  startedAt: number | null,
  completedAt: number | null,
  pix: number,
  maxPix: number,
  scopeId: string,
  competences: string,
  tubes: string,
  version: number,
  maxLevel: number,
];

const IDENTITY_AT = { name: 2, givenName: 3, familyName: 4, email: 5, externalId: 6 } as const;

function unpack(
  document: ParticipantDocument,
  d: Packed,
  scopes: ReadonlyMap<string, SnapshotScope>,
): ClassParticipant {
  const key: unknown = JSON.parse(document._id);
  if (!Array.isArray(key) || key.length !== 6 || !key.every((part) => typeof part === 'string'))
    throw new Error(`participant ${document._id}: not a participant id`);
  const [issuer, clientId, deploymentId, contextId, resourceLinkId, userId] = key as string[];
  if (!Array.isArray(d) || d[0] !== FORMAT)
    throw new Error(`participant ${document._id}: unknown snapshot format ${String(d[0])}`);
  const scope = scopes.get(d[18]);
  if (!scope) throw new Error(`participant ${document._id}: unknown snapshot scope ${d[18]}`);
  const cells = d[19] === '' ? [] : d[19].split(',');
  const validated = d[20] === '' ? [] : d[20].split(',');
  const competences = scope.competenceCodes.map((code, i): ParticipantCompetence => {
    const match = /^(\d+):(\d+)([nic])$/.exec(cells[i] ?? '');
    return {
      code,
      pix: Number(match?.[1] ?? 0),
      level: Number(match?.[2] ?? 0),
      status: STATUS_OF_CODE[match?.[3] ?? 'n'] ?? 'not-started',
    };
  });
  const optional = (value: string | null) => value ?? undefined;
  const identity = {
    name: optional(d[2]),
    givenName: optional(d[3]),
    familyName: optional(d[4]),
    email: optional(d[5]),
    externalId: optional(d[6]),
    activityTitle: optional(d[7]),
    contextTitle: optional(d[8]),
  };
  return {
    issuer: issuer ?? '',
    clientId: clientId ?? '',
    deploymentId: deploymentId ?? '',
    contextId: contextId ?? '',
    resourceLinkId: resourceLinkId ?? document.resourceLinkId,
    userId: userId ?? '',
    learnerKey: d[1],
    ...(Object.fromEntries(Object.entries(identity).filter(([, value]) => value !== undefined)) as Partial<
      Record<keyof typeof identity, string>
    >),
    firstLaunchAt: new Date(d[9]),
    lastLaunchAt: new Date(d[10]),
    status: STATUS_OF_CODE[d[12]] ?? 'not-started',
    answerCount: d[13],
    ...(d[14] !== null && { startedAt: new Date(d[14]) }),
    ...(d[15] !== null && { completedAt: new Date(d[15]) }),
    pix: d[16],
    maxPix: d[17],
    competences,
    tubes: scope.tubeIds.map((tubeId, i) => ({
      tubeId,
      validated: Number(validated[i] ?? 0),
      targeted: scope.tubeTargeted[i] ?? 0,
    })),
    maxLevel: d[22],
    version: d[21],
    updatedAt: new Date(d[11]),
  };
}

/** The stored participant with this launch's identity, titles and last launch; the snapshot kept. */
function withLaunch(stored: ClassParticipant, launch: ClassParticipant): ClassParticipant {
  const { name: _n, givenName: _g, familyName: _f, email: _e, externalId: _x, ...rest } = stored;
  const refreshed: Record<string, unknown> = { ...rest, lastLaunchAt: launch.lastLaunchAt };
  // Personal data the LMS stopped sending is dropped; a title it did not send is kept.
  for (const field of Object.keys(IDENTITY_AT) as Array<keyof typeof IDENTITY_AT>) {
    if (launch[field]) refreshed[field] = launch[field];
  }
  if (launch.activityTitle) refreshed.activityTitle = launch.activityTitle;
  if (launch.contextTitle) refreshed.contextTitle = launch.contextTitle;
  return refreshed as unknown as ClassParticipant;
}

/** The stored participant's identity and launch dates, with the new snapshot. */
function withSnapshot(stored: ClassParticipant, snapshot: ClassParticipant): ClassParticipant {
  const { startedAt: _s, completedAt: _c, ...rest } = snapshot;
  return {
    ...rest,
    ...(snapshot.startedAt && { startedAt: snapshot.startedAt }),
    ...(snapshot.completedAt && { completedAt: snapshot.completedAt }),
    ...Object.fromEntries(
      (
        ['name', 'givenName', 'familyName', 'email', 'externalId', 'activityTitle', 'contextTitle'] as const
      ).map((field) => [field, stored[field]]),
    ),
    firstLaunchAt: stored.firstLaunchAt,
    lastLaunchAt: stored.lastLaunchAt,
  } as ClassParticipant;
}

/**
 * The class participants (teaching_participants), one document per (registration, deployment,
 * course, resource link, user), `_id` = JSON of those six.
 *
 * The embedded engine evaluates an update's filter and writes the result in two steps (docs/adr/0001):
 * a "replace unless newer" update is not atomic there, and concurrent saves were seen to leave an
 * older snapshot over a newer one. So a write takes the participant's lock first (participant-locks.ts:
 * an insert under the unique `_id` of teaching_participant_locks, which every engine refuses
 * atomically, with a lease and the holder's token). Under the lock it reads the stored participant,
 * and:
 * - `save` replaces the snapshot unless the stored version is greater (then answers false), keeping
 *   the stored identity and launch dates;
 * - `recordLaunch` inserts a not-started participant, or refreshes identity, titles and lastLaunchAt,
 *   keeping the snapshot; and it adds the participant to the learner's list
 *   (teaching_learner_activities, under the learner's own lock), which `listByLearner` reads.
 * Just before writing, a writer checks that its lease has not passed (else another may have taken the
 * lock over) and gives the write up. A stored document that cannot be read (another format, a scope
 * that is missing) is logged; lists skip it, and `save`/`recordLaunch` overwrite it.
 * Every lookup by participant or learner is by `_id` (the engine's fast path). The index (course,
 * resourceLinkId) serves an activity's list on MongoDB and, through its prefix, a course's.
 */
export function createMongoParticipantRepository(
  connection: Connection,
  options: {
    readonly clock?: Clock;
    readonly logger?: Pick<Logger, 'warn'>;
    /** The lock holders' tokens (random by default). */
    readonly newLockToken?: () => string;
  } = {},
): ParticipantRepository {
  const clock = options.clock ?? systemClock;
  const logger = options.logger;
  const Participants = modelOn(
    connection,
    'TeachingParticipant',
    new Schema<ParticipantDocument>(
      {
        _id: String,
        course: String,
        resourceLinkId: String,
        d: String,
      },
      { versionKey: false, collection: PARTICIPANT_COLLECTIONS.participants },
    ).index({ course: 1, resourceLinkId: 1 }),
  );
  const Scopes = modelOn(
    connection,
    'TeachingSnapshotScope',
    new Schema<ScopeDocument>(
      { _id: String, competenceCodes: [String], tubeIds: [String], tubeTargeted: [Number] },
      { versionKey: false, collection: PARTICIPANT_COLLECTIONS.scopes },
    ),
  );
  const Locks = modelOn(
    connection,
    'TeachingParticipantLock',
    new Schema<LockDocument>(
      { _id: String, token: String, expiresAt: Date },
      { versionKey: false, collection: PARTICIPANT_COLLECTIONS.locks },
    ),
  );
  const LearnerActivities = modelOn(
    connection,
    'TeachingLearnerActivities',
    new Schema<LearnerActivitiesDocument>(
      { _id: String, participants: [String] },
      { versionKey: false, collection: PARTICIPANT_COLLECTIONS.learnerActivities },
    ),
  );
  const withLock = createLocks(Locks, {
    clock,
    ...(options.newLockToken && { newToken: options.newLockToken }),
  });

  // Scopes never change once stored: known ones are kept here, as a cache of immutable data.
  const knownScopes = new Map<string, SnapshotScope>();

  async function storeScope(scope: SnapshotScope): Promise<void> {
    if (knownScopes.has(scope.id)) return;
    await insertUnlessDuplicate(Scopes, {
      _id: scope.id,
      competenceCodes: [...scope.competenceCodes],
      tubeIds: [...scope.tubeIds],
      tubeTargeted: [...scope.tubeTargeted],
    });
    knownScopes.set(scope.id, scope);
  }

  function parse(document: ParticipantDocument): Packed | undefined {
    try {
      return JSON.parse(document.d) as Packed;
    } catch {
      return undefined;
    }
  }

  /** The participants of these documents, in order; undefined (and logged) for those unreadable. */
  async function unpackAll(
    documents: readonly ParticipantDocument[],
  ): Promise<Array<ClassParticipant | undefined>> {
    const packed = documents.map(parse);
    const missing = new Set<string>();
    for (const d of packed) {
      if (Array.isArray(d) && typeof d[18] === 'string' && !knownScopes.has(d[18])) missing.add(d[18]);
    }
    await Promise.all(
      [...missing].map(async (id) => {
        const found = await Scopes.findById(id).lean<ScopeDocument>();
        if (found) {
          knownScopes.set(id, {
            id,
            competenceCodes: found.competenceCodes,
            tubeIds: found.tubeIds,
            tubeTargeted: found.tubeTargeted,
          });
        }
      }),
    );
    return documents.map((document, i) => {
      try {
        const d = packed[i];
        if (d === undefined) throw new Error(`participant ${document._id}: unreadable snapshot`);
        return unpack(document, d, knownScopes);
      } catch (error) {
        logger?.warn({ err: error, participant: document._id }, 'unreadable participant document skipped');
        return undefined;
      }
    });
  }

  async function readable(documents: readonly ParticipantDocument[]): Promise<ClassParticipant[]> {
    return (await unpackAll(documents)).filter((participant) => participant !== undefined);
  }

  /** The stored participant; undefined when there is none or it cannot be read (then logged). */
  async function read(id: string): Promise<ClassParticipant | undefined> {
    const document = await Participants.findById(id).lean<ParticipantDocument>();
    return document ? (await unpackAll([document]))[0] : undefined;
  }

  async function write(participant: ClassParticipant, lease: Lease): Promise<void> {
    const scope = scopeOf(participant);
    await storeScope(scope);
    const id = participantId(participant, participant.userId);
    // A writer stalled past its lease may have lost the lock to another: it must not write.
    lease.assertHeld();
    await Participants.replaceOne(
      { _id: id },
      {
        _id: id,
        course: courseOf(participant),
        resourceLinkId: participant.resourceLinkId,
        d: pack(participant, scope),
      },
      { upsert: true },
    );
  }

  /** Adds a participant to its learner's list, unless it is there already (one `_id` read). */
  async function listForLearner(learnerKey: string, id: string): Promise<void> {
    const known = await LearnerActivities.findById(learnerKey).lean<LearnerActivitiesDocument>();
    if (known?.participants.includes(id)) return;
    await withLock(learnerLockId(learnerKey), async (lease) => {
      const stored = await LearnerActivities.findById(learnerKey).lean<LearnerActivitiesDocument>();
      const participants = stored?.participants ?? [];
      if (participants.includes(id)) return;
      lease.assertHeld();
      await LearnerActivities.replaceOne(
        { _id: learnerKey },
        { _id: learnerKey, participants: [...participants, id] },
        { upsert: true },
      );
    });
  }

  return {
    async ensureIndexes() {
      await ensureModelIndexes([Participants, Scopes, Locks, LearnerActivities]);
    },

    async save(participant) {
      const id = participantId(participant, participant.userId);
      const created = await withLock(id, async (lease) => {
        const stored = await read(id);
        if (stored && stored.version > participant.version) return false;
        await write(stored ? withSnapshot(stored, participant) : participant, lease);
        return stored ? 'written' : 'created';
      });
      if (created === 'created') await listForLearner(participant.learnerKey, id);
      return created !== false;
    },

    async recordLaunch(participant) {
      const id = participantId(participant, participant.userId);
      await withLock(id, async (lease) => {
        const stored = await read(id);
        await write(stored ? withLaunch(stored, participant) : participant, lease);
      });
      await listForLearner(participant.learnerKey, id);
    },

    async listByActivity(activity) {
      const documents = await Participants.find({
        course: courseOf(activity),
        resourceLinkId: activity.resourceLinkId,
      }).lean<ParticipantDocument[]>();
      return readable(documents);
    },

    async listByContext(course) {
      const documents = await Participants.find({ course: courseOf(course) }).lean<ParticipantDocument[]>();
      return readable(documents);
    },

    async listByLearner(learnerKey) {
      const known = await LearnerActivities.findById(learnerKey).lean<LearnerActivitiesDocument>();
      const documents = await Promise.all(
        (known?.participants ?? []).map((id) => Participants.findById(id).lean<ParticipantDocument>()),
      );
      return readable(documents.filter((document) => document !== null));
    },

    find(activity, userId) {
      return read(participantId(activity, userId));
    },
  };
}
