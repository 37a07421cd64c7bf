/**
 * Starting a competence evaluation, and the helpers the other use cases share about assessments.
 *
 * One ongoing assessment per (learner, competence): attempts are numbered, and a new attempt is
 * an insert of number latest + 1 under the unique index (learnerKey, competenceCode, attempt). Two
 * concurrent starts both try the same number, one insert wins, and the other returns the winner.
 */
import {
  competenceStatus,
  isSuperseded,
  supersededAttempt,
  type Assessment,
  type CompetenceStatus,
} from '../domain/assessment.js';
import { DEFAULT_POSITIONING_ALGORITHM } from '../domain/algorithm.js';
import { competenceNode } from '../domain/engine-index.js';
import {
  AssessmentNotFoundError,
  AssessmentNotOngoingError,
  CompetenceNotInScopeError,
  PositioningNotFoundError,
} from '../domain/errors.js';
import { computeCompetenceScore, type CompetenceScore } from '../domain/scoring.js';
import type { KnowledgeElement } from '../domain/knowledge-element.js';
import type { Locale } from '../../framework/domain/models.js';
import { DomainError } from '../../shared/domain/errors.js';
import { competenceCodesOf } from './evaluation-content.js';
import type { EvaluationDeps } from './ports.js';

/** Concurrent creations settle within a few rounds; more means something else is wrong. */
const MAX_INSERT_ROUNDS = 5;

export interface StartCompetenceEvaluationInput {
  readonly learnerKey: string;
  readonly competenceCode: string;
  readonly locale: Locale;
  /** When started from a positioning: the competence must be in its scope. */
  readonly positioningId?: string;
}

/**
 * Returns the learner's current attempt at the competence (ongoing, or completed: a completed
 * competence is improved through improveCompetence, not restarted), or creates the first one (or
 * a new one after a reset).
 */
export async function startCompetenceEvaluation(
  deps: EvaluationDeps,
  input: StartCompetenceEvaluationInput,
): Promise<Assessment> {
  const code = competenceNode(deps.content.engineIndex, input.competenceCode).code;
  if (input.positioningId !== undefined) {
    const positioning = await deps.positionings.get(input.positioningId);
    if (!positioning || positioning.learnerKey !== input.learnerKey) {
      throw new PositioningNotFoundError(input.positioningId);
    }
    if (!competenceCodesOf(deps.content, positioning.scope).includes(code)) {
      throw new CompetenceNotInScopeError(input.positioningId, code);
    }
  }
  for (let round = 0; round < MAX_INSERT_ROUNDS; round += 1) {
    const [latest, resets] = await Promise.all([
      deps.assessments.findLatest(input.learnerKey, code),
      deps.competenceResets.listByLearner(input.learnerKey),
    ]);
    if (latest && !isSuperseded(latest, resets)) return latest;
    const assessment: Assessment = {
      id: deps.newId(),
      learnerKey: input.learnerKey,
      type: 'competence-evaluation',
      competenceCode: code,
      attempt: Math.max(latest?.attempt ?? 0, supersededAttempt(resets, code)) + 1,
      improving: false,
      algorithm: deps.settings.algorithm ?? DEFAULT_POSITIONING_ALGORITHM,
      locale: input.locale,
      ...(input.positioningId === undefined ? {} : { positioningId: input.positioningId }),
      state: 'started',
      startedAt: deps.clock.now(),
    };
    if (await deps.assessments.add(assessment)) return assessment;
  }
  throw new DomainError(
    'ASSESSMENT_CONFLICT',
    `Could not start competence ${code}: too many concurrent starts`,
  );
}

/** The assessment, when it belongs to the learner; AssessmentNotFoundError otherwise. */
export async function loadOwnedAssessment(
  deps: EvaluationDeps,
  assessmentId: string,
  learnerKey: string,
): Promise<Assessment> {
  const assessment = await deps.assessments.get(assessmentId);
  if (!assessment || assessment.learnerKey !== learnerKey) throw new AssessmentNotFoundError(assessmentId);
  return assessment;
}

/** Refuses an assessment that takes no more answers (completed, or superseded by a reset). */
export async function assertOngoing(deps: EvaluationDeps, assessment: Assessment): Promise<void> {
  if (assessment.state === 'completed') throw new AssessmentNotOngoingError(assessment.id, 'completed');
  if (await isAssessmentSuperseded(deps, assessment)) {
    throw new AssessmentNotOngoingError(assessment.id, 'reset');
  }
}

export async function isAssessmentSuperseded(deps: EvaluationDeps, assessment: Assessment): Promise<boolean> {
  return isSuperseded(assessment, await deps.competenceResets.listByLearner(assessment.learnerKey));
}

/** The status of one competence for a learner, with its current (not superseded) attempt. */
export async function currentAttempt(
  deps: EvaluationDeps,
  learnerKey: string,
  competenceCode: string,
): Promise<{ status: CompetenceStatus; assessment?: Assessment }> {
  const [latest, resets] = await Promise.all([
    deps.assessments.findLatest(learnerKey, competenceCode),
    deps.competenceResets.listByLearner(learnerKey),
  ]);
  const status = competenceStatus(latest, resets);
  return status === 'not-started' || !latest ? { status } : { status, assessment: latest };
}

export function scoreOf(
  deps: EvaluationDeps,
  knowledgeElements: readonly KnowledgeElement[],
  competenceCode: string,
): CompetenceScore {
  return computeCompetenceScore(knowledgeElements, competenceCode, {
    maxLevel: deps.settings.maxReachableLevel,
  });
}
