/**
 * Figures about a loaded bank, for `npm run content:stats` and for dashboards.
 *
 * Every count is of **validated** challenges (the ones an assessment may serve), except the
 * `byStatus` breakdowns, which count every status.
 */
import { COVERAGE_TARGETS } from '../../domain/content-validation.js';
import {
  CHALLENGE_STATUSES,
  CHALLENGE_TYPES,
  LOCALES,
  MAX_SKILL_LEVEL,
  MIN_SKILL_LEVEL,
  type Challenge,
  type ChallengeStatus,
  type ChallengeType,
  type Framework,
  type Locale,
} from '../../domain/models.js';

export type StatusCounts = Record<ChallengeStatus, number>;

export interface CompetenceStats {
  /** Validated challenges. */
  total: number;
  byStatus: StatusCounts;
  tubes: number;
  skills: number;
  /** Skills with at least 2 validated challenges. */
  skillsCovered: number;
}

export interface ContentStats {
  /** Validated challenges. */
  total: number;
  byStatus: StatusCounts;
  perCompetence: Record<string, CompetenceStats>;
  /** By skill level, '1'…'8'. */
  perLevel: Record<string, number>;
  perType: Record<ChallengeType, number>;
  /** Validated challenges with at least one attachment. */
  attachments: number;
  /** Attached files over all validated challenges. */
  attachmentFiles: number;
  /** Validated challenges with an embedded simulator. */
  embeds: number;
  /** Distinct simulators used by validated challenges. */
  simulators: number;
  timed: number;
  focused: number;
  illustrated: number;
  /** Validated challenges available in each locale. */
  locales: Record<Locale, number>;
  accessibility: { blind: number; colorBlind: number };
  irt: { derived: number; calibrated: number };
  framework: {
    areas: number;
    competences: number;
    thematics: number;
    tubes: number;
    skills: number;
    skillsPerLevel: Record<string, number>;
    tutorials: Record<Locale, number>;
  };
  /** Progress towards the targets of docs/content-authoring.md. */
  targets: {
    validatedChallenges: { current: number; target: number };
    competencesCovered: { current: number; target: number; minPerCompetence: number };
    skillsCovered: { current: number; target: number; minPerSkill: number };
  };
}

function zeroStatuses(): StatusCounts {
  return Object.fromEntries(CHALLENGE_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

function levelKeys(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let level = MIN_SKILL_LEVEL; level <= MAX_SKILL_LEVEL; level += 1) counts[String(level)] = 0;
  return counts;
}

export function computeContentStats(framework: Framework): ContentStats {
  const skills = new Map(framework.skills.map((skill) => [skill.id, skill]));
  const validated = framework.challenges.filter((challenge) => challenge.status === 'validated');
  const count = (predicate: (challenge: Challenge) => boolean) => validated.filter(predicate).length;

  const byStatus = zeroStatuses();
  for (const challenge of framework.challenges) byStatus[challenge.status] += 1;

  const validatedBySkill = new Map<string, number>();
  for (const challenge of validated) {
    validatedBySkill.set(challenge.skillId, (validatedBySkill.get(challenge.skillId) ?? 0) + 1);
  }
  const minPerSkill = COVERAGE_TARGETS.minValidatedChallengesPerSkill;
  const isCovered = (skillId: string) => (validatedBySkill.get(skillId) ?? 0) >= minPerSkill;

  const perCompetence: Record<string, CompetenceStats> = {};
  for (const competence of framework.competences) {
    const competenceSkills = framework.skills.filter((skill) => skill.competenceCode === competence.code);
    perCompetence[competence.code] = {
      total: 0,
      byStatus: zeroStatuses(),
      tubes: framework.tubes.filter((tube) => tube.competenceCode === competence.code).length,
      skills: competenceSkills.length,
      skillsCovered: competenceSkills.filter((skill) => isCovered(skill.id)).length,
    };
  }
  const perLevel = levelKeys();
  const perType = Object.fromEntries(CHALLENGE_TYPES.map((type) => [type, 0])) as Record<
    ChallengeType,
    number
  >;
  for (const challenge of framework.challenges) {
    const skill = skills.get(challenge.skillId);
    const competence = skill ? perCompetence[skill.competenceCode] : undefined;
    if (competence) competence.byStatus[challenge.status] += 1;
    if (challenge.status !== 'validated') continue;
    if (competence) competence.total += 1;
    if (skill) perLevel[String(skill.level)] = (perLevel[String(skill.level)] ?? 0) + 1;
    perType[challenge.type] += 1;
  }

  const skillsPerLevel = levelKeys();
  for (const skill of framework.skills) {
    skillsPerLevel[String(skill.level)] = (skillsPerLevel[String(skill.level)] ?? 0) + 1;
  }
  const locales = Object.fromEntries(
    LOCALES.map((locale) => [locale, count((challenge) => challenge.locales.includes(locale))]),
  ) as Record<Locale, number>;
  const tutorials = Object.fromEntries(
    LOCALES.map((locale) => [
      locale,
      framework.tutorials.filter((tutorial) => tutorial.locale === locale).length,
    ]),
  ) as Record<Locale, number>;
  const minPerCompetence = COVERAGE_TARGETS.minValidatedChallengesPerCompetence;

  return {
    total: validated.length,
    byStatus,
    perCompetence,
    perLevel,
    perType,
    attachments: count((challenge) => challenge.attachments.length > 0),
    attachmentFiles: validated.reduce((sum, challenge) => sum + challenge.attachments.length, 0),
    embeds: count((challenge) => challenge.embed !== undefined),
    simulators: new Set(
      validated.flatMap((challenge) => (challenge.embed ? [challenge.embed.simulatorId] : [])),
    ).size,
    timed: count((challenge) => challenge.timer !== undefined),
    focused: count((challenge) => challenge.focused),
    illustrated: count((challenge) => challenge.illustration !== undefined),
    locales,
    accessibility: {
      blind: count((challenge) => challenge.accessibility.blind),
      colorBlind: count((challenge) => challenge.accessibility.colorBlind),
    },
    irt: {
      derived: count((challenge) => challenge.irt.source === 'derived'),
      calibrated: count((challenge) => challenge.irt.source === 'calibrated'),
    },
    framework: {
      areas: framework.areas.length,
      competences: framework.competences.length,
      thematics: framework.thematics.length,
      tubes: framework.tubes.length,
      skills: framework.skills.length,
      skillsPerLevel,
      tutorials,
    },
    targets: {
      validatedChallenges: { current: validated.length, target: COVERAGE_TARGETS.minValidatedChallenges },
      competencesCovered: {
        current: Object.values(perCompetence).filter((stats) => stats.total >= minPerCompetence).length,
        target: framework.competences.length,
        minPerCompetence,
      },
      skillsCovered: {
        current: framework.skills.filter((skill) => isCovered(skill.id)).length,
        target: framework.skills.length,
        minPerSkill,
      },
    },
  };
}
