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
  /** Puts a dead entry back in the queue, due now (an admin's or instructor's retry). */
  retry(entryId: string, now: Date): Promise<boolean>;
  ensureIndexes(): Promise<void>;
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
} as const;

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

  const insertClaim = (id: string, entryId: string, expiresAt: Date) =>
    insertUnlessDuplicate(Claim, { _id: id, entryId, expiresAt });

  return {
    async ensureIndexes() {
      await ensureModelIndexes([Entry, Claim, LineItem]);
    },

    async enqueue(target, score, now) {
      const streamKey = streamKeyOf(target);
      // The next sequence of the stream; two concurrent enqueues meet on the unique index and
      // the loser takes the following number.
      for (let tries = 0; tries < 20; tries += 1) {
        const last = await Entry.findOne({ streamKey }).sort({ sequence: -1 }).select({ sequence: 1 }).lean();
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
          return toEntry(document);
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

    async listDead(limit) {
      const found = await Entry.find({ status: 'dead' }).sort({ createdAt: -1 }).limit(limit).lean();
      return found.map(toEntry);
    },

    async retry(entryId, now) {
      const result = await Entry.updateOne(
        { _id: entryId, status: 'dead' },
        { $set: { status: 'pending', attempts: 0, nextAttemptAt: now } },
      );
      return result.modifiedCount === 1;
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
