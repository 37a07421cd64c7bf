/**
 * The engine index: every per-framework structure the positioning engine needs, computed once
 * from a Framework so that a next-challenge call or an answer only walks small integer arrays.
 *
 * Skills are numbered 0…n−1 (`SkillNode.idx`); per-call state is then a typed array indexed by
 * that number. A scope (one competence, or the targeted skills of a target profile) lists its
 * tubes per locale with their playable skills sorted by level.
 */
import { LOCALES, type Framework, type Locale, type Tutorial } from '../../framework/domain/models.js';
import { DomainError } from '../../shared/domain/errors.js';

/** Pix levels: 8 pix per level (fixed). */
export const PIX_PER_LEVEL = 8;
/** A skill is worth at most 4 pix (so a level with a single skill is worth 4). */
export const MAX_PIX_PER_SKILL = 4;
/** A tube is "easy" when its hardest playable skill is at most this level. */
export const MAX_LEVEL_OF_EASY_TUBE = 3;

export interface SkillNode {
  readonly idx: number;
  readonly id: string;
  readonly tubeId: string;
  readonly competenceCode: string;
  readonly level: number;
  /** min(4, 8/N), N = active skills at this level in the competence; 0 when not active. */
  readonly pixValue: number;
  /** At least one challenge has status 'validated' (any locale). */
  readonly active: boolean;
  readonly tutorialIds: readonly string[];
}

export interface ChallengeNode {
  readonly id: string;
  readonly skillIdx: number;
  readonly timed: boolean;
}

/** The skills of one tube inside a scope, for one locale. */
export interface ScopeTube {
  readonly tubeId: string;
  /** Playable skills of the tube in this scope, sorted by level ascending (then id). */
  readonly skillIdxs: readonly number[];
  readonly maxLevel: number;
  readonly easy: boolean;
}

export interface LocaleScope {
  readonly tubes: readonly ScopeTube[];
  /** Playable skills of the scope, in tube order then level order. */
  readonly playableSkillIdxs: readonly number[];
  /** For each skill idx of the index: position of its tube in `tubes`, or −1 when not playable here. */
  readonly tubePosBySkill: Int32Array;
}

/** A set of skills the engine works on: a competence, or the targeted skills of a target profile. */
export interface EngineScope {
  readonly id: string;
  /** Set when the scope is exactly one competence (its level is then meaningful). */
  readonly competenceCode?: string;
  /** 1 when the skill idx belongs to the scope (playable or not). */
  readonly inScope: Uint8Array;
  /** Every skill idx of the scope (playable or not), sorted by idx. */
  readonly skillIdxs: readonly number[];
  readonly byLocale: Readonly<Record<Locale, LocaleScope>>;
}

export interface CompetenceNode {
  readonly code: string;
  readonly areaCode: string;
  /** Every skill idx of the competence. */
  readonly skillIdxs: readonly number[];
  readonly scope: EngineScope;
}

export interface EngineIndex {
  readonly skills: readonly SkillNode[];
  readonly skillIdxById: ReadonlyMap<string, number>;
  readonly challengesById: ReadonlyMap<string, ChallengeNode>;
  /** Per locale, per skill idx: ids of the playable challenges (status 'validated', in the locale). */
  readonly playableChallenges: Readonly<Record<Locale, readonly (readonly string[])[]>>;
  /** Per locale, per skill idx: 1 when every playable challenge of the skill is timed. */
  readonly timedSkill: Readonly<Record<Locale, Uint8Array>>;
  /** Per skill idx: every skill idx of its tube (any competence scope), sorted by level ascending. */
  readonly tubeSkillIdxs: readonly (readonly number[])[];
  /** Competences in framework order. */
  readonly competences: readonly CompetenceNode[];
  readonly competenceByCode: ReadonlyMap<string, CompetenceNode>;
  readonly tutorialsById: ReadonlyMap<string, Tutorial>;
}

/** Builds the index; O(challenges + skills). Throws on a skill or challenge that references nothing. */
export function buildEngineIndex(framework: Framework): EngineIndex {
  const competenceCodes = new Set(framework.competences.map((competence) => competence.code));
  const sortedSkills = [...framework.skills].sort(compareSkillsForIndex);
  const skillIdxById = new Map<string, number>();
  sortedSkills.forEach((skill, idx) => {
    if (skillIdxById.has(skill.id)) {
      throw new DomainError('ENGINE_DUPLICATE_SKILL', `Skill ${skill.id} appears twice`, {
        skillId: skill.id,
      });
    }
    if (!competenceCodes.has(skill.competenceCode)) {
      throw new DomainError('ENGINE_UNKNOWN_COMPETENCE', `Skill ${skill.id} has an unknown competence`, {
        skillId: skill.id,
        competenceCode: skill.competenceCode,
      });
    }
    skillIdxById.set(skill.id, idx);
  });

  const skillCount = sortedSkills.length;
  const active = new Uint8Array(skillCount);
  const challengesById = new Map<string, ChallengeNode>();
  const playable = emptyPerLocale(() => Array.from({ length: skillCount }, (): string[] => []));
  const untimedCount = emptyPerLocale(() => new Int32Array(skillCount));
  for (const challenge of framework.challenges) {
    const skillIdx = skillIdxById.get(challenge.skillId);
    if (skillIdx === undefined) {
      throw new DomainError('ENGINE_UNKNOWN_SKILL', `Challenge ${challenge.id} has an unknown skill`, {
        challengeId: challenge.id,
        skillId: challenge.skillId,
      });
    }
    const timed = typeof challenge.timer === 'number';
    challengesById.set(challenge.id, { id: challenge.id, skillIdx, timed });
    if (challenge.status !== 'validated') continue;
    active[skillIdx] = 1;
    for (const locale of challenge.locales) {
      playable[locale][skillIdx]?.push(challenge.id);
      if (!timed) untimedCount[locale][skillIdx] = (untimedCount[locale][skillIdx] ?? 0) + 1;
    }
  }
  const timedSkill = emptyPerLocale((locale) => {
    const flags = new Uint8Array(skillCount);
    for (let idx = 0; idx < skillCount; idx += 1) {
      const count = playable[locale][idx]?.length ?? 0;
      flags[idx] = count > 0 && untimedCount[locale][idx] === 0 ? 1 : 0;
    }
    return flags;
  });

  // pixValue = min(4, 8/N) with N the active skills at the same level in the same competence.
  const activeByLevel = new Map<string, number>();
  sortedSkills.forEach((skill, idx) => {
    if (!active[idx]) return;
    const key = `${skill.competenceCode}|${skill.level}`;
    activeByLevel.set(key, (activeByLevel.get(key) ?? 0) + 1);
  });
  const skills: SkillNode[] = sortedSkills.map((skill, idx) => {
    const isActive = active[idx] === 1;
    const count = activeByLevel.get(`${skill.competenceCode}|${skill.level}`) ?? 0;
    return Object.freeze({
      idx,
      id: skill.id,
      tubeId: skill.tubeId,
      competenceCode: skill.competenceCode,
      level: skill.level,
      pixValue: isActive && count > 0 ? Math.min(MAX_PIX_PER_SKILL, PIX_PER_LEVEL / count) : 0,
      active: isActive,
      tutorialIds: skill.tutorialIds,
    });
  });

  const tubeLists = new Map<string, number[]>();
  for (const skill of skills) {
    const list = tubeLists.get(skill.tubeId) ?? [];
    list.push(skill.idx);
    tubeLists.set(skill.tubeId, list);
  }
  const tubeSkillIdxs = skills.map((skill) => tubeLists.get(skill.tubeId) ?? []);

  const partial = {
    skills,
    tubeSkillIdxs,
    skillIdxById,
    challengesById,
    playableChallenges: playable,
    timedSkill,
  };
  const competences: CompetenceNode[] = framework.competences.map((competence) => {
    const skillIdxs = skills.filter((skill) => skill.competenceCode === competence.code).map((s) => s.idx);
    return Object.freeze({
      code: competence.code,
      areaCode: competence.areaCode,
      skillIdxs,
      scope: buildScope(partial, `competence:${competence.code}`, skillIdxs, competence.code),
    });
  });

  return Object.freeze({
    ...partial,
    competences,
    competenceByCode: new Map(competences.map((competence) => [competence.code, competence])),
    tutorialsById: new Map(framework.tutorials.map((tutorial) => [tutorial.id, tutorial])),
  });
}

/** Builds a scope over the given skill idxs (used for competences and target profiles). */
export function buildScope(
  index: Pick<EngineIndex, 'skills' | 'playableChallenges'>,
  id: string,
  skillIdxs: readonly number[],
  competenceCode?: string,
): EngineScope {
  const skillCount = index.skills.length;
  const inScope = new Uint8Array(skillCount);
  for (const idx of skillIdxs) inScope[idx] = 1;
  const sortedIdxs = [...new Set(skillIdxs)].sort((a, b) => a - b);
  const byLocale = emptyPerLocale((locale): LocaleScope => {
    const tubeOrder: string[] = [];
    const tubeSkills = new Map<string, number[]>();
    for (const idx of sortedIdxs) {
      if ((index.playableChallenges[locale][idx]?.length ?? 0) === 0) continue;
      const skill = index.skills[idx];
      if (!skill) continue;
      let list = tubeSkills.get(skill.tubeId);
      if (!list) {
        list = [];
        tubeSkills.set(skill.tubeId, list);
        tubeOrder.push(skill.tubeId);
      }
      list.push(idx);
    }
    const tubePosBySkill = new Int32Array(skillCount).fill(-1);
    const tubes: ScopeTube[] = tubeOrder.map((tubeId, position) => {
      const list = (tubeSkills.get(tubeId) ?? []).sort(
        (a, b) => levelOf(index, a) - levelOf(index, b) || a - b,
      );
      for (const idx of list) tubePosBySkill[idx] = position;
      const maxLevel = levelOf(index, list[list.length - 1] ?? -1);
      return Object.freeze({ tubeId, skillIdxs: list, maxLevel, easy: maxLevel <= MAX_LEVEL_OF_EASY_TUBE });
    });
    return Object.freeze({
      tubes,
      playableSkillIdxs: tubes.flatMap((tube) => tube.skillIdxs),
      tubePosBySkill,
    });
  });
  return Object.freeze({
    id,
    ...(competenceCode === undefined ? {} : { competenceCode }),
    inScope,
    skillIdxs: sortedIdxs,
    byLocale,
  });
}

/** The competence node, or a DomainError 'UNKNOWN_COMPETENCE'. */
export function competenceNode(index: EngineIndex, competenceCode: string): CompetenceNode {
  const node = index.competenceByCode.get(competenceCode);
  if (!node) {
    throw new DomainError('UNKNOWN_COMPETENCE', `Unknown competence ${competenceCode}`, { competenceCode });
  }
  return node;
}

function levelOf(index: Pick<EngineIndex, 'skills'>, idx: number): number {
  return index.skills[idx]?.level ?? 0;
}

function compareSkillsForIndex(a: Framework['skills'][number], b: Framework['skills'][number]): number {
  if (a.competenceCode !== b.competenceCode) return a.competenceCode < b.competenceCode ? -1 : 1;
  if (a.tubeId !== b.tubeId) return a.tubeId < b.tubeId ? -1 : 1;
  if (a.level !== b.level) return a.level - b.level;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function emptyPerLocale<T>(make: (locale: Locale) => T): Record<Locale, T> {
  const result = {} as Record<Locale, T>;
  for (const locale of LOCALES) result[locale] = make(locale);
  return result;
}
