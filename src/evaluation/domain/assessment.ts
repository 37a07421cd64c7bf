/**
 * What a learner's positioning leaves behind, as plain data: positionings (a scope the learner was
 * sent to), competence evaluations (one assessment per attempt at a competence), the challenges
 * served in them, the answers, and competence resets. Pure rules about them live here too.
 *
 * Positions are 1-based (the first challenge of an assessment is at position 1); the engine's
 * `answerIndex` on a knowledge element is the 0-based `position − 1`.
 */
import type { AnswerStatus, AnswerValue } from '../../framework/domain/answer-checking/index.js';
import type { Locale } from '../../framework/domain/models.js';
import type { PositioningAlgorithm } from './algorithm.js';
import type { CompletionReason } from './selection-rules.js';

/** Same shape as the LTI activity's scope (src/lti/domain/activity.ts). */
export type PositioningScope =
  | { readonly type: 'all' }
  | { readonly type: 'area'; readonly code: string }
  | { readonly type: 'competence'; readonly code: string };

export function positioningScopeKey(scope: PositioningScope): string {
  return scope.type === 'all' ? 'all' : `${scope.type}:${scope.code}`;
}

/** A learner's positioning over a scope, created once per (learner, activity, scope). */
export interface Positioning {
  readonly id: string;
  readonly learnerKey: string;
  readonly scope: PositioningScope;
  /** The LTI activity (resource link) it was started from, if any. */
  readonly activityId?: string;
  readonly locale: Locale;
  readonly createdAt: Date;
}

export type AssessmentState = 'started' | 'completed';
/** The engine's reasons, or the learner's own decision to end the competence. */
export type AssessmentCompletionReason = CompletionReason | 'ended-by-learner';

/**
 * A competence evaluation: one attempt at one competence. Attempts are numbered 1, 2, … per
 * (learner, competence); a new attempt follows a completed one only through "improve", or any
 * attempt superseded by a reset.
 */
export interface Assessment {
  readonly id: string;
  readonly learnerKey: string;
  readonly type: 'competence-evaluation';
  readonly competenceCode: string;
  readonly attempt: number;
  /** An "improving" attempt: old invalidated KEs are ignored (improvingDays before startedAt). */
  readonly improving: boolean;
  readonly improvingDays?: number;
  readonly algorithm: PositioningAlgorithm;
  /** The locale challenges are served in, fixed when the assessment is created. */
  readonly locale: Locale;
  readonly positioningId?: string;
  readonly state: AssessmentState;
  readonly startedAt: Date;
  readonly completedAt?: Date;
  readonly completionReason?: AssessmentCompletionReason;
}

/** A challenge served at a position of an assessment. At most one per (assessment, position). */
export interface ServedChallenge {
  readonly assessmentId: string;
  readonly learnerKey: string;
  readonly position: number;
  readonly challengeId: string;
  /** When it was first served; the timer runs from here, across reloads and restarts. */
  readonly servedAt: Date;
  /** Set when the learner's page reported a focus loss before the answer. */
  readonly focusedOutAt?: Date;
}

export interface AnswerResult {
  /** QROCM only: the outcome of each input, as values (input keys never become storage keys). */
  readonly details?: ReadonlyArray<{ readonly key: string; readonly correct: boolean }>;
  /** The competence's level just before and just after this answer. */
  readonly levelBefore: number;
  readonly levelAfter: number;
}

/** An answer, at most one per (assessment, position). */
export interface Answer {
  readonly assessmentId: string;
  readonly learnerKey: string;
  readonly position: number;
  readonly challengeId: string;
  readonly value: AnswerValue;
  readonly status: AnswerStatus;
  /** What checkAnswer said (false for a skip); only `status === 'ok'` validates the skill. */
  readonly correct: boolean;
  readonly timedOut: boolean;
  /** Focus was lost (reported with the answer or before it); recorded, see submit-answer.ts. */
  readonly focusedOut: boolean;
  readonly result: AnswerResult;
  readonly answeredAt: Date;
  /** Set once its knowledge elements are written; unset means a crash interrupted the work. */
  readonly appliedAt?: Date;
}

/**
 * A reset of a competence (all its KEs rewritten as 'reset'). It supersedes every attempt up to
 * `supersedesAttempt`; numbered 1, 2, … per (learner, competence).
 */
export interface CompetenceReset {
  readonly id: string;
  readonly learnerKey: string;
  readonly competenceCode: string;
  readonly sequence: number;
  readonly supersedesAttempt: number;
  readonly resetAt: Date;
  readonly daysBeforeReset: number;
  /** Set once its reset KEs are written. */
  readonly appliedAt?: Date;
}

export type CompetenceStatus = 'not-started' | 'in-progress' | 'completed';

/** The highest attempt superseded by a reset of the competence (0 when never reset). */
export function supersededAttempt(resets: readonly CompetenceReset[], competenceCode: string): number {
  let highest = 0;
  for (const reset of resets) {
    if (reset.competenceCode === competenceCode) highest = Math.max(highest, reset.supersedesAttempt);
  }
  return highest;
}

/** True when a reset of the competence happened after this attempt was created. */
export function isSuperseded(assessment: Assessment, resets: readonly CompetenceReset[]): boolean {
  return assessment.attempt <= supersededAttempt(resets, assessment.competenceCode);
}

/** The competence's status from its latest attempt: a superseded attempt counts as none. */
export function competenceStatus(
  latest: Assessment | undefined,
  resets: readonly CompetenceReset[],
): CompetenceStatus {
  if (!latest || isSuperseded(latest, resets)) return 'not-started';
  return latest.state === 'completed' ? 'completed' : 'in-progress';
}

/** The attempt with the highest number for each competence. */
export function latestAttempts(assessments: readonly Assessment[]): Map<string, Assessment> {
  const latest = new Map<string, Assessment>();
  for (const assessment of assessments) {
    const current = latest.get(assessment.competenceCode);
    if (!current || assessment.attempt > current.attempt) latest.set(assessment.competenceCode, assessment);
  }
  return latest;
}

/**
 * The grace added to a challenge's timer before an answer counts as late. It absorbs the network
 * and the page's own submission delay: an answer sent at the last second still arrives in time.
 */
export const TIMER_GRACE_MS = 2000;

/** The instant a timed challenge's time runs out (without the grace), or undefined when untimed. */
export function challengeDeadline(servedAt: Date, timerSeconds: number | undefined): Date | undefined {
  return timerSeconds === undefined ? undefined : new Date(servedAt.getTime() + timerSeconds * 1000);
}

/** Checked on the server: late when it arrives after servedAt + timer + grace. */
export function isAnswerLate(input: {
  readonly servedAt: Date;
  readonly timerSeconds: number | undefined;
  readonly answeredAt: Date;
  readonly graceMs?: number;
}): boolean {
  const deadline = challengeDeadline(input.servedAt, input.timerSeconds);
  if (deadline === undefined) return false;
  return input.answeredAt.getTime() > deadline.getTime() + (input.graceMs ?? TIMER_GRACE_MS);
}

/**
 * Orders a learner's KEs created at the same instant (the engine takes the later one in the list
 * as the latest): by attempt, then answer position, then rank in the answer's batch; a reset's
 * KEs come after every answer of the attempts it supersedes.
 */
export const KNOWLEDGE_ELEMENT_ORDER = Object.freeze({
  perAttempt: 1_000_000,
  perPosition: 1000,
  reset: 999_999,
});

export function answerElementOrder(attempt: number, position: number, rank: number): number {
  return attempt * KNOWLEDGE_ELEMENT_ORDER.perAttempt + position * KNOWLEDGE_ELEMENT_ORDER.perPosition + rank;
}

export function resetElementOrder(supersedesAttempt: number): number {
  return supersedesAttempt * KNOWLEDGE_ELEMENT_ORDER.perAttempt + KNOWLEDGE_ELEMENT_ORDER.reset;
}
