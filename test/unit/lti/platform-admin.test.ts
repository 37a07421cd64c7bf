import { expect } from 'chai';
import {
  checkUrl,
  createPlatformAdmin,
  PlatformAdminError,
  type PlatformAdminErrorCode,
} from '../../../src/lti/application/platform-admin.js';
import { toolEndpoints } from '../../../src/lti/domain/tool-endpoints.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import {
  InMemoryDeploymentStore,
  InMemoryPlatformRegistry,
  MOODLE,
  snapshotOf,
} from './platform-admin-fakes.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');

function setUp() {
  const registry = new InMemoryPlatformRegistry();
  const store = new InMemoryDeploymentStore();
  const admin = createPlatformAdmin({
    registry,
    deployments: store,
    clock: createFixedClock(NOW),
    publicUrl: 'https://pix-lti.example.org',
  });
  return { registry, store, admin, snapshot: () => snapshotOf(registry, store) };
}

async function refusal(run: () => Promise<unknown>): Promise<PlatformAdminError> {
  try {
    await run();
  } catch (error) {
    expect(error).to.be.instanceOf(PlatformAdminError);
    return error as PlatformAdminError;
  }
  throw new Error('expected a refusal');
}

describe('Unit | LTI | platform administration', () => {
  describe('adding a platform', () => {
    it('registers it active, records its deployments once each, and sets its auto-deployments policy', async () => {
      const { admin, registry, store } = setUp();
      const platform = await admin.addPlatform({
        ...MOODLE,
        deploymentIds: ['7', ' 7 ', '8'],
        autoDeployments: true,
      });
      expect(platform).to.include({ issuer: MOODLE.issuer, clientId: MOODLE.clientId, active: true });
      expect(platform.kid).to.equal('kid-1');
      expect(platform.autoDeployments).to.equal(true);
      expect(
        platform.deployments.map((d) => [d.deploymentId, d.source, d.createdAt.toISOString()]),
      ).to.deep.equal([
        ['7', 'admin', NOW.toISOString()],
        ['8', 'admin', NOW.toISOString()],
      ]);
      expect(registry.platforms.size).to.equal(1);
      expect(store.deployments).to.have.length(2);
    });

    it('keeps the issuer exactly as given (no trailing slash added), trims the name', async () => {
      const { admin } = setUp();
      const platform = await admin.addPlatform({ ...MOODLE, name: '  Moodle  ' });
      expect(platform.issuer).to.equal('https://moodle.example.org');
      expect(platform.name).to.equal('Moodle');
      expect(platform.autoDeployments).to.equal(false);
    });

    const badInputs: Array<
      [
        string,
        Partial<Record<keyof typeof MOODLE, string>> & { deploymentIds?: string[] },
        PlatformAdminErrorCode,
        string,
      ]
    > = [
      ['a non-URL issuer', { issuer: 'moodle.example.org' }, 'INVALID_URL', 'issuer'],
      ['an ftp issuer', { issuer: 'ftp://moodle.example.org' }, 'INVALID_URL', 'issuer'],
      ['an issuer with a query', { issuer: 'https://moodle.example.org/?x=1' }, 'INVALID_URL', 'issuer'],
      ['an issuer with credentials', { issuer: 'https://u:p@moodle.example.org' }, 'INVALID_URL', 'issuer'],
      ['an empty client id', { clientId: '' }, 'INVALID_CLIENT_ID', 'clientId'],
      ['a client id with a space', { clientId: 'a b' }, 'INVALID_CLIENT_ID', 'clientId'],
      ['a client id of 256 characters', { clientId: 'x'.repeat(256) }, 'INVALID_CLIENT_ID', 'clientId'],
      ['an empty name', { name: '   ' }, 'INVALID_NAME', 'name'],
      ['a name on two lines', { name: 'a\nb' }, 'INVALID_NAME', 'name'],
      [
        'a relative auth endpoint',
        { authenticationEndpoint: '/mod/lti/auth.php' },
        'INVALID_URL',
        'authenticationEndpoint',
      ],
      [
        'a token endpoint with spaces',
        { accessTokenEndpoint: 'https://a b' },
        'INVALID_URL',
        'accessTokenEndpoint',
      ],
      [
        'a JWKS URL with a fragment',
        { jwksUrl: 'https://moodle.example.org/certs#k' },
        'INVALID_URL',
        'jwksUrl',
      ],
      [
        'a deployment id with a space',
        { deploymentIds: ['1', 'a b'] },
        'INVALID_DEPLOYMENT_ID',
        'deploymentId',
      ],
    ];
    for (const [label, change, code, field] of badInputs) {
      it(`refuses ${label} and changes nothing`, async () => {
        const { admin, snapshot } = setUp();
        await admin.addPlatform({ ...MOODLE, clientId: 'existing', deploymentIds: ['1'] });
        const before = snapshot();
        const error = await refusal(() => admin.addPlatform({ ...MOODLE, ...change }));
        expect(error.code).to.equal(code);
        expect(error.field).to.equal(field);
        expect(error.message).to.not.include('\n');
        expect(snapshot()).to.equal(before);
      });
    }

    it('refuses a pair (issuer, client id) already registered, instead of overwriting it', async () => {
      const { admin, snapshot } = setUp();
      await admin.addPlatform({ ...MOODLE, deploymentIds: ['1'] });
      const before = snapshot();
      const error = await refusal(() =>
        admin.addPlatform({ ...MOODLE, authenticationEndpoint: 'https://evil.example.org/auth' }),
      );
      expect(error.code).to.equal('PLATFORM_EXISTS');
      expect(snapshot()).to.equal(before);
    });

    it('rolls the registration back when its deployments cannot be recorded', async () => {
      const { admin, store, snapshot } = setUp();
      const before = snapshot();
      store.failNextAdd = true;
      let failed: unknown;
      await admin
        .addPlatform({ ...MOODLE, deploymentIds: ['1'] })
        .catch((error: unknown) => (failed = error));
      expect(String(failed)).to.include('database unavailable');
      expect(snapshot()).to.equal(before);
    });
  });

  describe('managing registrations', () => {
    it('lists registrations sorted by issuer then client id, with deployments and policy', async () => {
      const { admin } = setUp();
      await admin.addPlatform({ ...MOODLE, issuer: 'https://z.example.org', deploymentIds: ['1'] });
      await admin.addPlatform({ ...MOODLE, clientId: 'b', autoDeployments: true });
      await admin.addPlatform({ ...MOODLE, clientId: 'a' });
      const list = await admin.listPlatforms();
      expect(list.map((p) => [p.issuer, p.clientId, p.deployments.length, p.autoDeployments])).to.deep.equal([
        ['https://moodle.example.org', 'a', 0, false],
        ['https://moodle.example.org', 'b', 0, true],
        ['https://z.example.org', MOODLE.clientId, 1, false],
      ]);
    });

    it('deactivates and reactivates, telling whether anything changed', async () => {
      const { admin } = setUp();
      await admin.addPlatform(MOODLE);
      const off = await admin.setActive(MOODLE.issuer, MOODLE.clientId, false);
      expect([off.wasActive, off.platform.active]).to.deep.equal([true, false]);
      const again = await admin.setActive(MOODLE.issuer, MOODLE.clientId, false);
      expect([again.wasActive, again.platform.active]).to.deep.equal([false, false]);
      expect((await admin.getPlatform(MOODLE.issuer, MOODLE.clientId)).active).to.equal(false);
      await admin.setActive(MOODLE.issuer, MOODLE.clientId, true);
      expect((await admin.getPlatform(MOODLE.issuer, MOODLE.clientId)).active).to.equal(true);
    });

    it('removes a registration with its deployments and its policy', async () => {
      const { admin, registry, store } = setUp();
      await admin.addPlatform({ ...MOODLE, deploymentIds: ['1', '2'], autoDeployments: true });
      const removed = await admin.removePlatform(MOODLE.issuer, MOODLE.clientId);
      expect(removed.deployments).to.have.length(2);
      expect(registry.platforms.size).to.equal(0);
      expect(store.deployments).to.deep.equal([]);
      expect(await store.allowsDeploymentAutoRegistration(MOODLE.issuer, MOODLE.clientId)).to.equal(false);
    });

    it('says so when the platform is unknown, for every command, and changes nothing', async () => {
      const { admin, snapshot } = setUp();
      await admin.addPlatform({ ...MOODLE, deploymentIds: ['1'] });
      const before = snapshot();
      const unknown = ['https://other.example.org', MOODLE.clientId] as const;
      const commands: Array<() => Promise<unknown>> = [
        () => admin.removePlatform(...unknown),
        () => admin.setActive(...unknown, false),
        () => admin.addDeployment(...unknown, '2'),
        () => admin.removeDeployment(...unknown, '1'),
        () => admin.setAutoDeployments(...unknown, true),
        () => admin.getPlatform(MOODLE.issuer, ''),
      ];
      for (const command of commands) {
        const error = await refusal(command);
        expect(error.code).to.equal('UNKNOWN_PLATFORM');
        expect(error.message).to.match(/^no platform is registered with issuer /);
      }
      expect(snapshot()).to.equal(before);
    });
  });

  describe('managing deployments', () => {
    it('adds and removes deployments, refusing duplicates, unknown ones and bad ids', async () => {
      const { admin, store, snapshot } = setUp();
      await admin.addPlatform(MOODLE);
      const added = await admin.addDeployment(MOODLE.issuer, MOODLE.clientId, ' 12:8865aa05b4b79b64 ');
      expect(added).to.include({ deploymentId: '12:8865aa05b4b79b64', source: 'admin' });

      const before = snapshot();
      expect(
        (await refusal(() => admin.addDeployment(MOODLE.issuer, MOODLE.clientId, '12:8865aa05b4b79b64')))
          .code,
      ).to.equal('DEPLOYMENT_EXISTS');
      expect((await refusal(() => admin.addDeployment(MOODLE.issuer, MOODLE.clientId, ''))).code).to.equal(
        'INVALID_DEPLOYMENT_ID',
      );
      expect((await refusal(() => admin.addDeployment(MOODLE.issuer, MOODLE.clientId, 'é'))).code).to.equal(
        'INVALID_DEPLOYMENT_ID',
      );
      expect(
        (await refusal(() => admin.removeDeployment(MOODLE.issuer, MOODLE.clientId, 'nope'))).code,
      ).to.equal('UNKNOWN_DEPLOYMENT');
      expect(snapshot()).to.equal(before);

      await admin.removeDeployment(MOODLE.issuer, MOODLE.clientId, '12:8865aa05b4b79b64');
      expect(store.deployments).to.deep.equal([]);
    });

    it('records the source it is given (dynamic registration)', async () => {
      const { admin } = setUp();
      await admin.addPlatform(MOODLE);
      const added = await admin.addDeployment(MOODLE.issuer, MOODLE.clientId, '3', 'dynamic-registration');
      expect(added.source).to.equal('dynamic-registration');
    });

    it('switches the auto-deployments policy on and off', async () => {
      const { admin } = setUp();
      await admin.addPlatform(MOODLE);
      expect((await admin.setAutoDeployments(MOODLE.issuer, MOODLE.clientId, true)).autoDeployments).to.equal(
        true,
      );
      expect(
        (await admin.setAutoDeployments(MOODLE.issuer, MOODLE.clientId, false)).autoDeployments,
      ).to.equal(false);
    });
  });

  describe('tool values', () => {
    it('builds every URL an LMS needs from PUBLIC_URL', () => {
      const { admin } = setUp();
      expect(admin.toolEndpoints()).to.deep.equal({
        loginUrl: 'https://pix-lti.example.org/lti/login',
        launchUrl: 'https://pix-lti.example.org/lti/launch',
        deepLinkingUrl: 'https://pix-lti.example.org/lti/launch',
        keysetUrl: 'https://pix-lti.example.org/lti/keys',
        dynamicRegistrationUrl: 'https://pix-lti.example.org/lti/register',
        logoUrl: 'https://pix-lti.example.org/img/logo.svg',
        domain: 'pix-lti.example.org',
      });
    });

    it('keeps a port and drops trailing slashes', () => {
      const endpoints = toolEndpoints('http://127.0.0.1:3000//');
      expect(endpoints.launchUrl).to.equal('http://127.0.0.1:3000/lti/launch');
      expect(endpoints.domain).to.equal('127.0.0.1:3000');
    });

    it('checks URLs without normalising them', () => {
      expect(checkUrl('https://canvas.instructure.com', 'issuer', { issuer: true })).to.equal(
        'https://canvas.instructure.com',
      );
      expect(checkUrl('https://lms.example.org/token?type_id=3', 'accessTokenEndpoint')).to.include(
        '?type_id=3',
      );
      expect(() => checkUrl('javascript:alert(1)', 'jwksUrl')).to.throw(PlatformAdminError, /http\(s\) URL/);
    });
  });
});
