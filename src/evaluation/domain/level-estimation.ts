/**
 * Level estimation on the skill-level scale (1…8).
 *
 * - `predictPixLevel`: Pix's rule (pix-reference §2): over the grid 0.5…7.5 (step 0.5), the level L
 *   minimising |Σ(outcome − P(L, d))| over the direct KEs plus two virtual answers (correct at d=0,
 *   wrong at d=7), with P(L, d) = 1/(1+e^−(L−d)). Ties keep the lowest level.
 * - `estimateLevelPosterior`: the 'improved' algorithm's estimator, a grid posterior (uniform prior)
 *   under a Rasch model with slip and guess rates; see docs/adr/0002-positioning-algorithm.md.
 */

export const CAT_LEVELS: readonly number[] = Array.from({ length: 15 }, (_, i) => 0.5 + i * 0.5);
/** Skill levels run 1…8; the virtual answers use 0 and 7. Counts are indexed by difficulty 0…8. */
export const DIFFICULTY_SLOTS = 9;
export const FIRST_CHALLENGE_LEVEL = 2;
export const MAX_GAP_ABOVE_PREDICTED_LEVEL = 2;

export function rasch(level: number, difficulty: number): number {
  return 1 / (1 + Math.exp(-(level - difficulty)));
}

/** P(CAT_LEVELS[i], d) for d = 0…8, row-major by grid level. */
const PIX_P_TABLE: Float64Array = (() => {
  const table = new Float64Array(CAT_LEVELS.length * DIFFICULTY_SLOTS);
  CAT_LEVELS.forEach((level, i) => {
    for (let d = 0; d < DIFFICULTY_SLOTS; d += 1) table[i * DIFFICULTY_SLOTS + d] = rasch(level, d);
  });
  return table;
})();

/**
 * Direct outcomes aggregated by difficulty: `attempts[d]` direct KEs at difficulty d, of which
 * `successes[d]` validated. O(grid × 9) whatever the number of answers.
 */
export interface OutcomeCounts {
  readonly attempts: ArrayLike<number>;
  readonly successes: ArrayLike<number>;
}

export function predictPixLevel(counts: OutcomeCounts): number {
  let bestLevel = CAT_LEVELS[0] ?? 0.5;
  let bestGap = Infinity;
  for (let i = 0; i < CAT_LEVELS.length; i += 1) {
    // The virtual answers: a success at difficulty 0 and a failure at difficulty 7.
    let sum = 1 - (PIX_P_TABLE[i * DIFFICULTY_SLOTS] ?? 0) - (PIX_P_TABLE[i * DIFFICULTY_SLOTS + 7] ?? 0);
    for (let d = 1; d < DIFFICULTY_SLOTS; d += 1) {
      const attempts = counts.attempts[d] ?? 0;
      if (attempts === 0) continue;
      sum += (counts.successes[d] ?? 0) - attempts * (PIX_P_TABLE[i * DIFFICULTY_SLOTS + d] ?? 0);
    }
    const gap = Math.abs(sum);
    if (gap < bestGap) {
      bestGap = gap;
      bestLevel = CAT_LEVELS[i] ?? bestLevel;
    }
  }
  return bestLevel;
}

/** Convenience form of `predictPixLevel` over a list of direct outcomes. */
export function predictPixLevelFromOutcomes(
  outcomes: readonly { readonly difficulty: number; readonly validated: boolean }[],
): number {
  const attempts = new Float64Array(DIFFICULTY_SLOTS);
  const successes = new Float64Array(DIFFICULTY_SLOTS);
  for (const outcome of outcomes) {
    const d = Math.min(DIFFICULTY_SLOTS - 1, Math.max(0, Math.round(outcome.difficulty)));
    attempts[d] = (attempts[d] ?? 0) + 1;
    if (outcome.validated) successes[d] = (successes[d] ?? 0) + 1;
  }
  return predictPixLevel({ attempts, successes });
}

/** The response model the 'improved' algorithm assumes (on the skill-level scale). */
export interface ResponseModelAssumption {
  /** Common discrimination of the Rasch curve. */
  readonly discrimination: number;
  /** Probability of a wrong answer on a mastered skill. */
  readonly slip: number;
  /** Probability of a right answer on a skill far above the learner. */
  readonly guess: number;
}

/** Ability grid of the posterior: −1 … 9.5, step 0.25 (43 nodes), uniform prior. */
export const POSTERIOR_GRID: readonly number[] = Array.from({ length: 43 }, (_, i) => -1 + i * 0.25);

export interface LevelPosterior {
  /** Posterior mean of the ability on the level scale. */
  readonly mean: number;
  /** mastery[d] = P(ability ≥ d | answers), for d = 0…8: the skill of level d is mastered. */
  readonly mastery: Float64Array;
  /** levels[k] = P(the learner masters exactly the levels 1…k), k = 0…8, i.e. P(min(8, ⌊ability⌋⁺) = k). */
  readonly levels: Float64Array;
  /** Normalised posterior weight of each node of POSTERIOR_GRID (0 outside first…last). */
  readonly weights: readonly number[];
  /** The nodes with a non-negligible weight: first…last (inclusive). */
  readonly first: number;
  readonly last: number;
  /** P(right | node i, d) at index i × 9 + d, under the assumed model. */
  readonly successByNode: Float64Array;
}

/** The level of each node of POSTERIOR_GRID: min(8, max(0, ⌊ability⌋)). */
export const NODE_LEVELS: Int8Array = Int8Array.from(POSTERIOR_GRID, (ability) =>
  Math.min(DIFFICULTY_SLOTS - 1, Math.max(0, Math.floor(ability))),
);

/** Log-weights this far below the mode count as 0 (e^−30 ≈ 1e−13). */
const NEGLIGIBLE_LOG_WEIGHT = -30;

/** FIRST_NODE_AT_LEAST[d] = the first node whose ability is ≥ d (the grid is ascending). */
const FIRST_NODE_AT_LEAST: Int32Array = Int32Array.from({ length: DIFFICULTY_SLOTS }, (_, d) =>
  POSTERIOR_GRID.findIndex((ability) => ability >= d),
);

interface ModelTables {
  readonly logP: Float64Array;
  readonly logQ: Float64Array;
  readonly p: Float64Array;
}

const tableCache = new Map<string, ModelTables>();
let lastModel: ResponseModelAssumption | undefined;
let lastTables: ModelTables | undefined;

function modelTables(model: ResponseModelAssumption): ModelTables {
  if (model === lastModel && lastTables) return lastTables;
  const key = `${model.discrimination}|${model.slip}|${model.guess}`;
  let tables = tableCache.get(key);
  if (!tables) {
    const size = POSTERIOR_GRID.length * DIFFICULTY_SLOTS;
    const logP = new Float64Array(size);
    const logQ = new Float64Array(size);
    const p = new Float64Array(size);
    POSTERIOR_GRID.forEach((ability, i) => {
      for (let d = 0; d < DIFFICULTY_SLOTS; d += 1) {
        const value =
          model.guess +
          (1 - model.slip - model.guess) / (1 + Math.exp(-model.discrimination * (ability - d)));
        p[i * DIFFICULTY_SLOTS + d] = value;
        logP[i * DIFFICULTY_SLOTS + d] = Math.log(value);
        logQ[i * DIFFICULTY_SLOTS + d] = Math.log(1 - value);
      }
    });
    tables = { logP, logQ, p };
    if (tableCache.size < 64) tableCache.set(key, tables);
  }
  lastModel = model;
  lastTables = tables;
  return tables;
}

/**
 * Grid posterior of the ability from direct outcomes aggregated by difficulty, under
 * P(right | ability, d) = guess + (1 − slip − guess)·σ(a·(ability − d)) and a uniform prior.
 * O(43 × levels answered) whatever the number of answers (log-likelihoods are precomputed per model).
 */
export function estimateLevelPosterior(
  counts: OutcomeCounts,
  model: ResponseModelAssumption,
): LevelPosterior {
  const { logP, logQ, p } = modelTables(model);
  const slots: number[] = [];
  for (let d = 0; d < DIFFICULTY_SLOTS; d += 1) if ((counts.attempts[d] ?? 0) > 0) slots.push(d);
  const nodes = POSTERIOR_GRID.length;
  const weights: number[] = [];
  let maxLog = -Infinity;
  for (let i = 0; i < nodes; i += 1) {
    let sum = 0;
    for (const d of slots) {
      const attempts = counts.attempts[d] ?? 0;
      const successes = counts.successes[d] ?? 0;
      const at = i * DIFFICULTY_SLOTS + d;
      sum += successes * (logP[at] ?? 0) + (attempts - successes) * (logQ[at] ?? 0);
    }
    weights.push(sum);
    if (sum > maxLog) maxLog = sum;
  }
  // Nodes more than e^−30 below the mode get weight 0 (no exp); the others form the support.
  let total = 0;
  let first = nodes;
  let last = -1;
  for (let i = 0; i < nodes; i += 1) {
    const log = (weights[i] ?? 0) - maxLog;
    if (log < NEGLIGIBLE_LOG_WEIGHT) {
      weights[i] = 0;
      continue;
    }
    const weight = Math.exp(log);
    weights[i] = weight;
    total += weight;
    if (i < first) first = i;
    last = i;
  }
  let mean = 0;
  const levels = new Float64Array(DIFFICULTY_SLOTS);
  for (let i = first; i <= last; i += 1) {
    const weight = (weights[i] ?? 0) / total;
    weights[i] = weight;
    mean += weight * (POSTERIOR_GRID[i] ?? 0);
    const level = NODE_LEVELS[i] ?? 0;
    levels[level] = (levels[level] ?? 0) + weight;
  }
  // mastery[d] = Σ of the weights of the nodes ≥ d: suffix sums from the top.
  const mastery = new Float64Array(DIFFICULTY_SLOTS);
  let suffix = 0;
  let node = last;
  for (let d = DIFFICULTY_SLOTS - 1; d >= 0; d -= 1) {
    const from = Math.max(first, FIRST_NODE_AT_LEAST[d] ?? 0);
    for (; node >= from; node -= 1) suffix += weights[node] ?? 0;
    mastery[d] = Math.min(1, suffix);
  }
  return { mean, mastery, levels, weights, first, last, successByNode: p };
}

/** Posterior predictive probability of a right answer on a skill of level d. O(43). */
export function predictiveSuccess(posterior: LevelPosterior, difficulty: number): number {
  const d = Math.min(DIFFICULTY_SLOTS - 1, Math.max(0, difficulty));
  const { weights, successByNode } = posterior;
  let sum = 0;
  for (let i = 0; i < weights.length; i += 1)
    sum += (weights[i] ?? 0) * (successByNode[i * DIFFICULTY_SLOTS + d] ?? 0);
  return sum;
}
