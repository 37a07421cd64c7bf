import path from 'node:path';
import { expect } from 'chai';
import { SCREENSHOTS, startHttpsToolWithDemo, type HttpsToolWithDemo } from '../support/e2e-fixture.js';

/**
 * Issue 4, acceptance 2: in headless Debian Chromium, the demo LMS (http://127.0.0.1:<port>)
 * launches the tool (https://localhost:<port>, self-signed) in an iframe: a cross-site embedding,
 * as in a real LMS. The state and session cookies must be SameSite=None; Secure; Partitioned for
 * the learner page to render at all.
 */

describe('E2E | LTI | the demo LMS launches the tool in an iframe over HTTPS', function () {
  this.timeout(120_000);
  let world: HttpsToolWithDemo;
  let demo: HttpsToolWithDemo['demo'];
  let browser: HttpsToolWithDemo['browser'];
  let toolUrl: string;

  before(async () => {
    world = await startHttpsToolWithDemo('e2e-demo');
    ({ demo, browser, toolUrl } = world);
  });

  after(async () => {
    await world?.stop();
  });

  for (const [lang, title, greeting] of [
    ['fr', 'Positionnement – domaine 4 Protection et sécurité', 'Bonjour Camille Martin !'],
    ['en', 'Positioning – area 4 Protection and security', 'Hello Camille Martin!'],
  ] as const) {
    it(`renders the learner page inside the LMS iframe, in ${lang}, with partitioned cross-site cookies`, async () => {
      const context = await browser.newContext({
        ignoreHTTPSErrors: true,
        viewport: { width: 1100, height: 900 },
      });
      try {
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${demo.url}?lang=${lang}&as=learner-camille&open=demo-positioning-area-4`);
        const frame = page.frameLocator('iframe');
        await frame.locator('h1').filter({ hasText: title }).waitFor({ timeout: 20_000 });
        const elapsedMs = performance.now() - started;
        expect(await frame.locator('main').innerText()).to.include(greeting);
        expect(await frame.locator('html').getAttribute('lang')).to.equal(lang);

        const cookies = await context.cookies(`${toolUrl}/app/`);
        const session = cookies.find((cookie) => cookie.name.startsWith('pixlti_'));
        expect(session, JSON.stringify(cookies)).to.not.equal(undefined);
        expect(session).to.include({ secure: true, httpOnly: true, sameSite: 'None' });
        expect((session as { partitionKey?: string }).partitionKey ?? '').to.match(/^http:\/\/127\.0\.0\.1/);

        await page.screenshot({
          path: path.join(SCREENSHOTS, `demo-lms-learner-launch-${lang}.png`),
          fullPage: true,
        });
        process.stdout.write(
          `    launch to learner page in the iframe (${lang}): ${elapsedMs.toFixed(0)} ms\n`,
        );
      } finally {
        await context.close();
      }
    });
  }
});
