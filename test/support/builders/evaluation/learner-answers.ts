/**
 * Answers a simulated learner gives: the right answer of any challenge (built from its solution),
 * a wrong one, and a loop that plays a competence evaluation through the use cases.
 */
import type { AnswerValue } from '../../../../src/framework/domain/answer-checking/index.js';
import type { Challenge, Locale } from '../../../../src/framework/domain/models.js';
import type { EvaluationUseCases } from '../../../../src/evaluation/application/use-cases.js';
import type { SubmitAnswerResult } from '../../../../src/evaluation/application/submit-answer.js';

/** A right answer for the challenge, from its solution. */
export function rightAnswer(challenge: Challenge, locale: Locale = 'fr'): AnswerValue {
  const solution = challenge.solution;
  switch (solution.type) {
    case 'QCU':
      return String(solution.answer);
    case 'QCM':
      return solution.answers.join(',');
    case 'QROC':
      return solution.input.variants[locale][0] ?? '';
    case 'QROCM-ind':
      return Object.fromEntries(solution.inputs.map((input) => [input.key, input.variants[locale][0] ?? '']));
    case 'QROCM-dep':
      return Object.fromEntries(
        solution.inputKeys.map((key, i) => [key, solution.groups[i]?.[locale][0] ?? '']),
      );
  }
}

/** A wrong answer of the right shape. */
export function wrongAnswer(challenge: Challenge): AnswerValue {
  const solution = challenge.solution;
  switch (solution.type) {
    case 'QCU':
      return String(solution.answer === 1 ? 2 : 1);
    case 'QCM':
      return '999';
    case 'QROC':
      return 'zzzz-not-an-answer';
    case 'QROCM-ind':
      return Object.fromEntries(solution.inputs.map((input) => [input.key, 'zzzz-not-an-answer']));
    case 'QROCM-dep':
      return Object.fromEntries(solution.inputKeys.map((key) => [key, 'zzzz-not-an-answer']));
  }
}

export interface PlayedStep {
  readonly position: number;
  readonly challengeId: string;
  readonly result: SubmitAnswerResult;
}

/**
 * Plays up to `steps` challenges of the assessment: asks for the next one and answers it right
 * when `answersRight(position)` says so. Stops early when the assessment completes.
 */
export async function playChallenges(
  useCases: EvaluationUseCases,
  input: {
    readonly assessmentId: string;
    readonly learnerKey: string;
    readonly steps: number;
    readonly answersRight: (position: number, challenge: Challenge) => boolean;
    readonly challenges: ReadonlyMap<string, Challenge>;
  },
): Promise<PlayedStep[]> {
  const played: PlayedStep[] = [];
  for (let step = 0; step < input.steps; step += 1) {
    const next = await useCases.getNextChallenge({
      assessmentId: input.assessmentId,
      learnerKey: input.learnerKey,
    });
    if (next.kind === 'completed') break;
    const challenge = input.challenges.get(next.challenge.id);
    if (!challenge) throw new Error(`unknown challenge ${next.challenge.id}`);
    const result = await useCases.submitAnswer({
      assessmentId: input.assessmentId,
      learnerKey: input.learnerKey,
      position: next.position,
      value: input.answersRight(next.position, challenge) ? rightAnswer(challenge) : wrongAnswer(challenge),
    });
    played.push({ position: next.position, challengeId: challenge.id, result });
  }
  return played;
}

/** A learner who gets the easy skills right and misses the hard ones, with a few slips. */
export function typicalLearner(levelMastered: number): (position: number, challenge: Challenge) => boolean {
  return (position, challenge) => {
    const level = Number(/(\d+)(?:-\d+)?$/.exec(challenge.skillId)?.[1] ?? 0);
    const slip = position % 7 === 3;
    return level <= levelMastered ? !slip : position % 5 === 0;
  };
}
