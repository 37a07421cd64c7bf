import { expect } from 'chai';
import mongoose from 'mongoose';
import { ltijsDatabaseUri } from '../../../src/lti/infrastructure/lti-provider.js';
import type { LaunchFailureReason } from '../../../src/lti/domain/launch-failures.js';
import {
  ROLE,
  runSecurityCase,
  SECURITY_CASES,
  type SecurityCaseId,
} from '../../support/lti-platform/index.js';
import { startToolWithPlatform, TOOL_CLIENT_ID, type ToolWithPlatform } from '../../support/tool-fixture.js';

/**
 * The security matrix of issue 4, against the whole tool: each bad authentication response is
 * refused with a 4xx and an explanatory page in the launch language, creates no session, and is
 * logged with a reason code; the valid variants are accepted with the least privilege.
 */

const EXPECTED_REASON: Record<Exclude<SecurityCaseId, 'valid'>, LaunchFailureReason> = {
  'replayed-token': 'NONCE_NOT_ISSUED',
  'no-state-cookie': 'MISSING_STATE',
  'wrong-state': 'MISSING_STATE',
  'not-a-jwt': 'MALFORMED_TOKEN',
  'alg-none': 'BAD_ALGORITHM',
  'hs256-with-public-key': 'BAD_ALGORITHM',
  'tampered-signature': 'BAD_SIGNATURE',
  'unknown-kid': 'UNKNOWN_KEY',
  'missing-kid': 'UNKNOWN_KEY',
  'foreign-key-own-kid': 'UNKNOWN_KEY',
  'foreign-key-active-kid': 'BAD_SIGNATURE',
  expired: 'EXPIRED',
  'iat-in-future': 'ISSUED_IN_FUTURE',
  'missing-exp': 'MISSING_CLAIM',
  'missing-iat': 'MISSING_CLAIM',
  'nonce-never-issued': 'NONCE_NOT_ISSUED',
  'missing-nonce': 'MISSING_CLAIM',
  'wrong-iss': 'STATE_MISMATCH',
  'wrong-aud': 'UNKNOWN_CLIENT',
  'aud-array-wrong-azp': 'BAD_AZP',
  'aud-array-untrusted-audience': 'BAD_AUDIENCE',
  'missing-sub': 'MISSING_CLAIM',
  'missing-roles': 'MISSING_CLAIM',
  'missing-resource-link': 'MISSING_CLAIM',
  'missing-resource-link-id': 'MISSING_CLAIM',
  'missing-message-type': 'MISSING_CLAIM',
  'wrong-message-type': 'BAD_MESSAGE_TYPE',
  'missing-version': 'MISSING_CLAIM',
  'wrong-version': 'BAD_VERSION',
  'missing-deployment-id': 'MISSING_CLAIM',
  'missing-target-link-uri': 'MISSING_CLAIM',
  'target-link-uri-elsewhere': 'TARGET_LINK_URI_MISMATCH',
  'unknown-deployment-id': 'UNKNOWN_DEPLOYMENT',
  oversized: 'TOKEN_TOO_LARGE',
};

/** Cases whose token cannot be read for its locale: the page falls back to French. */
const UNREADABLE_TOKEN: ReadonlySet<SecurityCaseId> = new Set(['not-a-jwt', 'oversized']);

describe('Acceptance | LTI | launch security matrix', function () {
  this.timeout(60_000);
  let tool: ToolWithPlatform;
  let ltijsDb: mongoose.Connection;

  const counts = async () => ({
    sessions: await tool.server.connection.collection('lti_sessions').countDocuments(),
    ltijsSessions: await ltijsDb.collection('idtokens').countDocuments(),
  });

  before(async () => {
    tool = await startToolWithPlatform('launch-security');
    ltijsDb = await mongoose.createConnection(ltijsDatabaseUri() ?? '').asPromise();
  });

  after(async () => {
    await ltijsDb?.close();
    await tool?.stop();
  });

  const englishLearner = {
    user: 'learner-1',
    launchPresentation: { locale: 'en-GB', document_target: 'iframe' as const },
  };

  const refused: Array<{ id: string; status: number; reason: unknown }> = [];

  for (const securityCase of SECURITY_CASES.filter((candidate) => candidate.mustReject)) {
    const id = securityCase.id as Exclude<SecurityCaseId, 'valid'>;
    it(`refuses ${id}: ${securityCase.description}`, async () => {
      const before = await counts();
      const logCount = tool.logs.length;
      const result = await runSecurityCase(id, { emulator: tool.emulator, spec: englishLearner });
      const { response } = result;

      expect(response.status, response.body.slice(0, 300)).to.be.within(400, 499);
      const lang = UNREADABLE_TOKEN.has(id) ? 'fr' : 'en';
      expect(response.body).to.include(`<html lang="${lang}">`);
      expect(response.body).to.include(lang === 'en' ? 'Code: ' : 'Code : ');
      expect(response.body).to.include(EXPECTED_REASON[id]);

      const refusals = tool.logs.slice(logCount).filter((line) => line.msg === 'launch refused');
      expect(refusals.map((line) => line.reason)).to.include(EXPECTED_REASON[id]);

      // A replay's first post is a valid launch; the refused second post creates nothing.
      const created = id === 'replayed-token' ? 1 : 0;
      expect(await counts()).to.deep.equal({
        sessions: before.sessions + created,
        ltijsSessions: before.ltijsSessions + created,
      });
      refused.push({ id, status: response.status, reason: refusals.at(-1)?.reason });
    });
  }

  it('refuses a login from an unknown issuer, and from a known issuer with an unknown client id', async () => {
    const loginUrl = `${tool.server.url}/lti/login`;
    for (const [iss, clientId] of [
      ['https://unknown-lms.example.org', TOOL_CLIENT_ID],
      [tool.emulator.issuer, 'not-our-client'],
    ] as const) {
      const query = new URLSearchParams({
        iss,
        client_id: clientId,
        login_hint: 'learner-1',
        target_link_uri: `${tool.server.url}/lti/launch`,
      });
      const response = await fetch(`${loginUrl}?${query}`, {
        redirect: 'manual',
        headers: { 'Accept-Language': 'en' },
      });
      expect(response.status).to.be.within(400, 499);
      const body = await response.text();
      expect(body).to.include('Platform not recognised');
      expect(body).to.include('UNKNOWN_ISSUER');
    }
  });

  describe('valid variants, each with the least privilege', () => {
    const variants: Array<{
      label: string;
      spec: Parameters<ToolWithPlatform['client']['launch']>[0];
      page: RegExp;
    }> = [
      { label: 'a learner', spec: { user: 'learner-1' }, page: /Bonjour Camille Martin/ },
      { label: 'a teacher', spec: { user: 'teacher-1' }, page: /Vous êtes enseignant/ },
      {
        label: 'several roles, one of them teaching',
        spec: { user: 'teacher-1', roles: [ROLE.learner, ROLE.mentor, ROLE.teachingAssistant] },
        page: /Vous êtes enseignant/,
      },
      {
        label: 'unknown roles only',
        spec: { user: 'learner-2', roles: ['urn:example:wizard', 'Overlord'] },
        page: /Bonjour Sacha Petit/,
      },
      { label: 'empty roles', spec: { user: 'learner-2', roles: [] }, page: /Bonjour Sacha Petit/ },
      {
        label: 'a short role name',
        spec: { user: 'teacher-1', roles: ['Instructor'] },
        page: /Vous êtes enseignant/,
      },
      {
        label: 'no personal data',
        spec: { user: { id: 'anonymous-7' } },
        page: /Bonjour !/,
      },
      {
        label: 'no context (an account-level launch)',
        spec: { user: 'learner-1', courseId: null },
        page: /Bonjour Camille Martin/,
      },
      {
        label: 'an English launch',
        spec: { user: 'learner-1', launchPresentation: { locale: 'en-US' } },
        page: /Hello Camille Martin!/,
      },
    ];
    for (const { label, spec, page } of variants) {
      it(`accepts ${label}`, async () => {
        const before = await counts();
        const response = await tool.client.launch(spec);
        expect(response.status, response.body.slice(0, 300)).to.equal(200);
        expect(response.url).to.match(/\/app\/[\w-]+$/);
        expect(response.body).to.match(page);
        expect((await counts()).sessions).to.equal(before.sessions + 1);
      });
    }

    it('lets the learner switch the page to the other language', async () => {
      const response = await tool.client.launch({ user: 'learner-1' });
      const english = await tool.client.request(`${response.url}?lang=en`);
      expect(english.body).to.include('<html lang="en">');
      expect(english.body).to.include('Hello Camille Martin!');
    });

    it('never shows a learner the deep-linking picker', async () => {
      const response = await tool.client.launch({ user: 'learner-1', messageType: 'LtiDeepLinkingRequest' });
      expect(response.status).to.equal(403);
    });
  });

  after(() => {
    // The closing note quotes these counts.
    const total = SECURITY_CASES.filter((candidate) => candidate.mustReject).length;
    process.stdout.write(`    security matrix: ${refused.length}/${total} bad launches refused\n`);
  });
});
