/**
 * Practice on a target profile (pix-reference §5): a list of capped tubes. The targeted skills are
 * the active skills (at least one validated challenge) of those tubes with level ≤ the tube's cap;
 * the engine runs on them as on a competence, and mastery = validated targeted / targeted.
 */
import { DomainError } from '../../shared/domain/errors.js';
import { buildScope, type EngineIndex, type EngineScope } from './engine-index.js';
import { computeSkillStates, isValidatedState, type KnowledgeElement } from './knowledge-element.js';

export interface CappedTube {
  readonly tubeId: string;
  /** Skills of the tube up to this level (1…8) are targeted. */
  readonly maxLevel: number;
}

export interface TargetProfile {
  readonly id: string;
  readonly tubes: readonly CappedTube[];
}

export interface Mastery {
  readonly targetedSkills: number;
  readonly validatedSkills: number;
  /** validated / targeted, in [0, 1]; 0 when nothing is targeted. */
  readonly rate: number;
  /** round(rate × 100). */
  readonly percent: number;
}

/** The targeted skill idxs; DomainError 'UNKNOWN_TUBE' for a tube missing from the framework. */
export function targetedSkillIdxs(index: EngineIndex, profile: TargetProfile): number[] {
  const caps = new Map<string, number>();
  for (const tube of profile.tubes) {
    if (!Number.isInteger(tube.maxLevel) || tube.maxLevel < 1 || tube.maxLevel > 8) {
      throw new DomainError('INVALID_TUBE_CAP', `Tube ${tube.tubeId} has an invalid cap ${tube.maxLevel}`, {
        tubeId: tube.tubeId,
        maxLevel: tube.maxLevel,
      });
    }
    caps.set(tube.tubeId, Math.max(caps.get(tube.tubeId) ?? 0, tube.maxLevel));
  }
  const found = new Set<string>();
  const result: number[] = [];
  for (const skill of index.skills) {
    const cap = caps.get(skill.tubeId);
    if (cap === undefined) continue;
    found.add(skill.tubeId);
    if (skill.active && skill.level <= cap) result.push(skill.idx);
  }
  for (const tubeId of caps.keys()) {
    if (!found.has(tubeId)) {
      throw new DomainError('UNKNOWN_TUBE', `Target profile ${profile.id} uses an unknown tube ${tubeId}`, {
        targetProfileId: profile.id,
        tubeId,
      });
    }
  }
  return result;
}

/** The engine scope of a target profile; build it once per profile and reuse it. */
export function buildTargetProfileScope(index: EngineIndex, profile: TargetProfile): EngineScope {
  return buildScope(index, `target-profile:${profile.id}`, targetedSkillIdxs(index, profile));
}

/** Mastery of a scope (usually a target profile's) from the KEs that count. */
export function computeMastery(
  index: EngineIndex,
  scope: EngineScope,
  knowledgeElements: readonly KnowledgeElement[],
): Mastery {
  const states = computeSkillStates(index, knowledgeElements, { scope });
  let validated = 0;
  for (const idx of scope.skillIdxs) if (isValidatedState(states[idx] ?? 0)) validated += 1;
  const targeted = scope.skillIdxs.length;
  const rate = targeted === 0 ? 0 : validated / targeted;
  return { targetedSkills: targeted, validatedSkills: validated, rate, percent: Math.round(rate * 100) };
}
