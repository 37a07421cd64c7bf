/**
 * Final status of an answer, from the checking outcome and the circumstances of the answer.
 * Statuses and rules follow docs/pix-reference.md §1 "Answer statuses" (Pix's `partially` and
 * `unimplemented` are not used here).
 */

export const ANSWER_STATUSES = ['ok', 'ko', 'aband', 'timedout', 'focusedOut'] as const;
export type AnswerStatus = (typeof ANSWER_STATUSES)[number];

/** The value stored for a skipped answer. */
export const ABAND_ANSWER_VALUE = '#ABAND#';

export interface AnswerStatusInput {
  /** The learner skipped the challenge ("Je passe"). */
  readonly skipped: boolean;
  /** Outcome of checkAnswer; ignored when skipped. */
  readonly correct: boolean;
  /** The answer was given after the challenge's timer ran out. */
  readonly timedOut: boolean;
  /** Focus was lost while answering a focused challenge. */
  readonly focusedOut: boolean;
  /**
   * Whether losing focus changes the status. Pix applies it in certification only; the caller
   * passes false outside certification or when the challenge is not a focused one. Default true.
   */
  readonly focusedOutCounts?: boolean;
}

/**
 * Resolves the status, in this order:
 * 1. skipped → 'aband' (whatever the other flags);
 * 2. incorrect → 'ko'. Decision: a wrong answer given after the time limit stays 'ko'. The
 *    reference only turns a *correct* late answer into 'timedout' (otherwise a late answer would
 *    earn credit); a wrong answer is already a failure and 'ko' keeps that information;
 * 3. correct but late → 'timedout'. It wins over focus-out: the late answer is no longer a correct
 *    one, and the reference applies focus-out to correct answers only;
 * 4. correct with focus lost, when focus-out counts → 'focusedOut';
 * 5. otherwise 'ok'.
 */
export function resolveAnswerStatus(input: AnswerStatusInput): AnswerStatus {
  if (input.skipped) return 'aband';
  if (!input.correct) return 'ko';
  if (input.timedOut) return 'timedout';
  if (input.focusedOut && (input.focusedOutCounts ?? true)) return 'focusedOut';
  return 'ok';
}

/** Only 'ok' counts as a success (a validated skill); every other status is a failure. */
export function isSuccess(status: AnswerStatus): boolean {
  return status === 'ok';
}
