/**
 * Answering, skipping, and reporting a focus loss.
 *
 * An answer is idempotent per (assessment, position): it is inserted under the unique index
 * (assessmentId, position). A resubmission, or a concurrent duplicate that loses the insert,
 * returns the stored result and never stores a second answer.
 *
 * Order of writes (no transactions, see knowledge-element-writes.ts): the answer first, then its
 * knowledge elements under ids derived from it, then the answer's `appliedAt`. A crash anywhere in
 * between is completed by the learner's next call.
 *
 * Timers are checked here, on the server: an answer that arrives after servedAt + timer +
 * TIMER_GRACE_MS (2 s) is late, and a late correct answer gets the status 'timedout'.
 *
 * Focus-out decision: Pix turns a correct answer given after a focus loss into 'focusedOut' only in
 * certification. In positioning the loss is recorded (on the served challenge and on the answer)
 * but does not change the status, so it does not cost the learner anything; certification, when it
 * reuses this, passes `focusedOutCounts` for its focused challenges.
 */
import {
  ABAND_ANSWER_VALUE,
  checkAnswer,
  resolveAnswerStatus,
  type AnswerStatus,
  type AnswerValue,
} from '../../framework/domain/answer-checking/index.js';
import { DomainError } from '../../shared/domain/errors.js';
import { isAnswerLate, TIMER_GRACE_MS, type Answer, type AnswerResult } from '../domain/assessment.js';
import { ChallengeNotServedError } from '../domain/errors.js';
import type { KnowledgeElement } from '../domain/knowledge-element.js';
import { assertOngoing, loadOwnedAssessment, scoreOf } from './competence-evaluation.js';
import {
  completePendingWrites,
  knowledgeElementsForAnswer,
  writeAnswerElements,
} from './knowledge-element-writes.js';
import { nextFromEngine } from './next-challenge.js';
import type { EvaluationDeps } from './ports.js';

export interface SubmitAnswerInput {
  readonly assessmentId: string;
  readonly learnerKey: string;
  /** The position of the served challenge being answered (1-based). */
  readonly position: number;
  /** A string for QCU/QCM/QROC, an object input key → text for QROCM; '#ABAND#' skips. */
  readonly value: AnswerValue;
  /** The page reports that focus was lost while answering. */
  readonly focusedOut?: boolean;
}

export interface SubmitAnswerResult {
  readonly assessmentId: string;
  readonly position: number;
  readonly challengeId: string;
  readonly status: AnswerStatus;
  /** What the answer itself was worth (false for a skip): a late right answer is correct but 'timedout'. */
  readonly correct: boolean;
  readonly result: AnswerResult;
}

export async function submitAnswer(
  deps: EvaluationDeps,
  input: SubmitAnswerInput,
): Promise<SubmitAnswerResult> {
  assertPosition(input.position);
  const assessment = await loadOwnedAssessment(deps, input.assessmentId, input.learnerKey);
  await completePendingWrites(deps, input.learnerKey);

  const stored = await deps.answers.get(assessment.id, input.position);
  if (stored) return resultOf(stored);
  await assertOngoing(deps, assessment);
  const slot = await deps.servedChallenges.get(assessment.id, input.position);
  if (!slot) throw new ChallengeNotServedError(assessment.id, input.position);
  const challenge = deps.content.challengesById.get(slot.challengeId);
  if (!challenge) {
    throw new DomainError('UNKNOWN_CHALLENGE', `Unknown challenge ${slot.challengeId}`, {
      challengeId: slot.challengeId,
    });
  }

  // Refuses oversized or malformed answers (AnswerTooLargeError, AnswerMalformedError) before
  // anything is stored.
  const skipped = input.value === ABAND_ANSWER_VALUE;
  const check = skipped
    ? { correct: false }
    : checkAnswer(challenge.solution, input.value, assessment.locale);
  const answeredAt = deps.clock.now();
  const timedOut = isAnswerLate({
    servedAt: slot.servedAt,
    timerSeconds: challenge.timer,
    answeredAt,
    graceMs: deps.settings.timerGraceMs ?? TIMER_GRACE_MS,
  });
  const focusedOut = input.focusedOut === true || slot.focusedOutAt !== undefined;
  const status = resolveAnswerStatus({
    skipped,
    correct: check.correct,
    timedOut,
    focusedOut,
    focusedOutCounts: false,
  });

  const knowledgeElements = await deps.knowledgeElements.listByLearner(input.learnerKey);
  const facts = { assessmentId: assessment.id, position: input.position, challengeId: slot.challengeId };
  const elements = knowledgeElementsForAnswer(
    deps,
    assessment,
    { ...facts, status, answeredAt },
    knowledgeElements,
  );
  const before = scoreOf(deps, knowledgeElements, assessment.competenceCode);
  const after = scoreOf(
    deps,
    [...knowledgeElements, ...elements.map((stored) => stored.element)],
    assessment.competenceCode,
  );
  const answer: Answer = {
    ...facts,
    learnerKey: input.learnerKey,
    value: input.value,
    status,
    correct: check.correct,
    timedOut,
    focusedOut,
    result: {
      ...('details' in check && check.details
        ? { details: Object.entries(check.details).map(([key, correct]) => ({ key, correct })) }
        : {}),
      levelBefore: before.level,
      levelAfter: after.level,
    },
    answeredAt,
  };

  if (!(await deps.answers.add(answer))) {
    // A concurrent duplicate stored its answer first: that one is the answer.
    const winner = await deps.answers.get(assessment.id, input.position);
    if (!winner) throw new DomainError('ANSWER_CONFLICT', 'Could not store the answer');
    await completePendingWrites(deps, input.learnerKey);
    return resultOf(winner);
  }
  await writeAnswerElements(deps, answer, elements);
  await completeWhenNothingLeft(deps, assessment.id, [
    ...knowledgeElements,
    ...elements.map((stored) => stored.element),
  ]);
  return resultOf(answer);
}

/** "Je passe": stores '#ABAND#' with the status 'aband'. */
export function skipChallenge(
  deps: EvaluationDeps,
  input: { readonly assessmentId: string; readonly learnerKey: string; readonly position: number },
): Promise<SubmitAnswerResult> {
  return submitAnswer(deps, { ...input, value: ABAND_ANSWER_VALUE });
}

/**
 * Marks the served, unanswered challenge at `position` as having lost focus (the first report
 * counts). Does nothing once it is answered. Returns whether the challenge is now marked.
 */
export async function recordFocusOut(
  deps: EvaluationDeps,
  input: { readonly assessmentId: string; readonly learnerKey: string; readonly position: number },
): Promise<{ readonly recorded: boolean; readonly focusedOutAt?: Date }> {
  assertPosition(input.position);
  const assessment = await loadOwnedAssessment(deps, input.assessmentId, input.learnerKey);
  const slot = await deps.servedChallenges.get(assessment.id, input.position);
  if (!slot) throw new ChallengeNotServedError(assessment.id, input.position);
  if (slot.focusedOutAt) return { recorded: true, focusedOutAt: slot.focusedOutAt };
  if (await deps.answers.get(assessment.id, input.position)) return { recorded: false };
  const at = deps.clock.now();
  await deps.servedChallenges.markFocusedOut(assessment.id, input.position, at);
  return { recorded: true, focusedOutAt: at };
}

/**
 * Completes the assessment as soon as the engine has nothing more to ask, so that the profile shows
 * it completed even if the learner never asks for the next challenge. getNextChallenge does the same.
 */
async function completeWhenNothingLeft(
  deps: EvaluationDeps,
  assessmentId: string,
  knowledgeElements: readonly KnowledgeElement[],
): Promise<void> {
  const assessment = await deps.assessments.get(assessmentId);
  if (!assessment || assessment.state !== 'started') return;
  const served = await deps.servedChallenges.listByAssessment(assessmentId);
  const next = nextFromEngine(deps, assessment, served, knowledgeElements);
  if (next.kind === 'completed') await deps.assessments.complete(assessmentId, deps.clock.now(), next.reason);
}

function resultOf(answer: Answer): SubmitAnswerResult {
  return {
    assessmentId: answer.assessmentId,
    position: answer.position,
    challengeId: answer.challengeId,
    status: answer.status,
    correct: answer.correct,
    result: answer.result,
  };
}

function assertPosition(position: number): void {
  if (!Number.isSafeInteger(position) || position < 1) {
    throw new DomainError('VALIDATION_FAILED', 'The position must be a whole number from 1.', { position });
  }
}
