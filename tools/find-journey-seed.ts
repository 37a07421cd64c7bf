/**
 * Finds a seed for the browser journey (test/e2e/learner-journey.test.ts, LEARNER_JOURNEY in
 * test/support/learner-journey-plan.ts): the first seed from `--from` whose path, in the demo LMS's
 * activity, meets every kind of challenge the test must
 * cover (the five types, an attachment, a simulator) within its answers. Run it when the bank or
 * the engine changes and the journey says its path no longer meets them:
 *   npx tsx tools/find-journey-seed.ts [--from 1] [--tries 500]
 */
import { loadContentOrThrow } from '../src/framework/infrastructure/content/content-loader.js';
import { parseConfig } from '../src/shared/config/config.js';
import {
  kindOf,
  LEARNER_JOURNEY,
  missingFromJourney,
  planJourney,
} from '../test/support/learner-journey-plan.js';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`--${name} needs a whole number`);
  return value;
}

const from = option('from', 1);
const tries = option('tries', 500);
const { framework } = await loadContentOrThrow();
const settings = parseConfig({ NODE_ENV: 'test' }).scoring;
for (let seed = from; seed < from + tries; seed += 1) {
  const steps = await planJourney({
    framework,
    settings,
    seed,
    scope: LEARNER_JOURNEY.activity.scope,
    activityId: LEARNER_JOURNEY.activity.resourceLinkId,
    answers: LEARNER_JOURNEY.answers,
    answersRightly: LEARNER_JOURNEY.answersRightly,
  });
  const missing = missingFromJourney(steps);
  if (missing.length === 0 && steps.length === LEARNER_JOURNEY.answers) {
    process.stdout.write(
      `seed ${seed}:\n${steps.map((step) => `  ${step.competenceCode} #${step.position} ${step.challengeId} ${kindOf(step)}`).join('\n')}\n`,
    );
    process.exit(0);
  }
}
process.stderr.write(`no seed in [${from}, ${from + tries}) meets every kind; try another range\n`);
process.exit(1);
