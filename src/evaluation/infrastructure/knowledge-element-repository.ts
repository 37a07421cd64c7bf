import { Schema, type Connection } from 'mongoose';
import type {
  KnowledgeElement,
  KnowledgeElementSource,
  KnowledgeElementStatus,
} from '../domain/knowledge-element.js';
import type { KnowledgeElementRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  isDuplicateKeyError,
  present,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const KNOWLEDGE_ELEMENTS_COLLECTION = 'evaluation_knowledge_elements';

interface KnowledgeElementDocument {
  /** Derived from what produced it: `<assessmentId>:<position>:<skillId>` or `<resetId>:<skillId>`. */
  _id: string;
  learnerKey: string;
  /** A value, never a key: competence codes contain a dot. */
  competenceCode: string;
  skillId: string;
  source: KnowledgeElementSource;
  status: KnowledgeElementStatus;
  earnedPix: number;
  createdAt: Date;
  /** Tie-break among KEs created at the same instant (see answerElementOrder). */
  order: number;
  assessmentId?: string | null;
  answerIndex?: number | null;
  challengeId?: string | null;
}

function toKnowledgeElement(document: KnowledgeElementDocument): KnowledgeElement {
  return {
    skillId: document.skillId,
    competenceCode: document.competenceCode,
    source: document.source,
    status: document.status,
    earnedPix: document.earnedPix,
    createdAt: document.createdAt,
    ...(present(document.assessmentId) ? { assessmentId: document.assessmentId } : {}),
    ...(present(document.answerIndex) ? { answerIndex: document.answerIndex } : {}),
    ...(present(document.challengeId) ? { challengeId: document.challengeId } : {}),
  };
}

/**
 * Knowledge elements (evaluation_knowledge_elements), append-only, one document each. The index
 * (learnerKey, createdAt) serves a learner's profile (learnerKey is also the natural shard key).
 * Ids are derived from the answer or reset that produced them, so writing them twice is a no-op.
 */
export function createMongoKnowledgeElementRepository(
  connection: Connection,
): KnowledgeElementRepository & { ensureIndexes(): Promise<void> } {
  const Elements = modelOn(
    connection,
    'EvaluationKnowledgeElement',
    new Schema<KnowledgeElementDocument>(
      {
        _id: String,
        learnerKey: String,
        competenceCode: String,
        skillId: String,
        source: String,
        status: String,
        earnedPix: Number,
        createdAt: Date,
        order: Number,
        assessmentId: String,
        answerIndex: Number,
        challengeId: String,
      },
      { versionKey: false, collection: KNOWLEDGE_ELEMENTS_COLLECTION },
    ).index({ learnerKey: 1, createdAt: 1 }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Elements]),

    async listByLearner(learnerKey) {
      const documents = await Elements.find({ learnerKey }).lean<KnowledgeElementDocument[]>();
      // Sorted here, with a total order (the engine breaks ties of createdAt by list order).
      documents.sort(
        (a, b) =>
          a.createdAt.getTime() - b.createdAt.getTime() ||
          a.order - b.order ||
          (a._id < b._id ? -1 : a._id > b._id ? 1 : 0),
      );
      return documents.map(toKnowledgeElement);
    },

    async addAll(learnerKey, elements) {
      const documents = elements.map(({ id, order, element }): KnowledgeElementDocument => {
        if (!Number.isFinite(element.earnedPix) || !Number.isFinite(order)) {
          // NaN drops the connection on the embedded engine (docs/adr/0001): refuse it here.
          throw new Error(`Knowledge element ${id} has a non-finite number`);
        }
        return {
          _id: id,
          learnerKey,
          competenceCode: element.competenceCode,
          skillId: element.skillId,
          source: element.source,
          status: element.status,
          earnedPix: element.earnedPix,
          createdAt: element.createdAt,
          order,
          ...(element.assessmentId === undefined ? {} : { assessmentId: element.assessmentId }),
          ...(element.answerIndex === undefined ? {} : { answerIndex: element.answerIndex }),
          ...(element.challengeId === undefined ? {} : { challengeId: element.challengeId }),
        };
      });
      if (documents.length === 0) return;
      try {
        await Elements.insertMany(documents, { ordered: false });
      } catch (error) {
        if (!isDuplicateKeyError(error) && !hasOnlyDuplicateErrors(error)) throw error;
        // Some were already there (a retry after a crash, or a concurrent duplicate). Engines
        // differ in what an unordered bulk insert reports, so make sure of each one.
        for (const document of documents) {
          try {
            await Elements.create(document);
          } catch (inner) {
            if (!isDuplicateKeyError(inner)) throw inner;
          }
        }
      }
    },
  };
}

function hasOnlyDuplicateErrors(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  return (
    Array.isArray(writeErrors) &&
    writeErrors.length > 0 &&
    writeErrors.every(
      (writeError) =>
        isDuplicateKeyError(writeError) || isDuplicateKeyError((writeError as { err?: unknown }).err),
    )
  );
}
