/**
 * The evaluation use cases bound to their dependencies: what the composition root (src/server.ts)
 * exposes to routes and tests as `evaluation`.
 */
import { completeCompetence, improveCompetence, resetCompetence } from './competence-actions.js';
import { startCompetenceEvaluation } from './competence-evaluation.js';
import { getLearnerAnswers, getLearnerSummary } from './learner-summary.js';
import { getCurrentChallenge, getNextChallenge } from './next-challenge.js';
import type { EvaluationDeps } from './ports.js';
import { getPositioning, readPositioning, startPositioning } from './positioning.js';
import { getProfile } from './profile.js';
import { recordFocusOut, skipChallenge, submitAnswer } from './submit-answer.js';

type Bound<F> = F extends (deps: EvaluationDeps, input: infer I) => infer R ? (input: I) => R : never;

export interface EvaluationUseCases {
  readonly startPositioning: Bound<typeof startPositioning>;
  readonly getPositioning: Bound<typeof getPositioning>;
  /** The learner's standing in a scope, creating nothing (for pages shown by a GET). */
  readonly readPositioning: Bound<typeof readPositioning>;
  readonly startCompetenceEvaluation: Bound<typeof startCompetenceEvaluation>;
  readonly getNextChallenge: Bound<typeof getNextChallenge>;
  /** The served challenge or the end, creating nothing (for pages shown by a GET). */
  readonly getCurrentChallenge: Bound<typeof getCurrentChallenge>;
  readonly submitAnswer: Bound<typeof submitAnswer>;
  readonly skipChallenge: Bound<typeof skipChallenge>;
  readonly recordFocusOut: Bound<typeof recordFocusOut>;
  readonly completeCompetence: Bound<typeof completeCompetence>;
  readonly improveCompetence: Bound<typeof improveCompetence>;
  readonly resetCompetence: Bound<typeof resetCompetence>;
  readonly getProfile: Bound<typeof getProfile>;
  /** A learner's standing in some competences (the teaching context's snapshots). */
  readonly getLearnerSummary: Bound<typeof getLearnerSummary>;
  /** A learner's answers in some competences (the instructor's drill-down). */
  readonly getLearnerAnswers: Bound<typeof getLearnerAnswers>;
}

export function createEvaluationUseCases(deps: EvaluationDeps): EvaluationUseCases {
  return Object.freeze({
    startPositioning: (input) => startPositioning(deps, input),
    getPositioning: (input) => getPositioning(deps, input),
    readPositioning: (input) => readPositioning(deps, input),
    startCompetenceEvaluation: (input) => startCompetenceEvaluation(deps, input),
    getNextChallenge: (input) => getNextChallenge(deps, input),
    getCurrentChallenge: (input) => getCurrentChallenge(deps, input),
    submitAnswer: (input) => submitAnswer(deps, input),
    skipChallenge: (input) => skipChallenge(deps, input),
    recordFocusOut: (input) => recordFocusOut(deps, input),
    completeCompetence: (input) => completeCompetence(deps, input),
    improveCompetence: (input) => improveCompetence(deps, input),
    resetCompetence: (input) => resetCompetence(deps, input),
    getProfile: (input) => getProfile(deps, input),
    getLearnerSummary: (input) => getLearnerSummary(deps, input),
    getLearnerAnswers: (input) => getLearnerAnswers(deps, input),
  } satisfies EvaluationUseCases);
}
