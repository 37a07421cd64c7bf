/**
 * Next-challenge selection for positioning ("smart random", pix-reference §2) over a scope: one
 * competence, or the targeted skills of a target profile.
 *
 * Two algorithms (docs/adr/0002-positioning-algorithm.md):
 * - 'pix': Pix's rules as written: first challenge at level 2 from easy tubes, predicted level on
 *   the 0.5 grid, filters (playable, untested, easy tubes, timed spacing, +2 cap), maximal reward,
 *   stop when no candidate remains.
 * - 'improved' (the default): the same first challenge, filters and reward, plus an IRT-informed
 *   estimate, a posterior-based cap, and a confirmation phase that re-asks doubtful skills until
 *   the scored level is likely right; see `improved-positioning.ts`.
 *
 * Pure: the caller passes the KEs, the answers of the current assessment, and either a
 * RandomSource or nothing (then ties are broken by a hash of the assessment id and step, see
 * tie-break.ts).
 */
import type { Locale } from '../../framework/domain/models.js';
import type { RandomSource } from '../../shared/domain/random.js';
import { DomainError } from '../../shared/domain/errors.js';
import {
  DEFAULT_POSITIONING_ALGORITHM,
  POSITIONING_ALGORITHMS,
  type PositioningAlgorithm,
} from './algorithm.js';
import { competenceNode, type EngineIndex, type EngineScope } from './engine-index.js';
import { improvedSelection, IMPROVED_DEFAULTS, type ImprovedParameters } from './improved-positioning.js';
import { improvingCutoff, type ImprovingContext } from './improvement.js';
import { readSkillStates, type KnowledgeElement } from './knowledge-element.js';
import { resolveMaxLevel } from './scoring.js';
import {
  pixSelection,
  type AssessmentAnswerRef,
  type CompletionReason,
  type NextChallengeResult,
  type SelectionContext,
} from './selection-rules.js';

export type { AssessmentAnswerRef, CompletionReason, NextChallengeResult, PositioningAlgorithm };

export interface NextChallengeInput {
  readonly index: EngineIndex;
  /** `competenceScope(index, code)` or a target-profile scope (`buildTargetProfileScope`). */
  readonly scope: EngineScope;
  readonly locale: Locale;
  /** The learner's KEs (any competence; others are ignored). */
  readonly knowledgeElements: readonly KnowledgeElement[];
  /** The answers of the current assessment, in order. */
  readonly answers: readonly AssessmentAnswerRef[];
  readonly assessmentId: string;
  readonly algorithm?: PositioningAlgorithm;
  /** Tie-breaking draws; without it, a hash of (assessmentId, step) decides. */
  readonly random?: RandomSource;
  /** Set in an improving assessment: old invalidated KEs are then ignored. */
  readonly improving?: ImprovingContext;
  /** Highest reachable level (default 6); the 'improved' stop rule compares capped levels. */
  readonly maxLevel?: number;
  /** Tuning of the 'improved' algorithm (defaults: IMPROVED_DEFAULTS). */
  readonly improvedParameters?: Partial<ImprovedParameters>;
}

/** The scope of one competence (precomputed in the index). */
export function competenceScope(index: EngineIndex, competenceCode: string): EngineScope {
  return competenceNode(index, competenceCode).scope;
}

export function computeNextChallenge(input: NextChallengeInput): NextChallengeResult {
  const algorithm = input.algorithm ?? DEFAULT_POSITIONING_ALGORITHM;
  if (!POSITIONING_ALGORITHMS.includes(algorithm)) {
    throw new DomainError('UNKNOWN_POSITIONING_ALGORITHM', `Unknown algorithm ${String(algorithm)}`, {
      algorithm,
    });
  }
  const { index, scope } = input;
  const cutoff = input.improving ? improvingCutoff(input.improving) : undefined;
  const { states, aliveAttempts, aliveSuccesses } = readSkillStates(index, input.knowledgeElements, {
    scope,
    ...(cutoff === undefined ? {} : { ignoreInvalidatedUpTo: cutoff }),
  });
  const last = input.answers[input.answers.length - 1];
  const context: SelectionContext = {
    index,
    scope,
    localeScope: scope.byLocale[input.locale],
    locale: input.locale,
    states,
    aliveAttempts,
    aliveSuccesses,
    answers: input.answers,
    assessmentId: input.assessmentId,
    random: input.random,
    lastChallengeTimed: last ? (index.challengesById.get(last.challengeId)?.timed ?? false) : false,
    maxLevel: resolveMaxLevel(input.maxLevel),
  };
  if (algorithm === 'improved') {
    const parameters = input.improvedParameters
      ? { ...IMPROVED_DEFAULTS, ...input.improvedParameters }
      : IMPROVED_DEFAULTS;
    return improvedSelection(context, parameters);
  }
  return pixSelection(context);
}
