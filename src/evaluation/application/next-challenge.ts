/**
 * The next challenge of a competence evaluation, resuming exactly where the learner stopped.
 *
 * - A challenge served and not answered is returned again, the SAME one, with the instant it was
 *   first served: the timer keeps running on the server across reloads and restarts.
 * - Otherwise the engine picks the next one (deterministically: same assessment and step, same
 *   pick) and it is recorded as served by an insert of (assessmentId, position) under a unique
 *   index. Two concurrent calls compute the same pick; one insert wins and both return it.
 * - When the engine has no more to ask, the assessment is completed.
 */
import type { Challenge } from '../../framework/domain/models.js';
import { DomainError } from '../../shared/domain/errors.js';
import {
  challengeDeadline,
  type Assessment,
  type AssessmentCompletionReason,
  type ServedChallenge,
} from '../domain/assessment.js';
import { competenceScope, computeNextChallenge, type NextChallengeResult } from '../domain/positioning.js';
import type { KnowledgeElement } from '../domain/knowledge-element.js';
import type { CompetenceScore } from '../domain/scoring.js';
import { AssessmentNotOngoingError } from '../domain/errors.js';
import { isAssessmentSuperseded, loadOwnedAssessment, scoreOf } from './competence-evaluation.js';
import { completePendingWrites, improvingContextOf } from './knowledge-element-writes.js';
import type { EvaluationDeps } from './ports.js';

/** What the learner's page may see of a challenge: everything but its solution. */
export type ChallengeForLearner = Omit<Challenge, 'solution'>;

export type NextChallengeView =
  | {
      readonly kind: 'challenge';
      readonly assessmentId: string;
      readonly competenceCode: string;
      readonly position: number;
      readonly challenge: ChallengeForLearner;
      readonly servedAt: Date;
      /** Timed challenges only: when the time runs out (answers get TIMER_GRACE_MS more). */
      readonly deadline?: Date;
      /** Timed challenges only: milliseconds left now, never negative. */
      readonly remainingMs?: number;
      /** True when this challenge had been served before (a reload, a return, a restart). */
      readonly resumed: boolean;
      readonly focusedOut: boolean;
    }
  | {
      readonly kind: 'completed';
      readonly assessmentId: string;
      readonly competenceCode: string;
      readonly reason: AssessmentCompletionReason | undefined;
      readonly completedAt: Date | undefined;
      readonly score: CompetenceScore;
    };

export interface AssessmentRef {
  readonly assessmentId: string;
  readonly learnerKey: string;
}

export async function getNextChallenge(
  deps: EvaluationDeps,
  input: AssessmentRef,
): Promise<NextChallengeView> {
  const stored = await storedState(deps, input);
  if (stored.view) return stored.view;
  let { assessment } = stored;
  const { served } = stored;

  const knowledgeElements = await deps.knowledgeElements.listByLearner(input.learnerKey);
  const next = nextFromEngine(deps, assessment, served, knowledgeElements);
  if (next.kind === 'completed') {
    await deps.assessments.complete(assessment.id, deps.clock.now(), next.reason);
    assessment = (await deps.assessments.get(assessment.id)) ?? assessment;
    return completedView(deps, assessment);
  }
  const slot: ServedChallenge = {
    assessmentId: assessment.id,
    learnerKey: assessment.learnerKey,
    position: (served[served.length - 1]?.position ?? 0) + 1,
    challengeId: next.challengeId,
    servedAt: deps.clock.now(),
  };
  if (await deps.servedChallenges.add(slot)) return challengeView(deps, assessment, slot, false);
  // A concurrent call served this position first: return what it served.
  const winner = await deps.servedChallenges.get(assessment.id, slot.position);
  if (!winner) throw new DomainError('SERVE_CONFLICT', 'Could not serve the next challenge');
  return challengeView(deps, assessment, winner, true);
}

/** What a page may show without writing: the served challenge, the end, or "nothing served yet". */
export type CurrentChallengeView =
  | NextChallengeView
  | { readonly kind: 'unserved'; readonly assessmentId: string; readonly competenceCode: string };

/**
 * The challenge being served, read only (for GET pages): the same one after a reload, with its
 * timer still running, or the completed view. When every served challenge is answered and the
 * next one is not served yet (getNextChallenge, called by the POST that answered, serves it), the
 * answer is `unserved` and nothing is written: picking and serving is left to a POST.
 */
export async function getCurrentChallenge(
  deps: EvaluationDeps,
  input: AssessmentRef,
): Promise<CurrentChallengeView> {
  const { assessment, view } = await storedState(deps, input);
  return view ?? { kind: 'unserved', assessmentId: assessment.id, competenceCode: assessment.competenceCode };
}

/**
 * What is stored for an assessment of the learner: its served challenges, and the view when the
 * stored state decides it (completed, or a served challenge still awaiting its answer).
 */
async function storedState(
  deps: EvaluationDeps,
  input: AssessmentRef,
): Promise<{
  readonly assessment: Assessment;
  readonly served: ServedChallenge[];
  readonly view?: Awaited<ReturnType<typeof completedView>> | Awaited<ReturnType<typeof challengeView>>;
}> {
  const assessment = await loadOwnedAssessment(deps, input.assessmentId, input.learnerKey);
  const [, superseded, served] = await Promise.all([
    completePendingWrites(deps, input.learnerKey),
    isAssessmentSuperseded(deps, assessment),
    deps.servedChallenges.listByAssessment(assessment.id),
  ]);
  // A reset superseded this attempt (completed or not): its results no longer hold.
  if (superseded) throw new AssessmentNotOngoingError(assessment.id, 'reset');
  if (assessment.state === 'completed')
    return { assessment, served, view: await completedView(deps, assessment) };
  const last = served[served.length - 1];
  if (last && !(await deps.answers.get(assessment.id, last.position))) {
    return { assessment, served, view: await challengeView(deps, assessment, last, true) };
  }
  return { assessment, served };
}

/** The engine's decision for an assessment whose served challenges are all answered. */
export function nextFromEngine(
  deps: EvaluationDeps,
  assessment: Assessment,
  served: readonly ServedChallenge[],
  knowledgeElements: readonly KnowledgeElement[],
): NextChallengeResult {
  const index = deps.content.engineIndex;
  return computeNextChallenge({
    index,
    scope: competenceScope(index, assessment.competenceCode),
    locale: assessment.locale,
    knowledgeElements,
    answers: served.map((slot) => ({ challengeId: slot.challengeId })),
    assessmentId: assessment.id,
    algorithm: assessment.algorithm,
    maxLevel: deps.settings.maxReachableLevel,
    ...(assessment.improving ? { improving: improvingContextOf(assessment) } : {}),
  });
}

async function completedView(deps: EvaluationDeps, assessment: Assessment): Promise<NextChallengeView> {
  const knowledgeElements = await deps.knowledgeElements.listByLearner(assessment.learnerKey);
  return {
    kind: 'completed',
    assessmentId: assessment.id,
    competenceCode: assessment.competenceCode,
    reason: assessment.completionReason,
    completedAt: assessment.completedAt,
    score: scoreOf(deps, knowledgeElements, assessment.competenceCode),
  };
}

function challengeView(
  deps: EvaluationDeps,
  assessment: Assessment,
  slot: ServedChallenge,
  resumed: boolean,
): NextChallengeView {
  const challenge = deps.content.challengesById.get(slot.challengeId);
  if (!challenge) {
    throw new DomainError('UNKNOWN_CHALLENGE', `Unknown challenge ${slot.challengeId}`, {
      challengeId: slot.challengeId,
    });
  }
  const { solution: _solution, ...forLearner } = challenge;
  const deadline = challengeDeadline(slot.servedAt, challenge.timer);
  return {
    kind: 'challenge',
    assessmentId: assessment.id,
    competenceCode: assessment.competenceCode,
    position: slot.position,
    challenge: forLearner,
    servedAt: slot.servedAt,
    ...(deadline
      ? { deadline, remainingMs: Math.max(0, deadline.getTime() - deps.clock.now().getTime()) }
      : {}),
    resumed,
    focusedOut: slot.focusedOutAt !== undefined,
  };
}
