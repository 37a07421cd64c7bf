/**
 * Micro-benchmark of the positioning engine.
 *
 *   npm run bench:engine -- [--json] [--algorithm improved|pix] [--rounds 5]
 *
 * For each bank it measures, per call and after a warm-up:
 * - next challenge: `computeNextChallenge` over learner states with 0…40 answers in the competence
 *   ("realBank") or exactly 50 ("synthetic10k"), the learner's KEs of the other competences included;
 * - answer: `applyAnswer` (inference) + `computeCompetenceScore` (scoring) on the same states.
 * With --json it prints exactly one line:
 *   {"realBank":{"nextChallengeP50Us":…,"nextChallengeP99Us":…,"answerP50Us":…,"answerP99Us":…},
 *    "synthetic10k":{…}}
 * Notes go to stderr. "realBank" is the content bank in content/ (its validated challenges), loaded
 * and validated as at start-up.
 */
import { pathToFileURL } from 'node:url';
import { loadContentOrThrow } from '../src/framework/infrastructure/content/content-loader.js';
import type { Framework } from '../src/framework/domain/models.js';
import type { PositioningAlgorithm } from '../src/evaluation/domain/algorithm.js';
import { applyAnswer } from '../src/evaluation/domain/answer-inference.js';
import {
  buildEngineIndex,
  type CompetenceNode,
  type EngineIndex,
} from '../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../src/evaluation/domain/knowledge-element.js';
import { computeNextChallenge, type AssessmentAnswerRef } from '../src/evaluation/domain/positioning.js';
import { computeCompetenceScore } from '../src/evaluation/domain/scoring.js';
import { createSeededRandom, type RandomSource } from '../src/shared/domain/random.js';
import { generateSyntheticFramework, SYNTHETIC_10K_SHAPE } from './lib/synthetic-bank.js';

export interface BankFigures {
  readonly nextChallengeP50Us: number;
  readonly nextChallengeP99Us: number;
  readonly answerP50Us: number;
  readonly answerP99Us: number;
}

/** The real bank: content/, loaded and validated as at start-up. */
export async function realBankFramework(): Promise<Framework> {
  return (await loadContentOrThrow()).framework;
}

export function synthetic10kFramework(): Framework {
  return generateSyntheticFramework(SYNTHETIC_10K_SHAPE);
}

interface Sample {
  readonly competence: CompetenceNode;
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly answers: readonly AssessmentAnswerRef[];
  readonly assessmentId: string;
  /** The next answer, for the answer-processing measure. */
  readonly nextChallengeId: string;
  readonly nextCorrect: boolean;
}

const MAX_LEVEL = 6;
const START = Date.UTC(2025, 0, 1);

/**
 * A learner's state after `historyLength` answers in one competence: the engine's own choices
 * while it has some, then answers on random playable skills; answers follow the simulation's
 * response model for a random true level. `background` KEs (other competences) come first.
 */
function buildSample(
  index: EngineIndex,
  competence: CompetenceNode,
  historyLength: number,
  random: RandomSource,
  background: readonly KnowledgeElement[],
  algorithm: PositioningAlgorithm,
  id: string,
): Sample {
  const trueLevel = random.int(MAX_LEVEL + 1);
  const knowledgeElements: KnowledgeElement[] = [...background];
  const answers: AssessmentAnswerRef[] = [];
  const playable = competence.scope.byLocale.fr.playableSkillIdxs;
  const nextAnswer = (): { challengeId: string; correct: boolean } => {
    const next = computeNextChallenge({
      index,
      scope: competence.scope,
      locale: 'fr',
      knowledgeElements,
      answers,
      assessmentId: id,
      algorithm,
      maxLevel: MAX_LEVEL,
    });
    let challengeId: string;
    let level: number;
    if (next.kind === 'challenge') {
      challengeId = next.challengeId;
      level = index.skills[index.skillIdxById.get(next.skillId) ?? -1]?.level ?? 1;
    } else {
      const skillIdx = playable[random.int(playable.length)] ?? 0;
      const challenges = index.playableChallenges.fr[skillIdx] ?? [];
      challengeId = challenges[random.int(challenges.length)] ?? '';
      level = index.skills[skillIdx]?.level ?? 1;
    }
    return { challengeId, correct: random.next() < responseProbability(trueLevel, level) };
  };
  for (let step = 0; step < historyLength; step += 1) {
    const { challengeId, correct } = nextAnswer();
    const { created } = applyAnswer({
      index,
      scope: competence.scope,
      knowledgeElements,
      answer: { assessmentId: id, answerIndex: answers.length, challengeId, correct },
      createdAt: new Date(START + (background.length + step) * 60_000),
      algorithm,
    });
    knowledgeElements.push(...created);
    answers.push({ challengeId });
  }
  const { challengeId, correct } = nextAnswer();
  return {
    competence,
    knowledgeElements,
    answers,
    assessmentId: id,
    nextChallengeId: challengeId,
    nextCorrect: correct,
  };
}

/** The simulation's response model (docs/positioning-simulation.md): a=3, slip 0.05, guess 0.1. */
function responseProbability(trueLevel: number, skillLevel: number): number {
  return 0.1 + 0.85 / (1 + Math.exp(-3 * (trueLevel + 0.5 - skillLevel)));
}

/** Competences with at least one playable (validated, French) skill: the others cannot be positioned. */
export function positionable(index: EngineIndex): EngineIndex['competences'] {
  return index.competences.filter((competence) => competence.scope.byLocale.fr.playableSkillIdxs.length > 0);
}

/** A positioned profile: every competence but `except` positioned by the engine. */
function backgroundProfile(
  index: EngineIndex,
  except: string,
  random: RandomSource,
  algorithm: PositioningAlgorithm,
): KnowledgeElement[] {
  const profile: KnowledgeElement[] = [];
  for (const competence of positionable(index)) {
    if (competence.code === except) continue;
    const sample = buildSample(index, competence, 12, random, [], algorithm, `bg-${competence.code}`);
    profile.push(...sample.knowledgeElements);
  }
  return profile;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function benchmarkBank(
  framework: Framework,
  options: {
    historyLengths: readonly number[];
    samples: number;
    rounds: number;
    algorithm: PositioningAlgorithm;
    seed: number;
  },
): BankFigures {
  const index = buildEngineIndex(framework);
  const random = createSeededRandom(options.seed);
  const backgrounds = new Map<string, KnowledgeElement[]>();
  const samples: Sample[] = [];
  const competences = positionable(index);
  if (competences.length < index.competences.length) {
    const skipped = index.competences.filter((competence) => !competences.includes(competence));
    process.stderr.write(
      `bench-engine: no validated challenge yet in ${skipped.map((competence) => competence.code).join(', ')}: skipped\n`,
    );
  }
  for (let s = 0; s < options.samples; s += 1) {
    const competence = competences[s % competences.length];
    if (!competence) continue;
    let background = backgrounds.get(competence.code);
    if (!background) {
      background = backgroundProfile(index, competence.code, random, options.algorithm);
      backgrounds.set(competence.code, background);
    }
    const historyLength = options.historyLengths[random.int(options.historyLengths.length)] ?? 0;
    samples.push(
      buildSample(index, competence, historyLength, random, background, options.algorithm, `bench-${s}`),
    );
  }

  const nextOnce = (sample: Sample): number => {
    const started = process.hrtime.bigint();
    computeNextChallenge({
      index,
      scope: sample.competence.scope,
      locale: 'fr',
      knowledgeElements: sample.knowledgeElements,
      answers: sample.answers,
      assessmentId: sample.assessmentId,
      algorithm: options.algorithm,
      maxLevel: MAX_LEVEL,
    });
    return Number(process.hrtime.bigint() - started) / 1000;
  };
  const answerOnce = (sample: Sample, at: Date): number => {
    const started = process.hrtime.bigint();
    const { created } = applyAnswer({
      index,
      scope: sample.competence.scope,
      knowledgeElements: sample.knowledgeElements,
      answer: {
        assessmentId: sample.assessmentId,
        answerIndex: sample.answers.length,
        challengeId: sample.nextChallengeId,
        correct: sample.nextCorrect,
      },
      createdAt: at,
      algorithm: options.algorithm,
    });
    computeCompetenceScore([...sample.knowledgeElements, ...created], sample.competence.code, {
      maxLevel: MAX_LEVEL,
    });
    return Number(process.hrtime.bigint() - started) / 1000;
  };

  const at = new Date(START + 10_000_000_000);
  for (const sample of samples) {
    nextOnce(sample);
    answerOnce(sample, at);
  }
  const next = new Float64Array(samples.length * options.rounds);
  const answer = new Float64Array(samples.length * options.rounds);
  let k = 0;
  for (let round = 0; round < options.rounds; round += 1) {
    for (const sample of samples) {
      next[k] = nextOnce(sample);
      answer[k] = answerOnce(sample, at);
      k += 1;
    }
  }
  next.sort();
  answer.sort();
  return {
    nextChallengeP50Us: round(percentile(next, 0.5)),
    nextChallengeP99Us: round(percentile(next, 0.99)),
    answerP50Us: round(percentile(answer, 0.5)),
    answerP99Us: round(percentile(answer, 0.99)),
  };
}

function argValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const algorithm = (argValue(args, '--algorithm') ?? 'improved') as PositioningAlgorithm;
  const rounds = Number(argValue(args, '--rounds') ?? 5);
  const bank = await realBankFramework();
  const validated = bank.challenges.filter((challenge) => challenge.status === 'validated').length;
  process.stderr.write(
    `bench-engine: realBank is content/ (${validated} validated challenges of ${bank.challenges.length}).\n`,
  );
  const started = performance.now();
  const realBank = benchmarkBank(bank, {
    historyLengths: Array.from({ length: 41 }, (_, i) => i),
    samples: 2000,
    rounds,
    algorithm,
    seed: 1,
  });
  const synthetic10k = benchmarkBank(synthetic10kFramework(), {
    historyLengths: [50],
    samples: 1000,
    rounds,
    algorithm,
    seed: 2,
  });
  process.stderr.write(
    `bench-engine: algorithm=${algorithm}, done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (json) {
    process.stdout.write(`${JSON.stringify({ realBank, synthetic10k })}\n`);
    return;
  }
  console.log(
    `Positioning engine (${algorithm}), microseconds per call; targets: real p99 ≤ 100, 10k p99 ≤ 1000`,
  );
  console.table({ realBank, synthetic10k });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
