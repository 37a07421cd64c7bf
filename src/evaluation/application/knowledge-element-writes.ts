/**
 * Writing knowledge elements without transactions, so that a crash at any point is recovered.
 *
 * An answer (or a competence reset) is stored FIRST, under its unique key, with no `appliedAt`.
 * Its KEs come next, with ids derived from it (`<assessmentId>:<position>:<skillId>`,
 * `<resetId>:<skillId>`), so writing them again changes nothing. Then `appliedAt` is set.
 *
 * The KEs of an answer are a pure function of the answer and of the KEs that existed when it was
 * given (created at or before `answeredAt`, not produced by this answer or a later one of its
 * assessment). So when a process dies between the answer and its KEs, or half-way through the KEs,
 * the next call of any use case for that learner (`completePendingWrites`) computes the same KEs
 * again and writes the missing ones. Resets work the same way.
 */
import { isSuccess } from '../../framework/domain/answer-checking/index.js';
import { applyAnswer } from '../domain/answer-inference.js';
import {
  answerElementOrder,
  resetElementOrder,
  type Answer,
  type Assessment,
  type CompetenceReset,
} from '../domain/assessment.js';
import type { KnowledgeElement } from '../domain/knowledge-element.js';
import { competenceScope } from '../domain/positioning.js';
import { resetCompetence } from '../domain/improvement.js';
import type { EvaluationDeps, KnowledgeElementToStore } from './ports.js';

type AnswerFacts = Pick<Answer, 'assessmentId' | 'position' | 'challengeId' | 'status' | 'answeredAt'>;

/** The KEs an answer creates, from the learner's KEs (the answer's own and later ones are ignored). */
export function knowledgeElementsForAnswer(
  deps: Pick<EvaluationDeps, 'content'>,
  assessment: Assessment,
  answer: AnswerFacts,
  knowledgeElements: readonly KnowledgeElement[],
): KnowledgeElementToStore[] {
  const index = deps.content.engineIndex;
  // Content may have changed since the challenge was served: an unknown challenge or competence
  // creates nothing (rather than failing every later call of the learner).
  if (!index.challengesById.has(answer.challengeId)) return [];
  if (!index.competenceByCode.has(assessment.competenceCode)) return [];
  const answerIndex = answer.position - 1;
  const answeredAt = answer.answeredAt.getTime();
  const before = knowledgeElements.filter(
    (ke) =>
      ke.createdAt.getTime() <= answeredAt &&
      !(ke.assessmentId === answer.assessmentId && (ke.answerIndex ?? -1) >= answerIndex),
  );
  const { created } = applyAnswer({
    index,
    scope: competenceScope(index, assessment.competenceCode),
    knowledgeElements: before,
    answer: {
      assessmentId: answer.assessmentId,
      answerIndex,
      challengeId: answer.challengeId,
      correct: isSuccess(answer.status),
    },
    createdAt: answer.answeredAt,
    algorithm: assessment.algorithm,
    ...(assessment.improving ? { improving: improvingContextOf(assessment) } : {}),
  });
  return created.map((element, rank) => ({
    id: `${answer.assessmentId}:${answer.position}:${element.skillId}`,
    order: answerElementOrder(assessment.attempt, answer.position, rank),
    element,
  }));
}

export function improvingContextOf(assessment: Assessment): {
  startedAt: Date;
  daysBeforeImproving?: number;
} {
  return {
    startedAt: assessment.startedAt,
    ...(assessment.improvingDays === undefined ? {} : { daysBeforeImproving: assessment.improvingDays }),
  };
}

/** The reset KEs of a reset, from the KEs that existed when it was made (its own are ignored). */
export function knowledgeElementsForReset(
  deps: Pick<EvaluationDeps, 'content'>,
  reset: CompetenceReset,
  knowledgeElements: readonly KnowledgeElement[],
): KnowledgeElementToStore[] {
  const resetAt = reset.resetAt.getTime();
  const before = knowledgeElements.filter((ke) => {
    const time = ke.createdAt.getTime();
    const ownResetElement =
      ke.status === 'reset' && ke.competenceCode === reset.competenceCode && time === resetAt;
    return time <= resetAt && !ownResetElement;
  });
  if (!deps.content.engineIndex.competenceByCode.has(reset.competenceCode)) return [];
  if (!before.some((ke) => ke.competenceCode === reset.competenceCode)) return [];
  // The delay was checked when the reset was recorded; checking it again here (with a delay of 0,
  // which always passes) keeps a recovery from ever failing on it.
  const elements = resetCompetence({
    index: deps.content.engineIndex,
    competenceCode: reset.competenceCode,
    knowledgeElements: before,
    now: reset.resetAt,
    daysBeforeReset: 0,
  });
  return elements.map((element) => ({
    id: `${reset.id}:${element.skillId}`,
    order: resetElementOrder(reset.supersedesAttempt),
    element,
  }));
}

/** Writes an answer's KEs (idempotent) and marks the answer applied. */
export async function writeAnswerElements(
  deps: EvaluationDeps,
  answer: Answer,
  elements: readonly KnowledgeElementToStore[],
): Promise<void> {
  if (elements.length > 0) await deps.knowledgeElements.addAll(answer.learnerKey, elements);
  await deps.answers.markApplied(answer.assessmentId, answer.position, deps.clock.now());
}

/**
 * Finishes the work a crash interrupted for this learner: answers and resets stored without their
 * KEs, in the order they happened. Cheap when there is nothing to do (one indexed query each).
 */
export async function completePendingWrites(deps: EvaluationDeps, learnerKey: string): Promise<void> {
  const [answers, resets] = await Promise.all([
    deps.answers.listUnapplied(learnerKey),
    deps.competenceResets.listByLearner(learnerKey),
  ]);
  const pendingResets = resets.filter((reset) => reset.appliedAt === undefined);
  if (answers.length === 0 && pendingResets.length === 0) return;

  type Pending = { at: number; tie: string; run: (kes: KnowledgeElement[]) => Promise<void> };
  const assessments = new Map<string, Assessment | undefined>();
  const pending: Pending[] = [
    ...answers.map((answer): Pending => ({
      at: answer.answeredAt.getTime(),
      tie: `${answer.assessmentId}:${String(answer.position).padStart(6, '0')}`,
      run: async (kes) => {
        if (!assessments.has(answer.assessmentId)) {
          assessments.set(answer.assessmentId, await deps.assessments.get(answer.assessmentId));
        }
        const assessment = assessments.get(answer.assessmentId);
        const elements = assessment ? knowledgeElementsForAnswer(deps, assessment, answer, kes) : [];
        await writeAnswerElements(deps, answer, elements);
      },
    })),
    ...pendingResets.map((reset): Pending => ({
      at: reset.resetAt.getTime(),
      tie: `~${reset.id}`,
      run: async (kes) => {
        await writeResetElements(deps, reset, knowledgeElementsForReset(deps, reset, kes));
      },
    })),
  ];
  pending.sort((a, b) => a.at - b.at || (a.tie < b.tie ? -1 : a.tie > b.tie ? 1 : 0));
  for (const item of pending) {
    // Re-read each time: the previous item may have written KEs this one depends on.
    await item.run(await deps.knowledgeElements.listByLearner(learnerKey));
  }
}

export async function writeResetElements(
  deps: EvaluationDeps,
  reset: CompetenceReset,
  elements: readonly KnowledgeElementToStore[],
): Promise<void> {
  if (elements.length > 0) await deps.knowledgeElements.addAll(reset.learnerKey, elements);
  await deps.competenceResets.markApplied(reset.id, deps.clock.now());
}
