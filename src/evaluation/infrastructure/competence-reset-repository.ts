import { Schema, type Connection } from 'mongoose';
import type { CompetenceReset } from '../domain/assessment.js';
import type { CompetenceResetRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  present,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const COMPETENCE_RESETS_COLLECTION = 'evaluation_competence_resets';

interface CompetenceResetDocument {
  _id: string;
  learnerKey: string;
  competenceCode: string;
  sequence: number;
  supersedesAttempt: number;
  resetAt: Date;
  daysBeforeReset: number;
  appliedAt?: Date | null;
}

function toReset(document: CompetenceResetDocument): CompetenceReset {
  return {
    id: document._id,
    learnerKey: document.learnerKey,
    competenceCode: document.competenceCode,
    sequence: document.sequence,
    supersedesAttempt: document.supersedesAttempt,
    resetAt: document.resetAt,
    daysBeforeReset: document.daysBeforeReset,
    ...(present(document.appliedAt) ? { appliedAt: document.appliedAt } : {}),
  };
}

/**
 * Competence resets (evaluation_competence_resets). The unique index (learnerKey, competenceCode,
 * sequence) records one reset when two are asked at once; it also serves a learner's resets.
 */
export function createMongoCompetenceResetRepository(
  connection: Connection,
): CompetenceResetRepository & { ensureIndexes(): Promise<void> } {
  const Resets = modelOn(
    connection,
    'EvaluationCompetenceReset',
    new Schema<CompetenceResetDocument>(
      {
        _id: String,
        learnerKey: String,
        competenceCode: String,
        sequence: Number,
        supersedesAttempt: Number,
        resetAt: Date,
        daysBeforeReset: Number,
        appliedAt: Date,
      },
      { versionKey: false, collection: COMPETENCE_RESETS_COLLECTION },
    ).index({ learnerKey: 1, competenceCode: 1, sequence: 1 }, { unique: true }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Resets]),

    add: (reset) =>
      insertUnlessDuplicate(Resets, {
        _id: reset.id,
        learnerKey: reset.learnerKey,
        competenceCode: reset.competenceCode,
        sequence: reset.sequence,
        supersedesAttempt: reset.supersedesAttempt,
        resetAt: reset.resetAt,
        daysBeforeReset: reset.daysBeforeReset,
        ...(reset.appliedAt ? { appliedAt: reset.appliedAt } : {}),
      }),

    async listByLearner(learnerKey) {
      const documents = await Resets.find({ learnerKey })
        .sort({ competenceCode: 1, sequence: 1 })
        .lean<CompetenceResetDocument[]>();
      return documents.map(toReset);
    },

    async markApplied(id, at) {
      await Resets.updateOne({ _id: id }, { $set: { appliedAt: at } });
    },
  };
}
