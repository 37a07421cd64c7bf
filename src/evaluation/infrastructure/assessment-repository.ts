import { Schema, type Connection } from 'mongoose';
import type { Locale } from '../../framework/domain/models.js';
import type { PositioningAlgorithm } from '../domain/algorithm.js';
import type { Assessment, AssessmentCompletionReason, AssessmentState } from '../domain/assessment.js';
import type { AssessmentRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  present,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const ASSESSMENTS_COLLECTION = 'evaluation_assessments';

interface AssessmentDocument {
  _id: string;
  learnerKey: string;
  type: 'competence-evaluation';
  competenceCode: string;
  attempt: number;
  improving: boolean;
  improvingDays?: number | null;
  algorithm: PositioningAlgorithm;
  locale: Locale;
  positioningId?: string | null;
  state: AssessmentState;
  startedAt: Date;
  completedAt?: Date | null;
  completionReason?: AssessmentCompletionReason | null;
}

function toAssessment(document: AssessmentDocument): Assessment {
  return {
    id: document._id,
    learnerKey: document.learnerKey,
    type: document.type,
    competenceCode: document.competenceCode,
    attempt: document.attempt,
    improving: document.improving,
    ...(present(document.improvingDays) ? { improvingDays: document.improvingDays } : {}),
    algorithm: document.algorithm,
    locale: document.locale,
    ...(present(document.positioningId) ? { positioningId: document.positioningId } : {}),
    state: document.state,
    startedAt: document.startedAt,
    ...(present(document.completedAt) ? { completedAt: document.completedAt } : {}),
    ...(present(document.completionReason) ? { completionReason: document.completionReason } : {}),
  };
}

/**
 * Competence evaluations (evaluation_assessments). The unique index (learnerKey, competenceCode,
 * attempt) makes "one new attempt at a time" an insert race that exactly one caller wins; it also
 * serves "the learner's attempts" and "the latest attempt at a competence".
 */
export function createMongoAssessmentRepository(
  connection: Connection,
): AssessmentRepository & { ensureIndexes(): Promise<void> } {
  const Assessments = modelOn(
    connection,
    'EvaluationAssessment',
    new Schema<AssessmentDocument>(
      {
        _id: String,
        learnerKey: String,
        type: String,
        competenceCode: String,
        attempt: Number,
        improving: Boolean,
        improvingDays: Number,
        algorithm: String,
        locale: String,
        positioningId: String,
        state: String,
        startedAt: Date,
        completedAt: Date,
        completionReason: String,
      },
      { versionKey: false, collection: ASSESSMENTS_COLLECTION },
    ).index({ learnerKey: 1, competenceCode: 1, attempt: 1 }, { unique: true }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Assessments]),

    add: (assessment) =>
      insertUnlessDuplicate(Assessments, {
        _id: assessment.id,
        learnerKey: assessment.learnerKey,
        type: assessment.type,
        competenceCode: assessment.competenceCode,
        attempt: assessment.attempt,
        improving: assessment.improving,
        ...(assessment.improvingDays === undefined ? {} : { improvingDays: assessment.improvingDays }),
        algorithm: assessment.algorithm,
        locale: assessment.locale,
        ...(assessment.positioningId === undefined ? {} : { positioningId: assessment.positioningId }),
        state: assessment.state,
        startedAt: assessment.startedAt,
        ...(assessment.completedAt === undefined ? {} : { completedAt: assessment.completedAt }),
        ...(assessment.completionReason === undefined
          ? {}
          : { completionReason: assessment.completionReason }),
      }),

    async get(id) {
      const document = await Assessments.findById(id).lean<AssessmentDocument>();
      return document ? toAssessment(document) : undefined;
    },

    async findLatest(learnerKey, competenceCode) {
      const document = await Assessments.findOne({ learnerKey, competenceCode })
        .sort({ attempt: -1 })
        .lean<AssessmentDocument>();
      return document ? toAssessment(document) : undefined;
    },

    async listByLearner(learnerKey) {
      const documents = await Assessments.find({ learnerKey })
        .sort({ competenceCode: 1, attempt: 1 })
        .lean<AssessmentDocument[]>();
      return documents.map(toAssessment);
    },

    async complete(id, completedAt, reason) {
      // One document, filtered on the state: a completed assessment is left as it is. (Two racing
      // completions may both write on an engine without atomic updates; either one is right.)
      await Assessments.updateOne(
        { _id: id, state: 'started' },
        { $set: { state: 'completed', completedAt, completionReason: reason } },
      );
    },
  };
}
