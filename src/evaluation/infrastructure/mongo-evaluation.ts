/**
 * The evaluation context wired on a mongoose connection: its repositories and its use cases.
 * src/server.ts calls this once; integration tests call it again on the same database to play a
 * restart.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Framework } from '../../framework/domain/models.js';
import type { Clock } from '../../shared/domain/clock.js';
import { createEvaluationContent, type EvaluationContent } from '../application/evaluation-content.js';
import type { EvaluationDeps, EvaluationRepositories, EvaluationSettings } from '../application/ports.js';
import { createEvaluationUseCases, type EvaluationUseCases } from '../application/use-cases.js';
import { createMongoAnswerRepository } from './answer-repository.js';
import { createMongoAssessmentRepository } from './assessment-repository.js';
import { createMongoCompetenceResetRepository } from './competence-reset-repository.js';
import { createMongoKnowledgeElementRepository } from './knowledge-element-repository.js';
import { createMongoPositioningRepository } from './positioning-repository.js';
import { createMongoServedChallengeRepository } from './served-challenge-repository.js';

export interface MongoEvaluation {
  readonly useCases: EvaluationUseCases;
  readonly repositories: EvaluationRepositories;
  readonly deps: EvaluationDeps;
  /** Creates the collections and indexes (call once at start-up). */
  ensureIndexes(): Promise<void>;
}

export function createMongoEvaluationRepositories(
  connection: Connection,
): EvaluationRepositories & { ensureIndexes(): Promise<void> } {
  const repositories = {
    positionings: createMongoPositioningRepository(connection),
    assessments: createMongoAssessmentRepository(connection),
    servedChallenges: createMongoServedChallengeRepository(connection),
    answers: createMongoAnswerRepository(connection),
    knowledgeElements: createMongoKnowledgeElementRepository(connection),
    competenceResets: createMongoCompetenceResetRepository(connection),
  };
  return {
    ...repositories,
    async ensureIndexes() {
      for (const repository of Object.values(repositories)) await repository.ensureIndexes();
    },
  };
}

export function createMongoEvaluation(
  connection: Connection,
  options: {
    /** A framework, or content already built from it (to share the engine index). */
    readonly framework?: Framework;
    readonly content?: EvaluationContent;
    readonly clock: Clock;
    readonly settings: EvaluationSettings;
    readonly newId?: () => string;
    /** Replaces repositories (tests use this to simulate a crash between two writes). */
    readonly wrap?: (repositories: EvaluationRepositories) => EvaluationRepositories;
  },
): MongoEvaluation {
  const content =
    options.content ??
    (options.framework
      ? createEvaluationContent(options.framework)
      : (() => {
          throw new Error('createMongoEvaluation needs a framework or content');
        })());
  const { ensureIndexes, ...stored } = createMongoEvaluationRepositories(connection);
  const repositories = options.wrap ? options.wrap(stored) : stored;
  const deps: EvaluationDeps = {
    ...repositories,
    content,
    clock: options.clock,
    newId: options.newId ?? randomUUID,
    settings: options.settings,
  };
  return { useCases: createEvaluationUseCases(deps), repositories, deps, ensureIndexes };
}
