import { randomUUID } from 'node:crypto';
import { Schema, type Connection } from 'mongoose';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  isDuplicateKeyError,
} from '../../shared/infrastructure/database/mongo-helpers.js';

import {
  streamKeyOf,
  type AttemptOutcome,
  type OutboxEntry,
  type Score,
  type ScoreTarget,
} from '../domain/grade-outbox.js';

/**
 * The durable grade outbox (lti_grade_outbox), the claims that make one worker deliver each attempt
 * (lti_grade_claims), and the line item found or created for each resource link (lti_line_items).
 * Every race is settled by an insert under a unique index, which both MongoDB and FerretDB refuse
 * atomically (docs/adr/0001: findOneAndUpdate is not atomic on FerretDB).
 */
export interface GradeOutboxRepository {
  enqueue(target: ScoreTarget, score: Score, now: Date): Promise<OutboxEntry>;
  listPending(limit: number): Promise<OutboxEntry[]>;
  /** True when this caller may make attempt `attempts + 1` of the entry. */
  claim(entry: Pick<OutboxEntry, 'id' | 'attempts'>, now: Date, leaseMs: number): Promise<boolean>;
  recordOutcome(entryId: string, outcome: AttemptOutcome): Promise<void>;
  listForUser(
    issuer: string,
    clientId: string,
    resourceLinkId: string,
    userId: string,
  ): Promise<OutboxEntry[]>;
  listDead(limit: number): Promise<OutboxEntry[]>;
  /** Every score of one resource link (all its learners), oldest first: the instructor's sync status. */
  listForResourceLink(issuer: string, clientId: string, resourceLinkId: string): Promise<OutboxEntry[]>;
  /**
   * The latest score of each user of one resource link, reduced to its delivery state: what a class
   * dashboard shows for 1,000 learners, without reading every score's target and payload.
   */
  latestStatesForResourceLink(
    issuer: string,
    clientId: string,
    resourceLinkId: string,
  ): Promise<OutboxDeliveryState[]>;
  /** The latest score of one user of one resource link, reduced to its delivery state. */
  latestStateForUser(
    issuer: string,
    clientId: string,
    resourceLinkId: string,
    userId: string,
  ): Promise<OutboxDeliveryState | undefined>;
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
  find(issuer: string, clientId: string, resourceLinkId: string): Promise<string | undefined>;
  /** Records the line item of a resource link; the first one recorded wins. */
  save(issuer: string, clientId: string, resourceLinkId: string, url: string): Promise<string>;
}

export const GRADE_COLLECTIONS = {
  outbox: 'lti_grade_outbox',
  claims: 'lti_grade_claims',
  lineItems: 'lti_line_items',
  /** One document per stream (resource link × user): where its latest score stands. */
  streamHeads: 'lti_grade_stream_heads',
} as const;

/**
 * A stream's head: its latest score's delivery state, so that a class dashboard reads one small
 * document per learner instead of every score of the resource link (a learner's every answer
 * queues one), and enqueue finds the stream's last sequence by `_id`, the embedded engine's fast
 * path, instead of scanning the outbox. A read model of the outbox: written after each enqueue,
 * outcome and retry (never before the entry itself), it only moves forward in sequence; two
 * writers racing may leave it one score behind until the stream's next outcome, which the worker
 * sends in sequence order. `d` is JSON of [entryId, sequence, status, lastError, createdAt ms,
 * deliveredAt ms, userId] (one text: cheap to read by the thousand on the embedded engine).
 */
interface StreamHeadDocument {
  _id: string;
  /** JSON of [issuer, clientId, resourceLinkId]. */
  linkKey: string;
  sequence: number;
  d: string;
}

const linkKeyOf = (issuer: string, clientId: string, resourceLinkId: string) =>
  JSON.stringify([issuer, clientId, resourceLinkId]);

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
      .index({ 'target.issuer': 1, 'target.clientId': 1, 'target.resourceLinkId': 1 }),
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
    new Schema<{ issuer: string; clientId: string; resourceLinkId: string; url: string }>(
      { issuer: String, clientId: String, resourceLinkId: String, url: String },
      { versionKey: false, collection: GRADE_COLLECTIONS.lineItems },
    ).index({ issuer: 1, clientId: 1, resourceLinkId: 1 }, { unique: true }),
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

  /** Moves the stream's head to this entry, unless it already shows a later one. */
  async function moveHead(entry: OutboxEntry): Promise<void> {
    const head = await Head.findById(entry.streamKey).select({ sequence: 1 }).lean();
    if (head && head.sequence > entry.sequence) return;
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
        linkKey: linkKeyOf(entry.target.issuer, entry.target.clientId, entry.target.resourceLinkId),
        sequence: entry.sequence,
        d: JSON.stringify(packed),
      },
      { upsert: true },
    );
  }

  /** The head follows the entry as it is now stored; a failure there never fails the outbox's own write. */
  async function followEntry(entryId: string): Promise<void> {
    try {
      const document = await Entry.findById(entryId).lean<EntryDocument>();
      if (document) await moveHead(toEntry(document));
    } catch {
      // The head is a read model: the next outcome of the stream moves it again.
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
          await moveHead(entry).catch(() => undefined);
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

    async listForUser(issuer, clientId, resourceLinkId, userId) {
      const found = await Entry.find({ streamKey: streamKeyOf({ issuer, clientId, resourceLinkId, userId }) })
        .sort({ sequence: 1 })
        .lean();
      return found.map(toEntry);
    },

    async listForResourceLink(issuer, clientId, resourceLinkId) {
      const found = await Entry.find({
        'target.issuer': issuer,
        'target.clientId': clientId,
        'target.resourceLinkId': resourceLinkId,
      })
        .sort({ createdAt: 1 })
        .lean();
      return found.map(toEntry);
    },

    async latestStatesForResourceLink(issuer, clientId, resourceLinkId) {
      const heads = await Head.find({ linkKey: linkKeyOf(issuer, clientId, resourceLinkId) }).lean<
        StreamHeadDocument[]
      >();
      return heads.map(headOf);
    },

    async latestStateForUser(issuer, clientId, resourceLinkId, userId) {
      const head = await Head.findById(
        streamKeyOf({ issuer, clientId, resourceLinkId, userId }),
      ).lean<StreamHeadDocument>();
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
      async find(issuer, clientId, resourceLinkId) {
        return (await LineItem.findOne({ issuer, clientId, resourceLinkId }).lean())?.url;
      },
      async save(issuer, clientId, resourceLinkId, url) {
        try {
          await LineItem.create({ issuer, clientId, resourceLinkId, url });
          return url;
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
          return (await LineItem.findOne({ issuer, clientId, resourceLinkId }).lean())?.url ?? url;
        }
      },
    },
  };
}
