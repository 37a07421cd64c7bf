/**
 * In-memory repositories for the evaluation use cases' unit tests. They keep the contracts of the
 * mongoose ones: `add` refuses a taken unique key (returns false), KEs come back oldest first
 * (createdAt, then order), `addAll` ignores ids already stored. Stored objects are copied, so a
 * test cannot change them by accident. `failures` lets a test make the next write of a kind fail,
 * to play a crash between two writes.
 */
import type {
  Answer,
  Assessment,
  CompetenceReset,
  Positioning,
  ServedChallenge,
} from '../../../../src/evaluation/domain/assessment.js';
import { positioningScopeKey } from '../../../../src/evaluation/domain/assessment.js';
import type { KnowledgeElement } from '../../../../src/evaluation/domain/knowledge-element.js';
import type {
  EvaluationRepositories,
  KnowledgeElementToStore,
} from '../../../../src/evaluation/application/ports.js';

export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash: ${where}`);
    this.name = 'SimulatedCrash';
  }
}

export interface InMemoryEvaluationRepositories extends EvaluationRepositories {
  /** Everything stored, for assertions. */
  readonly stored: {
    readonly positionings: Positioning[];
    readonly assessments: Assessment[];
    readonly served: ServedChallenge[];
    readonly answers: Answer[];
    readonly knowledgeElements: Array<KnowledgeElementToStore & { learnerKey: string }>;
    readonly resets: CompetenceReset[];
  };
  /**
   * Writes to fail next. `knowledgeElementsAfter: n` stores the first n KEs of the next `addAll`,
   * then throws (a crash half-way through).
   */
  readonly failures: { knowledgeElementsAfter?: number; markAnswerApplied?: boolean };
}

const copy = <T>(value: T): T => structuredClone(value);

export function createInMemoryEvaluationRepositories(): InMemoryEvaluationRepositories {
  const stored: InMemoryEvaluationRepositories['stored'] = {
    positionings: [],
    assessments: [],
    served: [],
    answers: [],
    knowledgeElements: [],
    resets: [],
  };
  const failures: InMemoryEvaluationRepositories['failures'] = {};

  const replace = <T>(list: T[], match: (item: T) => boolean, update: (item: T) => T) => {
    const at = list.findIndex(match);
    const item = list[at];
    if (at >= 0 && item !== undefined) list[at] = update(item);
  };

  return {
    stored,
    failures,
    positionings: {
      async add(positioning) {
        const key = positioningScopeKey(positioning.scope);
        const taken = stored.positionings.some(
          (known) =>
            known.learnerKey === positioning.learnerKey &&
            (known.activityId ?? '') === (positioning.activityId ?? '') &&
            positioningScopeKey(known.scope) === key,
        );
        if (taken || stored.positionings.some((known) => known.id === positioning.id)) return false;
        stored.positionings.push(copy(positioning));
        return true;
      },
      async get(id) {
        return copy(stored.positionings.find((known) => known.id === id));
      },
      async find(learnerKey, activityId, scopeKey) {
        return copy(
          stored.positionings.find(
            (known) =>
              known.learnerKey === learnerKey &&
              (known.activityId ?? '') === (activityId ?? '') &&
              positioningScopeKey(known.scope) === scopeKey,
          ),
        );
      },
    },
    assessments: {
      async add(assessment) {
        const taken = stored.assessments.some(
          (known) =>
            known.id === assessment.id ||
            (known.learnerKey === assessment.learnerKey &&
              known.competenceCode === assessment.competenceCode &&
              known.attempt === assessment.attempt),
        );
        if (taken) return false;
        stored.assessments.push(copy(assessment));
        return true;
      },
      async get(id) {
        return copy(stored.assessments.find((known) => known.id === id));
      },
      async findLatest(learnerKey, competenceCode) {
        const mine = stored.assessments
          .filter((known) => known.learnerKey === learnerKey && known.competenceCode === competenceCode)
          .sort((a, b) => b.attempt - a.attempt);
        return copy(mine[0]);
      },
      async listByLearner(learnerKey) {
        return copy(stored.assessments.filter((known) => known.learnerKey === learnerKey));
      },
      async complete(id, completedAt, reason) {
        replace(
          stored.assessments,
          (known) => known.id === id && known.state === 'started',
          (known): Assessment => ({ ...known, state: 'completed', completedAt, completionReason: reason }),
        );
      },
    },
    servedChallenges: {
      async add(served) {
        const taken = stored.served.some(
          (known) => known.assessmentId === served.assessmentId && known.position === served.position,
        );
        if (taken) return false;
        stored.served.push(copy(served));
        return true;
      },
      async get(assessmentId, position) {
        return copy(
          stored.served.find((known) => known.assessmentId === assessmentId && known.position === position),
        );
      },
      async listByAssessment(assessmentId) {
        return copy(
          stored.served
            .filter((known) => known.assessmentId === assessmentId)
            .sort((a, b) => a.position - b.position),
        );
      },
      async markFocusedOut(assessmentId, position, at) {
        replace(
          stored.served,
          (known) =>
            known.assessmentId === assessmentId && known.position === position && !known.focusedOutAt,
          (known) => ({ ...known, focusedOutAt: at }),
        );
      },
    },
    answers: {
      async add(answer) {
        const taken = stored.answers.some(
          (known) => known.assessmentId === answer.assessmentId && known.position === answer.position,
        );
        if (taken) return false;
        stored.answers.push(copy(answer));
        return true;
      },
      async get(assessmentId, position) {
        return copy(
          stored.answers.find((known) => known.assessmentId === assessmentId && known.position === position),
        );
      },
      async listUnapplied(learnerKey) {
        return copy(
          stored.answers
            .filter((known) => known.learnerKey === learnerKey && known.appliedAt === undefined)
            .sort((a, b) => a.answeredAt.getTime() - b.answeredAt.getTime()),
        );
      },
      async listByAssessment(assessmentId) {
        return copy(
          stored.answers
            .filter((known) => known.assessmentId === assessmentId)
            .sort((a, b) => a.position - b.position),
        );
      },
      async countByAssessment(learnerKey) {
        const counts = new Map<string, number>();
        for (const known of stored.answers) {
          if (known.learnerKey !== learnerKey) continue;
          counts.set(known.assessmentId, (counts.get(known.assessmentId) ?? 0) + 1);
        }
        return counts;
      },
      async markApplied(assessmentId, position, at) {
        if (failures.markAnswerApplied) {
          failures.markAnswerApplied = false;
          throw new SimulatedCrash('before marking the answer applied');
        }
        replace(
          stored.answers,
          (known) => known.assessmentId === assessmentId && known.position === position,
          (known) => (known.appliedAt ? known : { ...known, appliedAt: at }),
        );
      },
    },
    knowledgeElements: {
      async listByLearner(learnerKey) {
        return copy(
          stored.knowledgeElements
            .filter((known) => known.learnerKey === learnerKey)
            .sort(
              (a, b) =>
                a.element.createdAt.getTime() - b.element.createdAt.getTime() ||
                a.order - b.order ||
                (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
            )
            .map((known): KnowledgeElement => known.element),
        );
      },
      async addAll(learnerKey, elements) {
        const limit = failures.knowledgeElementsAfter;
        let written = 0;
        for (const element of elements) {
          if (limit !== undefined && written >= limit) {
            delete failures.knowledgeElementsAfter;
            throw new SimulatedCrash(`after ${written} knowledge element(s)`);
          }
          if (!stored.knowledgeElements.some((known) => known.id === element.id)) {
            stored.knowledgeElements.push({ ...copy(element), learnerKey });
          }
          written += 1;
        }
        if (limit !== undefined) delete failures.knowledgeElementsAfter;
      },
    },
    competenceResets: {
      async add(reset) {
        const taken = stored.resets.some(
          (known) =>
            known.id === reset.id ||
            (known.learnerKey === reset.learnerKey &&
              known.competenceCode === reset.competenceCode &&
              known.sequence === reset.sequence),
        );
        if (taken) return false;
        stored.resets.push(copy(reset));
        return true;
      },
      async listByLearner(learnerKey) {
        return copy(stored.resets.filter((known) => known.learnerKey === learnerKey));
      },
      async markApplied(id, at) {
        replace(
          stored.resets,
          (known) => known.id === id,
          (known) => (known.appliedAt ? known : { ...known, appliedAt: at }),
        );
      },
    },
  };
}
