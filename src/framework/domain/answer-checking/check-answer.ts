import type {
  Locale,
  LocalizedVariants,
  QcmSolution,
  QcuSolution,
  QrocmDepSolution,
  QrocmIndSolution,
  QrocSolution,
  Solution,
  TextInputSolution,
  Tolerances,
} from '../models.js';
import { assertAnswerSize, isPlainObject, type AnswerValue } from './answer-value.js';
import { AnswerMalformedError } from './errors.js';
import { matchesNumber } from './numeric.js';
import { matchesSelect, matchesText, preTreat } from './text-treatments.js';

/**
 * Pure answer checking, one function per challenge type plus the {@link checkAnswer} entry point.
 *
 * Every entry point first refuses an answer larger than 10 240 UTF-8 bytes (AnswerTooLargeError),
 * then an answer of the wrong shape (AnswerMalformedError). After that, nothing throws: garbage
 * is simply incorrect. A skipped answer ('#ABAND#') is not checked here; see answer-status.ts.
 */

export interface AnswerCheckResult {
  readonly correct: boolean;
  /** QROCM-ind and QROCM-dep only: the outcome of each input, by key. */
  readonly details?: Readonly<Record<string, boolean>>;
}

const CORRECT: AnswerCheckResult = Object.freeze({ correct: true });
const INCORRECT: AnswerCheckResult = Object.freeze({ correct: false });

/** A canonical 1-based index: digits without sign, leading zero, space or decimal part. */
const INDEX_PATTERN = /^[1-9]\d*$/;

function parseIndex(text: string): number | undefined {
  const trimmed = text.trim();
  if (!INDEX_PATTERN.test(trimmed)) return undefined;
  const index = Number(trimmed);
  return Number.isSafeInteger(index) ? index : undefined;
}

function expectString(value: unknown, challengeType: Solution['type']): string {
  assertAnswerSize(value);
  if (typeof value !== 'string') {
    throw new AnswerMalformedError(challengeType, 'string', 'a text answer is expected');
  }
  return value;
}

function expectRecord(value: unknown, challengeType: Solution['type']): Readonly<Record<string, string>> {
  assertAnswerSize(value);
  if (!isPlainObject(value)) {
    throw new AnswerMalformedError(challengeType, 'object', 'an object of input key → text is expected');
  }
  for (const key of Object.keys(value)) {
    if (typeof value[key] !== 'string') {
      throw new AnswerMalformedError(challengeType, 'object', 'every input value must be a text');
    }
  }
  return value as Readonly<Record<string, string>>;
}

/** The learner's answer to one input, or undefined when absent (own properties only). */
function answerFor(value: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(value, key) ? value[key] : undefined;
}

function variantsFor(variants: LocalizedVariants, locale: Locale): readonly string[] {
  // Defensive: content loaded at runtime could miss a locale; no variant means no match.
  return (variants as Partial<LocalizedVariants>)[locale] ?? [];
}

/**
 * One text input. Precedence: a select input is matched exactly (after pre-treatment), then a
 * numeric input numerically; otherwise the challenge's tolerances apply.
 */
export function matchesInput(
  answer: string,
  input: TextInputSolution,
  tolerances: Tolerances,
  locale: Locale,
): boolean {
  const variants = variantsFor(input.variants, locale);
  if (input.select) return matchesSelect(answer, variants);
  if (input.numeric) return matchesNumber(answer, variants, locale);
  return matchesText(answer, variants, tolerances);
}

/** QCU: the answer is the 1-based index of the chosen proposal, e.g. "2" (surrounding spaces allowed). */
export function checkQcu(solution: QcuSolution, value: AnswerValue): AnswerCheckResult {
  const text = expectString(value, solution.type);
  return parseIndex(preTreat(text)) === solution.answer ? CORRECT : INCORRECT;
}

/**
 * QCM: the answer lists the chosen 1-based indexes separated by commas, e.g. "1,3" or " 3 , 1 ".
 * Order-insensitive and all-or-nothing: the chosen set must equal the solution's set.
 *
 * Decision: a repeated index ("1,1,3"), an empty item ("1,,3", "1,3,") or any non-index item makes
 * the answer incorrect rather than being normalised away; the UI never sends such values.
 */
export function checkQcm(solution: QcmSolution, value: AnswerValue): AnswerCheckResult {
  const text = expectString(value, solution.type);
  const expected = new Set(solution.answers);
  const chosen = new Set<number>();
  for (const item of preTreat(text).split(',')) {
    const index = parseIndex(item);
    if (index === undefined || chosen.has(index) || !expected.has(index)) return INCORRECT;
    chosen.add(index);
  }
  return chosen.size === expected.size ? CORRECT : INCORRECT;
}

/** QROC: a single text answer, checked against the input's variants for the learner's locale. */
export function checkQroc(solution: QrocSolution, value: AnswerValue, locale: Locale): AnswerCheckResult {
  const text = expectString(value, solution.type);
  return matchesInput(text, solution.input, solution.tolerances, locale) ? CORRECT : INCORRECT;
}

/**
 * QROCM-ind: each input is checked independently against its own variants; correct only when every
 * input is. `details` holds one entry per input of the solution.
 *
 * Decision: a missing key makes that input incorrect; extra keys are ignored (they cannot make an
 * input correct, and still count towards the size limit).
 */
export function checkQrocmInd(
  solution: QrocmIndSolution,
  value: AnswerValue,
  locale: Locale,
): AnswerCheckResult {
  const answers = expectRecord(value, solution.type);
  const details: Record<string, boolean> = {};
  for (const input of solution.inputs) {
    const answer = answerFor(answers, input.key);
    details[input.key] = answer !== undefined && matchesInput(answer, input, solution.tolerances, locale);
  }
  const correct = solution.inputs.length > 0 && Object.values(details).every(Boolean);
  return { correct, details: Object.freeze(details) };
}

/**
 * QROCM-dep: the inputs are interchangeable; each answer must match a distinct group of variants
 * (each group used at most once, in any order). Correct only when every input is matched.
 *
 * The assignment is a maximum bipartite matching (augmenting paths, Kuhn's algorithm), so a
 * greedy choice can never cause a false "incorrect": with groups [A or B] and [A], answers (A, B)
 * are correct. `details[key]` tells whether that input is matched in the maximum matching found;
 * when not every input can be matched, which ones are reported matched follows the display order.
 *
 * Decision: a missing key makes that input unmatched; extra keys are ignored.
 */
export function checkQrocmDep(
  solution: QrocmDepSolution,
  value: AnswerValue,
  locale: Locale,
): AnswerCheckResult {
  const answers = expectRecord(value, solution.type);
  const groupVariants = solution.groups.map((group) => variantsFor(group, locale));
  // compatible[i] lists the groups that input i's answer matches.
  const compatible = solution.inputKeys.map((key) => {
    const answer = answerFor(answers, key);
    if (answer === undefined) return [];
    return groupVariants.flatMap((variants, groupIndex) =>
      matchesText(answer, variants, solution.tolerances) ? [groupIndex] : [],
    );
  });

  const inputOfGroup: (number | undefined)[] = groupVariants.map(() => undefined);
  const tryAssign = (input: number, visited: boolean[]): boolean => {
    for (const group of compatible[input] ?? []) {
      if (visited[group]) continue;
      visited[group] = true;
      const holder = inputOfGroup[group];
      if (holder === undefined || tryAssign(holder, visited)) {
        inputOfGroup[group] = input;
        return true;
      }
    }
    return false;
  };
  solution.inputKeys.forEach((_, input) => {
    tryAssign(
      input,
      groupVariants.map(() => false),
    );
  });

  const matched = new Set(inputOfGroup.filter((input) => input !== undefined));
  const details: Record<string, boolean> = {};
  solution.inputKeys.forEach((key, input) => {
    details[key] = matched.has(input);
  });
  const correct = solution.inputKeys.length > 0 && matched.size === solution.inputKeys.length;
  return { correct, details: Object.freeze(details) };
}

/**
 * Checks a learner's answer against a challenge's solution.
 *
 * @throws AnswerTooLargeError when the answer exceeds 10 240 UTF-8 bytes (checked first).
 * @throws AnswerMalformedError when the answer's shape does not fit the challenge type.
 */
export function checkAnswer(solution: Solution, value: AnswerValue, locale: Locale): AnswerCheckResult {
  switch (solution.type) {
    case 'QCU':
      return checkQcu(solution, value);
    case 'QCM':
      return checkQcm(solution, value);
    case 'QROC':
      return checkQroc(solution, value, locale);
    case 'QROCM-ind':
      return checkQrocmInd(solution, value, locale);
    case 'QROCM-dep':
      return checkQrocmDep(solution, value, locale);
    default: {
      // Unreachable for well-typed content; guards against a solution built from unchecked data.
      const unknownSolution: never = solution;
      throw new Error(`Unknown challenge type: ${String((unknownSolution as { type?: unknown }).type)}`);
    }
  }
}
