/**
 * Read queries for the teaching context: a learner's summary over an activity's competences (what
 * a dashboard snapshot holds) and their answers per competence (the instructor's drill-down). The
 * rules are the profile's; see src/evaluation/domain/learner-summary.ts.
 */
import { competenceNode } from '../domain/engine-index.js';
import {
  answeredChallenges,
  summarizeLearner,
  type AnsweredChallenge,
  type LearnerSummary,
} from '../domain/learner-summary.js';
import type { Answer, Assessment, ServedChallenge } from '../domain/assessment.js';
import { completePendingWrites } from './knowledge-element-writes.js';
import type { EvaluationDeps } from './ports.js';

export interface LearnerScopeInput {
  readonly learnerKey: string;
  /** Competence codes (framework order is kept as given); DomainError UNKNOWN_COMPETENCE for an unknown one. */
  readonly competenceCodes: readonly string[];
}

function knownCodes(deps: EvaluationDeps, codes: readonly string[]): string[] {
  return codes.map((code) => competenceNode(deps.content.engineIndex, code).code);
}

export async function getLearnerSummary(
  deps: EvaluationDeps,
  input: LearnerScopeInput,
): Promise<LearnerSummary> {
  const codes = knownCodes(deps, input.competenceCodes);
  await completePendingWrites(deps, input.learnerKey);
  const [knowledgeElements, assessments, resets, answerCounts] = await Promise.all([
    deps.knowledgeElements.listByLearner(input.learnerKey),
    deps.assessments.listByLearner(input.learnerKey),
    deps.competenceResets.listByLearner(input.learnerKey),
    deps.answers.countByAssessment(input.learnerKey),
  ]);
  const inScope = new Set(codes);
  return summarizeLearner({
    index: deps.content.engineIndex,
    learnerKey: input.learnerKey,
    competenceCodes: codes,
    tubeIds: deps.content.framework.tubes
      .filter((tube) => inScope.has(tube.competenceCode))
      .map((tube) => tube.id),
    knowledgeElements,
    assessments,
    resets,
    answerCounts,
    maxLevel: deps.settings.maxReachableLevel,
  });
}

/** The assessments started from the learner's positionings of this activity. */
async function ofActivity(
  deps: EvaluationDeps,
  input: LearnerScopeInput,
  activityId: string,
  assessments: readonly Assessment[],
): Promise<Assessment[]> {
  const positioningIds = [
    ...new Set(
      assessments.flatMap((assessment) => (assessment.positioningId ? [assessment.positioningId] : [])),
    ),
  ];
  const positionings = await Promise.all(positioningIds.map((id) => deps.positionings.get(id)));
  const ofThisActivity = new Set<string>();
  for (const positioning of positionings) {
    if (positioning?.learnerKey === input.learnerKey && positioning.activityId === activityId) {
      ofThisActivity.add(positioning.id);
    }
  }
  return assessments.filter(
    (assessment) => assessment.positioningId !== undefined && ofThisActivity.has(assessment.positioningId),
  );
}

export interface LearnerAnswers {
  readonly learnerKey: string;
  /** One entry per competence asked for, in that order: every attempt's answers, oldest first. */
  readonly competences: ReadonlyArray<{
    readonly code: string;
    readonly answers: readonly AnsweredChallenge[];
  }>;
}

export interface LearnerAnswersInput extends LearnerScopeInput {
  /**
   * The activity (LTI resource link id) whose answers are asked for: then only the assessments of
   * the learner's positionings started from it are read, never those of their other activities
   * (what an instructor of that activity may see). Without it, every assessment of the learner.
   */
  readonly activityId?: string;
}

/**
 * The learner's answers in the competences asked for; with `activityId`, only in that activity: the
 * assessments of their positionings of that activity (whatever scope it had). Answers given
 * elsewhere (another activity, another course, no activity) are then left out, even though they
 * count in the lifelong profile. An attempt belongs to the positioning it was started from.
 */
export async function getLearnerAnswers(
  deps: EvaluationDeps,
  input: LearnerAnswersInput,
): Promise<LearnerAnswers> {
  const codes = knownCodes(deps, input.competenceCodes);
  const inScope = new Set(codes);
  const ofScope = (await deps.assessments.listByLearner(input.learnerKey)).filter((assessment) =>
    inScope.has(assessment.competenceCode),
  );
  const assessments =
    input.activityId === undefined ? ofScope : await ofActivity(deps, input, input.activityId, ofScope);
  const answersByAssessment = new Map<string, Answer[]>();
  const servedByAssessment = new Map<string, ServedChallenge[]>();
  await Promise.all(
    assessments.map(async (assessment) => {
      const [answers, served] = await Promise.all([
        deps.answers.listByAssessment(assessment.id),
        deps.servedChallenges.listByAssessment(assessment.id),
      ]);
      answersByAssessment.set(assessment.id, answers);
      servedByAssessment.set(assessment.id, served);
    }),
  );
  const skillIdOf = (challengeId: string) => deps.content.challengesById.get(challengeId)?.skillId;
  return {
    learnerKey: input.learnerKey,
    competences: codes.map((code) => ({
      code,
      answers: answeredChallenges({
        assessments: assessments.filter((assessment) => assessment.competenceCode === code),
        answersByAssessment,
        servedByAssessment,
        skillIdOf,
      }),
    })),
  };
}
