import { expect } from 'chai';
import { ANSWERS_COLLECTION } from '../../../src/evaluation/infrastructure/answer-repository.js';
import { readChallengePage } from '../../support/learner-pages.js';
import {
  DEPLOYMENT_ID,
  startToolWithPlatform,
  TOOL_CLIENT_ID,
  type ToolWithPlatform,
} from '../../support/tool-fixture.js';

/**
 * Issue 5, increment 1: a learner launched into a positioning activity (area 4) starts a
 * competence, answers challenges through the server-rendered player (post/redirect/get), and the
 * gradebook gets the activity's progress through the outbox.
 */
describe('Acceptance | Evaluation | the learner’s positioning flow', function () {
  this.timeout(120_000);
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('learner-flow', { overrides: { backgroundJobs: false } });
  });

  after(async () => {
    await tool?.stop();
  });

  async function launchLearner(user: string): Promise<string> {
    const response = await tool.client.launch({ user, resourceLinkId: 'link-positioning' });
    expect(response.status).to.equal(200);
    expect(response.body).to.contain('Non commencé');
    return new URL(response.url).pathname;
  }

  it('starts a competence, stores a double-submitted answer once, shows the next challenge after a reload, and queues InProgress', async () => {
    const base = await launchLearner('learner-1');
    const started = await tool.client.request(`${tool.server.url}${base}/competences/4.1`, { form: {} });
    expect(started.status).to.equal(200);
    expect(started.url).to.match(/\/assessments\/[\w-]+$/);
    const assessmentUrl = started.url;
    const first = readChallengePage(started.body);
    expect(first?.position).to.equal(1);

    // A reload before answering shows exactly the same challenge.
    const reloaded = await tool.client.request(assessmentUrl);
    expect(readChallengePage(reloaded.body)?.challengeId).to.equal(first?.challengeId);

    // The same answer posted twice (a double click): one answer stored, both answered by a 303.
    const url = `${tool.server.url}${first?.answerAction}`;
    const [once, twice] = await Promise.all([
      tool.client.request(url, { form: first?.answer ?? {}, followRedirects: false }),
      tool.client.request(url, { form: first?.answer ?? {}, followRedirects: false }),
    ]);
    expect([once.status, twice.status]).to.deep.equal([303, 303]);
    const again = await tool.client.request(url, { form: first?.answer ?? {} });
    expect(again.status).to.equal(200);
    const answers = tool.server.connection.collection(ANSWERS_COLLECTION);
    expect(await answers.countDocuments({ position: 1 })).to.equal(1);

    // A reload after answering shows the next challenge, not the same one.
    const next = readChallengePage((await tool.client.request(assessmentUrl)).body);
    expect(next?.position).to.equal(2);

    // A focus loss reported by the page's script (fetch): recorded once, on the served challenge.
    const focusUrl = `${assessmentUrl}/focus-out`;
    for (let report = 0; report < 2; report += 1) {
      const focus = await tool.client.request(focusUrl, {
        form: { position: '2' },
        headers: { 'x-requested-with': 'fetch' },
      });
      expect(focus.status).to.equal(204);
    }
    const served = await tool.server.connection
      .collection('evaluation_served_challenges')
      .findOne({ position: 2, focusedOutAt: { $exists: true } });
    expect(served).to.not.equal(null);
    expect((await tool.client.request(assessmentUrl)).body).to.match(/id="focus-lost" role="alert">/);

    // Two more: one answered, one skipped.
    const second = await tool.client.request(`${tool.server.url}${next?.answerAction}`, {
      form: next?.answer ?? {},
    });
    const third = readChallengePage(second.body);
    expect(third?.position).to.equal(3);
    const skipped = await tool.client.request(`${tool.server.url}${third?.skipAction}`, {
      form: { position: String(third?.position) },
    });
    expect(readChallengePage(skipped.body)?.position).to.equal(4);
    expect(await answers.countDocuments({})).to.equal(3);
    expect(await answers.countDocuments({ status: 'aband' })).to.equal(1);

    // The activity page now says "in progress" and offers to resume.
    const home = await tool.client.request(`${tool.server.url}${base}`);
    expect(home.body).to.contain('En cours').and.to.contain('Reprendre');

    const queued = await tool.server.outbox.listPending(100);
    const progress = queued.map((entry) => entry.score.activityProgress);
    expect(progress).to.include('Started').and.to.include('InProgress');
    // Area 4 holds three competences: 3 × 6 levels × 8 pix.
    expect(queued.every((entry) => entry.score.scoreMaximum === 144)).to.equal(true);
    expect(queued[0]?.target.lineItem.resourceId).to.equal('positioning:area:4');
  });

  it('ends a competence on request and shows the completion, then the results page', async () => {
    const base = await launchLearner('learner-2');
    const started = await tool.client.request(`${tool.server.url}${base}/competences/4.2`, { form: {} });
    const page = readChallengePage(started.body);
    await tool.client.request(`${tool.server.url}${page?.answerAction}`, { form: page?.answer ?? {} });
    const done = await tool.client.request(`${started.url}/complete`, { form: {} });
    expect(done.status).to.equal(200);
    expect(done.body).to.contain('Compétence terminée');
    // A late answer to the completed competence is not stored and lands on the same page.
    const late = await tool.client.request(`${tool.server.url}${page?.answerAction}`, {
      form: { ...page?.answer, position: '2' },
    });
    expect(late.body).to.contain('Compétence terminée');

    const results = await tool.client.request(`${tool.server.url}${base}/results`);
    expect(results.status).to.equal(200);
    expect(results.body).to.contain('<svg class="rosace"').and.to.contain('<table>');
    expect(results.body).to.match(/<tbody>(?:[\s\S]*?<tr>){16}/);
    expect(results.body).to.contain('Pour passer la certification');
    const english = await tool.client.request(`${tool.server.url}${base}/results?lang=en`);
    expect(english.body).to.contain('My results').and.to.contain('To take the certification');

    // Ending the two other competences of area 4 completes the activity: Completed / FullyGraded.
    for (const code of ['4.1', '4.3']) {
      const other = await tool.client.request(`${tool.server.url}${base}/competences/${code}`, { form: {} });
      await tool.client.request(`${other.url}/complete`, { form: {} });
    }
    const home = await tool.client.request(`${tool.server.url}${base}`);
    expect(home.body).to.contain('Terminé').and.not.to.contain('Reprendre');
    const stream = await tool.server.outbox.listForUser(
      {
        issuer: tool.emulator.issuer,
        clientId: TOOL_CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        resourceLinkId: 'link-positioning',
      },
      'learner-2',
    );
    expect(stream.at(-1)?.score).to.include({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });
  });

  it('keeps every learner page (HTML + CSS) under 50 kB', async () => {
    const base = await launchLearner('learner-1');
    const css = await tool.client.request(`${tool.server.url}/css/app.css`);
    const pages = [
      await tool.client.request(`${tool.server.url}${base}`),
      await tool.client.request(`${tool.server.url}${base}/competences/4.1`, { form: {} }),
      await tool.client.request(`${tool.server.url}${base}/results`),
    ];
    for (const page of pages) {
      const bytes = Buffer.byteLength(page.body) + Buffer.byteLength(css.body);
      expect(bytes, page.url).to.be.lessThan(50 * 1024);
    }
  });
});
