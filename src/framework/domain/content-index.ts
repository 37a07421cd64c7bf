/**
 * Immutable look-up indexes over a loaded framework, built once at start-up.
 *
 * Every map is a {@link FrozenMap} (no `set`, `delete` or `clear`) and every list in it is a frozen
 * array, so the shared, read-only content bank cannot be changed by a request by mistake. Every
 * known key has an entry: `skillsByCompetence.get('1.1')` is an empty list, never `undefined`, for
 * a competence without skills. Lists keep a stable order (see each index).
 */
import {
  CHALLENGE_STATUSES,
  LOCALES,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  type Area,
  type Challenge,
  type ChallengeStatus,
  type Competence,
  type Framework,
  type Locale,
  type Skill,
  type Thematic,
  type Tube,
  type Tutorial,
} from './models.js';

/** A read-only map whose content cannot be changed after construction. */
export class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  readonly #map: Map<K, V>;

  constructor(entries: Iterable<readonly [K, V]>) {
    this.#map = new Map(entries);
    Object.freeze(this);
  }

  get size(): number {
    return this.#map.size;
  }

  get(key: K): V | undefined {
    return this.#map.get(key);
  }

  has(key: K): boolean {
    return this.#map.has(key);
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    this.#map.forEach((value, key) => callback.call(thisArg, value, key, this));
  }

  keys(): MapIterator<K> {
    return this.#map.keys();
  }

  values(): MapIterator<V> {
    return this.#map.values();
  }

  entries(): MapIterator<[K, V]> {
    return this.#map.entries();
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.#map.entries();
  }
}

/** The indexes of a framework. Lists are in framework order unless said otherwise. */
export interface ContentIndex {
  readonly areasByCode: ReadonlyMap<string, Area>;
  readonly competencesByCode: ReadonlyMap<string, Competence>;
  /** Area code → its competences, by code. */
  readonly competencesByArea: ReadonlyMap<string, readonly Competence[]>;
  readonly thematicsById: ReadonlyMap<string, Thematic>;
  readonly thematicsByCompetence: ReadonlyMap<string, readonly Thematic[]>;
  readonly tubesById: ReadonlyMap<string, Tube>;
  readonly tubesByCompetence: ReadonlyMap<string, readonly Tube[]>;
  readonly tubesByThematic: ReadonlyMap<string, readonly Tube[]>;
  readonly skillsById: ReadonlyMap<string, Skill>;
  /** Tube id → its skills, easiest first. */
  readonly skillsByTube: ReadonlyMap<string, readonly Skill[]>;
  /** Competence code → its skills, by tube (framework order) then level. */
  readonly skillsByCompetence: ReadonlyMap<string, readonly Skill[]>;
  /** Level 1…8 → the skills of that level in every competence. */
  readonly skillsByLevel: ReadonlyMap<number, readonly Skill[]>;
  readonly tutorialsById: ReadonlyMap<string, Tutorial>;
  /** Skill id → its tutorials, in the order the skill names them. */
  readonly tutorialsBySkill: ReadonlyMap<string, readonly Tutorial[]>;
  readonly tutorialsByLocale: ReadonlyMap<Locale, readonly Tutorial[]>;
  readonly challengesById: ReadonlyMap<string, Challenge>;
  /** Skill id → its challenges of every status. */
  readonly challengesBySkill: ReadonlyMap<string, readonly Challenge[]>;
  /** Skill id → its validated challenges only: those an assessment may serve. */
  readonly validatedChallengesBySkill: ReadonlyMap<string, readonly Challenge[]>;
  readonly challengesByTube: ReadonlyMap<string, readonly Challenge[]>;
  readonly challengesByCompetence: ReadonlyMap<string, readonly Challenge[]>;
  /** Level 1…8 (the level of the challenge's skill) → challenges of every status. */
  readonly challengesByLevel: ReadonlyMap<number, readonly Challenge[]>;
  /** Locale → the challenges available in it, of every status. */
  readonly challengesByLocale: ReadonlyMap<Locale, readonly Challenge[]>;
  readonly challengesByStatus: ReadonlyMap<ChallengeStatus, readonly Challenge[]>;
}

function byKey<T>(items: readonly T[], keyOf: (item: T) => string): FrozenMap<string, T> {
  return new FrozenMap(items.map((item) => [keyOf(item), item] as const));
}

/** Groups items under the given keys (all present, even when empty), keeping the items' order. */
function groupBy<K, T>(
  keys: Iterable<K>,
  items: readonly T[],
  keysOf: (item: T) => readonly K[],
): FrozenMap<K, readonly T[]> {
  const groups = new Map<K, T[]>();
  for (const key of keys) groups.set(key, []);
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return new FrozenMap([...groups].map(([key, group]) => [key, Object.freeze(group)] as const));
}

const LEVELS: readonly number[] = Array.from(
  { length: MAX_SKILL_LEVEL - MIN_SKILL_LEVEL + 1 },
  (_, index) => MIN_SKILL_LEVEL + index,
);

/**
 * Builds the indexes of a framework. The framework is expected to be valid (every reference
 * resolves); an item whose reference does not resolve is simply left out of that index.
 */
export function buildContentIndex(framework: Framework): ContentIndex {
  const skillsById = byKey(framework.skills, (skill) => skill.id);
  const tubesById = byKey(framework.tubes, (tube) => tube.id);
  const tutorialsById = byKey(framework.tutorials, (tutorial) => tutorial.id);
  const competenceCodes = framework.competences.map((competence) => competence.code);
  const tubeOrder = new Map(framework.tubes.map((tube, index) => [tube.id, index]));
  const skillOrder = (a: Skill, b: Skill) =>
    (tubeOrder.get(a.tubeId) ?? 0) - (tubeOrder.get(b.tubeId) ?? 0) || a.level - b.level;
  const sortedSkills = [...framework.skills].sort(skillOrder);
  const skillOf = (challenge: Challenge) => skillsById.get(challenge.skillId);

  const index: ContentIndex = {
    areasByCode: byKey(framework.areas, (area) => area.code),
    competencesByCode: byKey(framework.competences, (competence) => competence.code),
    competencesByArea: groupBy(
      framework.areas.map((area) => area.code),
      [...framework.competences].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
      (competence) => [competence.areaCode],
    ),
    thematicsById: byKey(framework.thematics, (thematic) => thematic.id),
    thematicsByCompetence: groupBy(competenceCodes, framework.thematics, (thematic) => [
      thematic.competenceCode,
    ]),
    tubesById,
    tubesByCompetence: groupBy(competenceCodes, framework.tubes, (tube) => [tube.competenceCode]),
    tubesByThematic: groupBy(
      framework.thematics.map((thematic) => thematic.id),
      framework.tubes,
      (tube) => [tube.thematicId],
    ),
    skillsById,
    skillsByTube: groupBy(
      framework.tubes.map((tube) => tube.id),
      sortedSkills,
      (skill) => [skill.tubeId],
    ),
    skillsByCompetence: groupBy(competenceCodes, sortedSkills, (skill) => [skill.competenceCode]),
    skillsByLevel: groupBy(LEVELS, sortedSkills, (skill) => [skill.level]),
    tutorialsById,
    tutorialsBySkill: new FrozenMap(
      framework.skills.map(
        (skill) =>
          [
            skill.id,
            Object.freeze(
              skill.tutorialIds.flatMap((id) => {
                const tutorial = tutorialsById.get(id);
                return tutorial ? [tutorial] : [];
              }),
            ),
          ] as const,
      ),
    ),
    tutorialsByLocale: groupBy(LOCALES, framework.tutorials, (tutorial) => [tutorial.locale]),
    challengesById: byKey(framework.challenges, (challenge) => challenge.id),
    challengesBySkill: groupBy(
      framework.skills.map((skill) => skill.id),
      framework.challenges,
      (challenge) => [challenge.skillId],
    ),
    validatedChallengesBySkill: groupBy(
      framework.skills.map((skill) => skill.id),
      framework.challenges.filter((challenge) => challenge.status === 'validated'),
      (challenge) => [challenge.skillId],
    ),
    challengesByTube: groupBy(
      framework.tubes.map((tube) => tube.id),
      framework.challenges,
      (challenge) => {
        const skill = skillOf(challenge);
        return skill ? [skill.tubeId] : [];
      },
    ),
    challengesByCompetence: groupBy(competenceCodes, framework.challenges, (challenge) => {
      const skill = skillOf(challenge);
      return skill ? [skill.competenceCode] : [];
    }),
    challengesByLevel: groupBy(LEVELS, framework.challenges, (challenge) => {
      const skill = skillOf(challenge);
      return skill ? [skill.level] : [];
    }),
    challengesByLocale: groupBy(LOCALES, framework.challenges, (challenge) => challenge.locales),
    challengesByStatus: groupBy(CHALLENGE_STATUSES, framework.challenges, (challenge) => [challenge.status]),
  };
  return Object.freeze(index);
}

/** Freezes a plain data structure (objects and arrays) and everything it holds; returns it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
