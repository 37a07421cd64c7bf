import { Schema, type Connection } from 'mongoose';
import type { ServedChallenge } from '../domain/assessment.js';
import type { ServedChallengeRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  present,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const SERVED_CHALLENGES_COLLECTION = 'evaluation_served_challenges';

interface ServedChallengeDocument {
  assessmentId: string;
  learnerKey: string;
  position: number;
  challengeId: string;
  servedAt: Date;
  focusedOutAt?: Date | null;
}

function toServedChallenge(document: ServedChallengeDocument): ServedChallenge {
  return {
    assessmentId: document.assessmentId,
    learnerKey: document.learnerKey,
    position: document.position,
    challengeId: document.challengeId,
    servedAt: document.servedAt,
    ...(present(document.focusedOutAt) ? { focusedOutAt: document.focusedOutAt } : {}),
  };
}

/**
 * The challenges served in each assessment (evaluation_served_challenges). The unique index
 * (assessmentId, position) lets two concurrent "next challenge" calls serve only one challenge per
 * position; it also serves the list of an assessment's challenges by position.
 */
export function createMongoServedChallengeRepository(
  connection: Connection,
): ServedChallengeRepository & { ensureIndexes(): Promise<void> } {
  const Served = modelOn(
    connection,
    'EvaluationServedChallenge',
    new Schema<ServedChallengeDocument>(
      {
        assessmentId: String,
        learnerKey: String,
        position: Number,
        challengeId: String,
        servedAt: Date,
        focusedOutAt: Date,
      },
      { versionKey: false, collection: SERVED_CHALLENGES_COLLECTION },
    )
      .index({ assessmentId: 1, position: 1 }, { unique: true })
      .index({ learnerKey: 1 }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Served]),

    add: (served) =>
      insertUnlessDuplicate(Served, {
        assessmentId: served.assessmentId,
        learnerKey: served.learnerKey,
        position: served.position,
        challengeId: served.challengeId,
        servedAt: served.servedAt,
        ...(served.focusedOutAt ? { focusedOutAt: served.focusedOutAt } : {}),
      }),

    async get(assessmentId, position) {
      const document = await Served.findOne({ assessmentId, position }).lean<ServedChallengeDocument>();
      return document ? toServedChallenge(document) : undefined;
    },

    async listByAssessment(assessmentId) {
      const documents = await Served.find({ assessmentId })
        .sort({ position: 1 })
        .lean<ServedChallengeDocument[]>();
      return documents.map(toServedChallenge);
    },

    async markFocusedOut(assessmentId, position, at) {
      // The first report counts; a later one changes nothing.
      await Served.updateOne(
        { assessmentId, position, focusedOutAt: { $exists: false } },
        { $set: { focusedOutAt: at } },
      );
    },
  };
}
