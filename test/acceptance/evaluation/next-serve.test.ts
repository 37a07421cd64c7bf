import { expect } from 'chai';
import { learnerKeyOf } from '../../../src/lti/domain/launch.js';
import { readChallengePage } from '../../support/learner-pages.js';
import {
  DEPLOYMENT_ID,
  startToolWithPlatform,
  TOOL_CLIENT_ID,
  type ToolWithPlatform,
} from '../../support/tool-fixture.js';

const LINK = 'link-competence-1-1';
const CUSTOM = { activity: 'positioning', scope: 'competence:1.1' };

/**
 * The player's "next question" POST serves the next challenge, and that serve may end the
 * competence (nothing left to ask): then, like an answer, it queues the grade and refreshes the
 * class dashboard's snapshot.
 */
describe('Acceptance | Evaluation | a serve that ends the competence', function () {
  this.timeout(120_000);
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('next-serve', { overrides: { backgroundJobs: false } });
  });

  after(async () => {
    await tool?.stop();
  });

  it('queues the completed grade and shows the learner as done on the dashboard', async () => {
    const launched = await tool.client.launch({ user: 'learner-1', resourceLinkId: LINK, custom: CUSTOM });
    expect(launched.status).to.equal(200);
    let page = await tool.client.request(`${launched.url}/competences/1.1`, { form: {} });
    const assessmentUrl = page.url;
    const assessmentId = assessmentUrl.split('/').at(-1) ?? '';
    const learnerKey = learnerKeyOf(tool.emulator.issuer, 'learner-1');

    // Each challenge is skipped through the use case alone (stored, the next one not served), and
    // the next one is served by the player's POST: the last of these POSTs ends the competence.
    let nexts = 0;
    for (let challenge = readChallengePage(page.body); challenge; challenge = readChallengePage(page.body)) {
      expect(nexts, 'the competence never ends').to.be.lessThan(100);
      await tool.server.evaluation.skipChallenge({ assessmentId, learnerKey, position: challenge.position });
      page = await tool.client.request(`${assessmentUrl}/next`, { form: {} });
      expect(page.status).to.equal(200);
      nexts += 1;
    }
    expect(page.body).to.contain('Compétence terminée');

    // The activity (one competence) is complete: its grade is queued for the gradebook…
    const stream = await tool.server.outbox.listForUser(
      {
        issuer: tool.emulator.issuer,
        clientId: TOOL_CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        resourceLinkId: LINK,
      },
      'learner-1',
    );
    expect(stream.at(-1)?.score).to.include({
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
    });

    // …and the teacher's dashboard shows the learner as done.
    const teacher = await tool.launchAndReadBack({ user: 'teacher-1', resourceLinkId: LINK, custom: CUSTOM });
    const { row } = await tool.server.teaching.getStudent(teacher, 'learner-1', 'fr');
    expect(row.status).to.equal('completed');
  });
});
