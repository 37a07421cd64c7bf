import { Schema, type Connection } from 'mongoose';
import type { Locale } from '../../framework/domain/models.js';
import { positioningScopeKey, type Positioning, type PositioningScope } from '../domain/assessment.js';
import type { PositioningRepository } from '../application/ports.js';
import { modelOn } from '../../shared/infrastructure/database/database.js';
import {
  ensureModelIndexes,
  insertUnlessDuplicate,
} from '../../shared/infrastructure/database/mongo-helpers.js';

export const POSITIONINGS_COLLECTION = 'evaluation_positionings';

/** No activity is stored as '' so that the unique index compares it like any other value. */
const NO_ACTIVITY = '';

interface PositioningDocument {
  _id: string;
  learnerKey: string;
  activityId: string;
  scopeKey: string;
  scopeType: PositioningScope['type'];
  /** The area or competence code; absent for 'all'. */
  scopeCode?: string | null;
  locale: Locale;
  createdAt: Date;
}

function toPositioning(document: PositioningDocument): Positioning {
  const scope: PositioningScope =
    document.scopeType === 'all'
      ? { type: 'all' }
      : { type: document.scopeType, code: document.scopeCode ?? '' };
  return {
    id: document._id,
    learnerKey: document.learnerKey,
    scope,
    ...(document.activityId === NO_ACTIVITY ? {} : { activityId: document.activityId }),
    locale: document.locale,
    createdAt: document.createdAt,
  };
}

/** Positionings (evaluation_positionings): one per (learnerKey, activityId, scopeKey), unique. */
export function createMongoPositioningRepository(
  connection: Connection,
): PositioningRepository & { ensureIndexes(): Promise<void> } {
  const Positionings = modelOn(
    connection,
    'EvaluationPositioning',
    new Schema<PositioningDocument>(
      {
        _id: String,
        learnerKey: String,
        activityId: String,
        scopeKey: String,
        scopeType: String,
        scopeCode: String,
        locale: String,
        createdAt: Date,
      },
      { versionKey: false, collection: POSITIONINGS_COLLECTION },
    ).index({ learnerKey: 1, activityId: 1, scopeKey: 1 }, { unique: true }),
  );
  return {
    ensureIndexes: () => ensureModelIndexes([Positionings]),

    add: (positioning) =>
      insertUnlessDuplicate(Positionings, {
        _id: positioning.id,
        learnerKey: positioning.learnerKey,
        activityId: positioning.activityId ?? NO_ACTIVITY,
        scopeKey: positioningScopeKey(positioning.scope),
        scopeType: positioning.scope.type,
        ...(positioning.scope.type === 'all' ? {} : { scopeCode: positioning.scope.code }),
        locale: positioning.locale,
        createdAt: positioning.createdAt,
      }),

    async get(id) {
      const document = await Positionings.findById(id).lean<PositioningDocument>();
      return document ? toPositioning(document) : undefined;
    },

    async find(learnerKey, activityId, scopeKey) {
      const document = await Positionings.findOne({
        learnerKey,
        activityId: activityId ?? NO_ACTIVITY,
        scopeKey,
      }).lean<PositioningDocument>();
      return document ? toPositioning(document) : undefined;
    },
  };
}
