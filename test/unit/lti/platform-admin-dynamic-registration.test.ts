import { expect } from 'chai';
import {
  buildRegistrationRequest,
  DynamicRegistrationError,
  LTI_TOOL_CONFIGURATION,
  parseRegistrationResponse,
  registerWithPlatform,
  type DynamicRegistrationErrorCode,
} from '../../../src/lti/application/dynamic-registration.js';
import { toolEndpoints } from '../../../src/lti/domain/tool-endpoints.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { InMemoryDeploymentStore, InMemoryPlatformRegistry, snapshotOf } from './platform-admin-fakes.js';

const NOW = new Date('2026-11-22T12:00:00.000Z');
const CONFIGURATION_URL = 'https://moodle.example.org/mod/lti/openid-configuration.php';

const MOODLE_CONFIGURATION = {
  issuer: 'https://moodle.example.org',
  authorization_endpoint: 'https://moodle.example.org/mod/lti/auth.php',
  token_endpoint: 'https://moodle.example.org/mod/lti/token.php',
  jwks_uri: 'https://moodle.example.org/mod/lti/certs.php',
  registration_endpoint: 'https://moodle.example.org/mod/lti/openid-registration.php',
  'https://purl.imsglobal.org/spec/lti-platform-configuration': { product_family_code: 'moodle' },
};

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fake platform behind `fetch`: its configuration and registration endpoint. */
function fakePlatform(
  options: {
    configuration?: unknown;
    configurationStatus?: number;
    registrationStatus?: number;
    registrationBody?: unknown;
    unreachable?: boolean;
  } = {},
) {
  const calls: Call[] = [];
  const fetchFake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    });
    if (options.unreachable) throw new TypeError('fetch failed');
    if (url === CONFIGURATION_URL) {
      return new Response(JSON.stringify(options.configuration ?? MOODLE_CONFIGURATION), {
        status: options.configurationStatus ?? 200,
      });
    }
    return new Response(
      JSON.stringify(
        options.registrationBody ?? {
          client_id: 'moodle-client-1',
          [LTI_TOOL_CONFIGURATION]: { deployment_id: '7', target_link_uri: 'x' },
        },
      ),
      { status: options.registrationStatus ?? 200 },
    );
  }) as typeof fetch;
  return { calls, fetch: fetchFake };
}

function setUp(platform = fakePlatform(), autoActivate = false) {
  const registry = new InMemoryPlatformRegistry();
  const store = new InMemoryDeploymentStore();
  const deps = {
    registry,
    deployments: store,
    clock: createFixedClock(NOW),
    publicUrl: 'https://pix-lti.example.org',
    autoActivate,
    description: 'Compétences numériques',
    fetch: platform.fetch,
  };
  return { registry, store, deps, platform, snapshot: () => snapshotOf(registry, store) };
}

async function failure(run: () => Promise<unknown>): Promise<DynamicRegistrationError> {
  try {
    await run();
  } catch (error) {
    expect(error).to.be.instanceOf(DynamicRegistrationError);
    return error as DynamicRegistrationError;
  }
  throw new Error('expected a failure');
}

describe('Unit | LTI | platform administration: dynamic registration', () => {
  it('sends our registration with the token, registers the platform inactive and records the deployment Moodle announced', async () => {
    const { deps, registry, store, platform } = setUp();
    const outcome = await registerWithPlatform(deps, {
      openidConfiguration: CONFIGURATION_URL,
      registrationToken: 'token-123',
    });
    expect(outcome).to.deep.equal({
      issuer: 'https://moodle.example.org',
      clientId: 'moodle-client-1',
      name: 'moodle · moodle.example.org',
      active: false,
      deploymentId: '7',
      autoDeployments: false,
    });
    const [configurationCall, registrationCall] = platform.calls;
    expect(configurationCall?.url).to.equal(CONFIGURATION_URL);
    expect(registrationCall).to.include({ url: MOODLE_CONFIGURATION.registration_endpoint, method: 'POST' });
    expect(registrationCall?.headers.Authorization).to.equal('Bearer token-123');
    expect(registrationCall?.body).to.deep.equal(
      buildRegistrationRequest(toolEndpoints('https://pix-lti.example.org'), 'Compétences numériques'),
    );

    const registered = await registry.find('https://moodle.example.org', 'moodle-client-1');
    expect(registered).to.include({
      active: false,
      authenticationEndpoint: MOODLE_CONFIGURATION.authorization_endpoint,
      accessTokenEndpoint: MOODLE_CONFIGURATION.token_endpoint,
      jwksUrl: MOODLE_CONFIGURATION.jwks_uri,
    });
    expect(store.deployments.map((d) => [d.deploymentId, d.source])).to.deep.equal([
      ['7', 'dynamic-registration'],
    ]);
    expect(
      await store.allowsDeploymentAutoRegistration('https://moodle.example.org', 'moodle-client-1'),
    ).to.equal(false);
  });

  it('activates at once when LTI_DYNREG_AUTO_ACTIVATE is on', async () => {
    const { deps } = setUp(fakePlatform(), true);
    const outcome = await registerWithPlatform(deps, {
      openidConfiguration: CONFIGURATION_URL,
      registrationToken: 't',
    });
    expect(outcome.active).to.equal(true);
  });

  it('turns auto-deployments on when the platform announces no deployment', async () => {
    const { deps, store } = setUp(fakePlatform({ registrationBody: { client_id: 'c-2' } }));
    const outcome = await registerWithPlatform(deps, {
      openidConfiguration: CONFIGURATION_URL,
      registrationToken: 't',
    });
    expect(outcome).to.include({ deploymentId: undefined, autoDeployments: true });
    expect(store.deployments).to.deep.equal([]);
    expect(await store.allowsDeploymentAutoRegistration('https://moodle.example.org', 'c-2')).to.equal(true);
  });

  it('asks for our URLs, AGS and NRPS scopes, deep linking and no custom parameter', () => {
    const request = buildRegistrationRequest(toolEndpoints('https://pix-lti.example.org'), 'Description');
    expect(request).to.include({
      initiate_login_uri: 'https://pix-lti.example.org/lti/login',
      jwks_uri: 'https://pix-lti.example.org/lti/keys',
      logo_uri: 'https://pix-lti.example.org/img/logo.svg',
      client_name: 'Pix LTI',
      token_endpoint_auth_method: 'private_key_jwt',
    });
    expect(request.redirect_uris).to.deep.equal(['https://pix-lti.example.org/lti/launch']);
    expect(String(request.scope).split(' ')).to.include.members([
      'https://purl.imsglobal.org/spec/lti-ags/scope/score',
      'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
    ]);
    const configuration = request[LTI_TOOL_CONFIGURATION] as Record<string, unknown>;
    expect(configuration).to.include({
      domain: 'pix-lti.example.org',
      target_link_uri: 'https://pix-lti.example.org/lti/launch',
      description: 'Description',
    });
    expect(configuration.custom_parameters).to.deep.equal({});
    expect((configuration.messages as Array<{ type: string }>).map((m) => m.type)).to.deep.equal([
      'LtiResourceLinkRequest',
      'LtiDeepLinkingRequest',
    ]);
  });

  it('reads a numeric deployment id, and ignores an unusable one', () => {
    expect(
      parseRegistrationResponse({ client_id: 'c', [LTI_TOOL_CONFIGURATION]: { deployment_id: 12 } }),
    ).to.deep.equal({
      clientId: 'c',
      deploymentId: '12',
    });
    expect(
      parseRegistrationResponse({ client_id: 'c', [LTI_TOOL_CONFIGURATION]: { deployment_id: 'a b' } })
        .deploymentId,
    ).to.equal(undefined);
  });

  const failures: Array<
    [
      string,
      Parameters<typeof fakePlatform>[0],
      { openidConfiguration?: string },
      DynamicRegistrationErrorCode,
      number,
    ]
  > = [
    ['no openid_configuration', {}, { openidConfiguration: '' }, 'MISSING_OPENID_CONFIGURATION', 400],
    [
      'a configuration URL that is not http(s)',
      {},
      { openidConfiguration: 'file:///etc/passwd' },
      'INVALID_OPENID_CONFIGURATION_URL',
      400,
    ],
    ['an unreachable platform', { unreachable: true }, {}, 'PLATFORM_UNREACHABLE', 502],
    ['a configuration answering 404', { configurationStatus: 404 }, {}, 'PLATFORM_UNREACHABLE', 502],
    [
      'a configuration that is not JSON',
      { configuration: undefined, configurationStatus: 200 },
      {},
      'INVALID_PLATFORM_CONFIGURATION',
      502,
    ],
    [
      'a configuration without a JWKS URL',
      { configuration: { ...MOODLE_CONFIGURATION, jwks_uri: '' } },
      {},
      'INVALID_PLATFORM_CONFIGURATION',
      502,
    ],
    [
      'a configuration with a non-URL issuer',
      { configuration: { ...MOODLE_CONFIGURATION, issuer: 'moodle' } },
      {},
      'INVALID_PLATFORM_CONFIGURATION',
      502,
    ],
    ['a refused registration (used token)', { registrationStatus: 401 }, {}, 'REGISTRATION_REFUSED', 502],
    [
      'a response without a client id',
      { registrationBody: { error: 'x' } },
      {},
      'INVALID_REGISTRATION_RESPONSE',
      502,
    ],
    [
      'a client id with spaces',
      { registrationBody: { client_id: 'a b' } },
      {},
      'INVALID_REGISTRATION_RESPONSE',
      502,
    ],
  ];
  for (const [label, platformOptions, request, code, status] of failures) {
    it(`fails with ${code} (${status}) on ${label}, registering nothing`, async () => {
      const fake = fakePlatform(platformOptions);
      if (label === 'a configuration that is not JSON') {
        fake.fetch = (async () => new Response('<html>', { status: 200 })) as typeof fetch;
      }
      const { deps, snapshot } = setUp(fake);
      const before = snapshot();
      const error = await failure(() =>
        registerWithPlatform(deps, {
          openidConfiguration: request.openidConfiguration ?? CONFIGURATION_URL,
          registrationToken: 't',
        }),
      );
      expect(error.code).to.equal(code);
      expect(error.status).to.equal(status);
      expect(snapshot()).to.equal(before);
    });
  }

  it('refuses a client id already registered for this issuer (409), changing nothing', async () => {
    const { deps, snapshot } = setUp();
    await registerWithPlatform(deps, { openidConfiguration: CONFIGURATION_URL, registrationToken: 't' });
    const before = snapshot();
    const error = await failure(() =>
      registerWithPlatform(deps, { openidConfiguration: CONFIGURATION_URL, registrationToken: 't' }),
    );
    expect([error.code, error.status]).to.deep.equal(['PLATFORM_EXISTS', 409]);
    expect(snapshot()).to.equal(before);
  });

  it('rolls the registration back when the deployment cannot be recorded', async () => {
    const { deps, store, snapshot } = setUp();
    const before = snapshot();
    store.failNextAdd = true;
    let failed: unknown;
    await registerWithPlatform(deps, {
      openidConfiguration: CONFIGURATION_URL,
      registrationToken: 't',
    }).catch((error: unknown) => (failed = error));
    expect(String(failed)).to.include('database unavailable');
    expect(snapshot()).to.equal(before);
  });
});
