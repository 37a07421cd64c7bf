/**
 * The browser journey's path, made reproducible (issue 5). The engine's picks are a pure function
 * of the assessment id, the step and the answers so far (src/evaluation/domain/tie-break.ts): with
 * ids drawn from a seed (`journeyIds`) and a fixed answering pattern, a learner meets the same
 * challenges on every run. `planJourney` plays the journey's use cases in memory, as the learner's
 * routes do (start the activity's next competence, answer, move to the next competence when the
 * engine ends one), to show which challenges a seed leads to; tools/find-journey-seed.ts searches
 * for a seed whose path meets every kind of challenge the browser test must cover.
 */
import { answerFromForm } from '../../src/framework/application/content-routes.js';
import type { Challenge, Framework, Solution } from '../../src/framework/domain/models.js';
import { createEvaluationContent } from '../../src/evaluation/application/evaluation-content.js';
import type { EvaluationSettings } from '../../src/evaluation/application/ports.js';
import { createEvaluationUseCases } from '../../src/evaluation/application/use-cases.js';
import type { PositioningScope } from '../../src/evaluation/domain/assessment.js';
import { createFixedClock } from '../../src/shared/domain/clock.js';
import { createInMemoryEvaluationRepositories } from './builders/evaluation/in-memory-evaluation-repositories.js';

/**
 * The browser journey: the demo LMS's area-4 activity, 12 answers, all right, with the evaluation
 * ids of seed 35, whose path meets the five types, an attachment, a simulator (autoReply), a timed
 * and a focused challenge, and a select, and ends competence 4.1 on the way (found by
 * tools/find-journey-seed.ts).
 */
export const LEARNER_JOURNEY = Object.freeze({
  seed: 35,
  activity: Object.freeze({
    resourceLinkId: 'demo-positioning-area-4',
    scope: Object.freeze({ type: 'area', code: '4' }) as PositioningScope,
  }),
  answers: 12,
  answersRightly: (_index: number) => true,
});

/** The ids of the evaluation context for a seed: 'journey-<seed>-1', 'journey-<seed>-2', … */
export function journeyIds(seed: number): () => string {
  let counter = 0;
  return () => `journey-${seed}-${(counter += 1)}`;
}

/** A form's answer to a challenge: choice values (QCU/QCM) and a value per input key (QROC/QROCM). */
export interface FormAnswer {
  readonly choices: string[];
  readonly inputs: Record<string, string>;
}

/** The right answer, from the bank's solution (the test knows it; the page never does). */
export function rightAnswerOf(solution: Solution): FormAnswer {
  switch (solution.type) {
    case 'QCU':
      return { choices: [String(solution.answer)], inputs: {} };
    case 'QCM':
      return { choices: solution.answers.map(String), inputs: {} };
    case 'QROC':
      return { choices: [], inputs: { [solution.input.key]: solution.input.variants.fr[0] ?? '' } };
    case 'QROCM-ind':
      return {
        choices: [],
        inputs: Object.fromEntries(solution.inputs.map((input) => [input.key, input.variants.fr[0] ?? ''])),
      };
    case 'QROCM-dep':
      return {
        choices: [],
        inputs: Object.fromEntries(
          solution.inputKeys.map((key, index) => [key, solution.groups[index]?.fr[0] ?? '']),
        ),
      };
  }
}

/** The body the player's form posts for this answer (what the learner's route reads). */
export function formBodyOf(solution: Solution, answer: FormAnswer): Record<string, unknown> {
  if (solution.type === 'QCU') return { answer: answer.choices[0] };
  if (solution.type === 'QCM') return { answer: answer.choices };
  return { answer: answer.inputs };
}

/** What the browser test cares about in a challenge. */
export interface JourneyChallenge {
  readonly competenceCode: string;
  readonly position: number;
  readonly challengeId: string;
  readonly type: Challenge['type'];
  readonly attachment: boolean;
  /** 'auto': the simulator answers (autoReply); 'manual': the learner types what it shows. */
  readonly simulator?: 'auto' | 'manual';
  readonly select: boolean;
  readonly timed: boolean;
  readonly focused: boolean;
}

export function describeChallenge(
  challenge: Challenge,
  competenceCode: string,
  position: number,
): JourneyChallenge {
  const solution = challenge.solution;
  const inputs =
    solution.type === 'QROC' ? [solution.input] : solution.type === 'QROCM-ind' ? solution.inputs : [];
  return {
    competenceCode,
    position,
    challengeId: challenge.id,
    type: challenge.type,
    attachment: challenge.attachments.length > 0,
    ...(challenge.embed && {
      simulator: challenge.embed.autoReply ? ('auto' as const) : ('manual' as const),
    }),
    select: inputs.some((input) => input.select),
    timed: challenge.timer !== undefined,
    focused: challenge.focused,
  };
}

/** A short label: "QCU+attachment+timer", for the test's output and its failure messages. */
export function kindOf(step: JourneyChallenge): string {
  return [
    step.type,
    step.select && 'select',
    step.attachment && 'attachment',
    step.simulator && `simulator(${step.simulator})`,
    step.timed && 'timer',
    step.focused && 'focused',
  ]
    .filter(Boolean)
    .join('+');
}

/** What the journey must meet among its answered challenges; returns what is missing. */
export function missingFromJourney(steps: readonly JourneyChallenge[]): string[] {
  const required: Array<[string, (step: JourneyChallenge) => boolean]> = [
    ['QCU', (step) => step.type === 'QCU'],
    ['QCM', (step) => step.type === 'QCM'],
    ['QROC', (step) => step.type === 'QROC'],
    ['QROCM-ind', (step) => step.type === 'QROCM-ind'],
    ['QROCM-dep', (step) => step.type === 'QROCM-dep'],
    ['attachment', (step) => step.attachment],
    ['simulator', (step) => step.simulator !== undefined],
  ];
  return required.filter(([, met]) => !steps.some(met)).map(([name]) => name);
}

export interface JourneyPlanInput {
  readonly framework: Framework;
  readonly settings: EvaluationSettings;
  readonly seed: number;
  readonly scope: PositioningScope;
  readonly activityId: string;
  readonly answers: number;
  /** Whether the learner answers the n-th challenge (0-based) rightly; always by default. */
  readonly answersRightly?: (index: number) => boolean;
}

/** A wrong answer of the same shape (the test's learner never needs more than "not right"). */
export function wrongAnswerOf(solution: Solution): FormAnswer {
  const right = rightAnswerOf(solution);
  if (solution.type === 'QCU') return { choices: [solution.answer === 1 ? '2' : '1'], inputs: {} };
  if (solution.type === 'QCM') return { choices: right.choices.slice(0, 1).concat(['99']), inputs: {} };
  return {
    choices: [],
    inputs: Object.fromEntries(Object.keys(right.inputs).map((key) => [key, 'zzz'])),
  };
}

/**
 * The challenges a learner meets in an activity with the seed's ids, answering as told: what the
 * browser journey meets on the real server, as long as the bank and the engine do not change.
 */
export async function planJourney(input: JourneyPlanInput): Promise<JourneyChallenge[]> {
  const content = createEvaluationContent(input.framework);
  const useCases = createEvaluationUseCases({
    ...createInMemoryEvaluationRepositories(),
    content,
    clock: createFixedClock('2026-01-05T09:00:00.000Z'),
    newId: journeyIds(input.seed),
    settings: input.settings,
  });
  const learnerKey = 'journey-planner';
  const positioningInput = {
    learnerKey,
    scope: input.scope,
    locale: 'fr' as const,
    activityId: input.activityId,
  };
  const steps: JourneyChallenge[] = [];
  let assessmentId: string | undefined;
  while (steps.length < input.answers) {
    if (assessmentId === undefined) {
      // The activity page's start button: the competence in progress, else the next not started.
      const standing = await useCases.readPositioning(positioningInput);
      const next =
        standing.competences.find((competence) => competence.status === 'in-progress') ??
        standing.competences.find((competence) => competence.status === 'not-started');
      if (!next) break;
      const { positioning } = await useCases.startPositioning(positioningInput);
      const assessment = await useCases.startCompetenceEvaluation({
        learnerKey,
        competenceCode: next.code,
        locale: 'fr',
        positioningId: positioning.id,
      });
      assessmentId = assessment.id;
    }
    const view = await useCases.getNextChallenge({ assessmentId, learnerKey });
    if (view.kind === 'completed') {
      assessmentId = undefined;
      continue;
    }
    const challenge = content.challengesById.get(view.challenge.id);
    if (!challenge) throw new Error(`unknown challenge ${view.challenge.id}`);
    steps.push(describeChallenge(challenge, view.competenceCode, view.position));
    const rightly = input.answersRightly?.(steps.length - 1) ?? true;
    const answer = rightly ? rightAnswerOf(challenge.solution) : wrongAnswerOf(challenge.solution);
    await useCases.submitAnswer({
      assessmentId,
      learnerKey,
      position: view.position,
      value: answerFromForm(challenge.type, formBodyOf(challenge.solution, answer)),
    });
  }
  return steps;
}
