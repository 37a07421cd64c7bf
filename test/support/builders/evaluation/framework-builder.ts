/**
 * Small frameworks for the evaluation unit tests, from a compact description:
 *
 *   buildFramework({ '1.1': { web: [1, 2, 3], mail: [2, 4, 6] } })
 *
 * gives competence 1.1 with tubes 'web' (skills @web1, @web2, @web3) and 'mail' (@mail2, @mail4,
 * @mail6). Each skill gets one validated challenge `ch-<skill>` in both locales unless `options`
 * says otherwise, and one tutorial per locale `tuto-<skill>-<locale>`.
 */
import type {
  Challenge,
  ChallengeStatus,
  Framework,
  Locale,
  Skill,
  Tutorial,
} from '../../../../src/framework/domain/models.js';
import type { KnowledgeElement } from '../../../../src/evaluation/domain/knowledge-element.js';

export type FrameworkSpec = Readonly<Record<string, Readonly<Record<string, readonly number[]>>>>;

export interface FrameworkOptions {
  /** Skill ids whose challenges are all timed. */
  readonly timedSkills?: readonly string[];
  /** Challenges per skill (default 1). */
  readonly challengesPerSkill?: number;
  /** Skill id → status of all its challenges (default 'validated'). */
  readonly statuses?: Readonly<Record<string, ChallengeStatus>>;
  /** Skill id → locales of its challenges (default both). */
  readonly locales?: Readonly<Record<string, readonly Locale[]>>;
  /** Skill id → tutorial ids (default one per locale). */
  readonly tutorials?: Readonly<Record<string, readonly Tutorial[]>>;
}

export function buildFramework(spec: FrameworkSpec, options: FrameworkOptions = {}): Framework {
  const text = (value: string) => ({ fr: value, en: value });
  const competenceCodes = Object.keys(spec);
  const areaCodes = [...new Set(competenceCodes.map((code) => code.split('.')[0] ?? '1'))];
  const skills: Skill[] = [];
  const tutorials: Tutorial[] = [];
  const challenges: Challenge[] = [];
  const tubes = competenceCodes.flatMap((code) =>
    Object.keys(spec[code] ?? {}).map((tubeId) => ({
      id: tubeId,
      competenceCode: code,
      thematicId: `th-${code}`,
      practicalTitle: text(tubeId),
      practicalDescription: text(tubeId),
    })),
  );
  for (const code of competenceCodes) {
    for (const [tubeId, levels] of Object.entries(spec[code] ?? {})) {
      for (const level of levels) {
        const id = `@${tubeId}${level}`;
        const ownTutorials =
          options.tutorials?.[id] ??
          (['fr', 'en'] as const).map((locale): Tutorial => ({
            id: `tuto-${tubeId}${level}-${locale}`,
            title: `Tutorial ${id}`,
            url: `https://example.org/${tubeId}${level}/${locale}`,
            source: 'test',
            format: 'article',
            duration: 'PT2M',
            locale,
          }));
        for (const tutorial of ownTutorials) {
          if (!tutorials.some((known) => known.id === tutorial.id)) tutorials.push(tutorial);
        }
        skills.push({ id, tubeId, competenceCode: code, level, tutorialIds: ownTutorials.map((t) => t.id) });
        const count = options.challengesPerSkill ?? 1;
        for (let k = 0; k < count; k += 1) {
          challenges.push(
            challengeFor(id, level, k, {
              timed: options.timedSkills?.includes(id) ?? false,
              status: options.statuses?.[id] ?? 'validated',
              locales: options.locales?.[id] ?? ['fr', 'en'],
            }),
          );
        }
      }
    }
  }
  return {
    areas: areaCodes.map((areaCode) => ({
      code: areaCode,
      name: text(`Area ${areaCode}`),
      color: '#000000',
      competenceCodes: competenceCodes.filter((code) => code.startsWith(`${areaCode}.`)),
    })),
    competences: competenceCodes.map((code) => ({
      code,
      areaCode: code.split('.')[0] ?? '1',
      name: text(code),
      description: text(code),
    })),
    thematics: competenceCodes.map((code) => ({ id: `th-${code}`, competenceCode: code, name: text(code) })),
    tubes,
    skills,
    tutorials,
    challenges,
  };
}

/** The id of the k-th challenge of a skill: 'ch-web2' for k = 0, 'ch-web2-1' for k = 1. */
export function challengeId(skillId: string, k = 0): string {
  return k === 0 ? `ch-${skillId.slice(1)}` : `ch-${skillId.slice(1)}-${k}`;
}

function challengeFor(
  skillId: string,
  level: number,
  k: number,
  settings: { timed: boolean; status: ChallengeStatus; locales: readonly Locale[] },
): Challenge {
  return {
    id: challengeId(skillId, k),
    skillId,
    type: 'QCU',
    status: settings.status,
    locales: settings.locales,
    instruction: { fr: 'Consigne', en: 'Instruction' },
    proposals: { fr: '- a\n- b', en: '- a\n- b' },
    solution: { type: 'QCU', answer: 1 },
    attachments: [],
    ...(settings.timed ? { timer: 30 } : {}),
    focused: false,
    accessibility: { blind: true, colorBlind: true },
    irt: { discrimination: 1, difficulty: level - 4.5, source: 'derived' },
    author: 'test',
  };
}

/** A KE with sensible defaults, for tests. */
export function ke(
  skillId: string,
  status: KnowledgeElement['status'],
  overrides: Partial<KnowledgeElement> = {},
): KnowledgeElement {
  return {
    skillId,
    competenceCode: '1.1',
    source: 'direct',
    status,
    earnedPix: status === 'validated' ? 4 : 0,
    createdAt: new Date('2025-01-01T00:00:00Z'),
    ...overrides,
  };
}
