import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { chromium, type Browser } from 'playwright-core';
import { parseConfig } from '../../src/shared/config/config.js';
import { findFreePort } from '../../src/shared/infrastructure/embedded-db/embedded-engine.js';
import { PROJECT_ROOT } from '../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { createI18n } from '../../src/shared/infrastructure/i18n/i18n.js';
import { startServer, type RunningServer, type ServerOverrides } from '../../src/server.js';
import { freshDatabaseUri } from './database.js';
import { registerDemoPlatformIn, startDemoLms, type DemoLms } from './demo-lms.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');

export interface HttpsToolWithDemo {
  readonly server: RunningServer;
  readonly demo: DemoLms;
  readonly browser: Browser;
  /** https://localhost:<port> */
  readonly toolUrl: string;
  stop(): Promise<void>;
}

/**
 * The browser tests' world: the tool over HTTPS at https://localhost (a fresh self-signed
 * certificate), the demo LMS at http://127.0.0.1 (another site, so the tool is embedded cross-site
 * as in a real LMS), and headless Debian Chromium.
 */
export async function startHttpsToolWithDemo(
  label: string,
  options: { overrides?: ServerOverrides } = {},
): Promise<HttpsToolWithDemo> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
  const certificates = await mkdtemp(path.join(tmpdir(), `pix-lti-${label}-tls-`));
  const cert = path.join(certificates, 'cert.pem');
  const key = path.join(certificates, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ]),
    { stdio: 'ignore' },
  );
  const port = await findFreePort();
  const toolUrl = `https://localhost:${port}`;
  const server = await startServer(
    parseConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: toolUrl,
      TLS_CERT_FILE: cert,
      TLS_KEY_FILE: key,
      MONGODB_URI: freshDatabaseUri(label),
    }),
    pino({ level: 'silent' }),
    options.overrides,
  );
  const demo = await startDemoLms({
    toolPublicUrl: toolUrl,
    port: 0,
    host: '127.0.0.1',
    i18n: await createI18n(),
    cacheView: true,
    // The demo LMS checks the tool's service tokens against its JWKS at https://localhost.
    trustedToolCa: await readFile(cert, 'utf8'),
    register: registerDemoPlatformIn(server.launchStore, () => new Date()),
  });
  const browser = await chromium.launch({
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
  return {
    server,
    demo,
    browser,
    toolUrl,
    async stop() {
      await browser.close();
      await demo.stop();
      await server.stop();
      await rm(certificates, { recursive: true, force: true });
    },
  };
}
