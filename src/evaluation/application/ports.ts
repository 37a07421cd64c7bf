/**
 * What the evaluation use cases need from the outside: repositories (mongoose ones in
 * src/evaluation/infrastructure, in-memory ones in test/support/builders/evaluation), the clock, an
 * id generator and the settings. Every `add` is an insert under a unique key that answers false
 * when the key is taken: that is how races are settled (docs/adr/0001: no transactions, no atomic
 * read-modify-write on the embedded engine).
 */
import type {
  Answer,
  Assessment,
  AssessmentCompletionReason,
  CompetenceReset,
  Positioning,
  ServedChallenge,
} from '../domain/assessment.js';
import type { PositioningAlgorithm } from '../domain/algorithm.js';
import type { KnowledgeElement } from '../domain/knowledge-element.js';
import type { Clock } from '../../shared/domain/clock.js';
import type { EvaluationContent } from './evaluation-content.js';

export interface PositioningRepository {
  /** False when the learner already has a positioning for this (activity, scope). */
  add(positioning: Positioning): Promise<boolean>;
  get(id: string): Promise<Positioning | undefined>;
  find(
    learnerKey: string,
    activityId: string | undefined,
    scopeKey: string,
  ): Promise<Positioning | undefined>;
}

export interface AssessmentRepository {
  /** False when the attempt number is taken for this (learner, competence). */
  add(assessment: Assessment): Promise<boolean>;
  get(id: string): Promise<Assessment | undefined>;
  /** The attempt with the highest number. */
  findLatest(learnerKey: string, competenceCode: string): Promise<Assessment | undefined>;
  listByLearner(learnerKey: string): Promise<Assessment[]>;
  /** Marks a started assessment completed; does nothing to a completed one. */
  complete(id: string, completedAt: Date, reason: AssessmentCompletionReason): Promise<void>;
}

export interface ServedChallengeRepository {
  /** False when the position is already served. */
  add(served: ServedChallenge): Promise<boolean>;
  get(assessmentId: string, position: number): Promise<ServedChallenge | undefined>;
  /** By position. */
  listByAssessment(assessmentId: string): Promise<ServedChallenge[]>;
  markFocusedOut(assessmentId: string, position: number, at: Date): Promise<void>;
}

export interface AnswerRepository {
  /** False when the position already has an answer. */
  add(answer: Answer): Promise<boolean>;
  get(assessmentId: string, position: number): Promise<Answer | undefined>;
  /** Answers whose knowledge elements are not known to be written. */
  listUnapplied(learnerKey: string): Promise<Answer[]>;
  /** The answers of one assessment, by position (an instructor's drill-down). */
  listByAssessment(assessmentId: string): Promise<Answer[]>;
  /** How many answers each of the learner's assessments holds (assessments without any are absent). */
  countByAssessment(learnerKey: string): Promise<Map<string, number>>;
  markApplied(assessmentId: string, position: number, at: Date): Promise<void>;
}

/** A KE with its storage id (derived from what produced it) and its tie-break order. */
export interface KnowledgeElementToStore {
  readonly id: string;
  readonly order: number;
  readonly element: KnowledgeElement;
}

export interface KnowledgeElementRepository {
  /** Every KE of the learner, oldest first (createdAt, then order). */
  listByLearner(learnerKey: string): Promise<KnowledgeElement[]>;
  /** Idempotent: an id already stored is left as it is. */
  addAll(learnerKey: string, elements: readonly KnowledgeElementToStore[]): Promise<void>;
}

export interface CompetenceResetRepository {
  /** False when the sequence number is taken for this (learner, competence). */
  add(reset: CompetenceReset): Promise<boolean>;
  listByLearner(learnerKey: string): Promise<CompetenceReset[]>;
  markApplied(id: string, at: Date): Promise<void>;
}

export interface EvaluationRepositories {
  readonly positionings: PositioningRepository;
  readonly assessments: AssessmentRepository;
  readonly servedChallenges: ServedChallengeRepository;
  readonly answers: AnswerRepository;
  readonly knowledgeElements: KnowledgeElementRepository;
  readonly competenceResets: CompetenceResetRepository;
}

export interface EvaluationSettings {
  /** Highest reachable level, 1…8 (config MAX_REACHABLE_LEVEL, default 6). */
  readonly maxReachableLevel: number;
  /** Days after the last KE before a competence can be improved (config, default 4). */
  readonly improveAfterDays: number;
  /** Days after the last KE before a competence can be reset (config, default 7). */
  readonly resetAfterDays: number;
  /** Default 'improved' (docs/adr/0002). Stored on each assessment when it is created. */
  readonly algorithm?: PositioningAlgorithm;
  /** Default TIMER_GRACE_MS (2 s). */
  readonly timerGraceMs?: number;
  /** Recommended tutorials in the profile (default 10). */
  readonly profileTutorialLimit?: number;
}

export interface EvaluationDeps extends EvaluationRepositories {
  readonly content: EvaluationContent;
  readonly clock: Clock;
  /** A new unique id (UUIDs in production). */
  readonly newId: () => string;
  readonly settings: EvaluationSettings;
}
