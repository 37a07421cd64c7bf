/**
 * What a learner can do to a competence once it is under way: end it, improve it, reset it.
 *
 * - completeCompetence: the learner ends the competence evaluation now. The KEs already earned
 *   stand; a challenge served and not answered is left unanswered (no KE, no penalty). The engine
 *   also completes it by itself when it has nothing left to ask (getNextChallenge, submitAnswer).
 * - improveCompetence ("retenter"): once completed, below the highest level, and N days
 *   (IMPROVE_AFTER_DAYS, default 4) after the competence's last KE, starts an "improving" attempt
 *   in which invalidated KEs older than N days are ignored (pix-reference §2).
 * - resetCompetence: M days (RESET_AFTER_DAYS, default 7) after the last KE, rewrites every KE of
 *   the competence as 'reset' (0 pix) and supersedes its attempts; the next start is a new attempt.
 *
 * Both refusals are domain errors (IMPROVE_NOT_ALLOWED, RESET_NOT_ALLOWED) saying why and, when
 * only the delay is missing, from when.
 */
import type { Locale } from '../../framework/domain/models.js';
import { DomainError } from '../../shared/domain/errors.js';
import { isSuperseded, type Assessment, type CompetenceReset } from '../domain/assessment.js';
import { competenceNode } from '../domain/engine-index.js';
import { AssessmentNotOngoingError, ImproveNotAllowedError, ResetNotAllowedError } from '../domain/errors.js';
import { canImproveCompetence, canResetCompetence, lastKnowledgeElementAt } from '../domain/improvement.js';
import type { CompetenceScore } from '../domain/scoring.js';
import { DEFAULT_POSITIONING_ALGORITHM } from '../domain/algorithm.js';
import { currentAttempt, loadOwnedAssessment, scoreOf } from './competence-evaluation.js';
import {
  completePendingWrites,
  knowledgeElementsForReset,
  writeResetElements,
} from './knowledge-element-writes.js';
import { getNextChallenge, type AssessmentRef, type NextChallengeView } from './next-challenge.js';
import type { EvaluationDeps } from './ports.js';

const MAX_INSERT_ROUNDS = 5;

/** Ends the competence evaluation now; returns the completed view (idempotent). */
export async function completeCompetence(
  deps: EvaluationDeps,
  input: AssessmentRef,
): Promise<NextChallengeView> {
  const assessment = await loadOwnedAssessment(deps, input.assessmentId, input.learnerKey);
  await completePendingWrites(deps, input.learnerKey);
  if (assessment.state === 'started') {
    const resets = await deps.competenceResets.listByLearner(input.learnerKey);
    if (isSuperseded(assessment, resets)) throw new AssessmentNotOngoingError(assessment.id, 'reset');
    await deps.assessments.complete(assessment.id, deps.clock.now(), 'ended-by-learner');
  }
  return getNextChallenge(deps, input);
}

export interface CompetenceRef {
  readonly learnerKey: string;
  readonly competenceCode: string;
}

/** Starts an improving attempt, or returns the improving attempt already under way. */
export async function improveCompetence(
  deps: EvaluationDeps,
  input: CompetenceRef & { readonly locale: Locale },
): Promise<Assessment> {
  const code = competenceNode(deps.content.engineIndex, input.competenceCode).code;
  await completePendingWrites(deps, input.learnerKey);
  for (let round = 0; round < MAX_INSERT_ROUNDS; round += 1) {
    const { status, assessment } = await currentAttempt(deps, input.learnerKey, code);
    if (status === 'in-progress' && assessment?.improving) return assessment;
    const knowledgeElements = await deps.knowledgeElements.listByLearner(input.learnerKey);
    const now = deps.clock.now();
    const decision = canImproveCompetence({
      competenceCompleted: status === 'completed',
      level: scoreOf(deps, knowledgeElements, code).level,
      maxLevel: deps.settings.maxReachableLevel,
      lastKnowledgeElementAt: lastKnowledgeElementAt(knowledgeElements, code),
      now,
      daysBeforeImproving: deps.settings.improveAfterDays,
    });
    if (!decision.allowed) throw new ImproveNotAllowedError(code, decision.reason, decision.availableAt);
    const improving: Assessment = {
      id: deps.newId(),
      learnerKey: input.learnerKey,
      type: 'competence-evaluation',
      competenceCode: code,
      attempt: (assessment?.attempt ?? 0) + 1,
      improving: true,
      improvingDays: deps.settings.improveAfterDays,
      algorithm: deps.settings.algorithm ?? DEFAULT_POSITIONING_ALGORITHM,
      locale: input.locale,
      state: 'started',
      startedAt: now,
    };
    if (await deps.assessments.add(improving)) return improving;
  }
  throw new DomainError(
    'ASSESSMENT_CONFLICT',
    `Could not improve competence ${code}: too many concurrent starts`,
  );
}

export interface ResetResult {
  readonly competenceCode: string;
  readonly resetAt: Date;
  readonly score: CompetenceScore;
}

/** Resets the competence (idempotent under concurrency: one reset is recorded). */
export async function resetCompetence(deps: EvaluationDeps, input: CompetenceRef): Promise<ResetResult> {
  const code = competenceNode(deps.content.engineIndex, input.competenceCode).code;
  await completePendingWrites(deps, input.learnerKey);
  const [knowledgeElements, resets, latest] = await Promise.all([
    deps.knowledgeElements.listByLearner(input.learnerKey),
    deps.competenceResets.listByLearner(input.learnerKey),
    deps.assessments.findLatest(input.learnerKey, code),
  ]);
  const now = deps.clock.now();
  const decision = canResetCompetence({
    lastKnowledgeElementAt: lastKnowledgeElementAt(knowledgeElements, code),
    now,
    daysBeforeReset: deps.settings.resetAfterDays,
  });
  if (!decision.allowed) throw new ResetNotAllowedError(code, decision.reason, decision.availableAt);

  const ofCompetence = resets.filter((reset) => reset.competenceCode === code);
  const reset: CompetenceReset = {
    id: deps.newId(),
    learnerKey: input.learnerKey,
    competenceCode: code,
    sequence: Math.max(0, ...ofCompetence.map((known) => known.sequence)) + 1,
    supersedesAttempt: latest?.attempt ?? 0,
    resetAt: now,
    daysBeforeReset: deps.settings.resetAfterDays,
  };
  // The reset is recorded first, then its KEs (recoverable, see knowledge-element-writes.ts). A
  // concurrent reset that recorded the same sequence first did the work: finish it if needed.
  if (await deps.competenceResets.add(reset)) {
    await writeResetElements(deps, reset, knowledgeElementsForReset(deps, reset, knowledgeElements));
  } else {
    await completePendingWrites(deps, input.learnerKey);
  }
  const after = await deps.knowledgeElements.listByLearner(input.learnerKey);
  const recorded =
    (await deps.competenceResets.listByLearner(input.learnerKey)).find(
      (known) => known.competenceCode === code && known.sequence === reset.sequence,
    ) ?? reset;
  return { competenceCode: code, resetAt: recorded.resetAt, score: scoreOf(deps, after, code) };
}
