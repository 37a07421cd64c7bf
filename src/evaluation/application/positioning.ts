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

/** Where the learner stands in a scope, whether or not they have started the positioning. */
export interface PositioningStanding {
  /** Absent when the learner never started this positioning (nothing is stored for it). */
  readonly positioning?: Positioning;
  readonly competences: readonly PositioningCompetenceView[];
  /** Every competence of the scope is completed. */
  readonly completed: boolean;
  /** Pix earned in the scope, and the most it can hold (the activity's grade). */
  readonly pix: number;
  readonly maxPix: number;
}

export interface PositioningView extends PositioningStanding {
  readonly positioning: Positioning;
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

/**
 * The learner's standing in a positioning, read only: the stored positioning when it exists, or
 * the same view without one (every competence not started, unless started from another activity:
 * competence evaluations and the profile are shared). Nothing is created, so that pages shown by a
 * GET (the activity page, the results) never write; only startPositioning does.
 */
export async function readPositioning(
  deps: EvaluationDeps,
  input: StartPositioningInput,
): Promise<PositioningStanding> {
  const scopeKey = positioningScopeKey(input.scope);
  const [positioning, standing] = await Promise.all([
    deps.positionings.find(input.learnerKey, input.activityId, scopeKey),
    standingOf(deps, input.learnerKey, input.scope, input.locale),
  ]);
  return positioning ? { ...standing, positioning } : standing;
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
  return { ...(await standingOf(deps, positioning.learnerKey, positioning.scope, locale)), positioning };
}

async function standingOf(
  deps: EvaluationDeps,
  learnerKey: string,
  scope: PositioningScope,
  locale: Locale,
): Promise<Omit<PositioningStanding, 'positioning'>> {
  const codes = competenceCodesOf(deps.content, scope);
  // One round of reads; answers or resets a crash left without their KEs are finished first (the
  // only write a read may do: idempotent, and never needed in normal operation), then read again.
  const [unapplied, assessments, resets, knowledgeElements] = await Promise.all([
    deps.answers.listUnapplied(learnerKey),
    deps.assessments.listByLearner(learnerKey),
    deps.competenceResets.listByLearner(learnerKey),
    deps.knowledgeElements.listByLearner(learnerKey),
  ]);
  if (unapplied.length > 0 || resets.some((reset) => reset.appliedAt === undefined)) {
    await completePendingWrites(deps, learnerKey);
    return standingOf(deps, learnerKey, scope, locale);
  }
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
    competences,
    completed: competences.every((competence) => competence.status === 'completed'),
    pix: scores.totalPix,
    maxPix: codes.length * maxLevel * PIX_PER_LEVEL,
  };
}
