/**
 * Scoring (pix-reference §2 "Scoring", §3 "Eligibility"), from the KEs that count:
 * - competence pix = floor(Σ earnedPix of validated KEs), capped at maxLevel × 8;
 * - level = floor(pix / 8), capped at maxLevel;
 * - pix ahead of next level = pix − 8 × level;
 * - eligible for certification = at least 5 competences at level ≥ 1.
 *
 * `maxLevel` is the highest reachable level (product default 6, allowed 1…8); it is a parameter of
 * every function here, never a constant. The floor tolerates floating-point error (Σ of seven
 * 8/7 values is 7.999…): sums within 1e-6 below an integer count as that integer.
 */
import { DomainError } from '../../shared/domain/errors.js';
import { PIX_PER_LEVEL } from './engine-index.js';
import { latestKnowledgeElements, type KnowledgeElement } from './knowledge-element.js';

export const DEFAULT_MAX_LEVEL = 6;
export const LOWEST_MAX_LEVEL = 1;
export const HIGHEST_MAX_LEVEL = 8;
export const MIN_CERTIFIABLE_COMPETENCES = 5;
export const MIN_LEVEL_FOR_CERTIFIABLE_COMPETENCE = 1;
const FLOOR_TOLERANCE = 1e-6;

export interface ScoringOptions {
  /** Highest reachable level, 1…8 (default 6). */
  readonly maxLevel?: number;
}

export interface CompetenceScore {
  readonly competenceCode: string;
  readonly pix: number;
  readonly level: number;
  readonly pixAheadOfNextLevel: number;
  /** maxLevel × 8. */
  readonly maxPix: number;
}

export interface ProfileScore {
  readonly competences: readonly CompetenceScore[];
  readonly totalPix: number;
  readonly maxTotalPix: number;
  readonly certifiableCompetenceCount: number;
  readonly eligibleForCertification: boolean;
}

/** Validates and returns the max level (default 6); DomainError 'INVALID_MAX_LEVEL' otherwise. */
export function resolveMaxLevel(maxLevel: number | undefined): number {
  const value = maxLevel ?? DEFAULT_MAX_LEVEL;
  if (!Number.isInteger(value) || value < LOWEST_MAX_LEVEL || value > HIGHEST_MAX_LEVEL) {
    throw new DomainError('INVALID_MAX_LEVEL', `maxLevel must be an integer in 1…8, got ${value}`, {
      maxLevel: value,
    });
  }
  return value;
}

/** Pix and level from a raw Σ earnedPix. */
export function scoreFromEarnedPix(
  competenceCode: string,
  earnedPix: number,
  options: ScoringOptions = {},
): CompetenceScore {
  const maxLevel = resolveMaxLevel(options.maxLevel);
  const maxPix = maxLevel * PIX_PER_LEVEL;
  const pix = Math.min(maxPix, Math.max(0, Math.floor(earnedPix + FLOOR_TOLERANCE)));
  const level = Math.min(maxLevel, Math.floor(pix / PIX_PER_LEVEL));
  return { competenceCode, pix, level, pixAheadOfNextLevel: pix - level * PIX_PER_LEVEL, maxPix };
}

/** The score of one competence from the learner's KEs (any competence; others are ignored). */
export function computeCompetenceScore(
  knowledgeElements: readonly KnowledgeElement[],
  competenceCode: string,
  options: ScoringOptions = {},
): CompetenceScore {
  const ofCompetence = knowledgeElements.filter((ke) => ke.competenceCode === competenceCode);
  return scoreFromEarnedPix(competenceCode, sumValidatedPix(latestKnowledgeElements(ofCompetence)), options);
}

/** Scores of every listed competence, total pix and certification eligibility. */
export function computeProfile(input: {
  readonly competenceCodes: readonly string[];
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly maxLevel?: number;
}): ProfileScore {
  const maxLevel = resolveMaxLevel(input.maxLevel);
  const earned = new Map<string, number>();
  for (const ke of latestKnowledgeElements(input.knowledgeElements)) {
    if (ke.status !== 'validated') continue;
    earned.set(ke.competenceCode, (earned.get(ke.competenceCode) ?? 0) + ke.earnedPix);
  }
  const competences = input.competenceCodes.map((code) =>
    scoreFromEarnedPix(code, earned.get(code) ?? 0, { maxLevel }),
  );
  const certifiableCompetenceCount = competences.filter(
    (score) => score.level >= MIN_LEVEL_FOR_CERTIFIABLE_COMPETENCE,
  ).length;
  return {
    competences,
    totalPix: competences.reduce((sum, score) => sum + score.pix, 0),
    maxTotalPix: input.competenceCodes.length * maxLevel * PIX_PER_LEVEL,
    certifiableCompetenceCount,
    eligibleForCertification: isEligibleForCertification(competences),
  };
}

/** At least 5 competences at level ≥ 1. */
export function isEligibleForCertification(scores: readonly Pick<CompetenceScore, 'level'>[]): boolean {
  return (
    scores.filter((score) => score.level >= MIN_LEVEL_FOR_CERTIFIABLE_COMPETENCE).length >=
    MIN_CERTIFIABLE_COMPETENCES
  );
}

/** True when a level was crossed between two scores of the same competence ("level up"). */
export function hasLevelledUp(
  before: Pick<CompetenceScore, 'level'>,
  after: Pick<CompetenceScore, 'level'>,
): boolean {
  return after.level > before.level;
}

function sumValidatedPix(latest: readonly KnowledgeElement[]): number {
  let sum = 0;
  for (const ke of latest) if (ke.status === 'validated') sum += ke.earnedPix;
  return sum;
}
