/**
 * A positioning: the learner's campaign-like entry for a scope (all 16 competences, one area, or
 * one competence), created once per (learner, activity, scope). The learner takes the competences
 * of the scope in any order; each is a competence evaluation of its own, shared with every other
 * positioning that includes the competence (the profile is one per learner).
 */
import type { Locale } from '../../framework/domain/models.js';
import {
  competenceStatus,
  latestAttempts,
  positioningScopeKey,
  type CompetenceStatus,
  type Positioning,
  type PositioningScope,
} from '../domain/assessment.js';
import { PositioningNotFoundError } from '../domain/errors.js';
import { PIX_PER_LEVEL } from '../domain/engine-index.js';
import { computeProfile } from '../domain/scoring.js';
import { DomainError } from '../../shared/domain/errors.js';
import { startCompetenceEvaluation } from './competence-evaluation.js';
import { competenceCodesOf } from './evaluation-content.js';
import { completePendingWrites } from './knowledge-element-writes.js';
import type { EvaluationDeps } from './ports.js';

export interface StartPositioningInput {
  readonly learnerKey: string;
  readonly scope: PositioningScope;
  readonly locale: Locale;
  /** The activity (e.g. the LTI resource link) the learner came from. */
  readonly activityId?: string;
}

export interface PositioningCompetenceView {
  readonly code: string;
  readonly name: string;
  readonly areaCode: string;
  readonly status: CompetenceStatus;
  /** The current attempt, when the competence is started or completed. */
  readonly assessmentId?: string;
  readonly pix: number;
  readonly level: number;
}

export interface PositioningView {
  readonly positioning: Positioning;
  readonly competences: readonly PositioningCompetenceView[];
  /** Every competence of the scope is completed. */
  readonly completed: boolean;
  /** Pix earned in the scope, and the most it can hold (the activity's grade). */
  readonly pix: number;
  readonly maxPix: number;
}

/**
 * Creates the positioning, or returns the existing one. With a single-competence scope, the
 * competence evaluation is started at once.
 */
export async function startPositioning(
  deps: EvaluationDeps,
  input: StartPositioningInput,
): Promise<PositioningView> {
  const codes = competenceCodesOf(deps.content, input.scope);
  const scope: PositioningScope =
    input.scope.type === 'all' ? { type: 'all' } : { type: input.scope.type, code: input.scope.code };
  const scopeKey = positioningScopeKey(scope);
  let positioning = await deps.positionings.find(input.learnerKey, input.activityId, scopeKey);
  if (!positioning) {
    const created: Positioning = {
      id: deps.newId(),
      learnerKey: input.learnerKey,
      scope,
      ...(input.activityId === undefined ? {} : { activityId: input.activityId }),
      locale: input.locale,
      createdAt: deps.clock.now(),
    };
    positioning = (await deps.positionings.add(created))
      ? created
      : await deps.positionings.find(input.learnerKey, input.activityId, scopeKey);
    if (!positioning) throw new DomainError('POSITIONING_CONFLICT', 'Could not create the positioning');
  }
  if (scope.type === 'competence' && codes[0] !== undefined) {
    await startCompetenceEvaluation(deps, {
      learnerKey: input.learnerKey,
      competenceCode: codes[0],
      locale: input.locale,
      positioningId: positioning.id,
    });
  }
  return positioningView(deps, positioning, input.locale);
}

export async function getPositioning(
  deps: EvaluationDeps,
  input: { readonly positioningId: string; readonly learnerKey: string; readonly locale?: Locale },
): Promise<PositioningView> {
  const positioning = await deps.positionings.get(input.positioningId);
  if (!positioning || positioning.learnerKey !== input.learnerKey) {
    throw new PositioningNotFoundError(input.positioningId);
  }
  return positioningView(deps, positioning, input.locale ?? positioning.locale);
}

async function positioningView(
  deps: EvaluationDeps,
  positioning: Positioning,
  locale: Locale,
): Promise<PositioningView> {
  await completePendingWrites(deps, positioning.learnerKey);
  const codes = competenceCodesOf(deps.content, positioning.scope);
  const [assessments, resets, knowledgeElements] = await Promise.all([
    deps.assessments.listByLearner(positioning.learnerKey),
    deps.competenceResets.listByLearner(positioning.learnerKey),
    deps.knowledgeElements.listByLearner(positioning.learnerKey),
  ]);
  const latest = latestAttempts(assessments);
  const maxLevel = deps.settings.maxReachableLevel;
  const scores = computeProfile({ competenceCodes: codes, knowledgeElements, maxLevel });
  const competences = codes.map((code, i): PositioningCompetenceView => {
    const competence = deps.content.competencesByCode.get(code);
    const attempt = latest.get(code);
    const status = competenceStatus(attempt, resets);
    const score = scores.competences[i];
    return {
      code,
      name: competence?.name[locale] ?? code,
      areaCode: competence?.areaCode ?? '',
      status,
      ...(status !== 'not-started' && attempt ? { assessmentId: attempt.id } : {}),
      pix: score?.pix ?? 0,
      level: score?.level ?? 0,
    };
  });
  return {
    positioning,
    competences,
    completed: competences.every((competence) => competence.status === 'completed'),
    pix: scores.totalPix,
    maxPix: codes.length * maxLevel * PIX_PER_LEVEL,
  };
}
