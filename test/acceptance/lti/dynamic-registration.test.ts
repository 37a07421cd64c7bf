import { expect } from 'chai';
import { createPlatformAdmin, type PlatformAdmin } from '../../../src/lti/application/platform-admin.js';
import { ltiProvider } from '../../../src/lti/infrastructure/lti-provider.js';
import { createLtijsPlatformRegistry } from '../../../src/lti/infrastructure/platform-registry.js';
import { systemClock } from '../../../src/shared/infrastructure/system-clock.js';
import {
  startDynamicRegistrationPlatform,
  type DynamicRegistrationPlatform,
} from '../../support/lti-platform/dynamic-registration.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

/**
 * Moodle 4.x "Add LTI Advantage" against the whole tool: the platform emulator's Moodle-like
 * registration endpoints drive GET /lti/register?openid_configuration=…&registration_token=…; the
 * registration appears (inactive unless LTI_DYNREG_AUTO_ACTIVATE), with the deployment Moodle
 * announced, and a launch works once it is activated.
 */

const registeredClients: Array<{ issuer: string; clientId: string }> = [];

async function register(tool: ToolWithPlatform, moodle: DynamicRegistrationPlatform, token?: string) {
  const response = await fetch(moodle.registrationStartUrl(`${tool.server.url}/lti/register`, token), {
    headers: { 'Accept-Language': 'en' },
  });
  const body = await response.text();
  const received = moodle.registrations.at(-1);
  if (received?.clientId)
    registeredClients.push({ issuer: tool.emulator.issuer, clientId: received.clientId });
  return { response, body, received };
}

const adminOf = (tool: ToolWithPlatform): PlatformAdmin =>
  createPlatformAdmin({
    registry: createLtijsPlatformRegistry(),
    deployments: tool.server.launchStore,
    clock: systemClock,
    publicUrl: tool.server.url,
  });

const platformCount = async () => (await ltiProvider().getAllPlatforms()).length;

async function forgetRegistrations() {
  for (const { issuer, clientId } of registeredClients.splice(0)) {
    await ltiProvider().deletePlatform(issuer, clientId);
  }
}

describe('Acceptance | LTI | dynamic registration (Moodle "Add LTI Advantage")', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;
  let moodle: DynamicRegistrationPlatform;
  let admin: PlatformAdmin;

  before(async () => {
    tool = await startToolWithPlatform('dynamic-registration');
    moodle = await startDynamicRegistrationPlatform(tool.emulator);
    admin = adminOf(tool);
  });

  after(async () => {
    await moodle?.stop();
    await forgetRegistrations();
    await tool?.stop();
  });

  it('registers Moodle through ltijs, inactive, with the deployment Moodle announced', async () => {
    const { response, body, received } = await register(tool, moodle);
    expect(response.status, body.slice(0, 500)).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(body).to.include('<html lang="en">').and.include('Pix LTI is registered');
    expect(body).to.include('org.imsglobal.lti.close');
    // The language link does not replay the registration (its token is used once).
    expect(body).to.include('href="/?lang=fr"').and.not.include('registration_token');

    // What the tool asked Moodle for, with the one-time token.
    expect(received?.status).to.equal(200);
    expect(received?.authorization).to.match(/^Bearer [0-9a-f]{32}$/);
    const url = tool.server.url;
    expect(received?.body).to.include({
      initiate_login_uri: `${url}/lti/login`,
      jwks_uri: `${url}/lti/keys`,
      logo_uri: `${url}/img/logo.svg`,
      client_name: 'Pix LTI',
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(received?.body.redirect_uris).to.deep.equal([`${url}/lti/launch`]);

    const clientId = received?.clientId ?? '';
    const platform = await admin.getPlatform(tool.emulator.issuer, clientId);
    expect(platform).to.include({
      active: false,
      authenticationEndpoint: tool.emulator.authUrl,
      accessTokenEndpoint: tool.emulator.tokenUrl,
      jwksUrl: tool.emulator.jwksUrl,
      autoDeployments: false,
    });
    expect(platform.name).to.equal(`moodle · ${new URL(tool.emulator.issuer).host}`);
    expect(platform.deployments.map((d) => [d.deploymentId, d.source])).to.deep.equal([
      [received?.deploymentId, 'dynamic-registration'],
    ]);
    // The key the tool will sign service requests with is published.
    const keys = (await (await fetch(`${url}/lti/keys`)).json()) as { keys: Array<{ kid: string }> };
    expect(keys.keys.map((key) => key.kid)).to.include(platform.kid);
  });

  it('serves the logo it announced', async () => {
    const response = await fetch(`${tool.server.url}/img/logo.svg`);
    expect(response.status).to.equal(200);
    expect(response.headers.get('content-type')).to.match(/^image\/svg\+xml/);
    expect(await response.text()).to.include('<title id="pix-lti-logo-title">Pix LTI</title>');
  });

  it('refuses launches until an administrator activates the registration, then launches', async () => {
    const { received } = await register(tool, moodle);
    const clientId = received?.clientId ?? '';

    // The tool refuses at the login initiation, before any redirect to the platform.
    const prepared = tool.emulator.prepareLaunch({ user: 'learner-1', clientId });
    const refused = await tool.client.request(prepared.loginInitiationUrl);
    expect(refused.status).to.equal(403);
    expect(refused.body).to.include('PLATFORM_INACTIVE');

    await admin.setActive(tool.emulator.issuer, clientId, true);
    const launched = await tool.client.launch({ user: 'learner-1', clientId });
    expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
    expect(launched.body).to.match(/Bonjour Camille Martin/);
  });

  it('turns auto-deployments on when Moodle announces no deployment, and records the first launch', async () => {
    const silent = await startDynamicRegistrationPlatform(tool.emulator, { returnDeploymentId: false });
    try {
      const { response, body, received } = await register(tool, silent);
      expect(response.status).to.equal(200);
      expect(body).to.include('will be recorded automatically');
      const clientId = received?.clientId ?? '';
      const platform = await admin.getPlatform(tool.emulator.issuer, clientId);
      expect(platform).to.include({ active: false, autoDeployments: true });
      expect(platform.deployments).to.deep.equal([]);

      await admin.setActive(tool.emulator.issuer, clientId, true);
      const launched = await tool.client.launch({ user: 'learner-2', clientId });
      expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
      const after = await admin.getPlatform(tool.emulator.issuer, clientId);
      expect(after.deployments.map((d) => [d.deploymentId, d.source])).to.deep.equal([
        [received?.deploymentId, 'auto'],
      ]);
    } finally {
      await silent.stop();
    }
  });

  describe('failures, each with a page in the administrator’s language and nothing registered', () => {
    it('without openid_configuration: 400', async () => {
      const before = await platformCount();
      const response = await fetch(`${tool.server.url}/lti/register`, {
        headers: { 'Accept-Language': 'fr' },
      });
      expect(response.status).to.equal(400);
      const body = await response.text();
      expect(body).to.include('<html lang="fr">').and.include('MISSING_OPENID_CONFIGURATION');
      expect(await platformCount()).to.equal(before);
    });

    it('with a token Moodle refuses (already used): 502 REGISTRATION_REFUSED', async () => {
      const token = moodle.issueRegistrationToken();
      await register(tool, moodle, token);
      const before = await platformCount();
      const { response, body, received } = await register(tool, moodle, token);
      expect(received?.status).to.equal(401);
      expect(response.status).to.equal(502);
      expect(body).to.include('REGISTRATION_REFUSED').and.include('The platform refused the registration');
      expect(await platformCount()).to.equal(before);
    });

    it('with an unreachable platform: 502 PLATFORM_UNREACHABLE', async () => {
      const before = await platformCount();
      const query = new URLSearchParams({
        openid_configuration: 'http://127.0.0.1:9/mod/lti/openid-configuration.php',
        registration_token: 'x',
      });
      const response = await fetch(`${tool.server.url}/lti/register?${query}`);
      expect(response.status).to.equal(502);
      expect(await response.text()).to.include('PLATFORM_UNREACHABLE');
      expect(await platformCount()).to.equal(before);
    });

    it('with a client id already registered: 409 PLATFORM_EXISTS, the registration untouched', async () => {
      const fixed = await startDynamicRegistrationPlatform(tool.emulator, {
        clientIdFor: () => 'fixed-client-id',
      });
      try {
        await register(tool, fixed);
        const registered = await admin.getPlatform(tool.emulator.issuer, 'fixed-client-id');
        const before = await platformCount();
        const { response, body } = await register(tool, fixed);
        expect(response.status).to.equal(409);
        expect(body).to.include('PLATFORM_EXISTS');
        expect(await platformCount()).to.equal(before);
        expect(await admin.getPlatform(tool.emulator.issuer, 'fixed-client-id')).to.deep.equal(registered);
      } finally {
        await fixed.stop();
      }
    });
  });
});

describe('Acceptance | LTI | dynamic registration with LTI_DYNREG_AUTO_ACTIVATE=true', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;
  let moodle: DynamicRegistrationPlatform;

  before(async () => {
    tool = await startToolWithPlatform('dynamic-registration-auto', {
      environment: { LTI_DYNREG_AUTO_ACTIVATE: 'true' },
    });
    moodle = await startDynamicRegistrationPlatform(tool.emulator);
  });

  after(async () => {
    await moodle?.stop();
    await forgetRegistrations();
    await tool?.stop();
  });

  it('activates the registration at once: the first launch works', async () => {
    const { response, body, received } = await register(tool, moodle);
    expect(response.status).to.equal(200);
    expect(body).to.include('the tool can be launched right away');
    const clientId = received?.clientId ?? '';
    expect((await adminOf(tool).getPlatform(tool.emulator.issuer, clientId)).active).to.equal(true);
    const launched = await tool.client.launch({ user: 'teacher-1', clientId });
    expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
    expect(launched.body).to.match(/Vous êtes enseignant/);
  });
});
