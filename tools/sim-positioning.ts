/**
 * Monte-Carlo study of the positioning engine (docs/positioning-simulation.md).
 *
 *   npm run sim:positioning -- [--json] [--algorithm pix|improved] [--learners 2000] [--max-level 6]
 *                              [--slip 0.05] [--guess 0.1] [--discrimination 3] [--seed 7]
 *                              [--improved-params '{"stopConfidence":0.95}']
 *
 * Each simulated learner has, for every competence, a true level T drawn uniformly in 0…maxLevel
 * and answers with P(correct | skill level d) = guess + (1 − slip − guess) · σ(a · (T + 0.5 − d)).
 * The engine positions the learner until it stops; the resulting KEs are scored with the scoring
 * rules. "Exact" means scored level = reference level of T (the level of a profile validating
 * exactly the skills of level ≤ T; it equals T on the synthetic bank, where every level has at least
 * two skills); "within one" means |scored level − reference| ≤ 1.
 * With --json, prints one JSON line on stdout; progress goes to stderr.
 */
import { loadContentOrThrow } from '../src/framework/infrastructure/content/content-loader.js';
import { pathToFileURL } from 'node:url';
import type { Framework } from '../src/framework/domain/models.js';
import type { PositioningAlgorithm } from '../src/evaluation/domain/algorithm.js';
import { applyAnswer } from '../src/evaluation/domain/answer-inference.js';
import { buildEngineIndex, type EngineIndex } from '../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../src/evaluation/domain/knowledge-element.js';
import type { ImprovedParameters } from '../src/evaluation/domain/improved-positioning.js';
import { computeNextChallenge, type AssessmentAnswerRef } from '../src/evaluation/domain/positioning.js';
import { computeCompetenceScore, scoreFromEarnedPix } from '../src/evaluation/domain/scoring.js';
import { createSeededRandom } from '../src/shared/domain/random.js';
import { generateSyntheticFramework, REAL_BANK_SHAPE } from './lib/synthetic-bank.js';

export interface ResponseModel {
  /** Probability of a wrong answer on a mastered skill. */
  readonly slip: number;
  /** Probability of a right answer on a skill far above the learner's level. */
  readonly guess: number;
  /** Common discrimination a of the Rasch curve on the level scale. */
  readonly discrimination: number;
}

export const DEFAULT_RESPONSE_MODEL: ResponseModel = { slip: 0.05, guess: 0.1, discrimination: 3 };

export interface SimulationOptions {
  readonly framework: Framework;
  readonly algorithm: PositioningAlgorithm;
  readonly learners: number;
  readonly maxLevel: number;
  readonly model: ResponseModel;
  readonly seed: number;
  /** Overrides of the 'improved' algorithm's parameters. */
  readonly improvedParameters?: Partial<ImprovedParameters>;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface CompetenceFigures {
  readonly exactLevelRate: number;
  readonly withinOneRate: number;
  readonly meanChallenges: number;
  readonly p95Challenges: number;
  readonly maxExposureRate: number;
}

export interface SimulationReport {
  readonly learners: number;
  readonly exactLevelRate: number;
  readonly withinOneRate: number;
  readonly meanChallengesPerCompetence: number;
  readonly p95ChallengesPerCompetence: number;
  readonly maxExposureRate: number;
  readonly perCompetence: Readonly<Record<string, CompetenceFigures>>;
}

/** Safety net: no real positioning is this long. */
const MAX_STEPS = 200;

export function probabilityCorrect(model: ResponseModel, trueLevel: number, skillLevel: number): number {
  const rasch = 1 / (1 + Math.exp(-model.discrimination * (trueLevel + 0.5 - skillLevel)));
  return model.guess + (1 - model.slip - model.guess) * rasch;
}

export function simulate(options: SimulationOptions): SimulationReport {
  const index: EngineIndex = buildEngineIndex(options.framework);
  // A competence without a validated challenge cannot be positioned: it is left out, and said so.
  const competences = index.competences.filter(
    (competence) => competence.scope.byLocale.fr.playableSkillIdxs.length > 0,
  );
  const skipped = index.competences.filter((competence) => !competences.includes(competence));
  if (skipped.length > 0) {
    process.stderr.write(
      `sim-positioning: no validated challenge yet in ${skipped.map((competence) => competence.code).join(', ')}: skipped\n`,
    );
  }
  const total = options.learners * competences.length;
  let exact = 0;
  let withinOne = 0;
  const lengths: number[] = [];
  let maxExposure = 0;
  const perCompetence: Record<string, CompetenceFigures> = {};
  let done = 0;
  for (const competence of competences) {
    const reference = referenceLevels(index, competence.skillIdxs, options.maxLevel);
    const random = createSeededRandom(options.seed ^ hashCode(competence.code));
    const exposures = new Map<string, number>();
    const competenceLengths: number[] = [];
    let competenceExact = 0;
    let competenceWithinOne = 0;
    const start = Date.UTC(2025, 0, 1);
    for (let learner = 0; learner < options.learners; learner += 1) {
      const trueLevel = random.int(options.maxLevel + 1);
      const assessmentId = `sim-${options.seed}-${competence.code}-${learner}`;
      const knowledgeElements: KnowledgeElement[] = [];
      const answers: AssessmentAnswerRef[] = [];
      for (let step = 0; step < MAX_STEPS; step += 1) {
        const next = computeNextChallenge({
          index,
          scope: competence.scope,
          locale: 'fr',
          knowledgeElements,
          answers,
          assessmentId,
          algorithm: options.algorithm,
          maxLevel: options.maxLevel,
          ...(options.improvedParameters ? { improvedParameters: options.improvedParameters } : {}),
        });
        if (next.kind === 'completed') break;
        const skillLevel = index.skills[index.skillIdxById.get(next.skillId) ?? -1]?.level ?? 0;
        const correct = random.next() < probabilityCorrect(options.model, trueLevel, skillLevel);
        const { created } = applyAnswer({
          index,
          scope: competence.scope,
          knowledgeElements,
          answer: { assessmentId, answerIndex: answers.length, challengeId: next.challengeId, correct },
          createdAt: new Date(start + step * 60_000),
          algorithm: options.algorithm,
        });
        knowledgeElements.push(...created);
        answers.push({ challengeId: next.challengeId });
        exposures.set(next.challengeId, (exposures.get(next.challengeId) ?? 0) + 1);
      }
      const { level } = computeCompetenceScore(knowledgeElements, competence.code, {
        maxLevel: options.maxLevel,
      });
      const expected = reference[trueLevel] ?? trueLevel;
      if (level === expected) competenceExact += 1;
      if (Math.abs(level - expected) <= 1) competenceWithinOne += 1;
      competenceLengths.push(answers.length);
      done += 1;
      if (options.onProgress && done % 2000 === 0) options.onProgress(done, total);
    }
    const competenceMaxExposure = Math.max(0, ...exposures.values()) / options.learners;
    perCompetence[competence.code] = {
      exactLevelRate: round(competenceExact / options.learners),
      withinOneRate: round(competenceWithinOne / options.learners),
      meanChallenges: round(mean(competenceLengths)),
      p95Challenges: percentile(competenceLengths, 0.95),
      maxExposureRate: round(competenceMaxExposure),
    };
    exact += competenceExact;
    withinOne += competenceWithinOne;
    lengths.push(...competenceLengths);
    maxExposure = Math.max(maxExposure, competenceMaxExposure);
  }
  return {
    learners: options.learners,
    exactLevelRate: round(exact / total),
    withinOneRate: round(withinOne / total),
    meanChallengesPerCompetence: round(mean(lengths)),
    p95ChallengesPerCompetence: percentile(lengths, 0.95),
    maxExposureRate: round(maxExposure),
    perCompetence,
  };
}

/**
 * reference[T] = the level the scoring rules give to the reference profile of a level-T learner:
 * every active skill of level ≤ T validated, the others not. It equals T when every level ≤ maxLevel
 * has at least two active skills (each level then worth 8 pix), as in the synthetic bank; a level
 * with a single skill is worth 4 pix only, and the reference level is then lower.
 */
export function referenceLevels(
  index: EngineIndex,
  skillIdxs: readonly number[],
  maxLevel: number,
): number[] {
  const levels: number[] = [];
  for (let trueLevel = 0; trueLevel <= maxLevel; trueLevel += 1) {
    let pix = 0;
    for (const idx of skillIdxs) {
      const skill = index.skills[idx];
      if (skill && skill.level <= trueLevel) pix += skill.pixValue;
    }
    levels.push(scoreFromEarnedPix('', pix, { maxLevel }).level);
  }
  return levels;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function hashCode(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  return hash;
}

function argValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const algorithm = (argValue(args, '--algorithm') ?? 'improved') as PositioningAlgorithm;
  const learners = Number(argValue(args, '--learners') ?? 2000);
  const maxLevel = Number(argValue(args, '--max-level') ?? 6);
  const seed = Number(argValue(args, '--seed') ?? 7);
  const model: ResponseModel = {
    slip: Number(argValue(args, '--slip') ?? DEFAULT_RESPONSE_MODEL.slip),
    guess: Number(argValue(args, '--guess') ?? DEFAULT_RESPONSE_MODEL.guess),
    discrimination: Number(argValue(args, '--discrimination') ?? DEFAULT_RESPONSE_MODEL.discrimination),
  };
  const improvedJson = argValue(args, '--improved-params');
  const improvedParameters = improvedJson
    ? (JSON.parse(improvedJson) as Partial<ImprovedParameters>)
    : undefined;
  // The real bank (content/, validated challenges) by default; --bank synthetic for a bank of the same shape.
  const bankName = argValue(args, '--bank') ?? 'real';
  const framework =
    bankName === 'synthetic'
      ? generateSyntheticFramework(REAL_BANK_SHAPE)
      : (await loadContentOrThrow()).framework;
  process.stderr.write(
    `sim-positioning: algorithm=${algorithm} learners=${learners}/competence maxLevel=${maxLevel} ` +
      `slip=${model.slip} guess=${model.guess} a=${model.discrimination} seed=${seed} ` +
      `bank=${bankName === 'synthetic' ? 'synthetic (real-bank shape)' : 'content/'}\n`,
  );
  const started = performance.now();
  const report = simulate({
    framework,
    algorithm,
    learners,
    maxLevel,
    model,
    seed,
    ...(improvedParameters ? { improvedParameters } : {}),
    onProgress: (done, total) =>
      process.stderr.write(
        `  ${done}/${total} positionings (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
      ),
  });
  process.stderr.write(`sim-positioning: done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  if (json) {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return;
  }
  console.log(`Algorithm ${algorithm}, ${learners} learners per competence, maxLevel ${maxLevel}`);
  console.table({
    overall: {
      exact: report.exactLevelRate,
      withinOne: report.withinOneRate,
      mean: report.meanChallengesPerCompetence,
      p95: report.p95ChallengesPerCompetence,
      maxExposure: report.maxExposureRate,
    },
    ...Object.fromEntries(
      Object.entries(report.perCompetence).map(([code, figures]) => [
        code,
        {
          exact: figures.exactLevelRate,
          withinOne: figures.withinOneRate,
          mean: figures.meanChallenges,
          p95: figures.p95Challenges,
          maxExposure: figures.maxExposureRate,
        },
      ]),
    ),
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
