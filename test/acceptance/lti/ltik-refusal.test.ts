import { expect } from 'chai';
import jwt from 'jsonwebtoken';
import mongoose from 'mongoose';
import { parseConfig } from '../../../src/shared/config/config.js';
import { ltijsDatabaseUri } from '../../../src/lti/infrastructure/lti-provider.js';
import { createLaunchClient, type RequestOptions } from '../../support/lti-platform/index.js';
import {
  DEPLOYMENT_ID,
  startToolWithPlatform,
  TOOL_CLIENT_ID,
  type ToolWithPlatform,
} from '../../support/tool-fixture.js';

/**
 * The tool never hands out ltijs's ltik: its launch is the validated id_token POST alone (ADR 0003,
 * "Sessions after launch"). In ltiaas mode ltijs would accept a request carrying an ltik with no
 * session cookie and call onConnect with the stored id token, so a forged or leaked ltik would open
 * a new session for a user who launched once. Every form of ltik is refused, cookie-less.
 */
describe('Acceptance | LTI | requests carrying an ltik', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;
  let ltijsDb: mongoose.Connection;
  let ltik: string;

  const sessions = () => tool.server.connection.collection('lti_sessions').countDocuments();

  before(async () => {
    tool = await startToolWithPlatform('ltik-refusal');
    ltijsDb = await mongoose.createConnection(ltijsDatabaseUri() ?? '').asPromise();

    // A teacher launched: ltijs stored their id token and context token.
    const launched = await tool.client.launch({ user: 'teacher-1' });
    expect(launched.status, launched.body.slice(0, 300)).to.equal(200);
    const context = await ltijsDb
      .collection('contexttokens')
      .findOne({ user: 'teacher-1' }, { sort: { _id: -1 } });
    expect(context, 'the context token ltijs stored').to.not.equal(null);

    // The ltik ltijs would sign for that launch, with the tool's key (the fixture's configuration).
    const { encryptionKey } = parseConfig({ NODE_ENV: 'test' }).lti;
    const issuer = tool.emulator.issuer;
    ltik = jwt.sign(
      {
        platformUrl: issuer,
        clientId: TOOL_CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        platformCode: encodeURIComponent(
          `lti${Buffer.from(issuer + TOOL_CLIENT_ID + DEPLOYMENT_ID).toString('base64')}`,
        ),
        contextId: context?.contextId,
        user: 'teacher-1',
        s: 'forged',
      },
      encryptionKey,
    );
  });

  after(async () => {
    await ltijsDb?.close();
    await tool?.stop();
  });

  const forms: Array<{ label: string; path: string; options: () => RequestOptions }> = [
    { label: 'in the query string', path: '/lti/launch?ltik=', options: () => ({}) },
    { label: 'in the body', path: '/lti/launch', options: () => ({ form: { ltik } }) },
    {
      label: 'as a Bearer token',
      path: '/lti/launch',
      options: () => ({ headers: { authorization: `Bearer ${ltik}` } }),
    },
    {
      label: 'in an LTIK-AUTH-V1 Authorization header',
      path: '/lti/launch',
      options: () => ({ headers: { authorization: `LTIK-AUTH-V1 Token=${ltik}, Additional=Bearer x` } }),
    },
    {
      label: 'as a Bearer token, on another ltijs-protected path',
      path: '/lti/anything',
      options: () => ({ headers: { authorization: `Bearer ${ltik}` } }),
    },
  ];

  for (const { label, path, options } of forms) {
    it(`refuses an ltik ${label}, cookie-less, with a launch-refused page and no session`, async () => {
      const before = await sessions();
      const logCount = tool.logs.length;
      const client = createLaunchClient(tool.emulator);
      const url = `${tool.server.url}${path}${path.endsWith('=') ? encodeURIComponent(ltik) : ''}`;
      const response = await client.request(url, {
        ...options(),
        followRedirects: false,
        headers: { 'accept-language': 'en', ...options().headers },
      });

      expect(response.status, response.body.slice(0, 300)).to.equal(401);
      expect(response.headers.get('location')).to.equal(null);
      expect(response.setCookies.filter((cookie) => cookie.startsWith('pixlti_'))).to.deep.equal([]);
      expect(response.body).to.include('Launch refused').and.to.include('LTIK_NOT_ACCEPTED');
      const refusals = tool.logs.slice(logCount).filter((line) => line.msg === 'launch refused');
      expect(refusals.map((line) => line.reason)).to.deep.equal(['LTIK_NOT_ACCEPTED']);
      expect(JSON.stringify(refusals)).not.to.include(ltik);
      expect(await sessions()).to.equal(before);
    });
  }

  it('still accepts the launch itself, and a deep-linking launch', async () => {
    const before = await sessions();
    const launch = await tool.client.launch({ user: 'teacher-1' });
    expect(launch.status, launch.body.slice(0, 300)).to.equal(200);
    expect(launch.url).to.match(/\/app\/[\w-]+$/);
    const deepLinking = await tool.client.launch({ user: 'teacher-1', messageType: 'LtiDeepLinkingRequest' });
    expect(deepLinking.status, deepLinking.body.slice(0, 300)).to.equal(200);
    expect(await sessions()).to.equal(before + 2);
  });
});
