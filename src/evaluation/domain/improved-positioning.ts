/**
 * The 'improved' positioning algorithm (docs/adr/0002-positioning-algorithm.md).
 *
 * It keeps Pix's structure (first challenge at level 2 from easy tubes, filters, reward, inference
 * into KEs, KEs and scoring unchanged) and adds an IRT-informed estimate, stop and confirmation:
 *
 * - Estimate: a grid posterior of the learner's level (uniform prior over −1…9.5, step 0.25) under
 *   P(right | level θ, skill level d) = guess + (1 − slip − guess)·σ(a·(θ − d)), from every alive
 *   direct answer of the scope (a re-asked skill counts twice). The defaults assume a = 2,
 *   slip = 0.1, guess = 0.15, deliberately more pessimistic than the simulation's learners.
 * - Phase 1 (exploration): Pix's filters and reward, with the predictive success probability, over
 *   the untested skills at most `maxGapAboveEstimate` above the posterior mean and mastered with
 *   probability ≥ `minMasteryToAsk`.
 * - Phase 2 (confirmation), once no such skill remains:
 *   - competence scope: stop when P(level scored from the KEs = learner's level) ≥ `stopConfidence`;
 *     else ask the question (untested skill or re-ask with a challenge not yet seen in the
 *     assessment) that most raises the expected value of that probability after the answer
 *     (one-step lookahead); when none raises it by `minGain`, re-ask the skill whose KE is most
 *     likely wrong (P ≥ `minConflictToConfirm`, weighted by the KEs its inference would fix);
 *   - target-profile scope: re-ask while some KE is wrong with probability ≥ `conflictThreshold`.
 *   A re-asked skill gets a new direct KE that supersedes the old one (the latest KE counts), and its
 *   inference may overwrite inferred KEs of the opposite status, never direct ones.
 * - Limits: `maxDirectAsksPerSkill` per skill and assessment, `maxChallenges` per assessment.
 */
import {
  DIFFICULTY_SLOTS,
  estimateLevelPosterior,
  FIRST_CHALLENGE_LEVEL,
  NODE_LEVELS,
  predictiveSuccess,
  type LevelPosterior,
  type ResponseModelAssumption,
} from './level-estimation.js';
import { PIX_PER_LEVEL } from './engine-index.js';
import { SkillState } from './knowledge-element.js';
import {
  directOutcomeCounts,
  dropTimedWhenPossible,
  keepBestRewards,
  keepFirstChallengeLevel,
  pick,
  preferEasyTubes,
  REWARD_EPSILON,
  untestedPlayableSkills,
  type NextChallengeResult,
  type SelectionContext,
} from './selection-rules.js';

// Imported bindings are read through getters once transpiled by tsx/esbuild: hot loops use these
// module-local copies instead.
const SLOTS: number = DIFFICULTY_SLOTS;
const NODE_LEVEL_OF: Int8Array = NODE_LEVELS;
const UNTESTED: number = SkillState.untested;
const INFERRED_VALIDATED: number = SkillState.inferredValidated;
const INFERRED_INVALIDATED: number = SkillState.inferredInvalidated;
const DIRECT_VALIDATED: number = SkillState.directValidated;
const DIRECT_INVALIDATED: number = SkillState.directInvalidated;
const EPSILON: number = REWARD_EPSILON;
const PIX_LEVEL: number = PIX_PER_LEVEL;

function skillLevel(context: SelectionContext, skillIdx: number): number {
  return context.index.skills[skillIdx]?.level ?? 0;
}

function isValidatedCode(state: number): boolean {
  return state === INFERRED_VALIDATED || state === DIRECT_VALIDATED;
}

function isInvalidatedCode(state: number): boolean {
  return state === INFERRED_INVALIDATED || state === DIRECT_INVALIDATED;
}

export interface ImprovedParameters {
  /** The response model assumed by the estimate. */
  readonly model: ResponseModelAssumption;
  readonly maxGapAboveEstimate: number;
  readonly minMasteryToAsk: number;
  /** Competence scope: stop once P(scored level = learner's level) reaches this. */
  readonly stopConfidence: number;
  /** Competence scope: only KEs wrong with at least this probability are asked again. */
  readonly minConflictToConfirm: number;
  /** Target-profile scope: KEs wrong with at least this probability are asked again. */
  readonly conflictThreshold: number;
  readonly maxDirectAsksPerSkill: number;
  readonly maxChallenges: number;
  /** Competence scope: a lookahead question must raise the expected confidence by at least this. */
  readonly minGain: number;
  /** Estimate from every direct answer (superseded ones included) rather than the latest KEs only. */
  readonly useAllDirectAnswers: boolean;
}

export const IMPROVED_DEFAULTS: ImprovedParameters = Object.freeze({
  model: Object.freeze({ discrimination: 2, slip: 0.1, guess: 0.15 }),
  maxGapAboveEstimate: 2,
  minMasteryToAsk: 0.05,
  stopConfidence: 0.9,
  minConflictToConfirm: 0.2,
  conflictThreshold: 0.5,
  maxDirectAsksPerSkill: 3,
  maxChallenges: 30,
  minGain: 0.01,
  useAllDirectAnswers: true,
});

export function improvedSelection(
  context: SelectionContext,
  parameters: ImprovedParameters,
): NextChallengeResult {
  if (context.answers.length === 0) {
    let candidates = preferEasyTubes(context, untestedPlayableSkills(context));
    candidates = dropTimedWhenPossible(context, candidates);
    candidates = keepFirstChallengeLevel(context, candidates);
    return pick(context, candidates, FIRST_CHALLENGE_LEVEL, true);
  }
  const counts = parameters.useAllDirectAnswers
    ? { attempts: context.aliveAttempts, successes: context.aliveSuccesses }
    : directOutcomeCounts(context);
  const posterior = estimateLevelPosterior(counts, parameters.model);
  const estimate = clampLevel(posterior.mean);
  if (context.answers.length >= parameters.maxChallenges) {
    return { kind: 'completed', predictedLevel: estimate, reason: 'max-challenges' };
  }

  let candidates = untestedPlayableSkills(context).filter((idx) => {
    const level = skillLevel(context, idx);
    return (
      level - posterior.mean <= parameters.maxGapAboveEstimate &&
      (posterior.mastery[level] ?? 0) >= parameters.minMasteryToAsk
    );
  });
  if (candidates.length > 0) {
    candidates = preferEasyTubes(context, candidates);
    if (context.lastChallengeTimed) candidates = dropTimedWhenPossible(context, candidates);
    const success = new Float64Array(SLOTS).fill(-1);
    candidates = keepBestRewards(context, candidates, (d) => {
      if ((success[d] ?? -1) < 0) success[d] = predictiveSuccess(posterior, d);
      return success[d] ?? 0;
    });
    return pick(context, candidates, estimate, context.lastChallengeTimed);
  }
  return confirmationPick(context, parameters, posterior, estimate);
}

/**
 * Phase 2. Competence scope: stop when the level scored from the current KEs is the learner's level
 * with probability ≥ stopConfidence. Otherwise ask the question (an untested skill or a re-ask) that
 * most raises the expected probability that the scored level is right after the answer (one-step
 * lookahead); when no question raises it by minGain, re-ask the skill whose KE is most likely wrong
 * (KEs wrong with probability ≥ minConflictToConfirm, weighted by the KEs its answer would fix).
 * Target-profile scope: only the latter, with conflictThreshold.
 */
function confirmationPick(
  context: SelectionContext,
  parameters: ImprovedParameters,
  posterior: LevelPosterior,
  estimate: number,
): NextChallengeResult {
  const { index, localeScope, states } = context;
  const competenceScope = context.scope.competenceCode !== undefined;
  const pix = competenceScope ? scopePix(context) : 0;
  let confidence = 0;
  if (competenceScope) {
    confidence = levelProbability(posterior, cappedLevel(pix, context.maxLevel), context.maxLevel);
    if (confidence >= parameters.stopConfidence) {
      return { kind: 'completed', predictedLevel: estimate, reason: 'confident' };
    }
  }

  const asks = new Map<number, number>();
  const asked = new Set<string>();
  for (const answer of context.answers) {
    asked.add(answer.challengeId);
    const skillIdx = index.challengesById.get(answer.challengeId)?.skillIdx;
    if (skillIdx !== undefined) asks.set(skillIdx, (asks.get(skillIdx) ?? 0) + 1);
  }
  let askable: number[] = [];
  const playable = index.playableChallenges[context.locale];
  for (const idx of localeScope.playableSkillIdxs) {
    if ((asks.get(idx) ?? 0) >= parameters.maxDirectAsksPerSkill) continue;
    const challenges = playable[idx] ?? [];
    let fresh = false;
    for (const id of challenges) {
      if (!asked.has(id)) {
        fresh = true;
        break;
      }
    }
    if (fresh) askable.push(idx);
  }
  if (context.lastChallengeTimed) askable = dropTimedWhenPossible(context, askable);

  let minConflict = parameters.conflictThreshold;
  if (competenceScope) {
    const tables = new LookaheadTables(posterior, context.maxLevel);
    let bestValue = -Infinity;
    let bestSkills: number[] = [];
    for (const idx of askable) {
      const value = expectedConfidence(context, tables, pix, idx);
      if (value > bestValue + EPSILON) {
        bestValue = value;
        bestSkills = [idx];
      } else if (Math.abs(value - bestValue) <= EPSILON) {
        bestSkills.push(idx);
      }
    }
    if (bestSkills.length > 0 && bestValue - confidence >= parameters.minGain) {
      return pick(context, bestSkills, estimate, context.lastChallengeTimed);
    }
    minConflict = parameters.minConflictToConfirm;
  }

  const conflict = new Map<number, number>();
  for (const idx of localeScope.playableSkillIdxs) {
    const state = states[idx] ?? UNTESTED;
    const mastery = posterior.mastery[skillLevel(context, idx)] ?? 0;
    const wrong = isValidatedCode(state) ? 1 - mastery : isInvalidatedCode(state) ? mastery : 0;
    if (wrong >= minConflict) conflict.set(idx, wrong);
  }
  let best = 0;
  let bestSkills: number[] = [];
  for (const idx of askable) {
    if (!conflict.has(idx)) continue;
    const value = expectedFixes(context, conflict, idx);
    if (value > best + EPSILON) {
      best = value;
      bestSkills = [idx];
    } else if (Math.abs(value - best) <= EPSILON) {
      bestSkills.push(idx);
    }
  }
  if (bestSkills.length === 0)
    return { kind: 'completed', predictedLevel: estimate, reason: 'nothing-to-confirm' };
  return pick(context, bestSkills, estimate, context.lastChallengeTimed);
}

/**
 * Per-level sums of the posterior for the lookahead, with levels capped at maxLevel:
 * `mass[ℓ]` = P(level = ℓ) and, per difficulty d (computed on first use), `right[d][ℓ]` =
 * Σ over the nodes of level ℓ of w·P(right | node, d).
 */
class LookaheadTables {
  readonly mass: Float64Array;
  private readonly right: (Float64Array | undefined)[] = [];

  constructor(
    private readonly posterior: LevelPosterior,
    private readonly maxLevel: number,
  ) {
    this.mass = new Float64Array(SLOTS);
    const { weights, first, last } = posterior;
    for (let i = first; i <= last; i += 1) {
      const level = Math.min(maxLevel, NODE_LEVEL_OF[i] ?? 0);
      this.mass[level] = (this.mass[level] ?? 0) + (weights[i] ?? 0);
    }
  }

  rightAt(d: number): Float64Array {
    let table = this.right[d];
    if (table === undefined) {
      table = new Float64Array(SLOTS);
      const { weights, successByNode, first, last } = this.posterior;
      const maxLevel = this.maxLevel;
      for (let i = first; i <= last; i += 1) {
        const level = Math.min(maxLevel, NODE_LEVEL_OF[i] ?? 0);
        table[level] = (table[level] ?? 0) + (weights[i] ?? 0) * (successByNode[i * SLOTS + d] ?? 0);
      }
      this.right[d] = table;
    }
    return table;
  }
}

/**
 * P(the scored level is the learner's level after answering `skillIdx`), averaged over the answer:
 * Σ_nodes w·[p·1(level(node) = level if right) + (1−p)·1(level(node) = level if wrong)], where the
 * levels if right/wrong apply the answer and its inference to the current KEs. O(tube size).
 */
function expectedConfidence(
  context: SelectionContext,
  tables: LookaheadTables,
  pix: number,
  skillIdx: number,
): number {
  const { index, scope, states } = context;
  const skills = index.skills;
  const skill = skills[skillIdx];
  if (!skill) return 0;
  const ownValue = skill.pixValue;
  const ownValidated = isValidatedCode(states[skillIdx] ?? UNTESTED);
  let right = pix + (ownValidated ? 0 : ownValue);
  let wrong = pix - (ownValidated ? ownValue : 0);
  for (const other of index.tubeSkillIdxs[skillIdx] ?? []) {
    if (other === skillIdx || scope.inScope[other] !== 1) continue;
    const target = skills[other];
    if (!target?.active) continue;
    const state = states[other] ?? UNTESTED;
    if (target.level <= skill.level && (state === UNTESTED || state === INFERRED_INVALIDATED)) {
      right += target.pixValue;
    }
    if (target.level >= skill.level && state === INFERRED_VALIDATED) wrong -= target.pixValue;
  }
  const levelIfRight = cappedLevel(right, context.maxLevel);
  const levelIfWrong = cappedLevel(wrong, context.maxLevel);
  const rightByLevel = tables.rightAt(Math.min(SLOTS - 1, skill.level));
  return (
    (rightByLevel[levelIfRight] ?? 0) + (tables.mass[levelIfWrong] ?? 0) - (rightByLevel[levelIfWrong] ?? 0)
  );
}

/**
 * Expected number of wrong KEs an answer on `skillIdx` fixes: its own, plus the likely-wrong
 * inferred KEs of its tube that its inference would overwrite (easier ones when the skill is
 * probably mastered, harder ones otherwise), each weighted by its probability of being wrong.
 */
function expectedFixes(
  context: SelectionContext,
  conflict: ReadonlyMap<number, number>,
  skillIdx: number,
): number {
  const expectedRight = isInvalidatedCode(context.states[skillIdx] ?? 0);
  const level = skillLevel(context, skillIdx);
  const tube = context.localeScope.tubes[context.localeScope.tubePosBySkill[skillIdx] ?? -1];
  let fixes = conflict.get(skillIdx) ?? 0;
  for (const other of tube?.skillIdxs ?? []) {
    if (other === skillIdx) continue;
    const otherLevel = skillLevel(context, other);
    const state = context.states[other];
    if (expectedRight && otherLevel <= level && state === INFERRED_INVALIDATED) {
      fixes += conflict.get(other) ?? 0;
    }
    if (!expectedRight && otherLevel >= level && state === INFERRED_VALIDATED) {
      fixes += conflict.get(other) ?? 0;
    }
  }
  return fixes;
}

/** Σ pixValue of the validated skills of the scope. */
function scopePix(context: SelectionContext): number {
  let pix = 0;
  for (const idx of context.scope.skillIdxs) {
    if (isValidatedCode(context.states[idx] ?? 0)) pix += context.index.skills[idx]?.pixValue ?? 0;
  }
  return pix;
}

/** The level the scoring rules give to `pix` (floor(pix/8) with the scoring's tolerance, capped). */
function cappedLevel(pix: number, maxLevel: number): number {
  return Math.min(maxLevel, Math.floor((pix + 1e-6) / PIX_LEVEL));
}

/** P(min(maxLevel, learner's level) = level). */
function levelProbability(posterior: LevelPosterior, level: number, maxLevel: number): number {
  if (level < maxLevel) return posterior.levels[level] ?? 0;
  let sum = 0;
  for (let k = maxLevel; k < posterior.levels.length; k += 1) sum += posterior.levels[k] ?? 0;
  return sum;
}

function clampLevel(value: number): number {
  return Math.min(7.5, Math.max(0.5, value));
}
