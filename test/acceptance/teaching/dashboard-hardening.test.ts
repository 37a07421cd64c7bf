import { expect } from 'chai';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createSeededRandom } from '../../../src/shared/domain/random.js';
import { failFor, ROLE, type LaunchSpec, type RequestOptions } from '../../support/lti-platform/index.js';
import { answerCompetence } from '../../support/teaching-class.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

/**
 * The instructor's and the learner's writes, from the security review: the CSV file name of a course
 * whose title is cut in the middle of an emoji, and forms posted from another site.
 */
describe('Acceptance | Teaching | dashboard hardening', function () {
  this.timeout(120_000);
  const clock = createFixedClock(Date.now());
  let tool: ToolWithPlatform;
  let url: string;
  let toolOrigin: string;

  /** 79 characters, then an emoji: cutting at 80 UTF-16 units would split the emoji in two. */
  const LONG_TITLE = "Culture numérique (L1) – l'essentiel pour les étudiants de première année, v2.0";
  const EMOJI_TITLE = `${LONG_TITLE}😀`;

  async function launch(spec: LaunchSpec): Promise<string> {
    const response = await tool.client.launch(spec);
    expect(response.status, response.body.slice(0, 300)).to.equal(200);
    return new URL(response.url).pathname;
  }

  before(async () => {
    tool = await startToolWithPlatform('dashboard-hardening', {
      overrides: { clock, random: createSeededRandom(7), backgroundJobs: false },
    });
    url = tool.server.url;
    toolOrigin = new URL(url).origin;
    tool.emulator.addCourse({
      id: 'course-emoji',
      title: EMOJI_TITLE,
      members: [{ user: { id: 'teacher-9', name: 'Ana Lyse' }, roles: [ROLE.instructor] }],
      resourceLinks: [
        {
          id: 'link-emoji',
          title: 'Positionnement',
          custom: { activity: 'positioning', scope: 'area:4' },
          lineItem: { scoreMaximum: 144, label: 'Positionnement', resourceId: 'positioning:area:4' },
        },
      ],
    });
  });

  after(async () => {
    await tool?.stop();
  });

  describe('the CSV file name', () => {
    it('cuts a long course title by code points, and names the file in RFC 8187 attr-chars', async () => {
      expect(Array.from(LONG_TITLE)).to.have.length(79);
      const base = await launch({
        user: 'teacher-9',
        courseId: 'course-emoji',
        resourceLinkId: 'link-emoji',
      });
      const target = `${url}${base}/dashboard/export.csv`;
      const cookie = tool.client.jar.headerFor(target);
      const response = await fetch(target, { headers: cookie ? { cookie } : {} });
      expect(response.status, await response.clone().text()).to.equal(200);

      const disposition = response.headers.get('content-disposition') ?? '';
      const extValue = /filename\*=UTF-8''(.*)$/.exec(disposition)?.[1] ?? '';
      expect(extValue).to.match(/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-F]{2})+$/);
      expect(decodeURIComponent(extValue)).to.match(
        new RegExp(
          `^${EMOJI_TITLE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} - Positionnement - \\d{4}-\\d{2}-\\d{2}\\.csv$`,
          'u',
        ),
      );
      expect(disposition).to.match(/^attachment; filename="Culture-numerique-L1-l-essentiel-pour-/);
    });
  });

  describe('forms posted from another site', () => {
    let teacherBase: string;
    let retryAction: string;

    const crossSite: Array<{ label: string; headers: Record<string, string> }> = [
      { label: 'marked cross-site by the browser', headers: { 'sec-fetch-site': 'cross-site' } },
      { label: 'from another origin', headers: { origin: 'https://evil.example' } },
      { label: 'from an opaque origin', headers: { origin: 'null' } },
    ];
    const sameOrigin = () => ({ origin: toolOrigin, 'sec-fetch-site': 'same-origin' });

    const post = (path: string, form: Record<string, string>, headers: Record<string, string>) =>
      tool.client.request(`${url}${path}`, {
        form,
        headers,
        followRedirects: false,
      } satisfies RequestOptions);

    /** Whether Camille's refused grade is still a dead letter (not retried). */
    const camilleDead = async () =>
      (await tool.server.outbox.listDead(50)).some(
        (entry) => entry.target.userId === 'learner-1' && retryAction.includes(`/grades/${entry.id}/`),
      );

    before(async () => {
      // Camille's grade is refused by the LMS for good: a dead letter the teacher may retry.
      const camille = await launch({ user: 'learner-1', resourceLinkId: 'link-positioning' });
      tool.emulator.setFailure(
        'ags.scores',
        failFor(60_000, { status: 400, body: 'User is not gradable' }, { startAt: clock.now() }),
      );
      await answerCompetence(tool.client, url, camille, '4.1', { answers: ['right', 'first'] });
      for (let run = 0; run < 5; run += 1) await tool.server.gradeWorker.runOnce();
      clock.advance(61_000);
      // The latest of Camille's scores (only a stream's latest may be retried).
      const dead = (await tool.server.outbox.listDead(50))
        .filter((entry) => entry.target.userId === 'learner-1')
        .sort((a, b) => b.sequence - a.sequence)[0];
      expect(dead, 'a dead letter for Camille').to.not.equal(undefined);

      teacherBase = await launch({ user: 'teacher-1', resourceLinkId: 'link-positioning' });
      retryAction = `${teacherBase}/dashboard/grades/${encodeURIComponent(dead?.id ?? '')}/retry`;
      expect(await camilleDead()).to.equal(true);
    });

    for (const { label, headers } of crossSite) {
      it(`refuses a grade retry ${label} with a 403, and retries nothing`, async () => {
        const logCount = tool.logs.length;
        const response = await post(retryAction, { from: 'dashboard' }, headers);
        expect(response.status, response.body.slice(0, 300)).to.equal(403);
        expect(response.body).to.include('Accès refusé');
        expect(await camilleDead()).to.equal(true);
        const refusals = tool.logs
          .slice(logCount)
          .filter((line) => line.msg === 'cross-site request refused');
        expect(refusals).to.have.length(1);
      });

      it(`refuses a learner's start ${label} with a 403`, async () => {
        const learner = await launch({ user: 'learner-2', resourceLinkId: 'link-positioning' });
        const response = await post(`${learner}/competences/4.2`, {}, headers);
        expect(response.status, response.body.slice(0, 300)).to.equal(403);
        const page = await tool.client.request(`${url}${learner}`);
        expect(page.body).not.to.include('/assessments/');
      });
    }

    it('lets the tool’s own pages post: a learner starts a competence, the teacher retries the grade', async () => {
      const learner = await launch({ user: 'learner-2', resourceLinkId: 'link-positioning' });
      const started = await post(`${learner}/competences/4.2`, {}, sameOrigin());
      expect(started.status, started.body.slice(0, 300)).to.equal(303);
      expect(started.headers.get('location')).to.match(/\/assessments\//);

      // Without either header (a client that is not a browser): the session cookie decides.
      const bare = await post(
        `${teacherBase}/dashboard/grades/no-such-entry/retry`,
        { from: 'dashboard' },
        {},
      );
      expect(bare.status).to.equal(404);

      const retried = await post(retryAction, { from: 'dashboard' }, sameOrigin());
      expect(retried.status, retried.body.slice(0, 300)).to.equal(303);
      expect(await camilleDead()).to.equal(false);
    });
  });
});
