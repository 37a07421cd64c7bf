/**
 * The evaluation use cases bound to their dependencies: what the composition root (src/server.ts)
 * exposes to routes and tests as `evaluation`.
 */
import { completeCompetence, improveCompetence, resetCompetence } from './competence-actions.js';
import { startCompetenceEvaluation } from './competence-evaluation.js';
import { getNextChallenge } from './next-challenge.js';
import type { EvaluationDeps } from './ports.js';
import { getPositioning, startPositioning } from './positioning.js';
import { getProfile } from './profile.js';
import { recordFocusOut, skipChallenge, submitAnswer } from './submit-answer.js';

type Bound<F> = F extends (deps: EvaluationDeps, input: infer I) => infer R ? (input: I) => R : never;

export interface EvaluationUseCases {
  readonly startPositioning: Bound<typeof startPositioning>;
  readonly getPositioning: Bound<typeof getPositioning>;
  readonly startCompetenceEvaluation: Bound<typeof startCompetenceEvaluation>;
  readonly getNextChallenge: Bound<typeof getNextChallenge>;
  readonly submitAnswer: Bound<typeof submitAnswer>;
  readonly skipChallenge: Bound<typeof skipChallenge>;
  readonly recordFocusOut: Bound<typeof recordFocusOut>;
  readonly completeCompetence: Bound<typeof completeCompetence>;
  readonly improveCompetence: Bound<typeof improveCompetence>;
  readonly resetCompetence: Bound<typeof resetCompetence>;
  readonly getProfile: Bound<typeof getProfile>;
}

export function createEvaluationUseCases(deps: EvaluationDeps): EvaluationUseCases {
  return Object.freeze({
    startPositioning: (input) => startPositioning(deps, input),
    getPositioning: (input) => getPositioning(deps, input),
    startCompetenceEvaluation: (input) => startCompetenceEvaluation(deps, input),
    getNextChallenge: (input) => getNextChallenge(deps, input),
    submitAnswer: (input) => submitAnswer(deps, input),
    skipChallenge: (input) => skipChallenge(deps, input),
    recordFocusOut: (input) => recordFocusOut(deps, input),
    completeCompetence: (input) => completeCompetence(deps, input),
    improveCompetence: (input) => improveCompetence(deps, input),
    resetCompetence: (input) => resetCompetence(deps, input),
    getProfile: (input) => getProfile(deps, input),
  } satisfies EvaluationUseCases);
}
