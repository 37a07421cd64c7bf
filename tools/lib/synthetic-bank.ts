/**
 * A seeded generator of synthetic content banks shaped like the real one, for the engine benchmark,
 * the positioning simulation and tests. Same seed and options → same framework.
 *
 * Shape: 16 competences in 5 areas (codes 1.1…5.2); each competence has a few tubes spanning
 * contiguous level ranges within 1…8 (the first tube of each competence is an "easy" tube, max
 * level ≤ 3), with every level 1…8 covered by at least `minSkillsPerLevel` skills so that each
 * level of each competence is worth exactly 8 pix; every skill has at least 2 validated
 * challenges (most in both locales, some timed).
 */
import type {
  Area,
  Challenge,
  Competence,
  Framework,
  Locale,
  LocalizedText,
  Skill,
  Thematic,
  Tube,
  Tutorial,
} from '../../src/framework/domain/models.js';
import { createSeededRandom, type RandomSource } from '../../src/shared/domain/random.js';

export interface SyntheticBankOptions {
  readonly seed?: number;
  /** Tubes per competence, inclusive range. */
  readonly tubesPerCompetence?: readonly [number, number];
  /** Exact number of challenges with status 'validated' in the bank (at least 2 per skill). */
  readonly validatedChallenges?: number;
  /** Extra challenges with status 'draft' or 'archived' (never playable). */
  readonly nonValidatedChallenges?: number;
  /** Probability that a challenge is timed. */
  readonly timedChallengeRate?: number;
  /** Probability that every challenge of a skill is timed (a "timed skill"). */
  readonly timedSkillRate?: number;
  /** Probability that a challenge exists in French only. */
  readonly frenchOnlyRate?: number;
  /** Minimum skills at each level 1…8 of each competence. */
  readonly minSkillsPerLevel?: number;
}

/** The stand-in for the real bank: 16 competences, 3–5 tubes each, ~700 challenges. */
export const REAL_BANK_SHAPE: SyntheticBankOptions = {
  seed: 20240601,
  tubesPerCompetence: [3, 5],
  validatedChallenges: 700,
  nonValidatedChallenges: 30,
};

/** The large bank of the benchmark: 10,000 challenges. */
export const SYNTHETIC_10K_SHAPE: SyntheticBankOptions = {
  seed: 10000,
  tubesPerCompetence: [30, 40],
  validatedChallenges: 10_000,
  nonValidatedChallenges: 0,
};

const AREAS: readonly { code: string; color: string; competences: number }[] = [
  { code: '1', color: '#F24645', competences: 3 },
  { code: '2', color: '#1AB0A0', competences: 4 },
  { code: '3', color: '#3D68FF', competences: 4 },
  { code: '4', color: '#E8435E', competences: 3 },
  { code: '5', color: '#8D49D2', competences: 2 },
];

export function generateSyntheticFramework(options: SyntheticBankOptions = {}): Framework {
  const random = createSeededRandom(options.seed ?? 1);
  const [minTubes, maxTubes] = options.tubesPerCompetence ?? [3, 5];
  const minPerLevel = options.minSkillsPerLevel ?? 2;
  const timedChallengeRate = options.timedChallengeRate ?? 0.08;
  const timedSkillRate = options.timedSkillRate ?? 0.04;
  const frenchOnlyRate = options.frenchOnlyRate ?? 0.05;

  const areas: Area[] = [];
  const competences: Competence[] = [];
  const thematics: Thematic[] = [];
  const tubes: Tube[] = [];
  const skills: Skill[] = [];
  const tutorials: Tutorial[] = [];

  for (const area of AREAS) {
    const codes: string[] = [];
    for (let c = 1; c <= area.competences; c += 1) {
      const code = `${area.code}.${c}`;
      codes.push(code);
      competences.push({
        code,
        areaCode: area.code,
        name: text(`Compétence ${code}`, `Competence ${code}`),
        description: text(`Description ${code}`, `Description ${code}`),
      });
      const thematicId = `th${code.replace('.', '_')}`;
      thematics.push({
        id: thematicId,
        competenceCode: code,
        name: text(`Thématique ${code}`, `Theme ${code}`),
      });
      const tubeCount = minTubes + random.int(maxTubes - minTubes + 1);
      const ranges = tubeRanges(random, tubeCount, minPerLevel);
      ranges.forEach(([low, high], t) => {
        const tubeId = `c${code.replace('.', '')}t${t}`;
        tubes.push({
          id: tubeId,
          competenceCode: code,
          thematicId,
          practicalTitle: text(`Sujet ${tubeId}`, `Topic ${tubeId}`),
          practicalDescription: text(`Sujet ${tubeId}`, `Topic ${tubeId}`),
        });
        for (let level = low; level <= high; level += 1) {
          const id = `@${tubeId}${level}`;
          const tutorialIds: string[] = [];
          for (const locale of ['fr', 'en'] as const) {
            const tutorialId = `tuto-${tubeId}${level}-${locale}`;
            tutorialIds.push(tutorialId);
            tutorials.push({
              id: tutorialId,
              title: `Tutorial ${id} (${locale})`,
              url: `https://example.org/tutorials/${tubeId}${level}/${locale}`,
              source: 'Synthetic',
              format: 'article',
              duration: 'PT5M',
              locale,
            });
          }
          skills.push({ id, tubeId, competenceCode: code, level, tutorialIds });
        }
      });
    }
    areas.push({
      code: area.code,
      name: text(`Domaine ${area.code}`, `Area ${area.code}`),
      color: area.color,
      competenceCodes: codes,
    });
  }

  const validatedTotal = Math.max(options.validatedChallenges ?? skills.length * 2, skills.length * 2);
  const perSkill = skills.map(() => 2);
  for (let extra = validatedTotal - skills.length * 2; extra > 0; extra -= 1) {
    const at = random.int(skills.length);
    perSkill[at] = (perSkill[at] ?? 2) + 1;
  }

  const challenges: Challenge[] = [];
  skills.forEach((skill, s) => {
    const timedSkill = random.next() < timedSkillRate;
    const count = perSkill[s] ?? 2;
    for (let k = 0; k < count; k += 1) {
      // The first challenge of each skill exists in both locales, so that every skill is playable.
      const locales: Locale[] = k > 0 && random.next() < frenchOnlyRate ? ['fr'] : ['fr', 'en'];
      const timed = timedSkill || (k > 0 && random.next() < timedChallengeRate);
      challenges.push(makeChallenge(`ch-${skill.id.slice(1)}-${k}`, skill, 'validated', locales, timed));
    }
  });
  for (let n = 0; n < (options.nonValidatedChallenges ?? 0); n += 1) {
    const skill = skills[random.int(skills.length)];
    if (!skill) continue;
    const status = random.next() < 0.5 ? 'draft' : 'archived';
    challenges.push(
      makeChallenge(`ch-${skill.id.slice(1)}-${status}-${n}`, skill, status, ['fr', 'en'], false),
    );
  }

  return { areas, competences, thematics, tubes, skills, tutorials, challenges };
}

/**
 * Level ranges of the tubes of one competence: tube 0 is easy (1…2 or 1…3); the others are random
 * contiguous ranges; then ranges are widened until each level 1…8 has `minPerLevel` skills.
 */
function tubeRanges(random: RandomSource, count: number, minPerLevel: number): [number, number][] {
  const ranges: [number, number][] = [[1, 2 + random.int(2)]];
  for (let t = 1; t < count; t += 1) {
    const low = 1 + random.int(5);
    const length = 2 + random.int(5);
    ranges.push([low, Math.min(8, low + length)]);
  }
  for (let level = 1; level <= 8; level += 1) {
    let covered = ranges.filter(([low, high]) => low <= level && level <= high).length;
    while (covered < minPerLevel) {
      // Widen the non-easy tube closest to the level (ties: the later tube).
      let best = -1;
      let bestDistance = Infinity;
      ranges.forEach(([low, high], t) => {
        if (t === 0 || (low <= level && level <= high)) return;
        const distance = level < low ? low - level : level - high;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = t;
        }
      });
      const range = ranges[best];
      if (!range) {
        ranges.push([level, level]);
      } else {
        range[0] = Math.min(range[0], level);
        range[1] = Math.max(range[1], level);
      }
      covered = ranges.filter(([low, high]) => low <= level && level <= high).length;
    }
  }
  return ranges;
}

function makeChallenge(
  id: string,
  skill: Skill,
  status: Challenge['status'],
  locales: Locale[],
  timed: boolean,
): Challenge {
  return {
    id,
    skillId: skill.id,
    type: 'QCU',
    status,
    locales,
    instruction: text(`Consigne ${id}`, `Instruction ${id}`),
    proposals: text('- oui\n- non', '- yes\n- no'),
    solution: { type: 'QCU', answer: 1 },
    attachments: [],
    ...(timed ? { timer: 60 } : {}),
    focused: false,
    accessibility: { blind: true, colorBlind: true },
    irt: { discrimination: 1, difficulty: skill.level - 4.5, source: 'derived' },
    author: 'synthetic',
  };
}

function text(fr: string, en: string): LocalizedText {
  return { fr, en };
}
