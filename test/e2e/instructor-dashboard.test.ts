import path from 'node:path';
import { expect } from 'chai';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { DEMO_COURSE_ID } from '../support/demo-lms.js';
import { overflowAt, scanWithAxe, type AxeSummary } from '../support/page-checks.js';
import { SCREENSHOTS, startHttpsToolWithDemo, type HttpsToolWithDemo } from '../support/e2e-fixture.js';
import { ROLE } from '../support/lti-platform/index.js';
import { bankSolutions, rightAnswerFields } from '../support/teaching-class.js';

/**
 * Issue 6: in headless Debian Chromium, two learners answer from the demo LMS (cross-site iframe
 * over HTTPS) and three more are only in the LMS roster; the teacher then opens the class dashboard
 * from the activity page in the LMS frame. axe-core scans the dashboard and a student's page (no
 * serious or critical violation); at 800 px the page never scrolls sideways (the heatmap scrolls
 * in its own frame); the filter form works with the keyboard; the dashboard and the student page
 * are captured in French and in English in test-results/screenshots/.
 */
const ACTIVITY = 'demo-positioning-area-4';

describe('E2E | Teaching | the instructor’s dashboard in the demo LMS', function () {
  this.timeout(300_000);
  let world: HttpsToolWithDemo;

  before(async () => {
    world = await startHttpsToolWithDemo('e2e-instructor-dashboard');
    // Roster members who never open the activity: the dashboard lists them from NRPS.
    for (const [id, name] of [
      ['learner-noe', 'Noé Lambert'],
      ['learner-ines', 'Inès Moreau'],
      ['learner-yanis', 'Yanis Girard'],
    ] as const) {
      world.demo.emulator.enrol(DEMO_COURSE_ID, { id, name, email: `${id}@example.org` }, [ROLE.learner]);
    }
  });

  after(async () => {
    await world?.stop();
  });

  async function newContext(): Promise<BrowserContext> {
    return world.browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 900 } });
  }

  /** The tool's frame inside the LMS page, once its main heading is there. */
  async function toolFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('iframe');
    const frame = await handle.contentFrame();
    if (!frame) throw new Error('no tool frame');
    await frame.waitForSelector('main h1', { timeout: 20_000 });
    return frame;
  }

  /** A learner launches from the LMS, starts the activity and answers: rightly, or skips. */
  async function learnerAnswers(person: string, plan: ReadonlyArray<'right' | 'skip'>): Promise<number> {
    const solutions = await bankSolutions();
    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${world.demo.url}?lang=fr&as=${person}&open=${ACTIVITY}`);
      const frame = await toolFrame(page);
      await Promise.all([frame.waitForNavigation(), frame.locator('.activity-status button').click()]);
      let answered = 0;
      for (const step of plan) {
        const form = frame.locator('#answer-form');
        if ((await form.count()) === 0) break;
        const challengeId = (await frame.locator('.challenge').getAttribute('data-challenge')) ?? '';
        const solution = solutions.get(challengeId);
        const autoReply = (await frame.locator('iframe.simulator[data-auto-reply="true"]').count()) > 0;
        if (step === 'skip' || !solution || autoReply) {
          await Promise.all([
            frame.waitForNavigation(),
            frame.locator('form[action*="/skip"] button').click(),
          ]);
        } else {
          for (const [name, value] of rightAnswerFields(solution)) {
            if (name === 'answer') await form.locator(`input[name="answer"][value="${value}"]`).check();
            else if ((await form.locator(`select[name="${name}"]`).count()) > 0)
              await form.locator(`select[name="${name}"]`).selectOption(value);
            else await form.locator(`[name="${name}"]`).fill(value);
          }
          await Promise.all([frame.waitForNavigation(), form.locator('button[type="submit"]').click()]);
        }
        answered += 1;
      }
      return answered;
    } finally {
      await context.close();
    }
  }

  /** Screenshots of the LMS page and of the tool's whole page, in French then in English. */
  async function capture(page: Page, frame: Frame, name: string): Promise<string[]> {
    const files: string[] = [];
    const url = frame.url();
    for (const lang of ['fr', 'en'] as const) {
      const target = new URL(url);
      target.searchParams.set('lang', lang);
      await frame.goto(target.toString());
      await frame.waitForSelector('main h1');
      expect(await frame.locator('html').getAttribute('lang')).to.equal(lang);
      // The LMS page as the teacher sees it (the frame has the LMS's fixed height)…
      await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-${lang}.png`), fullPage: true });
      // …and the tool's whole page: the frame stretched to its content, in a window tall enough for
      // Chromium to paint all of the (cross-site, out-of-process) frame.
      const height = await frame.evaluate<number>('document.documentElement.scrollHeight');
      const viewport = page.viewportSize() ?? { width: 1100, height: 900 };
      await page.setViewportSize({ width: viewport.width, height: height + 1200 });
      await page.evaluate(`document.querySelector('iframe').style.height = '${height + 4}px'`);
      await frame.waitForFunction(`window.innerHeight >= ${height}`);
      await page.locator('iframe').screenshot({ path: path.join(SCREENSHOTS, `${name}-${lang}-tool.png`) });
      await page.evaluate(`document.querySelector('iframe').style.height = ''`);
      await page.setViewportSize(viewport);
      files.push(`${name}-${lang}.png`, `${name}-${lang}-tool.png`);
    }
    await frame.goto(url);
    await frame.waitForSelector('main h1');
    return files;
  }

  it('lets the teacher open the class dashboard from the LMS, filter it, drill down, and captures it in French and English', async () => {
    const camille = await learnerAnswers('learner-camille', ['right', 'right', 'right', 'skip', 'right']);
    const sacha = await learnerAnswers('learner-sacha', ['right', 'skip']);
    expect(camille + sacha).to.be.at.least(5);

    const context = await newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${world.demo.url}?lang=fr&as=teacher-dominique&open=${ACTIVITY}`);
      let frame = await toolFrame(page);
      const link = frame.locator('a[href$="/dashboard"]');
      expect(await link.innerText()).to.equal('Ouvrir le tableau de bord de la classe');
      await Promise.all([frame.waitForNavigation(), link.click()]);
      frame = await toolFrame(page);
      expect(await frame.locator('main h1').innerText()).to.include('Tableau de bord de la classe');

      const names = await frame.locator('#heatmap tbody th').allInnerTexts();
      expect(names.map((name) => name.trim())).to.have.members([
        'Camille Martin',
        'Inès Moreau',
        'Noé Lambert',
        'Sacha Petit',
        'Yanis Girard',
      ]);
      const camilleCells = frame
        .locator('#heatmap tbody tr', { hasText: 'Camille Martin' })
        .locator('td.lvl');
      expect(await camilleCells.count()).to.equal(3);

      const axeCounts: Record<string, AxeSummary> = { dashboard: await scanWithAxe(frame) };
      const overflow800 = await overflowAt(page, frame, 800);
      const frameWidth = await frame.evaluate<number>('document.documentElement.clientWidth');
      const heatmapAt = () =>
        frame.evaluate<string>(
          "(() => { const e = document.querySelector('#heatmap').closest('.table-scroll'); return e.scrollWidth + ' px of table in ' + e.clientWidth + ' px'; })()",
        );
      const heatmap800 = await heatmapAt();
      const overflow360 = await overflowAt(page, frame, 360);
      const heatmap360 = await heatmapAt();
      await page.setViewportSize({ width: 1100, height: 900 });
      expect(overflow800.px, `the dashboard at 800 px: ${overflow800.wide}`).to.be.at.most(1);
      expect(overflow360.px, `the dashboard at 360 px: ${overflow360.wide}`).to.be.at.most(1);

      // The filter form, with the keyboard alone: type a name in the search field and press Enter.
      await frame.locator('#filter-q').focus();
      await page.keyboard.type('camille');
      await Promise.all([frame.waitForNavigation(), page.keyboard.press('Enter')]);
      expect(
        (await frame.locator('#heatmap tbody th').allInnerTexts()).map((name) => name.trim()),
      ).to.deep.equal(['Camille Martin']);
      await Promise.all([frame.waitForNavigation(), frame.locator('.filter-actions a').click()]);
      // A sortable header: the pix column, highest first after two activations.
      const pixHeader = frame.locator('#heatmap thead th', { hasText: 'Pix' }).locator('a');
      await Promise.all([frame.waitForNavigation(), pixHeader.click()]);
      await Promise.all([
        frame.waitForNavigation(),
        frame.locator('#heatmap thead th', { hasText: 'Pix' }).locator('a').click(),
      ]);
      expect(await frame.locator('#heatmap thead th[aria-sort]').getAttribute('aria-sort')).to.equal(
        'descending',
      );
      expect((await frame.locator('#heatmap tbody th').first().innerText()).trim()).to.equal(
        'Camille Martin',
      );

      const screenshots = await capture(page, frame, 'dashboard');

      // Camille's page: her answers with correctness and time spent.
      await Promise.all([
        frame.waitForNavigation(),
        frame.locator('#heatmap tbody th a', { hasText: 'Camille Martin' }).click(),
      ]);
      await frame.waitForSelector('table.answers');
      expect(await frame.locator('table.answers tbody tr').count()).to.equal(camille);
      axeCounts.student = await scanWithAxe(frame);
      const student800 = await overflowAt(page, frame, 800);
      expect(student800.px, `the student page at 800 px: ${student800.wide}`).to.be.at.most(1);
      const student360 = await overflowAt(page, frame, 360);
      expect(student360.px, `the student page at 360 px: ${student360.wide}`).to.be.at.most(1);
      await page.setViewportSize({ width: 1100, height: 900 });
      screenshots.push(...(await capture(page, frame, 'dashboard-student')));

      process.stdout.write(
        `    class: Camille answered ${camille}, Sacha ${sacha}, 3 roster members never launched\n` +
          `    at 800 px the LMS frame is ${frameWidth} px wide: page overflow ${overflow800.px} px; ` +
          `heatmap container ${heatmap800}; at 360 px: page overflow ${overflow360.px} px, heatmap container ${heatmap360} (scrolls inside)\n`,
      );
      for (const [kind, counts] of Object.entries(axeCounts)) {
        process.stdout.write(
          `    axe ${kind}: ${counts.critical} critical, ${counts.serious} serious` +
            `${counts.ids.length > 0 ? ` (${counts.ids.join(', ')})` : ''}\n`,
        );
      }
      process.stdout.write(`    screenshots (test-results/screenshots/): ${screenshots.join(', ')}\n`);
      for (const [kind, counts] of Object.entries(axeCounts)) {
        expect(counts.critical + counts.serious, `${kind}: ${counts.ids.join(', ')}`).to.equal(0);
      }
    } finally {
      await context.close();
    }
  });
});
