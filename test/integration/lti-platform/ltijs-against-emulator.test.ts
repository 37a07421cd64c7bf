import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { PlatformRegistration } from 'ltijs';
import { freshDatabaseUri } from '../../support/database.js';
import {
  CLAIM,
  MEDIA_TYPE,
  MESSAGE_TYPE,
  ROLE,
  SCOPE,
  SECURITY_CASES,
  createLaunchClient,
  createPlatformEmulator,
  failTimes,
  ltijsToolRegistration,
  parseSingleForm,
  runSecurityCase,
  securityCase,
  type LaunchClient,
  type PlatformEmulator,
  type ToolResponse,
} from '../../support/lti-platform/index.js';

/**
 * ltijs 5.9.9, as a bare tool, against the platform emulator: launches, deep linking, AGS, NRPS,
 * failure injection and the security matrix. The tool runs in a child process (see
 * ltijs-tool-process.ts for why); this file is the only one that drives it.
 */

interface LtijsTool {
  url: string;
  registerPlatform(registration: PlatformRegistration): Promise<void>;
  forgetAccessTokens(): Promise<void>;
  stop(): Promise<void>;
}

async function startLtijsTool(databaseUri: string): Promise<LtijsTool> {
  const script = fileURLToPath(new URL('./ltijs-tool-process.ts', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, LTIJS_TOOL_DATABASE_URI: databaseUri },
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('The ltijs tool did not start within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`The ltijs tool exited early (code ${String(code)})`)));
    child.on('message', (message: { type?: string; url?: string }) => {
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
  });
  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  };
  return {
    url,
    registerPlatform: (registration) => post('/harness/platforms', registration),
    forgetAccessTokens: () => post('/harness/forget-access-tokens', {}),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.disconnect();
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

interface LaunchBody {
  handler: string;
  ltik: string;
  query: Record<string, string>;
  token: {
    user: string;
    userInfo: Record<string, string | undefined>;
    deploymentId: string;
    platformInfo?: Record<string, string>;
    platformContext: {
      messageType: string;
      roles: string[];
      context?: { id: string; title?: string };
      resource?: { id: string; title?: string };
      custom?: Record<string, string>;
      endpoint?: { scope: string[]; lineitems: string; lineitem?: string };
      namesRoles?: { context_memberships_url: string };
      launchPresentation?: { locale?: string; document_target?: string; return_url?: string };
      targetLinkUri: string;
    };
  };
}

interface ServiceBody<T = Record<string, unknown>> {
  ok: boolean;
  result: T;
  error?: string;
  status?: number;
}

describe('Integration | LTI platform emulator | ltijs 5.9.9 as the tool', function () {
  this.timeout(60_000);
  let emulator: PlatformEmulator;
  let tool: LtijsTool;
  const clientId = 'pix-lti-client';
  const learners = ['learner-1', 'learner-2', 'learner-3', 'learner-4', 'learner-5'];

  before(async () => {
    emulator = createPlatformEmulator({
      name: 'Moodle (emulated)',
      users: [
        {
          id: 'teacher-1',
          name: 'Ada Lovelace',
          given_name: 'Ada',
          family_name: 'Lovelace',
          email: 'ada@example.org',
        },
        ...learners.map((id, index) => ({
          id,
          name: `Learner ${index + 1}`,
          given_name: 'Learner',
          family_name: String(index + 1),
          email: `${id}@example.org`,
        })),
      ],
      courses: [
        {
          id: 'course-1',
          label: 'DIG-101',
          title: 'Digital skills',
          members: [
            { user: 'teacher-1', roles: [ROLE.instructor] },
            ...learners.map((user) => ({ user, roles: [ROLE.learner] })),
          ],
          resourceLinks: [{ id: 'rl-quiz', title: 'Quiz', lineItem: { scoreMaximum: 100, label: 'Quiz' } }],
        },
      ],
    });
    await emulator.start();
    tool = await startLtijsTool(freshDatabaseUri('ltijs-emulator'));
    emulator.registerTool(
      ltijsToolRegistration(tool.url, { clientId, appRoute: '/launch', deploymentIds: ['deployment-1'] }),
    );
    await tool.registerPlatform(emulator.platformConfig().ltijsRegistration);
  });

  after(async () => {
    await tool?.stop();
    await emulator?.stop();
  });

  afterEach(() => emulator.clearFailures());

  async function learnerSession(user = 'learner-1'): Promise<{ client: LaunchClient; launch: LaunchBody }> {
    const client = createLaunchClient(emulator);
    const response = await client.launch({ user, resourceLinkId: 'rl-quiz' });
    expect(response.status, response.body).to.equal(200);
    return { client, launch: response.json<LaunchBody>() as LaunchBody };
  }

  async function callTool<T>(
    session: { client: LaunchClient; launch: LaunchBody },
    path: string,
    options: { method?: string; json?: unknown } = {},
  ): Promise<{ response: ToolResponse; body: ServiceBody<T> }> {
    const response = await session.client.callTool(`${tool.url}${path}`, {
      ...options,
      ltik: session.launch.ltik,
    });
    return { response, body: response.json<ServiceBody<T>>() as ServiceBody<T> };
  }

  describe('launches', () => {
    it('brings a learner to onConnect with the claims the platform sent', async () => {
      const client = createLaunchClient(emulator);
      const response = await client.launch({
        user: 'learner-1',
        resourceLinkId: 'rl-quiz',
        custom: { mode: 'exam' },
      });

      expect(response.status, response.body).to.equal(200);
      // ltijs answers the id_token POST with a 302 to the same path carrying the ltik.
      expect(response.chain.map(({ method, status }) => `${method} ${status}`)).to.deep.equal([
        'POST 302',
        'GET 200',
      ]);
      expect(response.ltik).to.be.a('string');
      expect(client.jar.all().map(({ name }) => name)).to.satisfy((names: string[]) =>
        names.some((name) => name.startsWith('lti')),
      );

      const { handler, token } = response.json<LaunchBody>() as LaunchBody;
      expect(handler).to.equal('onConnect');
      expect(token.user).to.equal('learner-1');
      expect(token.userInfo).to.include({ name: 'Learner 1', email: 'learner-1@example.org' });
      expect(token.deploymentId).to.equal('deployment-1');
      expect(token.platformInfo).to.include({ name: 'Moodle (emulated)' });
      const context = token.platformContext;
      expect(context.messageType).to.equal(MESSAGE_TYPE.resourceLink);
      expect(context.roles).to.deep.equal([ROLE.learner]);
      expect(context.context).to.include({ id: 'course-1', title: 'Digital skills' });
      expect(context.resource).to.deep.equal({ id: 'rl-quiz', title: 'Quiz' });
      expect(context.custom).to.deep.equal({ mode: 'exam' });
      expect(context.targetLinkUri).to.equal(`${tool.url}/launch`);
      expect(context.launchPresentation).to.include({ locale: 'fr-FR', document_target: 'iframe' });
      expect(context.endpoint?.lineitems).to.equal(emulator.lineItemsUrl('course-1'));
      expect(context.endpoint?.lineitem).to.equal(emulator.gradebook.lineItems('course-1')[0]?.id);
      expect(context.endpoint?.scope).to.include(SCOPE.score);
      expect(context.namesRoles?.context_memberships_url).to.equal(emulator.membershipsUrl('course-1'));

      // The platform side: the auth request was valid and ltijs fetched the platform's JWKS.
      const auth = emulator.lastEvent('auth');
      expect(auth).to.include({ ok: true });
      expect(auth?.params).to.include({ response_mode: 'form_post', prompt: 'none', scope: 'openid' });
      expect(auth?.params.redirect_uri).to.equal(`${tool.url}/launch`);
      expect(emulator.events('jwks')).to.have.length.greaterThan(0);
      const issued = emulator.lastEvent('id-token');
      expect(issued?.payload[CLAIM.version]).to.equal('1.3.0');
      expect(issued?.payload.nonce).to.equal(auth?.params.nonce);
    });

    it('fetches the platform JWKS again at every launch (no cache in ltijs)', async () => {
      const before = emulator.events('jwks').length;
      await createLaunchClient(emulator).launch({ user: 'learner-1' });
      await createLaunchClient(emulator).launch({ user: 'learner-2' });
      expect(emulator.events('jwks').length - before).to.equal(2);
    });

    it('accepts the certification variants: empty, short and unknown roles, no PII, no context', async () => {
      const variants = [
        { user: { id: 'anonymous-1' }, roles: [], courseId: null },
        { user: { id: 'short-roles', email: 'short@example.org' }, roles: ['Instructor', 'Learner'] },
        { user: { id: 'unknown-role', name: 'Unknown Role' }, roles: ['http://example.org/roles#Wizard'] },
      ];
      for (const spec of variants) {
        const response = await createLaunchClient(emulator).launch(spec);
        expect(response.status, `${JSON.stringify(spec)}: ${response.body}`).to.equal(200);
        const { token } = response.json<LaunchBody>() as LaunchBody;
        expect(token.platformContext.roles).to.deep.equal(spec.roles);
      }
    });

    it('keeps working across a key rotation, and refuses a token signed with an unpublished key', async () => {
      const oldKid = emulator.keys.active.kid;
      emulator.keys.rotate({ keepPrevious: false });
      const rotated = await createLaunchClient(emulator).launch({ user: 'learner-2' });
      expect(rotated.status, rotated.body).to.equal(200);
      expect(emulator.lastEvent('id-token')?.kid).not.to.equal(oldKid);

      const hidden = emulator.keys.add({ publish: false });
      const refused = await createLaunchClient(emulator).launch({
        user: 'learner-2',
        signingKid: hidden.kid,
      });
      expect(refused.status).to.equal(401);
      expect(refused.ltijsError).to.equal('KEY_NOT_FOUND');
    });

    it('passes the query of a target link URI back to the tool after the launch', async () => {
      const response = await createLaunchClient(emulator).launch({
        user: 'learner-3',
        targetLinkUri: `${tool.url}/launch?activity=42`,
      });
      expect(response.status, response.body).to.equal(200);
      expect((response.json<LaunchBody>() as LaunchBody).query).to.include({ activity: '42' });
      // ltijs strips the query to build redirect_uri: only the bare URL must be registered.
      expect(emulator.lastEvent('auth')?.params.redirect_uri).to.equal(`${tool.url}/launch`);
    });
  });

  describe('deep linking', () => {
    it('reaches onDeepLinking, and the platform accepts the signed response and creates the links', async () => {
      const client = createLaunchClient(emulator);
      const response = await client.launch({
        user: 'teacher-1',
        messageType: MESSAGE_TYPE.deepLinkingRequest,
      });
      expect(response.status, response.body).to.equal(200);
      const form = parseSingleForm(response.body);
      const launchId = emulator.lastEvent('launch-prepared')?.launchId ?? '';
      expect(form.action).to.equal(emulator.deepLinkReturnUrl(launchId));

      const returned = await client.request(form.action, { form: form.fields });
      expect(returned.status, returned.body).to.equal(200);

      const event = emulator.lastEvent('deep-linking');
      expect(event?.ok, JSON.stringify(event?.errors)).to.equal(true);
      expect(event?.message).to.equal('Two activities added');
      // The html item is not in accept_types: ltijs dropped it before signing.
      expect(event?.contentItems.map(({ type }) => type)).to.deep.equal([
        'ltiResourceLink',
        'ltiResourceLink',
      ]);
      const [positioning, practice] = event?.resourceLinks ?? [];
      expect(positioning).to.include({
        title: 'Positioning',
        url: `${tool.url}/launch?activity=positioning`,
      });
      expect(practice).to.include({ title: 'Practice' });
      expect(event?.lineItems).to.have.length(1);
      expect(event?.lineItems[0]).to.include({ scoreMaximum: 100, label: 'Positioning', tag: 'pix' });

      // A later launch of the new link carries its custom parameters, URL query and line item.
      const later = await createLaunchClient(emulator).launch({
        user: 'learner-1',
        resourceLinkId: positioning?.id,
      });
      expect(later.status, later.body).to.equal(200);
      const body = later.json<LaunchBody>() as LaunchBody;
      expect(body.query).to.include({ activity: 'positioning' });
      expect(body.token.platformContext.custom).to.deep.equal({ activity: 'positioning' });
      expect(body.token.platformContext.endpoint?.lineitem).to.equal(event?.lineItems[0]?.id);
    });
  });

  describe('assignment and grade services', () => {
    it('receives scores from Grade.submitScore, after a client-credentials token request', async () => {
      const session = await learnerSession('learner-1');
      const lineItem = session.launch.token.platformContext.endpoint?.lineitem ?? '';
      const first = await callTool(session, '/api/score', {
        json: {
          score: {
            scoreGiven: 40,
            scoreMaximum: 100,
            activityProgress: 'Submitted',
            gradingProgress: 'FullyGraded',
          },
        },
      });
      expect(first.response.status, first.response.body).to.equal(200);
      const second = await callTool(session, '/api/score', {
        json: {
          score: {
            scoreGiven: 85,
            scoreMaximum: 100,
            activityProgress: 'Completed',
            gradingProgress: 'FullyGraded',
            comment: 'Well done',
          },
        },
      });
      expect(second.response.status, second.response.body).to.equal(200);

      const history = emulator.scores(lineItem, 'learner-1');
      expect(history.map(({ scoreGiven }) => scoreGiven)).to.deep.equal([40, 85]);
      const [entry] = emulator.gradebookOf('course-1');
      expect(entry?.latest['learner-1']).to.include({ scoreGiven: 85, comment: 'Well done' });

      const token = emulator
        .events('token')
        .find(({ ok, grantedScopes }) => ok && grantedScopes.includes(SCOPE.score));
      expect(token).to.include({ clientId });
      const scorePosts = emulator.events('ags').filter(({ operation }) => operation === 'scores.post');
      expect(scorePosts.at(-1)).to.include({ ok: true, contentType: MEDIA_TYPE.score });
    });

    it('fetches the line item when the score has no scoreMaximum, and reads results back', async () => {
      const session = await learnerSession('learner-2');
      const submitted = await callTool<Record<string, unknown>>(session, '/api/score', {
        json: { score: { scoreGiven: 7, activityProgress: 'Completed', gradingProgress: 'FullyGraded' } },
      });
      expect(submitted.response.status, submitted.response.body).to.equal(200);
      expect(submitted.body.result).to.include({ scoreMaximum: 100, userId: 'learner-2' });
      expect(emulator.events('ags').map(({ operation }) => operation)).to.include('lineitem.get');

      const results = await callTool<{ scores: Array<Record<string, unknown>> }>(session, '/api/scores');
      expect(results.response.status, results.response.body).to.equal(200);
      expect(results.body.result.scores).to.deep.include({
        id: `${session.launch.token.platformContext.endpoint?.lineitem}/results/learner-2`,
        scoreOf: session.launch.token.platformContext.endpoint?.lineitem,
        userId: 'learner-2',
        resultScore: 7,
        resultMaximum: 100,
      });
    });

    it('creates and lists line items', async () => {
      const session = await learnerSession('teacher-1');
      const created = await callTool<Record<string, unknown>>(session, '/api/lineitems', {
        json: { label: 'Certification', scoreMaximum: 20, tag: 'certification' },
      });
      expect(created.response.status, created.response.body).to.equal(200);
      expect(created.body.result).to.include({ label: 'Certification', resourceLinkId: 'rl-quiz' });
      const listed = await callTool<{ lineItems: Array<{ label: string }> }>(
        session,
        '/api/lineitems?tag=certification',
      );
      expect(listed.body.result.lineItems.map(({ label }) => label)).to.deep.equal(['Certification']);
    });

    it('surfaces injected failures: a 503 on scores, then recovery', async () => {
      const session = await learnerSession('learner-3');
      emulator.setFailure('ags.scores', failTimes(1, { status: 503 }));
      const score = {
        scoreGiven: 1,
        scoreMaximum: 2,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      };
      const failed = await callTool(session, '/api/score', { json: { score } });
      expect(failed.response.status).to.equal(502);
      expect(failed.body).to.include({ ok: false, status: 503 });
      const recovered = await callTool(session, '/api/score', { json: { score } });
      expect(recovered.response.status, recovered.response.body).to.equal(200);
      expect(emulator.events('failure-injected')).to.have.length(1);
    });

    it('hangs when told to: ltijs has no timeout of its own, the tool must bring one', async () => {
      const session = await learnerSession('learner-4');
      emulator.setFailure('ags.scores', () => 'hang');
      const score = {
        scoreGiven: 1,
        scoreMaximum: 2,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      };
      const started = Date.now();
      const timedOut = await callTool(session, '/api/score?timeoutMs=500', { json: { score } });
      expect(timedOut.body.error).to.equal('TIMEOUT after 500 ms');
      expect(Date.now() - started).to.be.lessThan(5000);
    });

    it('keeps using a cached access token that the platform revoked (401 until it expires)', async () => {
      const session = await learnerSession('learner-5');
      const score = {
        scoreGiven: 1,
        scoreMaximum: 2,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      };
      expect((await callTool(session, '/api/score', { json: { score } })).response.status).to.equal(200);
      emulator.revokeAccessTokens();
      const tokenRequests = emulator.events('token').length;
      const refused = await callTool(session, '/api/score', { json: { score } });
      expect(refused.body).to.include({ ok: false, status: 401 });
      expect(emulator.events('token')).to.have.length(tokenRequests);
      // Clearing ltijs's token cache is the way out.
      await tool.forgetAccessTokens();
      expect((await callTool(session, '/api/score', { json: { score } })).response.status).to.equal(200);
    });

    it('reports a token endpoint failure as a failed service call, without caching anything', async () => {
      await tool.forgetAccessTokens();
      const session = await learnerSession('learner-1');
      emulator.setFailure('token', failTimes(1, { status: 500 }));
      const score = {
        scoreGiven: 2,
        scoreMaximum: 2,
        activityProgress: 'Completed',
        gradingProgress: 'FullyGraded',
      };
      const failed = await callTool(session, '/api/score', { json: { score } });
      expect(failed.body).to.include({ ok: false, status: 500 });
      expect((await callTool(session, '/api/score', { json: { score } })).response.status).to.equal(200);
    });
  });

  describe('names and role provisioning', () => {
    it('pages through the members with NamesAndRoles.getMembers', async () => {
      const session = await learnerSession('teacher-1');
      emulator.clearEvents();
      const members = await callTool<{
        members: Array<{ user_id: string; roles: string[] }>;
        context: unknown;
      }>(session, '/api/members?limit=2&pages=all');
      expect(members.response.status, members.response.body).to.equal(200);
      const ids = members.body.result.members.map(({ user_id }) => user_id);
      const expected = emulator.gradebook.course('course-1')?.members.map(({ userId }) => userId) ?? [];
      expect(ids).to.deep.equal(expected);
      const calls = emulator.events('nrps');
      expect(calls).to.have.length(Math.ceil(expected.length / 2));
      expect(calls.every(({ accept }) => accept === MEDIA_TYPE.membershipContainer)).to.equal(true);
      expect(emulator.events('token').at(-1)?.grantedScopes).to.deep.equal([SCOPE.contextMembershipReadonly]);
    });

    it('is retried by ltijs (got) on a 503, invisibly to the tool', async () => {
      const session = await learnerSession('teacher-1');
      emulator.clearEvents();
      const requestsBefore = emulator.requestCount('nrps');
      emulator.setFailure('nrps', failTimes(1, { status: 503 }));
      const members = await callTool(session, '/api/members?role=Learner');
      expect(members.response.status, members.response.body).to.equal(200);
      expect(emulator.events('failure-injected')).to.have.length(1);
      expect(emulator.events('nrps')).to.have.length(1);
      expect(emulator.requestCount('nrps') - requestsBefore).to.equal(2);
    });
  });

  describe('security matrix', () => {
    it('rejects an unsigned (alg none) id_token', async () => {
      const result = await runSecurityCase('alg-none', { emulator, spec: { user: 'learner-1' } });
      expect(result.response.status).to.equal(401);
      expect(result.response.ltijsError).to.equal('jwt signature is required');
      expect(securityCase('alg-none')).to.include({ mustReject: true });
    });

    for (const securityCaseEntry of SECURITY_CASES) {
      const { id, ltijs, mustReject } = securityCaseEntry;
      const outcome = ltijs.rejects
        ? `rejected by ltijs (${ltijs.error})`
        : mustReject
          ? `accepted by ltijs, the tool must check: ${ltijs.note}`
          : 'accepted (control case)';
      it(`${id}: ${outcome}`, async () => {
        const result = await runSecurityCase(id, {
          emulator,
          spec: { user: 'learner-1', resourceLinkId: 'rl-quiz' },
        });
        if (ltijs.rejects) {
          expect(result.response.status, result.response.body).to.equal(401);
          expect(result.response.ltijsError).to.equal(ltijs.error);
        } else {
          expect(result.response.status, result.response.body).to.equal(200);
          expect(result.response.json<LaunchBody>()?.handler).to.equal('onConnect');
        }
      });
    }
  });
});
