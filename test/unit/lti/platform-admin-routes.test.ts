import path from 'node:path';
import { expect } from 'chai';
import cookieParser from 'cookie-parser';
import express from 'express';
import { pino } from 'pino';
import request from 'supertest';
import {
  basicAuthPasswordMatches,
  createAdminRoutes,
  csrfTokenFor,
  csrfTokenIsValid,
} from '../../../src/lti/application/admin-routes.js';
import { createPlatformAdmin } from '../../../src/lti/application/platform-admin.js';
import { notFoundHandler, requestContext } from '../../../src/shared/application/http.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { PROJECT_ROOT } from '../../../src/shared/infrastructure/embedded-db/engine-binary.js';
import { createI18n } from '../../../src/shared/infrastructure/i18n/i18n.js';
import {
  InMemoryDeploymentStore,
  InMemoryPlatformRegistry,
  MOODLE,
  snapshotOf,
} from './platform-admin-fakes.js';

const PASSWORD = 'correct horse battery staple';
const SECRET = 'x'.repeat(40);
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function setUp(options: { password?: string | null; secureCookies?: boolean } = {}) {
  const password = options.password === null ? undefined : (options.password ?? PASSWORD);
  const registry = new InMemoryPlatformRegistry();
  const store = new InMemoryDeploymentStore();
  const admin = createPlatformAdmin({
    registry,
    deployments: store,
    clock: createFixedClock('2026-11-22T12:00:00Z'),
    publicUrl: 'https://pix-lti.example.org',
  });
  await admin.addPlatform({ ...MOODLE, deploymentIds: ['1'] });
  const app = express();
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  const logger = pino({ level: 'silent' });
  app.use(requestContext({ i18n: await createI18n(), logger }));
  app.use(cookieParser());
  app.use(
    '/admin',
    createAdminRoutes({
      password,
      csrfSecret: SECRET,
      admin,
      logger,
      secureCookies: options.secureCookies ?? false,
    }),
  );
  app.use(notFoundHandler());
  return { app, registry, store, snapshot: () => snapshotOf(registry, store) };
}

/** Opens the list as a browser would: the CSRF cookie and the token of its forms. */
async function openList(agent: ReturnType<typeof request.agent>) {
  const page = await agent.get('/admin/platforms').set('Authorization', basic('admin', PASSWORD));
  expect(page.status).to.equal(200);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  expect(token).to.be.a('string');
  return { page, token: token ?? '' };
}

describe('Unit | LTI | platform administration: admin pages', () => {
  describe('HTTP Basic password check', () => {
    it('accepts the password with any user name, including passwords with colons', () => {
      expect(basicAuthPasswordMatches(basic('admin', PASSWORD), PASSWORD)).to.equal(true);
      expect(basicAuthPasswordMatches(basic('', PASSWORD), PASSWORD)).to.equal(true);
      expect(basicAuthPasswordMatches(basic('a', 'x:y:z-long-enough'), 'x:y:z-long-enough')).to.equal(true);
    });

    it('refuses a wrong, missing or malformed one', () => {
      expect(basicAuthPasswordMatches(basic('admin', `${PASSWORD}!`), PASSWORD)).to.equal(false);
      expect(basicAuthPasswordMatches(undefined, PASSWORD)).to.equal(false);
      expect(basicAuthPasswordMatches('Bearer abc', PASSWORD)).to.equal(false);
      expect(
        basicAuthPasswordMatches(`Basic ${Buffer.from(PASSWORD).toString('base64')}`, PASSWORD),
      ).to.equal(false);
    });
  });

  describe('CSRF tokens', () => {
    const cookie = 'A'.repeat(43);
    it('accepts the token signed for the cookie only', () => {
      const token = csrfTokenFor(SECRET, cookie);
      expect(csrfTokenIsValid(SECRET, cookie, token)).to.equal(true);
      expect(csrfTokenIsValid('y'.repeat(40), cookie, token)).to.equal(false);
      expect(csrfTokenIsValid(SECRET, 'B'.repeat(43), token)).to.equal(false);
      expect(csrfTokenIsValid(SECRET, cookie, `${token.slice(0, -1)}x`)).to.equal(false);
      expect(csrfTokenIsValid(SECRET, undefined, token)).to.equal(false);
      expect(csrfTokenIsValid(SECRET, 'short', csrfTokenFor(SECRET, 'short'))).to.equal(false);
      expect(csrfTokenIsValid(SECRET, cookie, undefined)).to.equal(false);
    });
  });

  describe('routes', () => {
    it('answers 404 everywhere when ADMIN_PASSWORD is unset', async () => {
      const { app } = await setUp({ password: null });
      expect((await request(app).get('/admin/platforms')).status).to.equal(404);
      expect(
        (await request(app).get('/admin/platforms').set('Authorization', basic('admin', ''))).status,
      ).to.equal(404);
      expect((await request(app).post('/admin/platforms/active').send('active=false')).status).to.equal(404);
    });

    it('asks for credentials (401, Basic challenge) without them or with a wrong password', async () => {
      const { app } = await setUp();
      for (const authorization of [undefined, basic('admin', 'wrong password!!')]) {
        const call = request(app).get('/admin/platforms').set('Accept-Language', 'en');
        const response = await (authorization ? call.set('Authorization', authorization) : call);
        expect(response.status).to.equal(401);
        expect(response.headers['www-authenticate']).to.match(/^Basic realm="pix-lti admin"/);
        expect(response.text).to.include('Authentication required');
        expect(response.text).to.not.include(MOODLE.issuer);
      }
    });

    it('lists registrations, never framed nor cached, with a Strict CSRF cookie', async () => {
      const { app } = await setUp({ secureCookies: true });
      const agent = request.agent(app);
      const { page } = await openList(agent);
      expect(page.headers['cache-control']).to.equal('no-store');
      expect(page.headers['x-frame-options']).to.equal('DENY');
      expect(page.text).to.include(MOODLE.issuer).and.include(MOODLE.clientId).and.include('kid-1');
      expect(page.text).to.include('https://pix-lti.example.org/lti/login');
      const cookie = String(page.headers['set-cookie']);
      expect(cookie).to.match(/pixlti_admin_csrf=[\w-]{43}; Path=\/admin; HttpOnly; Secure; SameSite=Strict/);
    });

    it('refuses a change without a valid CSRF token (403) and changes nothing', async () => {
      const { app, snapshot } = await setUp();
      const agent = request.agent(app);
      const { token } = await openList(agent);
      const before = snapshot();
      const form = { issuer: MOODLE.issuer, clientId: MOODLE.clientId, active: 'false' };
      const attempts = [
        agent.post('/admin/platforms/active').type('form').send(form),
        agent
          .post('/admin/platforms/active')
          .type('form')
          .send({ ...form, _csrf: `${token.slice(0, -2)}AA` }),
        // The right token, from another browser (no cookie).
        request(app)
          .post('/admin/platforms/active')
          .type('form')
          .send({ ...form, _csrf: token }),
      ];
      for (const attempt of attempts) {
        const response = await attempt
          .set('Authorization', basic('admin', PASSWORD))
          .set('Accept-Language', 'en');
        expect(response.status).to.equal(403);
        expect(response.text).to.include('Form expired');
      }
      expect(snapshot()).to.equal(before);
    });

    it('applies a change, then redirects to the list (post/redirect/get)', async () => {
      const { app, registry, store } = await setUp();
      const agent = request.agent(app);
      const { token } = await openList(agent);
      const auth = basic('admin', PASSWORD);
      const key = { issuer: MOODLE.issuer, clientId: MOODLE.clientId, _csrf: token };

      const added = await agent
        .post('/admin/platforms/deployments?lang=en')
        .set('Authorization', auth)
        .type('form')
        .send({ ...key, deploymentId: 'deployment-2' });
      expect(added.status).to.equal(303);
      expect(added.headers.location).to.equal('/admin/platforms?done=deploymentAdded&lang=en');
      expect(store.deployments.map((d) => d.deploymentId)).to.deep.equal(['1', 'deployment-2']);
      const list = await agent.get(added.headers.location ?? '').set('Authorization', auth);
      expect(list.text).to.include('The deployment is added.').and.include('deployment-2');

      const deactivated = await agent
        .post('/admin/platforms/active')
        .set('Authorization', auth)
        .type('form')
        .send({ ...key, active: 'false' });
      expect(deactivated.headers.location).to.match(/done=deactivated/);
      expect((await registry.find(MOODLE.issuer, MOODLE.clientId))?.active).to.equal(false);

      await agent
        .post('/admin/platforms/auto-deployments')
        .set('Authorization', auth)
        .type('form')
        .send({ ...key, enabled: 'true' });
      expect(await store.allowsDeploymentAutoRegistration(MOODLE.issuer, MOODLE.clientId)).to.equal(true);

      const removed = await agent
        .post('/admin/platforms/deployments/remove')
        .set('Authorization', auth)
        .type('form')
        .send({ ...key, deploymentId: '1' });
      expect(removed.headers.location).to.match(/done=deploymentRemoved/);
      expect(store.deployments.map((d) => d.deploymentId)).to.deep.equal(['deployment-2']);
    });

    it('redirects a refused change with its error code, shown translated', async () => {
      const { app, snapshot } = await setUp();
      const agent = request.agent(app);
      const { token } = await openList(agent);
      const before = snapshot();
      const response = await agent
        .post('/admin/platforms/deployments?lang=en')
        .set('Authorization', basic('admin', PASSWORD))
        .type('form')
        .send({ issuer: MOODLE.issuer, clientId: MOODLE.clientId, _csrf: token, deploymentId: 'has space' });
      expect(response.status).to.equal(303);
      expect(response.headers.location).to.equal('/admin/platforms?error=INVALID_DEPLOYMENT_ID&lang=en');
      const list = await agent
        .get(response.headers.location ?? '')
        .set('Authorization', basic('admin', PASSWORD));
      expect(list.text).to.include('The deployment id must be 1 to 255 printable ASCII characters');
      expect(snapshot()).to.equal(before);
    });

    it('ignores message codes it does not know (no reflected text)', async () => {
      const { app } = await setUp();
      const response = await request(app)
        .get('/admin/platforms?error=%3Cscript%3E&done=%3Cb%3E')
        .set('Authorization', basic('admin', PASSWORD));
      expect(response.status).to.equal(200);
      expect(response.text).to.not.include('<script>').and.not.include('role="alert"');
    });
  });
});
