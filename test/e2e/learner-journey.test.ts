import path from 'node:path';
import { expect } from 'chai';
import type { Frame, Page } from 'playwright-core';
import type { Solution } from '../../src/framework/domain/models.js';
import { loadContentOrThrow } from '../../src/framework/infrastructure/content/content-loader.js';
import { PROJECT_ROOT } from '../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { SCREENSHOTS, startHttpsToolWithDemo, type HttpsToolWithDemo } from '../support/e2e-fixture.js';

/**
 * Issue 5: a learner launched from the demo LMS (cross-site iframe over HTTPS) answers 12
 * challenges of mixed types, reloads halfway and resumes, ends the competence and sees the
 * results. axe-core scans every page type (no serious or critical violation), the layout holds at
 * 800 and 360 px, and every page type is captured in French and in English.
 *
 * Challenges with attachments are checked when the engine serves one (their link shows the type
 * and size, and the file downloads); the run reports whether it met any.
 */
const AXE = path.join(PROJECT_ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const TARGET_ANSWERS = 12;

interface AxeSummary {
  readonly serious: number;
  readonly critical: number;
  readonly ids: string[];
}

describe('E2E | Evaluation | the learner’s journey from the demo LMS', function () {
  this.timeout(300_000);
  let world: HttpsToolWithDemo;
  let demo: HttpsToolWithDemo['demo'];
  let browser: HttpsToolWithDemo['browser'];

  before(async () => {
    world = await startHttpsToolWithDemo('e2e-learner-journey');
    ({ demo, browser } = world);
    const { framework } = await loadContentOrThrow();
    for (const challenge of framework.challenges) solutions.set(challenge.id, challenge.solution);
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

  async function axe(frame: Frame): Promise<AxeSummary> {
    // Page-side code is passed as strings: this project's TypeScript has no DOM types.
    if (!(await frame.evaluate<boolean>("'axe' in window"))) await frame.addScriptTag({ path: AXE });
    const violations = await frame.evaluate<Array<{ id: string; impact: string | null }>>(
      'axe.run().then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact })))',
    );
    return {
      serious: violations.filter((violation) => violation.impact === 'serious').length,
      critical: violations.filter((violation) => violation.impact === 'critical').length,
      ids: violations.map((violation) => `${violation.id}(${violation.impact})`),
    };
  }

  const axeCounts: Record<string, AxeSummary> = {};
  const solutions = new Map<string, Solution>();
  const pageSizes: Record<string, number> = {};

  /**
   * Scans, measures and captures a page type once: axe, no horizontal overflow at 800 and 360 px,
   * screenshots in French and in English (the language switch), then back to the French page.
   */
  async function capture(page: Page, frame: Frame, kind: string): Promise<Frame> {
    if (axeCounts[kind]) return frame;
    pageSizes[kind] = await frame.evaluate<number>('document.documentElement.outerHTML.length');
    axeCounts[kind] = await axe(frame);
    for (const width of [800, 360]) {
      await page.setViewportSize({ width, height: 900 });
      const overflow = await frame.evaluate<number>(
        'document.documentElement.scrollWidth - document.documentElement.clientWidth',
      );
      const wide =
        overflow > 1
          ? await frame.evaluate<string>(
              `[...document.querySelectorAll('main *')]
                .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
                .slice(0, 5).map((e) => e.tagName + '.' + e.className).join(', ')`,
            )
          : '';
      expect(overflow, `${kind} at ${width} px: ${wide}`).to.be.at.most(1);
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
    await page.screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-en.png`), fullPage: true });
    await frame.locator('body').screenshot({ path: path.join(SCREENSHOTS, `learner-${kind}-en-tool.png`) });
    await frame.goto(url);
    await frame.waitForSelector('main h1');
    return frame;
  }

  /**
   * The right answer of a challenge, from the bank (the test knows the solutions; the page never
   * does): choice values for QCU/QCM, a value per input key for QROC/QROCM. Answering right keeps
   * the engine asking, so that 12 challenges fit in the area's competences.
   */
  function rightAnswer(challengeId: string): { choices: string[]; inputs: Record<string, string> } {
    const solution = solutions.get(challengeId);
    if (!solution) throw new Error(`unknown challenge ${challengeId}`);
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

  /** Answers the challenge on screen, rightly; returns its kind (radio, checkbox, text, select, simulator…). */
  async function answer(page: Page, frame: Frame): Promise<string> {
    const form = frame.locator('#answer-form');
    const simulator = frame.locator('iframe.simulator');
    const challengeId = (await frame.locator('.challenge').getAttribute('data-challenge')) ?? '';
    const right = rightAnswer(challengeId);
    const selects = await form.locator('select').count();
    const autoReply =
      (await simulator.count()) > 0 && (await simulator.getAttribute('data-auto-reply')) === 'true';
    let kind =
      (await form.locator('input[type="radio"]').count()) > 0
        ? 'radio'
        : (await form.locator('input[type="checkbox"]').count()) > 0
          ? 'checkbox'
          : selects > 0
            ? 'select'
            : 'text';
    if ((await simulator.count()) > 0) {
      kind = `simulator+${kind}`;
      await capture(page, frame, autoReply ? 'challenge-simulator-autoreply' : 'challenge-simulator');
    } else {
      await capture(page, frame, `challenge-${kind}`);
    }
    if (autoReply) {
      // The simulator answers through the protocol, from inside its sandbox: the page's bridge
      // accepts the message and fills the hidden answer field.
      const inner = await (await simulator.elementHandle())?.contentFrame();
      await inner?.waitForLoadState();
      const message = {
        source: 'pix-lti-simulator',
        version: 1,
        simulator: await form.getAttribute('data-simulator'),
        challenge: challengeId,
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
        const isSelect = (await form.locator(`select[name="answer[${key}]"]`).count()) > 0;
        if (isSelect) await field.selectOption(value);
        else await field.fill(value);
      }
    }
    if ((await frame.locator('#countdown').count()) > 0) kind += '+timer';
    if ((await frame.locator('#focus-warning').count()) > 0) kind += '+focused';
    if ((await frame.locator('.attachments a').count()) > 0) {
      kind += '+attachment';
      // A download link with the file's type and size, which downloads.
      expect(await frame.locator('.attachments li').first().innerText()).to.match(
        /\([A-Z0-9]+, [\d\s\u202f]+ ko\)/,
      );
      const status = await frame.evaluate<number>(
        "fetch(document.querySelector('.attachments a').href).then((response) => response.status)",
      );
      expect(status).to.equal(200);
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
      throw new Error(`${kind} did not submit (${invalid})`, { cause: error });
    }
    return kind;
  }

  it('launches, answers 12 challenges with a reload halfway, ends the competence and shows the results', async () => {
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      viewport: { width: 1100, height: 900 },
    });
    try {
      const page = await context.newPage();
      const lmsUrl = `${demo.url}?lang=fr&as=learner-camille&open=demo-positioning-area-4`;
      const started = performance.now();
      await page.goto(lmsUrl);
      let frame = await toolFrame(page);
      const launchMs = performance.now() - started;
      // The activity page is scanned and captured (not started) outside the timing.
      await capture(page, frame, 'activity');
      const clicked = performance.now();
      await Promise.all([frame.waitForNavigation(), frame.locator('.activity-status button').click()]);
      await frame.waitForSelector('#answer-form');
      const firstChallengeMs = launchMs + performance.now() - clicked;

      const kinds: string[] = [];
      let competencesSeen = 1;
      for (let index = 0; index < TARGET_ANSWERS; index += 1) {
        if ((await frame.locator('#answer-form').count()) === 0) {
          // The engine ended this competence (it had nothing more to ask): on to the next one.
          await capture(page, frame, 'competence-done');
          const next = frame.locator('a.button.secondary');
          if ((await next.count()) === 0) break;
          await Promise.all([frame.waitForNavigation(), next.click()]);
          await Promise.all([frame.waitForNavigation(), frame.locator('.activity-status button').click()]);
          competencesSeen += 1;
        }
        kinds.push(await answer(page, frame));
        if (index === TARGET_ANSWERS / 2 - 1) {
          // Halfway: the LMS page is reloaded (a new launch); the learner resumes where they were.
          const served = await frame.locator('.challenge').getAttribute('data-challenge');
          await page.reload();
          frame = await toolFrame(page);
          expect(await frame.locator('.activity-status').innerText()).to.include('En cours');
          await Promise.all([frame.waitForNavigation(), frame.locator('.activity-status button').click()]);
          expect(await frame.locator('.challenge').getAttribute('data-challenge')).to.equal(served);
        }
      }
      expect(kinds.length, kinds.join(', ')).to.equal(TARGET_ANSWERS);

      // End the competence (unless the engine already did), then the results.
      if ((await frame.locator('#answer-form').count()) > 0) {
        await Promise.all([frame.waitForNavigation(), frame.locator('.link-button').click()]);
      }
      await capture(page, frame, 'competence-done');
      await Promise.all([frame.waitForNavigation(), frame.locator('a.button').first().click()]);
      await frame.waitForSelector('svg.rosace');
      await capture(page, frame, 'results');
      expect(await frame.locator('.profile-table tbody tr').count()).to.equal(16);

      const answers = await world.server.connection.collection('evaluation_answers').countDocuments({});
      expect(answers).to.equal(TARGET_ANSWERS);
      const outbox = await world.server.connection.collection('lti_grade_outbox').countDocuments({});
      process.stdout.write(
        `    launch → first challenge: ${firstChallengeMs.toFixed(0)} ms (launch → activity page ${launchMs.toFixed(0)} ms, then one click)\n` +
          `    challenges answered: ${kinds.join(', ')}\n` +
          `    attachments: ${
            kinds.some((kind) => kind.includes('attachment'))
              ? 'downloaded from the player'
              : 'none served (no validated challenge with an attachment reached) — skipped'
          }\n` +
          `    competences taken: ${competencesSeen}\n` +
          `    grade outbox entries: ${outbox}\n`,
      );
      for (const [kind, counts] of Object.entries(axeCounts)) {
        process.stdout.write(
          `    axe ${kind}: ${counts.critical} critical, ${counts.serious} serious` +
            `${counts.ids.length > 0 ? ` (${counts.ids.join(', ')})` : ''}; HTML ${pageSizes[kind]} characters\n`,
        );
      }
      for (const [kind, counts] of Object.entries(axeCounts)) {
        expect(counts.critical + counts.serious, `${kind}: ${counts.ids.join(', ')}`).to.equal(0);
      }
    } finally {
      await context.close();
    }
  });
});
