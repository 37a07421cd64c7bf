import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'chai';
import type { Frame, Page, Request } from 'playwright-core';
import type { Challenge } from '../../src/framework/domain/models.js';
import { loadContentOrThrow } from '../../src/framework/infrastructure/content/content-loader.js';
import { parseConfig } from '../../src/shared/config/config.js';
import { overflowAt, scanWithAxe, type AxeSummary } from '../support/page-checks.js';
import { SCREENSHOTS, startHttpsToolWithDemo, type HttpsToolWithDemo } from '../support/e2e-fixture.js';
import {
  describeChallenge,
  journeyIds,
  kindOf,
  LEARNER_JOURNEY,
  missingFromJourney,
  planJourney,
  rightAnswerOf,
  type JourneyChallenge,
} from '../support/learner-journey-plan.js';

/**
 * Issue 5: a learner launched from the demo LMS (cross-site iframe over HTTPS) answers 12
 * challenges of mixed types, reloads halfway and resumes, ends a competence and sees the results.
 *
 * The path is reproducible: the server's evaluation ids come from a seed (LEARNER_JOURNEY), so the
 * engine serves the same challenges on every run, and the run checks that it served exactly the
 * planned path, which meets the five challenge types, a select, an attachment, a simulator, a timed
 * and a focused challenge. When the bank or the engine changes, the test says so and names the
 * kinds it met; tools/find-journey-seed.ts finds a new seed.
 *
 * axe-core scans every page type met (no serious or critical violation), the layout holds at 800
 * and 360 px, every page type is captured in French and in English, and the time from the launch
 * to the first challenge is measured in the browser.
 */

/** Epoch ms at which a frame's document first painted content (its DOMContentLoaded otherwise). */
const PAINTED_AT = `(() => {
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  const navigation = performance.getEntriesByType('navigation')[0];
  return performance.timeOrigin + (paint ? paint.startTime : navigation.domContentLoadedEventEnd);
})()`;

describe('E2E | Evaluation | the learner’s journey from the demo LMS', function () {
  this.timeout(300_000);
  let world: HttpsToolWithDemo;
  let demo: HttpsToolWithDemo['demo'];
  let browser: HttpsToolWithDemo['browser'];
  let plan: JourneyChallenge[];
  const challenges = new Map<string, Challenge>();
  const competenceOfSkill = new Map<string, string>();

  before(async () => {
    world = await startHttpsToolWithDemo('e2e-learner-journey', {
      overrides: { evaluationIds: journeyIds(LEARNER_JOURNEY.seed) },
    });
    ({ demo, browser } = world);
    // This run's screenshots only: page types met by earlier runs are not listed as this run's.
    for (const file of await readdir(SCREENSHOTS)) {
      if (file.startsWith('learner-')) await rm(path.join(SCREENSHOTS, file));
    }
    const { framework } = await loadContentOrThrow();
    for (const challenge of framework.challenges) challenges.set(challenge.id, challenge);
    for (const skill of framework.skills) competenceOfSkill.set(skill.id, skill.competenceCode);
    plan = await planJourney({
      framework,
      settings: parseConfig({ NODE_ENV: 'test' }).scoring,
      seed: LEARNER_JOURNEY.seed,
      scope: LEARNER_JOURNEY.activity.scope,
      activityId: LEARNER_JOURNEY.activity.resourceLinkId,
      answers: LEARNER_JOURNEY.answers,
      answersRightly: LEARNER_JOURNEY.answersRightly,
    });
    // The planned path itself must meet every kind: otherwise the bank changed under the seed.
    const missing = missingFromJourney(plan);
    if (missing.length > 0 || plan.length !== LEARNER_JOURNEY.answers) {
      throw new Error(
        `The journey's seed ${LEARNER_JOURNEY.seed} no longer meets ${missing.join(', ') || `${LEARNER_JOURNEY.answers} challenges`} ` +
          `(its path: ${plan.map(kindOf).join(', ')}): the bank or the engine changed; ` +
          'pick a new seed with `npx tsx tools/find-journey-seed.ts` and set it in LEARNER_JOURNEY.',
      );
    }
  });

  after(async () => {
    await world?.stop();
  });

  /** The tool's frame inside the LMS page, once its main content is there. */
  async function toolFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('iframe');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('no tool frame');
    await frame.waitForSelector('main h1', { timeout: 20_000 });
    return frame;
  }

  const axeCounts: Record<string, AxeSummary> = {};
  const pageSizes: Record<string, number> = {};

  /**
   * Scans, measures and captures a page type once: axe, no horizontal overflow at 800 and 360 px,
   * screenshots in French and in English (the language switch), then back to the French page.
   */
  async function capture(page: Page, frame: Frame, kind: string): Promise<void> {
    if (axeCounts[kind]) return;
    pageSizes[kind] = await frame.evaluate<number>('document.documentElement.outerHTML.length');
    axeCounts[kind] = await scanWithAxe(frame);
    for (const width of [800, 360]) {
      const overflow = await overflowAt(page, frame, width);
      expect(overflow.px, `${kind} at ${width} px: ${overflow.wide}`).to.be.at.most(1);
    }
    await page.setViewportSize({ width: 1100, height: 900 });
    await page.screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-fr.png`), fullPage: true });
    // The LMS frame has a fixed height: the tool's whole page too, on its own.
    await frame.locator('body').screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-fr-tool.png`) });
    const url = frame.url();
    const english = new URL(url);
    english.searchParams.set('lang', 'en');
    await frame.goto(english.toString());
    await frame.waitForSelector('main h1');
    expect(await frame.evaluate<string>('document.documentElement.lang')).to.equal('en');
    await page.screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-en.png`), fullPage: true });
    await frame.locator('body').screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-en-tool.png`) });
    await frame.goto(url);
    await frame.waitForSelector('main h1');
  }

  /** The challenge on screen, as the bank describes it. */
  async function onScreen(frame: Frame): Promise<JourneyChallenge> {
    const challengeId = (await frame.locator('.challenge').getAttribute('data-challenge')) ?? '';
    const challenge = challenges.get(challengeId);
    if (!challenge) throw new Error(`unknown challenge ${challengeId}`);
    const position = Number(await frame.locator('#answer-form input[name="position"]').inputValue());
    return describeChallenge(challenge, competenceOfSkill.get(challenge.skillId) ?? '', position);
  }

  /**
   * The page-type labels of a challenge page: its type and each feature it shows. A simulator that
   * answers by itself hides the challenge's inputs: that page does not count for its type.
   */
  function labelsOf(step: JourneyChallenge): string[] {
    return [
      ...(step.simulator === 'auto' ? [] : [step.type]),
      ...(step.select ? ['select'] : []),
      ...(step.attachment ? ['attachment'] : []),
      ...(step.simulator ? [`simulator-${step.simulator}`] : []),
      ...(step.timed ? ['timer'] : []),
      ...(step.focused ? ['focused'] : []),
    ];
  }
  const coveredLabels = new Set<string>();

  /** Checks, scans (once per new label) and answers the challenge on screen, rightly. */
  async function answer(page: Page, frame: Frame, step: JourneyChallenge): Promise<void> {
    const form = frame.locator('#answer-form');
    const challenge = challenges.get(step.challengeId);
    if (!challenge) throw new Error(`unknown challenge ${step.challengeId}`);
    const right = rightAnswerOf(challenge.solution);

    if (step.timed) {
      // The countdown is visible and runs (public/js/timer.js); the server enforces the time.
      const countdown = frame.locator('#countdown .countdown-value');
      expect(await countdown.isVisible()).to.equal(true);
      const before = await countdown.innerText();
      expect(before).to.match(/^\d+:\d\d$/);
      await frame.waitForFunction(
        `document.querySelector('#countdown .countdown-value').textContent !== ${JSON.stringify(before)}`,
        undefined,
        { timeout: 5_000 },
      );
    }
    if (step.focused) expect(await frame.locator('#focus-warning').isVisible()).to.equal(true);
    if (step.attachment) {
      // A download link with the file's type and size, which downloads.
      const item = frame.locator('.attachments li').first();
      expect(await item.innerText()).to.match(/\([A-Z0-9]+, [\d\s\u202f]+ ko\)/);
      const download = await frame.evaluate<{ status: number; bytes: number }>(
        `fetch(document.querySelector('.attachments a').href)
          .then(async (response) => ({ status: response.status, bytes: (await response.arrayBuffer()).byteLength }))`,
      );
      expect(download.status).to.equal(200);
      expect(download.bytes).to.equal(challenge.attachments[0]?.sizeBytes);
    }
    const labels = labelsOf(step);
    if (labels.some((label) => !coveredLabels.has(label))) {
      await capture(page, frame, `challenge-${labels.join('-').toLowerCase()}`);
      for (const label of labels) coveredLabels.add(label);
    }

    if (step.simulator === 'auto') {
      // The simulator answers through the protocol, from inside its sandbox: the page's bridge
      // accepts the message and fills the hidden answer field.
      const simulator = frame.locator('iframe.simulator');
      const inner = await (await simulator.elementHandle())?.contentFrame();
      await inner?.waitForLoadState();
      const message = {
        source: 'pix-lti-simulator',
        version: 1,
        simulator: await form.getAttribute('data-simulator'),
        challenge: step.challengeId,
        type: 'answer',
        answer: Object.values(right.inputs)[0] ?? '',
      };
      await inner?.evaluate(`window.parent.postMessage(${JSON.stringify(message)}, '*')`);
      await frame.waitForFunction(
        `document.querySelector('.proposals.inputs input').value === ${JSON.stringify(message.answer)}`,
      );
    } else {
      for (const value of right.choices) await form.locator(`input[name="answer"][value="${value}"]`).check();
      for (const [key, value] of Object.entries(right.inputs)) {
        const field = form.locator(`[name="answer[${key}]"]`);
        if ((await form.locator(`select[name="answer[${key}]"]`).count()) > 0)
          await field.selectOption(value);
        else await field.fill(value);
      }
    }
    try {
      await Promise.all([
        frame.waitForNavigation({ timeout: 10_000 }),
        form.locator('button[type="submit"]').click(),
      ]);
    } catch (error) {
      const invalid = await frame.evaluate<string>(
        "[...document.querySelectorAll('#answer-form :invalid')].map((f) => f.name + ': ' + f.validationMessage).join('; ')",
      );
      throw new Error(`${kindOf(step)} did not submit (${invalid})`, { cause: error });
    }
  }

  /**
   * Launches from the LMS page and starts (or resumes) with the activity page's button, timing it
   * in the browser: launch → activity page painted, then the start request → first challenge
   * painted. The robot's own delay between the paint and its click is not the tool's: it is
   * reported apart, with the wall-clock time of the whole.
   */
  async function launchToChallenge(page: Page, url: string) {
    const posts: Request[] = [];
    const onRequest = (request: Request) => {
      if (request.method() === 'POST' && /\/competences\//.test(request.url())) posts.push(request);
    };
    page.on('request', onRequest);
    const launchedAt = Date.now();
    const wallStart = performance.now();
    await page.goto(url, { waitUntil: 'commit' });
    const frame = await toolFrame(page);
    const activityPaintedAt = await frame.evaluate<number>(PAINTED_AT);
    const activityStatus = await frame.locator('.activity-status').innerText();
    await frame.locator('.activity-status button').click({ noWaitAfter: true });
    await frame.waitForSelector('#answer-form', { state: 'visible' });
    const wallMs = performance.now() - wallStart;
    const challengePaintedAt = await frame.evaluate<number>(PAINTED_AT);
    page.off('request', onRequest);
    const start = posts[0];
    if (!start) throw new Error('the start button sent no POST');
    const clickedAt = start.timing().startTime;
    const toActivityMs = activityPaintedAt - launchedAt;
    const toChallengeMs = challengePaintedAt - clickedAt;
    return {
      frame,
      activityStatus,
      timing: {
        toActivityMs,
        toChallengeMs,
        totalMs: toActivityMs + toChallengeMs,
        robotMs: clickedAt - activityPaintedAt,
        wallMs,
      },
    };
  }

  function describeTiming(label: string, timing: Awaited<ReturnType<typeof launchToChallenge>>['timing']) {
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    return (
      `    ${label}: ${ms(timing.totalMs)} in the browser (launch → activity page painted ${ms(timing.toActivityMs)}, ` +
      `Start → challenge painted ${ms(timing.toChallengeMs)}); the robot took ${ms(timing.robotMs)} to click; ` +
      `wall clock with the robot ${ms(timing.wallMs)}\n`
    );
  }

  it('launches, answers 12 planned challenges with a reload halfway, ends a competence and shows the results', async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1100, height: 900 },
    });
    try {
      const page = await context.newPage();
      const lmsUrl = `${demo.url}?lang=fr&as=learner-camille&open=${LEARNER_JOURNEY.activity.resourceLinkId}`;
      // The first launch of a fresh server is timed: nothing has warmed it before.
      const first = await launchToChallenge(page, lmsUrl);
      let frame = first.frame;
      expect(first.activityStatus).to.include('Non commencé');

      const seen: JourneyChallenge[] = [];
      let warm: Awaited<ReturnType<typeof launchToChallenge>>['timing'] | undefined;
      const competencesEnded: string[] = [];
      while (seen.length < LEARNER_JOURNEY.answers) {
        if ((await frame.locator('#answer-form').count()) === 0) {
          // The engine ended this competence (it had nothing more to ask): on to the next one.
          expect(await frame.locator('main h1').innerText()).to.equal('Compétence terminée');
          competencesEnded.push(seen.at(-1)?.competenceCode ?? '?');
          await capture(page, frame, 'competence-done');
          await Promise.all([frame.waitForNavigation(), frame.locator('a.button.secondary').click()]);
          await capture(page, frame, 'activity-in-progress');
          await Promise.all([frame.waitForNavigation(), frame.locator('.activity-status button').click()]);
          continue;
        }
        const step = await onScreen(frame);
        const planned = plan[seen.length];
        if (step.challengeId !== planned?.challengeId) {
          throw new Error(
            `challenge ${seen.length + 1} is ${step.challengeId} (${kindOf(step)}), the plan said ` +
              `${planned?.challengeId} (${planned ? kindOf(planned) : '—'}): the path is not reproducible ` +
              `(met so far: ${seen.map(kindOf).join(', ')})`,
          );
        }
        seen.push(step);
        if (seen.length === LEARNER_JOURNEY.answers / 2 + 1) {
          // Halfway (6 answered, the 7th served): the LMS page is reloaded, which is a new launch;
          // the learner resumes on the same challenge.
          const resumed = await launchToChallenge(page, lmsUrl);
          frame = resumed.frame;
          warm = resumed.timing;
          expect(resumed.activityStatus).to.include('En cours');
          expect((await onScreen(frame)).challengeId).to.equal(step.challengeId);
        }
        await answer(page, frame, step);
      }
      expect(seen.map((step) => step.challengeId)).to.deep.equal(plan.map((step) => step.challengeId));
      expect(missingFromJourney(seen), seen.map(kindOf).join(', ')).to.deep.equal([]);
      expect(competencesEnded.length, 'a competence ended by the engine').to.be.at.least(1);

      // End the current competence on request, then the results.
      if ((await frame.locator('#answer-form').count()) > 0) {
        await Promise.all([frame.waitForNavigation(), frame.locator('.link-button').click()]);
      }
      expect(await frame.locator('main h1').innerText()).to.equal('Compétence terminée');
      await capture(page, frame, 'competence-done');
      await Promise.all([frame.waitForNavigation(), frame.locator('a.button').first().click()]);
      await frame.waitForSelector('svg.rosace');
      await capture(page, frame, 'results');
      expect(await frame.locator('.profile-table tbody tr').count()).to.equal(16);

      // The activity page of a learner who has not started yet (the other learner of the demo).
      await page.goto(`${demo.url}?lang=fr&as=learner-sacha&open=${LEARNER_JOURNEY.activity.resourceLinkId}`);
      frame = await toolFrame(page);
      expect(await frame.locator('.activity-status').innerText()).to.include('Non commencé');
      await capture(page, frame, 'activity');

      const answers = await world.server.connection.collection('evaluation_answers').countDocuments({});
      expect(answers).to.equal(LEARNER_JOURNEY.answers);
      const outbox = await world.server.connection.collection('lti_grade_outbox').countDocuments({});
      const screenshots = (await readdir(SCREENSHOTS)).filter((file) => file.startsWith('learner-')).sort();
      process.stdout.write(
        describeTiming('launch → first challenge (first launch of a fresh server)', first.timing) +
          (warm ? describeTiming('launch → challenge again (the reload halfway)', warm) : '') +
          `    path (seed ${LEARNER_JOURNEY.seed}): ${seen.map((step) => `${step.competenceCode}#${step.position} ${kindOf(step)}`).join(', ')}\n` +
          `    competences ended by the engine: ${competencesEnded.join(', ')}; grade outbox entries: ${outbox}\n`,
      );
      for (const [kind, counts] of Object.entries(axeCounts)) {
        process.stdout.write(
          `    axe ${kind}: ${counts.critical} critical, ${counts.serious} serious` +
            `${counts.ids.length > 0 ? ` (${counts.ids.join(', ')})` : ''}; HTML ${pageSizes[kind]} characters\n`,
        );
      }
      process.stdout.write(`    screenshots in ${SCREENSHOTS}: ${screenshots.join(', ')}\n`);
      for (const [kind, counts] of Object.entries(axeCounts)) {
        expect(counts.critical + counts.serious, `${kind}: ${counts.ids.join(', ')}`).to.equal(0);
      }
    } finally {
      await context.close();
    }
  });
});
