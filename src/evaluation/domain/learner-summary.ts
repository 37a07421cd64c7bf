/**
 * A learner's standing in a set of competences (an activity's scope), as an instructor's dashboard
 * reads it: pix, level and status per competence (the profile's rules: scoring.ts, assessment.ts),
 * mastery per tube, how many answers, when they started and finished, and a version that grows
 * with every change of their evaluation data, so that a stored snapshot of this summary is only
 * ever replaced by a newer one. Also the answers of the drill-down, with the time spent on each.
 *
 * Pure: the caller reads the learner's KEs, attempts, resets and answers and passes them in.
 */
import type { AnswerStatus } from '../../framework/domain/answer-checking/index.js';
import {
  competenceStatus,
  isSuperseded,
  latestAttempts,
  type Answer,
  type Assessment,
  type CompetenceReset,
  type CompetenceStatus,
  type ServedChallenge,
} from './assessment.js';
import { PIX_PER_LEVEL, type EngineIndex } from './engine-index.js';
import { latestKnowledgeElements, type KnowledgeElement } from './knowledge-element.js';
import { computeProfile } from './scoring.js';

export interface CompetenceSummary {
  readonly code: string;
  readonly pix: number;
  readonly level: number;
  readonly status: CompetenceStatus;
}

/** Targeted = active skills of the tube up to the max level; validated = those whose latest KE validates them. */
export interface TubeMastery {
  readonly tubeId: string;
  readonly validated: number;
  readonly targeted: number;
}

export interface LearnerSummary {
  readonly learnerKey: string;
  /** The competences asked for, in the order asked. */
  readonly competences: readonly CompetenceSummary[];
  /** The tubes of those competences that target at least one skill, in the order given. */
  readonly tubes: readonly TubeMastery[];
  /** Every competence completed → completed; any started → in progress. */
  readonly status: CompetenceStatus;
  readonly pix: number;
  readonly maxPix: number;
  /** Answers (skips included) in every attempt at those competences, superseded ones included. */
  readonly answerCount: number;
  /** The first start of a current (not reset) attempt at one of those competences. */
  readonly startedAt?: Date;
  /** When every competence is completed: the latest completion. */
  readonly completedAt?: Date;
  /**
   * Grows with every write to the learner's evaluation data (KEs, answers, resets, attempts and
   * their completion are all append-only or one-way), whatever the competences asked for.
   */
  readonly version: number;
}

export interface LearnerSummaryInput {
  readonly index: EngineIndex;
  readonly learnerKey: string;
  readonly competenceCodes: readonly string[];
  /** The tube ids of those competences, in the order the summary lists them (framework order). */
  readonly tubeIds: readonly string[];
  readonly knowledgeElements: readonly KnowledgeElement[];
  readonly assessments: readonly Assessment[];
  readonly resets: readonly CompetenceReset[];
  /** How many answers each of the learner's assessments holds (every assessment, in scope or not). */
  readonly answerCounts: ReadonlyMap<string, number>;
  /** Highest reachable level (settings). */
  readonly maxLevel: number;
}

/** The evaluation data's version: a sum of counts that only ever grow. */
export function evaluationDataVersion(input: {
  readonly knowledgeElements: number;
  readonly answers: number;
  readonly resets: number;
  readonly assessments: readonly Pick<Assessment, 'state'>[];
}): number {
  const completed = input.assessments.filter((assessment) => assessment.state === 'completed').length;
  return input.knowledgeElements + input.answers + input.resets + input.assessments.length + completed;
}

export function summarizeLearner(input: LearnerSummaryInput): LearnerSummary {
  const { index, competenceCodes, maxLevel } = input;
  const scores = computeProfile({
    competenceCodes,
    knowledgeElements: input.knowledgeElements,
    maxLevel,
  });
  const latest = latestAttempts(input.assessments);
  const competences = competenceCodes.map((code, i): CompetenceSummary => {
    const score = scores.competences[i];
    return {
      code,
      pix: score?.pix ?? 0,
      level: score?.level ?? 0,
      status: competenceStatus(latest.get(code), input.resets),
    };
  });

  const inScope = new Set(competenceCodes);
  const ofScope = input.assessments.filter((assessment) => inScope.has(assessment.competenceCode));
  let answerCount = 0;
  for (const assessment of ofScope) answerCount += input.answerCounts.get(assessment.id) ?? 0;
  let startedAt: Date | undefined;
  for (const assessment of ofScope) {
    if (isSuperseded(assessment, input.resets)) continue;
    if (!startedAt || assessment.startedAt.getTime() < startedAt.getTime()) startedAt = assessment.startedAt;
  }
  const allCompleted =
    competences.length > 0 && competences.every((competence) => competence.status === 'completed');
  let completedAt: Date | undefined;
  if (allCompleted) {
    for (const code of competenceCodes) {
      const done = latest.get(code)?.completedAt;
      if (done && (!completedAt || done.getTime() > completedAt.getTime())) completedAt = done;
    }
  }
  const started = competences.some((competence) => competence.status !== 'not-started');

  let totalAnswers = 0;
  for (const count of input.answerCounts.values()) totalAnswers += count;
  return {
    learnerKey: input.learnerKey,
    competences,
    tubes: tubeMastery(index, input.tubeIds, input.knowledgeElements, maxLevel),
    status: allCompleted ? 'completed' : started ? 'in-progress' : 'not-started',
    pix: scores.totalPix,
    maxPix: competenceCodes.length * maxLevel * PIX_PER_LEVEL,
    answerCount,
    ...(startedAt && { startedAt }),
    ...(completedAt && { completedAt }),
    version: evaluationDataVersion({
      knowledgeElements: input.knowledgeElements.length,
      answers: totalAnswers,
      resets: input.resets.length,
      assessments: input.assessments,
    }),
  };
}

/** Mastery of each tube: active skills up to `maxLevel`, and how many of them the latest KEs validate. */
export function tubeMastery(
  index: EngineIndex,
  tubeIds: readonly string[],
  knowledgeElements: readonly KnowledgeElement[],
  maxLevel: number,
): TubeMastery[] {
  const validatedSkills = new Set<string>();
  for (const ke of latestKnowledgeElements(knowledgeElements)) {
    if (ke.status === 'validated') validatedSkills.add(ke.skillId);
  }
  const counts = new Map<string, { validated: number; targeted: number }>();
  for (const tubeId of tubeIds) counts.set(tubeId, { validated: 0, targeted: 0 });
  for (const skill of index.skills) {
    const count = counts.get(skill.tubeId);
    if (!count || !skill.active || skill.level > maxLevel) continue;
    count.targeted += 1;
    if (validatedSkills.has(skill.id)) count.validated += 1;
  }
  const result: TubeMastery[] = [];
  for (const tubeId of tubeIds) {
    const count = counts.get(tubeId);
    if (count && count.targeted > 0) result.push({ tubeId, ...count });
  }
  return result;
}

/** One answer of the drill-down. */
export interface AnsweredChallenge {
  readonly attempt: number;
  readonly position: number;
  readonly challengeId: string;
  readonly skillId?: string;
  readonly status: AnswerStatus;
  readonly correct: boolean;
  readonly answeredAt: Date;
  /** answeredAt − servedAt in whole seconds (never negative); undefined when the serving is unknown. */
  readonly timeSpentSeconds?: number;
}

/**
 * The answers of one competence's attempts, oldest attempt first and by position within each, with
 * the time spent from the challenge's first serving to the answer.
 */
export function answeredChallenges(input: {
  readonly assessments: readonly Assessment[];
  readonly answersByAssessment: ReadonlyMap<string, readonly Answer[]>;
  readonly servedByAssessment: ReadonlyMap<string, readonly ServedChallenge[]>;
  readonly skillIdOf: (challengeId: string) => string | undefined;
}): AnsweredChallenge[] {
  const result: AnsweredChallenge[] = [];
  const attempts = [...input.assessments].sort((a, b) => a.attempt - b.attempt);
  for (const assessment of attempts) {
    const served = new Map<number, ServedChallenge>();
    for (const item of input.servedByAssessment.get(assessment.id) ?? []) served.set(item.position, item);
    const answers = [...(input.answersByAssessment.get(assessment.id) ?? [])].sort(
      (a, b) => a.position - b.position,
    );
    for (const answer of answers) {
      const serving = served.get(answer.position);
      const skillId = input.skillIdOf(answer.challengeId);
      const spentMs =
        serving && serving.challengeId === answer.challengeId
          ? answer.answeredAt.getTime() - serving.servedAt.getTime()
          : undefined;
      result.push({
        attempt: assessment.attempt,
        position: answer.position,
        challengeId: answer.challengeId,
        ...(skillId !== undefined && { skillId }),
        status: answer.status,
        correct: answer.correct,
        answeredAt: answer.answeredAt,
        ...(spentMs !== undefined && { timeSpentSeconds: Math.max(0, Math.round(spentMs / 1000)) }),
      });
    }
  }
  return result;
}
