import { expect } from 'chai';
import {
  startToolWithPlatform,
  TOOL_CLIENT_ID,
  DEPLOYMENT_ID,
  type ToolWithPlatform,
} from '../../support/tool-fixture.js';

/**
 * /admin/platforms in the whole tool: absent without ADMIN_PASSWORD, behind HTTP Basic auth with it,
 * its forms refused without their CSRF token, and a deployment added through the form opening the
 * door to launches from that deployment.
 */

const PASSWORD = 'an admin password for the tests';
const basic = (password: string) => `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`;

describe('Acceptance | LTI | admin platforms page without ADMIN_PASSWORD', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('admin-no-password');
  });

  after(async () => {
    await tool?.stop();
  });

  it('answers 404, with or without credentials, for pages and forms', async () => {
    for (const [method, path] of [
      ['GET', '/admin'],
      ['GET', '/admin/platforms'],
      ['POST', '/admin/platforms/deployments'],
    ] as const) {
      const response = await fetch(`${tool.server.url}${path}`, {
        method,
        headers: { Authorization: basic(PASSWORD) },
      });
      expect(response.status, `${method} ${path}`).to.equal(404);
      expect(response.headers.get('www-authenticate')).to.equal(null);
    }
  });
});

describe('Acceptance | LTI | admin platforms page', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;
  let url: string;

  before(async () => {
    tool = await startToolWithPlatform('admin-platforms', { environment: { ADMIN_PASSWORD: PASSWORD } });
    url = `${tool.server.url}/admin/platforms`;
  });

  after(async () => {
    await tool?.stop();
  });

  /** The page as an authenticated browser gets it: the CSRF cookie and the forms' token. */
  async function openPage(query = '') {
    const response = await fetch(`${url}${query}`, { headers: { Authorization: basic(PASSWORD) } });
    const body = await response.text();
    const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1] ?? '';
    return { response, body, cookie, token };
  }

  function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return fetch(`${tool.server.url}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Authorization: basic(PASSWORD),
        'Content-Type': 'application/x-www-form-urlencoded',
        'Accept-Language': 'en',
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
  }

  const deploymentIds = async () =>
    (await tool.server.launchStore.listDeployments(tool.emulator.issuer, TOOL_CLIENT_ID)).map(
      (d) => d.deploymentId,
    );

  it('asks for credentials: 401 with a Basic challenge, without them or with a wrong password', async () => {
    for (const headers of [{}, { Authorization: basic('not the password') }] as Array<
      Record<string, string>
    >) {
      const response = await fetch(url, { headers: { 'Accept-Language': 'en', ...headers } });
      expect(response.status).to.equal(401);
      expect(response.headers.get('www-authenticate')).to.match(/^Basic realm="pix-lti admin"/);
      const body = await response.text();
      expect(body).to.include('Authentication required');
      expect(body).to.not.include(tool.emulator.issuer);
    }
  });

  it('lists the registration, its deployment and the tool values, in French by default', async () => {
    const { response, body, cookie, token } = await openPage();
    expect(response.status).to.equal(200);
    expect(response.headers.get('cache-control')).to.equal('no-store');
    expect(response.headers.get('x-frame-options')).to.equal('DENY');
    expect(body).to.include('<html lang="fr">').and.include('Plateformes LMS');
    expect(body).to.include(tool.emulator.issuer).and.include(TOOL_CLIENT_ID).and.include(DEPLOYMENT_ID);
    expect(body).to.include(`${tool.server.url}/lti/login`).and.include(`${tool.server.url}/lti/keys`);
    expect(cookie).to.match(/^pixlti_admin_csrf=[\w-]{43}$/);
    expect(token).to.match(/^[\w-]{43}$/);
  });

  it('refuses a form without a valid CSRF token (403), and adds nothing', async () => {
    const { cookie, token } = await openPage();
    const form = {
      issuer: tool.emulator.issuer,
      clientId: TOOL_CLIENT_ID,
      deploymentId: 'deployment-forged',
    };
    const attempts: Array<[Record<string, string>, Record<string, string>]> = [
      [form, { Cookie: cookie }],
      [{ ...form, _csrf: token }, {}],
      [{ ...form, _csrf: token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }, { Cookie: cookie }],
      [{ ...form, _csrf: token }, { Cookie: 'pixlti_admin_csrf=' + 'A'.repeat(43) }],
    ];
    for (const [body, headers] of attempts) {
      const response = await post('/admin/platforms/deployments', body, headers);
      expect(response.status).to.equal(403);
      expect(await response.text()).to.include('Form expired');
    }
    expect(await deploymentIds()).to.deep.equal([DEPLOYMENT_ID]);
  });

  it('adds a deployment through the form (post/redirect/get), and launches from it then work', async () => {
    const prepared = tool.emulator.prepareLaunch({ user: 'learner-1', deploymentId: 'deployment-2' });
    const before = await tool.client.launch(prepared);
    expect(before.status).to.equal(403);
    expect(before.body).to.include('UNKNOWN_DEPLOYMENT');

    const { cookie, token } = await openPage('?lang=en');
    const response = await post(
      '/admin/platforms/deployments?lang=en',
      { _csrf: token, issuer: tool.emulator.issuer, clientId: TOOL_CLIENT_ID, deploymentId: 'deployment-2' },
      { Cookie: cookie },
    );
    expect(response.status).to.equal(303);
    expect(response.headers.get('location')).to.equal('/admin/platforms?done=deploymentAdded&lang=en');
    const list = await fetch(`${tool.server.url}${response.headers.get('location')}`, {
      headers: { Authorization: basic(PASSWORD) },
    });
    const body = await list.text();
    expect(body)
      .to.include('The deployment is added.')
      .and.include('deployment-2')
      .and.include('Administrator');
    expect(await deploymentIds()).to.deep.equal([DEPLOYMENT_ID, 'deployment-2']);

    const after = await tool.client.launch({ user: 'learner-1', deploymentId: 'deployment-2' });
    expect(after.status, after.body.slice(0, 300)).to.equal(200);
  });

  it('shows a refused form input as a translated error and changes nothing', async () => {
    const { cookie, token } = await openPage();
    const response = await post(
      '/admin/platforms/deployments?lang=en',
      { _csrf: token, issuer: tool.emulator.issuer, clientId: TOOL_CLIENT_ID, deploymentId: 'two words' },
      { Cookie: cookie },
    );
    expect(response.headers.get('location')).to.equal('/admin/platforms?error=INVALID_DEPLOYMENT_ID&lang=en');
    const page = await openPage('?error=INVALID_DEPLOYMENT_ID&lang=en');
    expect(page.body).to.include('role="alert"').and.include('The deployment id must be 1 to 255');
    expect(await deploymentIds()).to.deep.equal([DEPLOYMENT_ID, 'deployment-2']);
  });

  it('deactivates and reactivates the registration, and toggles auto-deployments', async () => {
    const { cookie, token } = await openPage();
    const key = { _csrf: token, issuer: tool.emulator.issuer, clientId: TOOL_CLIENT_ID };

    expect(
      (await post('/admin/platforms/active', { ...key, active: 'false' }, { Cookie: cookie })).status,
    ).to.equal(303);
    const refused = await tool.client.request(
      tool.emulator.prepareLaunch({ user: 'learner-1' }).loginInitiationUrl,
    );
    expect(refused.status).to.equal(403);
    expect(refused.body).to.include('PLATFORM_INACTIVE');
    await post('/admin/platforms/active', { ...key, active: 'true' }, { Cookie: cookie });
    expect((await tool.client.launch({ user: 'learner-1' })).status).to.equal(200);

    await post('/admin/platforms/auto-deployments', { ...key, enabled: 'true' }, { Cookie: cookie });
    const autoDeployments = () =>
      tool.server.launchStore.allowsDeploymentAutoRegistration(tool.emulator.issuer, TOOL_CLIENT_ID);
    expect(await autoDeployments()).to.equal(true);
    expect((await openPage()).body).to.include('Activé : un déploiement inconnu est enregistré');
    await post('/admin/platforms/auto-deployments', { ...key, enabled: 'false' }, { Cookie: cookie });
    expect(await autoDeployments()).to.equal(false);
  });
});
