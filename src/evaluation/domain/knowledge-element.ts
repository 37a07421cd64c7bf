/**
 * Knowledge elements (KEs): what the learner is known to master, skill by skill.
 *
 * The list of a learner's KEs is append-only. For each skill only the latest KE counts, and a
 * skill whose latest KE is a reset one counts as untested (pix-reference §2,
 * "toLatestUniqNonResetCollection"). "Latest" means the greatest `createdAt`; elements created at
 * the same instant keep their list order (the later one in the list wins).
 */
import type { EngineIndex, EngineScope } from './engine-index.js';

export type KnowledgeElementStatus = 'validated' | 'invalidated' | 'reset';
export type KnowledgeElementSource = 'direct' | 'inferred';

export interface KnowledgeElement {
  readonly skillId: string;
  readonly competenceCode: string;
  readonly source: KnowledgeElementSource;
  readonly status: KnowledgeElementStatus;
  /** The skill's pixValue when validated; 0 otherwise. */
  readonly earnedPix: number;
  /** Given by the caller (from its clock); the domain never reads the time itself. */
  readonly createdAt: Date;
  /** The answer that produced the element; absent on reset elements. */
  readonly assessmentId?: string;
  /** Position of that answer in its assessment (0-based). */
  readonly answerIndex?: number;
  /** The challenge answered; only on direct elements. */
  readonly challengeId?: string;
}

/**
 * Per-skill state codes used by the engine's typed arrays. Untested includes "latest KE is reset"
 * and, in an improving assessment, "latest KE is an invalidated one older than the delay".
 */
export const SkillState = {
  untested: 0,
  inferredValidated: 1,
  inferredInvalidated: 2,
  directValidated: 3,
  directInvalidated: 4,
} as const;
export type SkillStateCode = (typeof SkillState)[keyof typeof SkillState];

const UNTESTED = SkillState.untested;
const INFERRED_INVALIDATED = SkillState.inferredInvalidated;
const DIRECT_INVALIDATED = SkillState.directInvalidated;
/** Skill levels 0…8. */
const LEVEL_SLOTS = 9;

export function isValidatedState(state: number): boolean {
  return state === SkillState.inferredValidated || state === SkillState.directValidated;
}

export function isInvalidatedState(state: number): boolean {
  return state === SkillState.inferredInvalidated || state === SkillState.directInvalidated;
}

export function isDirectState(state: number): boolean {
  return state === SkillState.directValidated || state === SkillState.directInvalidated;
}

export interface SkillStatesOptions {
  /** Only skills of this scope get a state; the others stay untested. */
  readonly scope?: EngineScope;
  /**
   * Improving assessment: an invalidated latest KE created at or before this instant (epoch ms)
   * is ignored, so that the skill counts as untested and can be asked again.
   */
  readonly ignoreInvalidatedUpTo?: number;
}

/** What the engine reads from a learner's KEs, for one scope. */
export interface SkillStatesView {
  /** SkillState code of every skill of the index, by skill idx (untested outside the scope). */
  readonly states: Int8Array;
  /**
   * Every direct answer still "alive" in the scope, by skill level 0…8: direct KEs created after
   * the latest reset of their skill, superseded ones included, without the invalidated ones an
   * improving assessment ignores. The 'improved' estimate uses them all, so that a confirmation
   * adds evidence instead of replacing it.
   */
  readonly aliveAttempts: Float64Array;
  readonly aliveSuccesses: Float64Array;
}

/**
 * The state of every skill of the index (by skill idx) from a learner's KEs. O(KEs + skills).
 * KEs about skills missing from the index are ignored; with a competence scope, so are KEs whose
 * `competenceCode` is another competence's.
 */
export function computeSkillStates(
  index: EngineIndex,
  knowledgeElements: readonly KnowledgeElement[],
  options: SkillStatesOptions = {},
): Int8Array {
  return readSkillStates(index, knowledgeElements, options).states;
}

/** `computeSkillStates` plus the alive direct answers, in one pass over the KEs. */
export function readSkillStates(
  index: EngineIndex,
  knowledgeElements: readonly KnowledgeElement[],
  options: SkillStatesOptions = {},
): SkillStatesView {
  const count = index.skills.length;
  const states = new Int8Array(count);
  const times = scratchTimes(count);
  const scope = options.scope;
  const inScope = scope?.inScope;
  // A competence scope lets most KEs of a whole profile be skipped without a lookup.
  const competenceCode = scope?.competenceCode;
  const skillIdxById = index.skillIdxById;
  const relevant: number[] = [];
  let resets = 0;
  for (let k = 0; k < knowledgeElements.length; k += 1) {
    const ke = knowledgeElements[k];
    if (ke === undefined || (competenceCode !== undefined && ke.competenceCode !== competenceCode)) continue;
    const idx = skillIdxById.get(ke.skillId);
    if (idx === undefined || (inScope !== undefined && inScope[idx] !== 1)) continue;
    relevant.push(k, idx);
    const time = ke.createdAt.getTime();
    if (ke.status === 'reset') resets += 1;
    if (time < (times[idx] ?? -Infinity)) continue;
    times[idx] = time;
    states[idx] = stateCodeOf(ke);
  }
  const cutoff = options.ignoreInvalidatedUpTo;
  if (cutoff !== undefined) {
    for (let idx = 0; idx < count; idx += 1) {
      const state = states[idx];
      if ((state === INFERRED_INVALIDATED || state === DIRECT_INVALIDATED) && (times[idx] ?? 0) <= cutoff) {
        states[idx] = UNTESTED;
      }
    }
  }

  const aliveAttempts = new Float64Array(LEVEL_SLOTS);
  const aliveSuccesses = new Float64Array(LEVEL_SLOTS);
  let lastReset: Map<number, number> | undefined;
  if (resets > 0) {
    lastReset = new Map();
    for (let r = 0; r < relevant.length; r += 2) {
      const ke = knowledgeElements[relevant[r] ?? -1];
      const idx = relevant[r + 1] ?? -1;
      if (ke?.status !== 'reset') continue;
      lastReset.set(idx, Math.max(lastReset.get(idx) ?? -Infinity, ke.createdAt.getTime()));
    }
  }
  const ignoreUpTo = cutoff ?? -Infinity;
  for (let r = 0; r < relevant.length; r += 2) {
    const ke = knowledgeElements[relevant[r] ?? -1];
    if (ke === undefined || ke.source !== 'direct' || ke.status === 'reset') continue;
    const idx = relevant[r + 1] ?? -1;
    const time = ke.createdAt.getTime();
    if (lastReset !== undefined && time <= (lastReset.get(idx) ?? -Infinity)) continue;
    if (ke.status === 'invalidated' && time <= ignoreUpTo) continue;
    const level = Math.min(LEVEL_SLOTS - 1, Math.max(0, index.skills[idx]?.level ?? 0));
    aliveAttempts[level] = (aliveAttempts[level] ?? 0) + 1;
    if (ke.status === 'validated') aliveSuccesses[level] = (aliveSuccesses[level] ?? 0) + 1;
  }
  return { states, aliveAttempts, aliveSuccesses };
}

/**
 * A reused buffer for the creation times of the latest KE per skill. Only `readSkillStates` uses
 * it, synchronously, and fills it before reading it, so the function stays pure; this saves an
 * off-heap allocation per call.
 */
let timesBuffer = new Float64Array(0);

function scratchTimes(count: number): Float64Array {
  if (timesBuffer.length < count) timesBuffer = new Float64Array(count);
  timesBuffer.fill(-Infinity, 0, count);
  return timesBuffer;
}

function stateCodeOf(ke: KnowledgeElement): SkillStateCode {
  if (ke.status === 'reset') return SkillState.untested;
  if (ke.source === 'direct') {
    return ke.status === 'validated' ? SkillState.directValidated : SkillState.directInvalidated;
  }
  return ke.status === 'validated' ? SkillState.inferredValidated : SkillState.inferredInvalidated;
}

/**
 * The KEs that count: the latest KE of each skill, dropped when it is a reset one. The result keeps
 * the order of first appearance of each skill. No index needed (works on stored KEs only).
 */
export function latestKnowledgeElements(
  knowledgeElements: readonly KnowledgeElement[],
): readonly KnowledgeElement[] {
  const latest = new Map<string, KnowledgeElement>();
  for (const ke of knowledgeElements) {
    const current = latest.get(ke.skillId);
    if (current === undefined || ke.createdAt.getTime() >= current.createdAt.getTime()) {
      latest.set(ke.skillId, ke);
    }
  }
  const result: KnowledgeElement[] = [];
  for (const ke of latest.values()) if (ke.status !== 'reset') result.push(ke);
  return result;
}
