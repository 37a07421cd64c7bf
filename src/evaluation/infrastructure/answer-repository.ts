import { Schema, type Connection } from 'mongoose';
import type { AnswerStatus, AnswerValue } from '../../framework/domain/answer-checking/index.js';
import type { Answer } from '../domain/assessment.js';
import type { AnswerRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
  present,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const ANSWERS_COLLECTION = 'evaluation_answers';

interface KeyedText {
  key: string;
  value: string;
}

interface AnswerDocument {
  assessmentId: string;
  learnerKey: string;
  position: number;
  challengeId: string;
  /** 'text': `value` holds the answer; 'inputs': `inputs` holds a QROCM answer as {key, value} pairs. */
  valueKind: 'text' | 'inputs';
  value?: string | null;
  inputs?: KeyedText[] | null;
  status: AnswerStatus;
  correct: boolean;
  timedOut: boolean;
  focusedOut: boolean;
  result: {
    details?: Array<{ key: string; correct: boolean }> | null;
    levelBefore: number;
    levelAfter: number;
  };
  answeredAt: Date;
  applied: boolean;
  appliedAt?: Date | null;
}

function toAnswer(document: AnswerDocument): Answer {
  const value: AnswerValue =
    document.valueKind === 'inputs'
      ? Object.fromEntries((document.inputs ?? []).map((input) => [input.key, input.value]))
      : (document.value ?? '');
  const details = document.result.details;
  return {
    assessmentId: document.assessmentId,
    learnerKey: document.learnerKey,
    position: document.position,
    challengeId: document.challengeId,
    value,
    status: document.status,
    correct: document.correct,
    timedOut: document.timedOut,
    focusedOut: document.focusedOut,
    result: {
      ...(present(details) && details.length > 0
        ? { details: details.map((detail) => ({ key: detail.key, correct: detail.correct })) }
        : {}),
      levelBefore: document.result.levelBefore,
      levelAfter: document.result.levelAfter,
    },
    answeredAt: document.answeredAt,
    ...(present(document.appliedAt) ? { appliedAt: document.appliedAt } : {}),
  };
}

/**
 * Answers (evaluation_answers). The unique index (assessmentId, position) makes an answer
 * idempotent: a second insert for the position is refused, whoever sends it. QROCM answers are
 * stored as {key, value} pairs: learners' input keys never become document keys. The index
 * (learnerKey, applied) finds answers whose knowledge elements a crash left unwritten.
 */
export function createMongoAnswerRepository(
  connection: Connection,
): AnswerRepository & { ensureIndexes(): Promise<void> } {
  const Answers = modelOn(
    connection,
    'EvaluationAnswer',
    new Schema<AnswerDocument>(
      {
        assessmentId: String,
        learnerKey: String,
        position: Number,
        challengeId: String,
        valueKind: String,
        value: String,
        inputs: { type: [new Schema({ key: String, value: String }, { _id: false })], default: undefined },
        status: String,
        correct: Boolean,
        timedOut: Boolean,
        focusedOut: Boolean,
        result: new Schema(
          {
            details: {
              type: [new Schema({ key: String, correct: Boolean }, { _id: false })],
              default: undefined,
            },
            levelBefore: Number,
            levelAfter: Number,
          },
          { _id: false },
        ),
        answeredAt: Date,
        applied: Boolean,
        appliedAt: Date,
      },
      { versionKey: false, collection: ANSWERS_COLLECTION },
    )
      .index({ assessmentId: 1, position: 1 }, { unique: true })
      .index({ learnerKey: 1, applied: 1 }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Answers]),

    add: (answer) =>
      insertUnlessDuplicate(Answers, {
        assessmentId: answer.assessmentId,
        learnerKey: answer.learnerKey,
        position: answer.position,
        challengeId: answer.challengeId,
        ...(typeof answer.value === 'string'
          ? { valueKind: 'text', value: answer.value }
          : {
              valueKind: 'inputs',
              inputs: Object.entries(answer.value).map(([key, value]) => ({ key, value })),
            }),
        status: answer.status,
        correct: answer.correct,
        timedOut: answer.timedOut,
        focusedOut: answer.focusedOut,
        result: {
          ...(answer.result.details
            ? { details: answer.result.details.map((detail) => ({ ...detail })) }
            : {}),
          levelBefore: answer.result.levelBefore,
          levelAfter: answer.result.levelAfter,
        },
        answeredAt: answer.answeredAt,
        applied: answer.appliedAt !== undefined,
        ...(answer.appliedAt ? { appliedAt: answer.appliedAt } : {}),
      }),

    async get(assessmentId, position) {
      const document = await Answers.findOne({ assessmentId, position }).lean<AnswerDocument>();
      return document ? toAnswer(document) : undefined;
    },

    async listUnapplied(learnerKey) {
      const documents = await Answers.find({ learnerKey, applied: false })
        .sort({ answeredAt: 1 })
        .lean<AnswerDocument[]>();
      return documents.map(toAnswer);
    },

    async listByAssessment(assessmentId) {
      const documents = await Answers.find({ assessmentId }).sort({ position: 1 }).lean<AnswerDocument[]>();
      return documents.map(toAnswer);
    },

    async countByAssessment(learnerKey) {
      // Only the assessment ids travel (the index on learnerKey serves the query); counted here
      // rather than with $group, which the portable subset keeps for simple cases.
      const documents = await Answers.find({ learnerKey })
        .select({ _id: 0, assessmentId: 1 })
        .lean<Array<Pick<AnswerDocument, 'assessmentId'>>>();
      const counts = new Map<string, number>();
      for (const { assessmentId } of documents) counts.set(assessmentId, (counts.get(assessmentId) ?? 0) + 1);
      return counts;
    },

    async markApplied(assessmentId, position, at) {
      await Answers.updateOne(
        { assessmentId, position, applied: false },
        { $set: { applied: true, appliedAt: at } },
      );
    },
  };
}
