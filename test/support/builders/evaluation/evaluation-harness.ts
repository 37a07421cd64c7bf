/**
 * The evaluation use cases over in-memory repositories, a fixed clock and counter ids: what the
 * use-case unit tests start from. `positioningFramework()` is the small, all-validated framework
 * the use-case tests (unit and integration) share, independent of the real bank's review state.
 */
import type { Framework } from '../../../../src/framework/domain/models.js';
import {
  createEvaluationContent,
  type EvaluationContent,
} from '../../../../src/evaluation/application/evaluation-content.js';
import type { EvaluationDeps, EvaluationSettings } from '../../../../src/evaluation/application/ports.js';
import {
  createEvaluationUseCases,
  type EvaluationUseCases,
} from '../../../../src/evaluation/application/use-cases.js';
import { createFixedClock } from '../../../../src/shared/domain/clock.js';
import { buildFramework } from './framework-builder.js';
import {
  createInMemoryEvaluationRepositories,
  type InMemoryEvaluationRepositories,
} from './in-memory-evaluation-repositories.js';

export const LEARNER = 'https://lms.example.org#learner-1';
export const OTHER_LEARNER = 'https://lms.example.org#learner-2';
export const START = '2026-01-05T09:00:00.000Z';

/**
 * Three competences in two areas; every skill has two validated challenges in both locales (QCU,
 * right answer '1'). Competence 1.1 is deep enough for positionings of 15+ challenges.
 */
export function positioningFramework(): Framework {
  return buildFramework(
    {
      '1.1': {
        search: [1, 2, 3, 4, 5, 6],
        browse: [1, 2, 3, 4, 5, 6, 7],
        sources: [2, 3, 4, 5, 6],
        watch: [1, 2, 4, 5, 6, 8],
      },
      '1.2': { store: [1, 2, 3, 4], sort: [2, 3, 5] },
      '2.1': { mail: [1, 2, 3, 4, 5], chat: [1, 2, 3] },
    },
    { challengesPerSkill: 2 },
  );
}

export const DEFAULT_SETTINGS: EvaluationSettings = Object.freeze({
  maxReachableLevel: 6,
  improveAfterDays: 4,
  resetAfterDays: 7,
});

/** Ids '<prefix>-1', '<prefix>-2', …: the engine's tie-breaks hash the assessment id, so equal ids give equal picks. */
export function counterIds(prefix: string): () => string {
  let counter = 0;
  return () => `${prefix}-${(counter += 1)}`;
}

export interface EvaluationHarness {
  readonly deps: EvaluationDeps;
  readonly useCases: EvaluationUseCases;
  readonly repositories: InMemoryEvaluationRepositories;
  readonly clock: ReturnType<typeof createFixedClock>;
  readonly content: EvaluationContent;
}

export function buildEvaluationHarness(
  options: {
    readonly framework?: Framework;
    readonly content?: EvaluationContent;
    readonly settings?: Partial<EvaluationSettings>;
    readonly start?: string;
    readonly repositories?: InMemoryEvaluationRepositories;
    /** Default: 'id-1', 'id-2', … */
    readonly newId?: () => string;
  } = {},
): EvaluationHarness {
  const content = options.content ?? createEvaluationContent(options.framework ?? positioningFramework());
  const repositories = options.repositories ?? createInMemoryEvaluationRepositories();
  const clock = createFixedClock(options.start ?? START);
  const deps: EvaluationDeps = {
    ...repositories,
    content,
    clock,
    newId: options.newId ?? counterIds('id'),
    settings: { ...DEFAULT_SETTINGS, ...options.settings },
  };
  return { deps, useCases: createEvaluationUseCases(deps), repositories, clock, content };
}
