import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  isDuplicateKeyError,
} from '../../shared/infrastructure/database/mongo-helpers.js';

import {
  streamKeyOf,
  type AttemptOutcome,
  type OutboxEntry,
  type ResourceLinkRef,
  type Score,
  type ScoreTarget,
} from '../domain/grade-outbox.js';

/**
 * The durable grade outbox (lti_grade_outbox), the claims that make one worker deliver each attempt
 * (lti_grade_claims), and the line item found or created for each resource link (lti_line_items).
 * Every race is settled by an insert under a unique index, which both MongoDB and FerretDB refuse
 * atomically (docs/adr/0001: findOneAndUpdate is not atomic on FerretDB). A resource link is one of
 * a deployment (`ResourceLinkRef`): LTI makes resource-link ids unique only within a deployment.
 */
export interface GradeOutboxRepository {
  enqueue(target: ScoreTarget, score: Score, now: Date): Promise<OutboxEntry>;
  listPending(limit: number): Promise<OutboxEntry[]>;
  /** True when this caller may make attempt `attempts + 1` of the entry. */
  claim(entry: Pick<OutboxEntry, 'id' | 'attempts'>, now: Date, leaseMs: number): Promise<boolean>;
  recordOutcome(entryId: string, outcome: AttemptOutcome): Promise<void>;
  listForUser(link: ResourceLinkRef, userId: string): Promise<OutboxEntry[]>;
  /** One entry, by id. */
  find(entryId: string): Promise<OutboxEntry | undefined>;
  listDead(limit: number): Promise<OutboxEntry[]>;
  /** Every score of one resource link (all its learners), oldest first: the instructor's sync status. */
  listForResourceLink(link: ResourceLinkRef): Promise<OutboxEntry[]>;
  /**
   * The latest score of each user of one resource link, reduced to its delivery state: what a class
   * dashboard shows for 1,000 learners, without reading every score's target and payload.
   */
  latestStatesForResourceLink(link: ResourceLinkRef): Promise<OutboxDeliveryState[]>;
  /** The latest score of one user of one resource link, reduced to its delivery state. */
  latestStateForUser(link: ResourceLinkRef, userId: string): Promise<OutboxDeliveryState | undefined>;
  /** Puts a dead entry back in the queue, due now (an admin's or instructor's retry). */
  retry(entryId: string, now: Date): Promise<boolean>;
  ensureIndexes(): Promise<void>;
}

/** Where one score stands, without its target and payload. */
export interface OutboxDeliveryState {
  readonly id: string;
  readonly userId: string;
  readonly sequence: number;
  readonly status: OutboxEntry['status'];
  readonly lastError?: string;
  readonly createdAt: Date;
  readonly deliveredAt?: Date;
}

export interface LineItemStore {
  find(link: ResourceLinkRef): Promise<string | undefined>;
  /** Records the line item of a resource link; the first one recorded wins. */
  save(link: ResourceLinkRef, url: string): Promise<string>;
}

export const GRADE_COLLECTIONS = {
  outbox: 'lti_grade_outbox',
  claims: 'lti_grade_claims',
  lineItems: 'lti_line_items',
  /** One document per stream (deployment's resource link × user): where its latest score stands. */
  streamHeads: 'lti_grade_stream_heads',
} as const;

/**
 * A stream's head: its latest score's delivery state, so that a class dashboard reads one small
 * document per learner instead of every score of the resource link (a learner's every answer
 * queues one), and enqueue finds the stream's last sequence by `_id`, the embedded engine's fast
 * path, instead of scanning the outbox. A read model of the outbox: written after each enqueue,
 * outcome and retry (never before the entry itself), it only moves forward in sequence. The write
 * is not atomic (read, compare, replace): a writer of an older entry may replace a newer head
 * written meanwhile. So every writer re-reads the head by `_id` after its write, and an outcome or
 * a retry (off the learner's path) also looks for a later entry of the stream and moves the head
 * to it. Two concurrent enqueues of one stream may still leave it one score behind until the
 * stream's next outcome, which the worker sends in sequence order. `d` is JSON of [entryId,
 * sequence, status, lastError, createdAt ms, deliveredAt ms, userId] (one text: cheap to read by
 * the thousand on the embedded engine).
 */
interface StreamHeadDocument {
  _id: string;
  /** JSON of [issuer, clientId, deploymentId, resourceLinkId]. */
  linkKey: string;
  sequence: number;
  d: string;
}

const linkKeyOf = (link: ResourceLinkRef) =>
  JSON.stringify([link.issuer, link.clientId, link.deploymentId, link.resourceLinkId]);

/** The fields of a resource link, without the rest of a score's target. */
const linkOf = (link: ResourceLinkRef): ResourceLinkRef => ({
  issuer: link.issuer,
  clientId: link.clientId,
  deploymentId: link.deploymentId,
  resourceLinkId: link.resourceLinkId,
});

type PackedHead = [string, number, OutboxEntry['status'], string | null, number, number | null, string];

function headOf(document: StreamHeadDocument): OutboxDeliveryState {
  const [id, sequence, status, lastError, createdAt, deliveredAt, userId] = JSON.parse(
    document.d,
  ) as PackedHead;
  return {
    id,
    userId,
    sequence,
    status,
    ...(lastError !== null && { lastError }),
    createdAt: new Date(createdAt),
    ...(deliveredAt !== null && { deliveredAt: new Date(deliveredAt) }),
  };
}

type EntryDocument = Omit<OutboxEntry, 'id'> & { _id: string };

function toEntry(document: EntryDocument): OutboxEntry {
  const { _id, ...rest } = document;
  return {
    id: _id,
    streamKey: rest.streamKey,
    sequence: rest.sequence,
    target: rest.target,
    score: { ...rest.score, timestamp: new Date(rest.score.timestamp) },
    status: rest.status,
    attempts: rest.attempts,
    nextAttemptAt: rest.nextAttemptAt,
    createdAt: rest.createdAt,
    ...(rest.lastError !== undefined && rest.lastError !== null && { lastError: rest.lastError }),
    ...(rest.deliveredAt && { deliveredAt: rest.deliveredAt }),
  };
}

export function createMongoGradeOutbox(
  connection: Connection,
  options: { logger?: Logger } = {},
): GradeOutboxRepository & { lineItems: LineItemStore } {
  const Entry = modelOn(
    connection,
    'LtiGradeOutboxEntry',
    new Schema<EntryDocument>(
      {
        _id: String,
        streamKey: String,
        sequence: Number,
        target: Schema.Types.Mixed,
        score: Schema.Types.Mixed,
        status: String,
        attempts: Number,
        nextAttemptAt: Date,
        lastError: String,
        createdAt: Date,
        deliveredAt: Date,
      },
      { versionKey: false, collection: GRADE_COLLECTIONS.outbox },
    )
      .index({ streamKey: 1, sequence: 1 }, { unique: true })
      .index({ status: 1, streamKey: 1, sequence: 1 })
      .index({
        'target.issuer': 1,
        'target.clientId': 1,
        'target.deploymentId': 1,
        'target.resourceLinkId': 1,
      }),
  );
  const Claim = modelOn(
    connection,
    'LtiGradeClaim',
    new Schema<{ _id: string; entryId: string; expiresAt: Date }>(
      { _id: String, entryId: String, expiresAt: Date },
      { versionKey: false, collection: GRADE_COLLECTIONS.claims },
    ),
  );
  const LineItem = modelOn(
    connection,
    'LtiLineItem',
    new Schema<ResourceLinkRef & { url: string }>(
      { issuer: String, clientId: String, deploymentId: String, resourceLinkId: String, url: String },
      { versionKey: false, collection: GRADE_COLLECTIONS.lineItems },
    ).index({ issuer: 1, clientId: 1, deploymentId: 1, resourceLinkId: 1 }, { unique: true }),
  );

  const Head = modelOn(
    connection,
    'LtiGradeStreamHead',
    new Schema<StreamHeadDocument>(
      { _id: String, linkKey: String, sequence: Number, d: String },
      { versionKey: false, collection: GRADE_COLLECTIONS.streamHeads },
    ).index({ linkKey: 1 }),
  );

  const insertClaim = (id: string, entryId: string, expiresAt: Date) =>
    insertUnlessDuplicate(Claim, { _id: id, entryId, expiresAt });

  const headSequence = async (streamKey: string) =>
    (await Head.findById(streamKey).select({ sequence: 1 }).lean())?.sequence;

  /** Replaces the stream's head with this entry (no comparison). */
  async function writeHead(entry: OutboxEntry): Promise<void> {
    const packed: PackedHead = [
      entry.id,
      entry.sequence,
      entry.status,
      entry.lastError ?? null,
      entry.createdAt.getTime(),
      entry.deliveredAt?.getTime() ?? null,
      entry.target.userId,
    ];
    await Head.replaceOne(
      { _id: entry.streamKey },
      {
        _id: entry.streamKey,
        linkKey: linkKeyOf(entry.target),
        sequence: entry.sequence,
        d: JSON.stringify(packed),
      },
      { upsert: true },
    );
  }

  /**
   * Moves the stream's head to this entry, unless it already shows a later one. With `latest`, the
   * head then goes on to the stream's latest entry, when one was queued meanwhile (its own head
   * write may have come before ours).
   */
  async function moveHead(entry: OutboxEntry, latest: boolean): Promise<void> {
    let current = entry;
    for (let moves = 0; moves < 10; moves += 1) {
      const before = await headSequence(current.streamKey);
      if (before !== undefined && before > current.sequence) return;
      await writeHead(current);
      // An older entry's writer may have replaced our head between our write and now: again.
      const after = await headSequence(current.streamKey);
      if (after !== undefined && after < current.sequence) continue;
      if (!latest) return;
      // A later entry queued since our read (its head replaced by ours): the head moves on to it.
      const later = await Entry.findOne({ streamKey: current.streamKey, sequence: { $gt: current.sequence } })
        .sort({ sequence: -1 })
        .lean<EntryDocument>();
      if (!later) return;
      current = toEntry(later);
    }
  }

  const headFailure = (error: unknown, entryId: string) =>
    options.logger?.warn(
      { err: error, entry: entryId },
      'could not move the grade stream head: the dashboard may show an older grade state',
    );

  /** The head follows the entry as it is now stored; a failure there never fails the outbox's own write. */
  async function followEntry(entryId: string): Promise<void> {
    try {
      const document = await Entry.findById(entryId).lean<EntryDocument>();
      if (document) await moveHead(toEntry(document), true);
    } catch (error) {
      // The head is a read model: the next outcome of the stream moves it again.
      headFailure(error, entryId);
    }
  }

  return {
    async ensureIndexes() {
      await ensureModelIndexes([Entry, Claim, LineItem, Head]);
    },

    async enqueue(target, score, now) {
      const streamKey = streamKeyOf(target);
      // The next sequence of the stream: after its head's first (read by _id, no scan). A head
      // behind the stream (a race, or scores queued before heads existed) or a concurrent enqueue
      // meets the unique index, and the next try reads the stream's entries themselves.
      for (let tries = 0; tries < 20; tries += 1) {
        const last =
          tries === 0
            ? await Head.findById(streamKey).select({ sequence: 1 }).lean()
            : await Entry.findOne({ streamKey }).sort({ sequence: -1 }).select({ sequence: 1 }).lean();
        const document: EntryDocument = {
          _id: randomUUID(),
          streamKey,
          sequence: (last?.sequence ?? 0) + 1,
          target,
          score,
          status: 'pending',
          attempts: 0,
          nextAttemptAt: now,
          createdAt: now,
        };
        try {
          await Entry.create(document);
          const entry = toEntry(document);
          // On the learner's path: no look for later entries (a scan on the embedded engine).
          await moveHead(entry, false).catch((error: unknown) => headFailure(error, entry.id));
          return entry;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      }
      throw new Error('could not queue the score: too many concurrent scores for one user and link');
    },

    async listPending(limit) {
      const found = await Entry.find({ status: 'pending' })
        .sort({ streamKey: 1, sequence: 1 })
        .limit(limit)
        .lean();
      return found.map(toEntry);
    },

    async claim(entry, now, leaseMs) {
      const id = `${entry.id}:${entry.attempts + 1}`;
      const expiresAt = new Date(now.getTime() + leaseMs);
      if (await insertClaim(id, entry.id, expiresAt)) return true;
      // A worker that claimed this attempt and died leaves an expired claim: take it over.
      const removed = await Claim.deleteOne({ _id: id, expiresAt: { $lt: now } });
      return removed.deletedCount === 1 && (await insertClaim(id, entry.id, expiresAt));
    },

    async recordOutcome(entryId, outcome) {
      const update =
        outcome.status === 'delivered'
          ? { status: 'delivered', deliveredAt: outcome.deliveredAt }
          : outcome.status === 'pending'
            ? {
                status: 'pending',
                attempts: outcome.attempts,
                nextAttemptAt: outcome.nextAttemptAt,
                lastError: outcome.lastError,
              }
            : { status: 'dead', attempts: outcome.attempts, lastError: outcome.lastError };
      await Entry.updateOne({ _id: entryId }, { $set: update });
      await followEntry(entryId);
    },

    async listForUser(link, userId) {
      const found = await Entry.find({ streamKey: streamKeyOf({ ...linkOf(link), userId }) })
        .sort({ sequence: 1 })
        .lean();
      return found.map(toEntry);
    },

    async find(entryId) {
      const document = await Entry.findById(entryId).lean<EntryDocument>();
      return document ? toEntry(document) : undefined;
    },

    async listForResourceLink(link) {
      const found = await Entry.find({
        'target.issuer': link.issuer,
        'target.clientId': link.clientId,
        'target.deploymentId': link.deploymentId,
        'target.resourceLinkId': link.resourceLinkId,
      })
        .sort({ createdAt: 1 })
        .lean();
      return found.map(toEntry);
    },

    async latestStatesForResourceLink(link) {
      const heads = await Head.find({ linkKey: linkKeyOf(link) }).lean<StreamHeadDocument[]>();
      return heads.map(headOf);
    },

    async latestStateForUser(link, userId) {
      const head = await Head.findById(streamKeyOf({ ...linkOf(link), userId })).lean<StreamHeadDocument>();
      return head ? headOf(head) : undefined;
    },

    async listDead(limit) {
      const found = await Entry.find({ status: 'dead' }).sort({ createdAt: -1 }).limit(limit).lean();
      return found.map(toEntry);
    },

    async retry(entryId, now) {
      const result = await Entry.updateOne(
        { _id: entryId, status: 'dead' },
        { $set: { status: 'pending', attempts: 0, nextAttemptAt: now } },
      );
      if (result.modifiedCount !== 1) return false;
      await followEntry(entryId);
      return true;
    },

    lineItems: {
      async find(link) {
        return (await LineItem.findOne(linkOf(link)).lean())?.url;
      },
      async save(link, url) {
        try {
          await LineItem.create({ ...linkOf(link), url });
          return url;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          return (await LineItem.findOne(linkOf(link)).lean())?.url ?? url;
        }
      },
    },
  };
}
