import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import {
  CLAIM,
  CLIENT_ASSERTION_TYPE,
  KeyRing,
  MEDIA_TYPE,
  MESSAGE_TYPE,
  ROLE,
  SCOPE,
  createLaunchClient,
  createManualClock,
  createPlatformEmulator,
  decodeJws,
  failFor,
  parseLinkHeader,
  parseSingleForm,
  publicKeyFromJwk,
  signRs256,
  verifyRs256Signature,
  type JwtPayload,
  type PlatformEmulator,
} from '../../support/lti-platform/index.js';

/**
 * The emulator over real HTTP, with a hand-made tool (no ltijs, no database): the checks of its
 * endpoints, its launch client, failure injection. ltijs itself is in ltijs-against-emulator.test.ts.
 */

interface FakeTool {
  url: string;
  keys: KeyRing;
  jwksHits: number;
  server: Server;
}

/** A minimal tool: a JWKS, and a login/launch pair that checks the state cookie and the id_token. */
async function startFakeTool(platform: () => PlatformEmulator): Promise<FakeTool> {
  const tool: FakeTool = {
    url: '',
    keys: new KeyRing(),
    jwksHits: 0,
    server: undefined as unknown as Server,
  };
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.get('/keys', (_req, res) => {
    tool.jwksHits += 1;
    res.json(tool.keys.jwks());
  });
  app.all('/login', (req, res) => {
    const params = { ...req.query, ...req.body } as Record<string, string>;
    const state = `s${Math.random().toString(36).slice(2)}`;
    res.cookie(`state${state}`, params.iss ?? '', { httpOnly: true, maxAge: 60_000 });
    const auth = new URL(platform().authUrl);
    for (const [name, value] of Object.entries({
      response_type: 'id_token',
      response_mode: 'form_post',
      scope: 'openid',
      prompt: 'none',
      client_id: params.client_id ?? '',
      redirect_uri: (params.target_link_uri ?? '').split('?')[0] ?? '',
      login_hint: params.login_hint ?? '',
      lti_message_hint: params.lti_message_hint ?? '',
      nonce: `n${Math.random().toString(36).slice(2)}`,
      state,
    })) {
      auth.searchParams.set(name, value);
    }
    res.redirect(auth.toString());
  });
  app.post('/launch', async (req, res) => {
    const { id_token: idToken, state } = req.body as Record<string, string>;
    const cookies = Object.fromEntries(
      (req.headers.cookie ?? '').split(/;\s*/).map((pair) => pair.split('=') as [string, string]),
    );
    if (!state || !cookies[`state${state}`]) {
      res.status(401).json({ error: 'missing state cookie' });
      return;
    }
    const { header, payload } = decodeJws(idToken ?? '');
    const jwks = (await (await fetch(platform().jwksUrl)).json()) as { keys: Array<Record<string, unknown>> };
    const jwk = jwks.keys.find(({ kid }) => kid === header.kid);
    if (!jwk || !verifyRs256Signature(idToken ?? '', publicKeyFromJwk(jwk))) {
      res.status(401).json({ error: 'bad signature' });
      return;
    }
    res.cookie('session', String(payload.sub), { httpOnly: true });
    res.redirect(303, `/launch?user=${encodeURIComponent(String(payload.sub))}`);
  });
  app.get('/launch', (req, res) => {
    res.json({ user: req.query.user, session: (req.headers.cookie ?? '').includes('session=') });
  });
  tool.server = await new Promise<Server>((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
  tool.url = `http://127.0.0.1:${(tool.server.address() as AddressInfo).port}`;
  return tool;
}

function clientAssertion(tool: FakeTool, emulator: PlatformEmulator, changes: JwtPayload = {}, kid?: string) {
  const now = Math.floor(Date.now() / 1000);
  const payload: JwtPayload = {
    iss: 'tool-1',
    sub: 'tool-1',
    aud: emulator.tokenUrl,
    iat: now,
    exp: now + 60,
    jti: `jti-${Math.random().toString(36).slice(2)}`,
    ...changes,
  };
  return signRs256({ alg: 'RS256', kid: kid ?? tool.keys.active.kid }, payload, tool.keys.active.privateKey);
}

async function requestToken(
  emulator: PlatformEmulator,
  assertion: string,
  scope: string,
  grantType = 'client_credentials',
) {
  const response = await fetch(emulator.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: grantType,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      scope,
    }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

describe('Integration | LTI platform emulator | HTTP endpoints with a hand-made tool', function () {
  this.timeout(20_000);
  let emulator: PlatformEmulator;
  let tool: FakeTool;

  before(async () => {
    emulator = createPlatformEmulator({
      courses: [
        {
          id: 'c1',
          title: 'Course 1',
          members: [
            { user: { id: 'teacher', name: 'Teacher' }, roles: [ROLE.instructor] },
            ...['a', 'b', 'c', 'd', 'e'].map((id) => ({
              user: { id, name: `Learner ${id}` },
              roles: [ROLE.learner],
            })),
          ],
          resourceLinks: [{ id: 'rl-1', title: 'Activity 1', lineItem: { scoreMaximum: 10 } }],
        },
      ],
    });
    await emulator.start();
    tool = await startFakeTool(() => emulator);
    emulator.registerTool({
      clientId: 'tool-1',
      deploymentIds: ['d1'],
      loginUrl: `${tool.url}/login`,
      jwksUrl: `${tool.url}/keys`,
      targetLinkUri: `${tool.url}/launch`,
    });
    emulator.registerTool({
      clientId: 'score-only',
      loginUrl: `${tool.url}/login`,
      jwksUrl: `${tool.url}/keys`,
      targetLinkUri: `${tool.url}/launch`,
      scopes: [SCOPE.score],
    });
  });

  after(async () => {
    await emulator.stop();
    tool.server.closeAllConnections();
    await new Promise((resolve) => tool.server.close(resolve));
  });

  afterEach(() => emulator.clearFailures());

  async function bearer(scope: string, clientId = 'tool-1'): Promise<string> {
    const { status, body } = await requestToken(
      emulator,
      clientAssertion(tool, emulator, { iss: clientId, sub: clientId }),
      scope,
    );
    expect(status, JSON.stringify(body)).to.equal(200);
    return body.access_token ?? '';
  }

  describe('identity, configuration and launches', () => {
    it('publishes its configuration and its keys, and rotates them', async () => {
      const config = emulator.platformConfig('tool-1');
      expect(config).to.include({
        issuer: emulator.baseUrl,
        clientId: 'tool-1',
        authenticationEndpoint: `${emulator.baseUrl}/auth`,
      });
      expect(config.ltijsRegistration.authConfig).to.deep.equal({
        method: 'JWK_SET',
        key: `${emulator.baseUrl}/jwks`,
      });
      const openid = (await (await fetch(config.openidConfigurationUrl)).json()) as Record<string, unknown>;
      expect(openid).to.include({
        issuer: emulator.issuer,
        token_endpoint: emulator.tokenUrl,
        jwks_uri: emulator.jwksUrl,
      });

      const first = emulator.keys.active.kid;
      const kidsNow = async () =>
        ((await (await fetch(emulator.jwksUrl)).json()) as { keys: Array<{ kid: string }> }).keys.map(
          ({ kid }) => kid,
        );
      const kept = emulator.keys.rotate();
      expect(await kidsNow()).to.deep.equal([first, kept.kid]);
      const dropped = emulator.keys.rotate({ keepPrevious: false });
      expect(await kidsNow()).to.deep.equal([first, dropped.kid]);
    });

    it('drives a full launch through a tool with the launch client, cookies included', async () => {
      const client = createLaunchClient(emulator);
      const response = await client.launch({
        clientId: 'tool-1',
        user: 'a',
        courseId: 'c1',
        loginMethod: 'GET',
      });
      expect(response.status, response.body).to.equal(200);
      expect(response.json()).to.deep.equal({ user: 'a', session: true });
      expect(response.chain.map(({ method, status }) => `${method} ${status}`)).to.deep.equal([
        'POST 303',
        'GET 200',
      ]);
      const issued = emulator.lastEvent('id-token');
      expect(issued?.payload).to.include({ iss: emulator.issuer, aud: 'tool-1', sub: 'a' });
      expect(issued?.payload[CLAIM.deploymentId]).to.equal('d1');
    });

    it('starts a launch for a browser with an auto-submitting login form (or a redirect for GET)', async () => {
      const post = emulator.prepareLaunch({ clientId: 'tool-1', user: 'c' });
      const page = await fetch(post.browserStartUrl);
      expect(parseSingleForm(await page.text())).to.deep.equal({
        action: `${tool.url}/login`,
        method: 'POST',
        fields: post.loginParams,
      });
      expect(post.loginParams).to.include({
        iss: emulator.issuer,
        login_hint: 'c',
        client_id: 'tool-1',
        lti_deployment_id: 'd1',
      });
      const get = emulator.prepareLaunch({ clientId: 'tool-1', user: 'c', loginMethod: 'GET' });
      const redirect = await fetch(get.browserStartUrl, { redirect: 'manual' });
      expect(redirect.status).to.equal(302);
      expect(redirect.headers.get('location')).to.equal(get.loginInitiationUrl);
    });

    it('lets a forged response go to the tool without the state cookie', async () => {
      const client = createLaunchClient(emulator);
      const flow = await client.startLaunch({ clientId: 'tool-1', user: 'a' });
      const token = emulator.signIdToken(emulator.idTokenPayloadFor(flow.launch, { nonce: flow.nonce }));
      const refused = await client.postIdToken(flow, token, { withoutStateCookie: true });
      expect(refused.status).to.equal(401);
      const accepted = await client.postIdToken(flow, token);
      expect(accepted.status).to.equal(200);
    });

    it('refuses bad authorization requests with the reasons', async () => {
      const launch = emulator.prepareLaunch({ clientId: 'tool-1', user: 'b' });
      const auth = (changes: Record<string, string | undefined>) => {
        const url = new URL(emulator.authUrl);
        const params: Record<string, string | undefined> = {
          response_type: 'id_token',
          response_mode: 'form_post',
          scope: 'openid',
          prompt: 'none',
          client_id: 'tool-1',
          redirect_uri: `${tool.url}/launch`,
          login_hint: 'b',
          lti_message_hint: launch.messageHint,
          nonce: 'n-1',
          state: 's-1',
          ...changes,
        };
        for (const [name, value] of Object.entries(params))
          if (value !== undefined) url.searchParams.set(name, value);
        return fetch(url);
      };
      const ok = await auth({});
      expect(ok.status).to.equal(200);
      const form = parseSingleForm(await ok.text());
      expect(form.action).to.equal(`${tool.url}/launch`);
      expect(form.fields.state).to.equal('s-1');
      expect(decodeJws(form.fields.id_token ?? '').payload.nonce).to.equal('n-1');

      const cases: Array<[Record<string, string | undefined>, string]> = [
        [
          { redirect_uri: 'https://evil.example.org/launch' },
          'redirect_uri https://evil.example.org/launch is not registered',
        ],
        [{ response_mode: 'fragment' }, 'response_mode must be form_post'],
        [{ prompt: 'login' }, 'prompt must be none'],
        [{ nonce: undefined }, 'nonce is required'],
        [{ client_id: 'nobody' }, 'unknown client_id nobody'],
        [{ login_hint: 'someone-else' }, 'login_hint does not match the launch'],
        [{ lti_message_hint: 'nope' }, 'lti_message_hint nope does not name a launch'],
      ];
      for (const [changes, reason] of cases) {
        const response = await auth(changes);
        expect(response.status, reason).to.equal(400);
        expect(((await response.json()) as { error_description: string }).error_description).to.include(
          reason,
        );
      }
    });

    it('fails the JWKS for two minutes of its own clock, then recovers', async () => {
      const clock = createManualClock('2026-01-01T00:00:00Z');
      const local = createPlatformEmulator({ clock, failures: { jwks: failFor(120_000, { status: 503 }) } });
      await local.start();
      try {
        expect((await fetch(local.jwksUrl)).status).to.equal(503);
        clock.advance(119_000);
        expect((await fetch(local.jwksUrl)).status).to.equal(503);
        clock.advance(1_000);
        expect((await fetch(local.jwksUrl)).status).to.equal(200);
        expect(local.events('failure-injected')).to.have.length(2);
      } finally {
        await local.stop();
      }
    });

    it('cuts requests left hanging when it stops', async () => {
      const local = createPlatformEmulator({ failures: { jwks: () => 'hang' } });
      await local.start();
      const pending = fetch(local.jwksUrl).then(
        () => 'answered',
        () => 'cut',
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      await local.stop();
      expect(await pending).to.equal('cut');
    });
  });

  describe('token endpoint', () => {
    it('grants the allowed scopes and records the request', async () => {
      const { status, body } = await requestToken(
        emulator,
        clientAssertion(tool, emulator),
        `${SCOPE.score} ${SCOPE.lineItem}`,
      );
      expect(status).to.equal(200);
      expect(body).to.include({
        token_type: 'Bearer',
        expires_in: 3600,
        scope: `${SCOPE.score} ${SCOPE.lineItem}`,
      });
      expect(emulator.lastEvent('token')).to.include({
        ok: true,
        clientId: 'tool-1',
        kid: tool.keys.active.kid,
      });
    });

    it('refuses bad client assertions and unknown scopes', async () => {
      const replayed = clientAssertion(tool, emulator);
      expect((await requestToken(emulator, replayed, SCOPE.score)).status).to.equal(200);
      const now = Math.floor(Date.now() / 1000);
      const other = new KeyRing();
      const cases: Array<[string, string, string, string?]> = [
        [replayed, SCOPE.score, 'was already used'],
        [
          clientAssertion(tool, emulator, { aud: 'https://elsewhere.example.org/token' }),
          SCOPE.score,
          'aud must be the token endpoint',
        ],
        [clientAssertion(tool, emulator, { sub: 'someone' }), SCOPE.score, 'sub must be the client id'],
        [clientAssertion(tool, emulator, { iat: now - 600, exp: now - 300 }), SCOPE.score, 'has expired'],
        [
          clientAssertion(tool, emulator, { iss: 'ghost', sub: 'ghost' }),
          SCOPE.score,
          'unknown client ghost',
        ],
        [
          clientAssertion(tool, emulator, {}, 'no-such-kid'),
          SCOPE.score,
          "kid no-such-kid is not in the tool's JWKS",
        ],
        [
          signRs256(
            { alg: 'RS256', kid: tool.keys.active.kid },
            decodeJws(clientAssertion(tool, emulator)).payload,
            other.active.privateKey,
          ),
          SCOPE.score,
          'signature is invalid',
        ],
        [clientAssertion(tool, emulator), 'https://example.org/scope/everything', 'scope not allowed'],
        [clientAssertion(tool, emulator), SCOPE.score, 'grant_type must be client_credentials', 'password'],
      ];
      for (const [assertion, scope, reason, grantType] of cases) {
        const { status, body } = await requestToken(emulator, assertion, scope, grantType);
        expect(status, reason).to.be.oneOf([400, 401]);
        expect(body.error_description, reason).to.include(reason);
      }
      const limited = await requestToken(
        emulator,
        clientAssertion(tool, emulator, { iss: 'score-only', sub: 'score-only' }),
        `${SCOPE.score} ${SCOPE.lineItem}`,
      );
      expect(limited).to.deep.include({ status: 400 });
      expect(limited.body.error).to.equal('invalid_scope');
    });

    it("caches the tool's JWKS and fetches it again for an unknown kid", async () => {
      emulator.forgetToolKeys();
      const before = tool.jwksHits;
      await bearer(SCOPE.score);
      await bearer(SCOPE.score);
      expect(tool.jwksHits - before).to.equal(1);
      tool.keys.rotate();
      await bearer(SCOPE.score);
      expect(tool.jwksHits - before).to.equal(2);
    });
  });

  describe('assignment and grade services', () => {
    it('checks the bearer token and its scope', async () => {
      const url = emulator.lineItemsUrl('c1');
      expect((await fetch(url)).status).to.equal(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer nope' } })).status).to.equal(401);
      const scoreOnly = await bearer(SCOPE.score);
      const forbidden = await fetch(url, { headers: { authorization: `Bearer ${scoreOnly}` } });
      expect(forbidden.status).to.equal(403);
      expect(forbidden.headers.get('www-authenticate')).to.include('insufficient_scope');
    });

    it('creates, lists (filtered, paged), reads, updates and deletes line items', async () => {
      const token = await bearer(SCOPE.lineItem);
      const headers = { authorization: `Bearer ${token}`, 'content-type': MEDIA_TYPE.lineItem };
      const create = (body: unknown, contentType: string = MEDIA_TYPE.lineItem) =>
        fetch(emulator.lineItemsUrl('c1'), {
          method: 'POST',
          headers: { ...headers, 'content-type': contentType },
          body: JSON.stringify(body),
        });
      expect((await create({ label: 'X', scoreMaximum: 5 }, 'application/json')).status).to.equal(415);
      const invalid = await create({ label: '', scoreMaximum: 0 });
      expect(invalid.status).to.equal(400);
      expect(((await invalid.json()) as { error: string }).error).to.include('scoreMaximum is required');
      for (const index of [1, 2, 3]) {
        expect((await create({ label: `Tagged ${index}`, scoreMaximum: 10, tag: 'paged' })).status).to.equal(
          201,
        );
      }
      const page1 = await fetch(`${emulator.lineItemsUrl('c1')}?tag=paged&limit=2`, { headers });
      const items = (await page1.json()) as Array<{ id: string; label: string }>;
      expect(items.map(({ label }) => label)).to.deep.equal(['Tagged 1', 'Tagged 2']);
      const next = parseLinkHeader(page1.headers.get('link')).next ?? '';
      const page2 = (await (await fetch(next, { headers })).json()) as Array<{ label: string }>;
      expect(page2.map(({ label }) => label)).to.deep.equal(['Tagged 3']);

      const id = items[0]?.id ?? '';
      const updated = await fetch(id, {
        method: 'PUT',
        headers,
        body: JSON.stringify({ label: 'Renamed', scoreMaximum: 20 }),
      });
      expect(await updated.json()).to.include({ id, label: 'Renamed', scoreMaximum: 20 });
      expect((await fetch(id, { method: 'DELETE', headers })).status).to.equal(204);
      expect((await fetch(id, { headers })).status).to.equal(404);
    });

    it('validates scores, keeps their history and answers results', async () => {
      const token = await bearer(`${SCOPE.score} ${SCOPE.resultReadonly}`);
      const lineItem = emulator.gradebook.lineItems('c1', { resourceLinkId: 'rl-1' })[0];
      const scoresUrl = `${lineItem?.id}/scores`;
      const post = (body: Record<string, unknown>) =>
        fetch(scoresUrl, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': MEDIA_TYPE.score },
          body: JSON.stringify({ activityProgress: 'Completed', gradingProgress: 'FullyGraded', ...body }),
        });
      const at = (minute: number) => `2026-03-01T10:0${minute}:00.000Z`;
      expect(
        (await post({ userId: 'a', scoreGiven: 11, scoreMaximum: 10, timestamp: at(1) })).status,
      ).to.equal(400);
      expect((await post({ userId: 'a', scoreGiven: 5, timestamp: at(1) })).status).to.equal(400);
      expect(
        (await post({ userId: 'stranger', scoreGiven: 5, scoreMaximum: 10, timestamp: at(1) })).status,
      ).to.equal(400);
      expect(
        (await post({ userId: 'a', scoreGiven: 5, scoreMaximum: 10, timestamp: at(2) })).status,
      ).to.equal(200);
      expect(
        (await post({ userId: 'a', scoreGiven: 9, scoreMaximum: 10, timestamp: at(3) })).status,
      ).to.equal(200);
      expect(
        (await post({ userId: 'a', scoreGiven: 1, scoreMaximum: 10, timestamp: at(1) })).status,
      ).to.equal(409);

      expect(emulator.scores(lineItem?.id ?? '', 'a').map(({ scoreGiven }) => scoreGiven)).to.deep.equal([
        5, 9,
      ]);
      const results = (await (
        await fetch(`${lineItem?.id}/results?user_id=a`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Array<Record<string, unknown>>;
      expect(results).to.deep.equal([
        {
          id: `${lineItem?.id}/results/a`,
          scoreOf: lineItem?.id,
          userId: 'a',
          resultScore: 9,
          resultMaximum: 10,
        },
      ]);
      const rejected = emulator.events('ags').filter(({ ok }) => !ok);
      expect(rejected.map(({ error }) => error)).to.include(
        'Incorrect score received: user stranger is not in the course',
      );
    });

    it("requires the service URL query when it emulates Moodle's ?type_id", async () => {
      const local = createPlatformEmulator({ serviceUrlQuery: { type_id: '7' }, courses: [{ id: 'm1' }] });
      await local.start();
      try {
        expect(local.lineItemsUrl('m1')).to.match(/\/lineitems\?type_id=7$/);
        expect((await fetch(local.lineItemsUrl('m1').split('?')[0] ?? '')).status).to.equal(400);
        expect((await fetch(local.lineItemsUrl('m1'))).status).to.equal(401);
      } finally {
        await local.stop();
      }
    });
  });

  describe('names and role provisioning', () => {
    it('pages members with Link headers, filters by role and checks Accept', async () => {
      const token = await bearer(SCOPE.contextMembershipReadonly);
      const headers = { authorization: `Bearer ${token}`, accept: MEDIA_TYPE.membershipContainer };
      const first = await fetch(`${emulator.membershipsUrl('c1')}?limit=4`, { headers });
      expect(first.headers.get('content-type')).to.include(MEDIA_TYPE.membershipContainer);
      const body = (await first.json()) as { context: unknown; members: Array<{ user_id: string }> };
      expect(body.context).to.deep.equal({ id: 'c1', title: 'Course 1' });
      expect(body.members.map(({ user_id }) => user_id)).to.deep.equal(['teacher', 'a', 'b', 'c']);
      const next = parseLinkHeader(first.headers.get('link')).next ?? '';
      const second = (await (await fetch(next, { headers })).json()) as {
        members: Array<{ user_id: string }>;
      };
      expect(second.members.map(({ user_id }) => user_id)).to.include('e');

      const teachers = (await (
        await fetch(`${emulator.membershipsUrl('c1')}?role=Instructor`, { headers })
      ).json()) as { members: Array<{ user_id: string; name: string; status: string }> };
      expect(teachers.members).to.deep.equal([
        { status: 'Active', name: 'Teacher', user_id: 'teacher', roles: [ROLE.instructor] },
      ]);
      expect((await fetch(`${emulator.membershipsUrl('c1')}?rlid=nope`, { headers })).status).to.equal(400);
      expect(
        (await fetch(emulator.membershipsUrl('c1'), { headers: { ...headers, accept: 'text/html' } })).status,
      ).to.equal(406);
    });
  });

  describe('deep linking return', () => {
    function deepLinkingJwt(launchId: string, changes: JwtPayload = {}, key = tool.keys.active) {
      const launch = emulator.launch(launchId);
      const now = Math.floor(Date.now() / 1000);
      return signRs256(
        { alg: 'RS256', kid: key.kid },
        {
          iss: 'tool-1',
          aud: emulator.issuer,
          iat: now,
          exp: now + 60,
          nonce: 'dl-nonce',
          [CLAIM.messageType]: MESSAGE_TYPE.deepLinkingResponse,
          [CLAIM.version]: '1.3.0',
          [CLAIM.deploymentId]: launch?.deploymentId,
          [CLAIM.dlData]: launch?.input.deepLinkingSettings?.data,
          [CLAIM.dlContentItems]: [
            {
              type: 'ltiResourceLink',
              title: 'Deep linked',
              url: `${tool.url}/launch`,
              custom: { activity: 'dl' },
              lineItem: { scoreMaximum: 50, label: 'Deep linked', tag: 'dl' },
            },
          ],
          ...changes,
        },
        key.privateKey,
      );
    }

    const post = (launchId: string, jwt: string) =>
      fetch(emulator.deepLinkReturnUrl(launchId), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ JWT: jwt }),
      });

    it('stores the returned items as resource links with their line items', async () => {
      const launch = emulator.prepareLaunch({
        clientId: 'tool-1',
        user: 'teacher',
        messageType: MESSAGE_TYPE.deepLinkingRequest,
      });
      expect(launch.input.deepLinkingSettings?.deep_link_return_url).to.equal(
        emulator.deepLinkReturnUrl(launch.id),
      );
      const response = await post(launch.id, deepLinkingJwt(launch.id));
      expect(response.status, await response.text()).to.equal(200);
      const event = emulator.lastEvent('deep-linking');
      const link = event?.resourceLinks[0];
      expect(link).to.include({
        courseId: 'c1',
        title: 'Deep linked',
        origin: 'deep-linking',
        clientId: 'tool-1',
      });
      expect(emulator.gradebook.lineItems('c1', { tag: 'dl' })[0]).to.include({
        resourceLinkId: link?.id,
        scoreMaximum: 50,
      });
      const next = emulator.prepareLaunch({ clientId: 'tool-1', user: 'a', resourceLinkId: link?.id });
      expect(next.input.custom).to.deep.equal({ activity: 'dl' });
      expect(next.input.ags?.lineitem).to.equal(event?.lineItems[0]?.id);
    });

    it('refuses a response that does not match the request, with the reasons', async () => {
      const launch = emulator.prepareLaunch({
        clientId: 'tool-1',
        user: 'teacher',
        messageType: MESSAGE_TYPE.deepLinkingRequest,
        deepLinking: { accept_multiple: false },
      });
      const other = new KeyRing();
      const item = { type: 'ltiResourceLink', title: 'x' };
      const cases: Array<[string, string]> = [
        [deepLinkingJwt(launch.id, { [CLAIM.dlData]: 'tampered' }), 'data must echo'],
        [
          deepLinkingJwt(launch.id, { aud: 'https://elsewhere.example.org' }),
          'aud must be the platform issuer',
        ],
        [deepLinkingJwt(launch.id, { [CLAIM.deploymentId]: 'd2' }), 'deployment_id must be d1'],
        [deepLinkingJwt(launch.id, { nonce: undefined }), 'nonce is required'],
        [deepLinkingJwt(launch.id, { [CLAIM.dlContentItems]: [item, item] }), 'accept_multiple is false'],
        [
          deepLinkingJwt(launch.id, { [CLAIM.messageType]: 'LtiResourceLinkRequest' }),
          'message_type must be',
        ],
        [
          deepLinkingJwt(launch.id, {}, { ...other.active, kid: tool.keys.active.kid }),
          'signature is invalid',
        ],
      ];
      for (const [jwt, reason] of cases) {
        const response = await post(launch.id, jwt);
        expect(response.status, reason).to.equal(400);
        expect(emulator.lastEvent('deep-linking')?.errors.join(' | '), reason).to.include(reason);
      }
      expect((await post('unknown-launch', deepLinkingJwt(launch.id))).status).to.equal(400);
    });
  });
});
