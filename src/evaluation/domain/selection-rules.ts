/**
 * The selection rules shared by the positioning algorithms: filters, reward and pick
 * (pix-reference §2), and Pix's own selection (`pixSelection`).
 */
import type { Locale } from '../../framework/domain/models.js';
import type { RandomSource } from '../../shared/domain/random.js';
import type { EngineIndex, EngineScope, LocaleScope } from './engine-index.js';
import { isDirectState, isValidatedState, SkillState } from './knowledge-element.js';
import {
  DIFFICULTY_SLOTS,
  FIRST_CHALLENGE_LEVEL,
  MAX_GAP_ABOVE_PREDICTED_LEVEL,
  predictPixLevel,
  rasch,
} from './level-estimation.js';
import { pickIndex } from './tie-break.js';

/** Rewards closer than this are ties. */
export const REWARD_EPSILON = 1e-9;

// Imported bindings are read through getters once transpiled by tsx/esbuild: hot loops use these
// module-local copies instead.
const UNTESTED: number = SkillState.untested;
const SLOTS: number = DIFFICULTY_SLOTS;

/** One answer of the current assessment, in order. */
export interface AssessmentAnswerRef {
  readonly challengeId: string;
}

export type NextChallengeResult =
  | {
      readonly kind: 'challenge';
      readonly challengeId: string;
      readonly skillId: string;
      /** The level estimate used for this pick (0.5…7.5). */
      readonly predictedLevel: number;
      /** True when the skill was already assessed and is asked again to confirm (improved only). */
      readonly confirmation: boolean;
    }
  | { readonly kind: 'completed'; readonly predictedLevel: number; readonly reason: CompletionReason };

/**
 * Why the positioning ended: no candidate skill left (Pix's rule); the scored level is the learner's
 * level with enough confidence, or nothing left to confirm (improved); the length cap (improved).
 */
export type CompletionReason = 'no-candidate' | 'confident' | 'nothing-to-confirm' | 'max-challenges';

/** Per-call view shared by both algorithms. */
export interface SelectionContext {
  readonly index: EngineIndex;
  readonly scope: EngineScope;
  readonly localeScope: LocaleScope;
  readonly locale: Locale;
  readonly states: Int8Array;
  /** Every alive direct answer of the scope by skill level (see `readSkillStates`). */
  readonly aliveAttempts: Float64Array;
  readonly aliveSuccesses: Float64Array;
  readonly answers: readonly AssessmentAnswerRef[];
  readonly assessmentId: string;
  readonly random: RandomSource | undefined;
  readonly lastChallengeTimed: boolean;
  /** Highest reachable level of the scoring (1…8). */
  readonly maxLevel: number;
}

/** Pix's smart random, as written in pix-reference §2. */
export function pixSelection(context: SelectionContext): NextChallengeResult {
  const isFirst = context.answers.length === 0;
  const untested = untestedPlayableSkills(context);
  if (isFirst) {
    let candidates = preferEasyTubes(context, untested);
    candidates = dropTimedWhenPossible(context, candidates);
    candidates = keepFirstChallengeLevel(context, candidates);
    return pick(context, candidates, FIRST_CHALLENGE_LEVEL, true);
  }
  const predictedLevel = predictPixLevel(directOutcomeCounts(context));
  let candidates = preferEasyTubes(context, untested);
  if (context.lastChallengeTimed) candidates = dropTimedWhenPossible(context, candidates);
  candidates = candidates.filter(
    (idx) => levelOf(context, idx) - predictedLevel <= MAX_GAP_ABOVE_PREDICTED_LEVEL,
  );
  candidates = keepBestRewards(context, candidates, (d) => rasch(predictedLevel, d));
  return pick(context, candidates, predictedLevel, context.lastChallengeTimed);
}

export function untestedPlayableSkills(context: SelectionContext): number[] {
  const result: number[] = [];
  for (const idx of context.localeScope.playableSkillIdxs) {
    if (context.states[idx] === UNTESTED) result.push(idx);
  }
  return result;
}

/** Keeps the skills of easy tubes (max level ≤ 3) when there is at least one. */
export function preferEasyTubes(context: SelectionContext, skillIdxs: readonly number[]): number[] {
  const easy = skillIdxs.filter((idx) => context.localeScope.tubes[tubePos(context, idx)]?.easy === true);
  return easy.length > 0 ? easy : [...skillIdxs];
}

/** Removes timed skills, unless none would remain. */
export function dropTimedWhenPossible(context: SelectionContext, skillIdxs: readonly number[]): number[] {
  const timed = context.index.timedSkill[context.locale];
  const untimed = skillIdxs.filter((idx) => timed[idx] !== 1);
  return untimed.length > 0 ? untimed : [...skillIdxs];
}

/** Keeps the level-2 skills, or else the lowest level available. */
export function keepFirstChallengeLevel(context: SelectionContext, skillIdxs: readonly number[]): number[] {
  if (skillIdxs.length === 0) return [];
  const atDefault = skillIdxs.filter((idx) => levelOf(context, idx) === FIRST_CHALLENGE_LEVEL);
  if (atDefault.length > 0) return atDefault;
  const lowest = Math.min(...skillIdxs.map((idx) => levelOf(context, idx)));
  return skillIdxs.filter((idx) => levelOf(context, idx) === lowest);
}

/**
 * reward(s) = p·|untested skills of s's tube with level ≤ d| + (1−p)·|untested with level ≥ d|,
 * p = success(d); keeps every skill within REWARD_EPSILON of the maximum.
 */
export function keepBestRewards(
  context: SelectionContext,
  skillIdxs: readonly number[],
  success: (difficulty: number) => number,
): number[] {
  let best = -Infinity;
  const rewards = skillIdxs.map((idx) => {
    const value = reward(context, idx, success);
    if (value > best) best = value;
    return value;
  });
  return skillIdxs.filter((_, i) => (rewards[i] ?? -Infinity) >= best - REWARD_EPSILON);
}

export function reward(
  context: SelectionContext,
  skillIdx: number,
  success: (difficulty: number) => number,
): number {
  const level = levelOf(context, skillIdx);
  const tube = context.localeScope.tubes[tubePos(context, skillIdx)];
  if (!tube) return 0;
  let easier = 0;
  let harder = 0;
  for (const other of tube.skillIdxs) {
    if (context.states[other] !== UNTESTED) continue;
    const otherLevel = levelOf(context, other);
    if (otherLevel <= level) easier += 1;
    if (otherLevel >= level) harder += 1;
  }
  const p = success(level);
  return p * easier + (1 - p) * harder;
}

/** Direct KEs of the scope aggregated by difficulty, for the level estimate. */
export function directOutcomeCounts(context: SelectionContext): {
  attempts: Float64Array;
  successes: Float64Array;
} {
  const attempts = new Float64Array(SLOTS);
  const successes = new Float64Array(SLOTS);
  for (const idx of context.scope.skillIdxs) {
    const state = context.states[idx] ?? 0;
    if (!isDirectState(state)) continue;
    const d = Math.min(SLOTS - 1, levelOf(context, idx));
    attempts[d] = (attempts[d] ?? 0) + 1;
    if (isValidatedState(state)) successes[d] = (successes[d] ?? 0) + 1;
  }
  return { attempts, successes };
}

/**
 * Picks one skill among the candidates, then one of its playable challenges: not yet asked in
 * this assessment when possible, untimed when `preferUntimed` and possible. The result is a
 * confirmation when the skill already has a KE that counts.
 */
export function pick(
  context: SelectionContext,
  candidates: readonly number[],
  predictedLevel: number,
  preferUntimed: boolean,
): NextChallengeResult {
  if (candidates.length === 0) return { kind: 'completed', predictedLevel, reason: 'no-candidate' };
  const step = context.answers.length;
  const skillIdx =
    candidates[pickIndex(candidates.length, `${context.assessmentId}:${step}:skill`, context.random)] ?? -1;
  const skill = context.index.skills[skillIdx];
  const all = context.index.playableChallenges[context.locale][skillIdx] ?? [];
  if (!skill || all.length === 0) return { kind: 'completed', predictedLevel, reason: 'no-candidate' };
  let pool: readonly string[] = all;
  if (step > 0) {
    const fresh = all.filter((id) => !wasAsked(context.answers, id));
    if (fresh.length > 0) pool = fresh;
  }
  if (preferUntimed) {
    const untimed = pool.filter((id) => context.index.challengesById.get(id)?.timed !== true);
    if (untimed.length > 0) pool = untimed;
  }
  const challengeId =
    pool[pickIndex(pool.length, `${context.assessmentId}:${step}:challenge`, context.random)] ?? all[0] ?? '';
  const confirmation = context.states[skillIdx] !== UNTESTED;
  return { kind: 'challenge', challengeId, skillId: skill.id, predictedLevel, confirmation };
}

function wasAsked(answers: readonly AssessmentAnswerRef[], challengeId: string): boolean {
  for (const answer of answers) if (answer.challengeId === challengeId) return true;
  return false;
}

export function levelOf(context: SelectionContext, skillIdx: number): number {
  return context.index.skills[skillIdx]?.level ?? 0;
}

function tubePos(context: SelectionContext, skillIdx: number): number {
  return context.localeScope.tubePosBySkill[skillIdx] ?? -1;
}
