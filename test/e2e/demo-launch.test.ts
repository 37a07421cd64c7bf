import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { ltiProvider } from '../../src/lti/infrastructure/lti-provider.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { parseConfig } from '../../src/shared/config/config.js';
import { findFreePort } from '../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import { PROJECT_ROOT } from '../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { createI18n } from '../../src/shared/infrastructure/i18n/i18n.js';
import { freshDatabaseUri } from '../support/database.js';
import { startDemoLms, type DemoLms } from '../support/demo-lms.js';

/**
 * Issue 4, acceptance 2: in headless Debian Chromium, the demo LMS (http://127.0.0.1:<port>)
 * launches the tool (https://localhost:<port>, self-signed) in an iframe: a cross-site embedding,
 * as in a real LMS. The state and session cookies must be SameSite=None; Secure; Partitioned for
 * the learner page to render at all.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

describe('E2E | LTI | the demo LMS launches the tool in an iframe over HTTPS', function () {
  this.timeout(120_000);
  let certificates: string;
  let server: RunningServer;
  let demo: DemoLms;
  let browser: Browser;
  let toolUrl: string;

  before(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    certificates = await mkdtemp(path.join(tmpdir(), 'pix-lti-e2e-tls-'));
    const cert = path.join(certificates, 'cert.pem');
    const key = path.join(certificates, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    const port = await findFreePort();
    toolUrl = `https://localhost:${port}`;
    server = await startServer(
      parseConfig({
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: toolUrl,
        TLS_CERT_FILE: cert,
        TLS_KEY_FILE: key,
        MONGODB_URI: freshDatabaseUri('e2e-demo'),
      }),
      pino({ level: 'silent' }),
    );
    demo = await startDemoLms({
      toolPublicUrl: toolUrl,
      port: 0,
      host: '127.0.0.1',
      i18n: await createI18n(),
      async register(platform, deploymentId) {
        const registered = await ltiProvider().registerPlatform(platform);
        await registered.platformActive(true);
        await server.launchStore.addDeployment(
          { issuer: platform.url, clientId: platform.clientId, deploymentId, source: 'admin' },
          new Date(),
        );
      },
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP localhost 127.0.0.1',
      ],
    });
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
    await server?.stop();
    if (certificates) await rm(certificates, { recursive: true, force: true });
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
