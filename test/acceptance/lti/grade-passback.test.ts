import { expect } from 'chai';
import request from 'supertest';
import { queueScore } from '../../../src/lti/application/grade-passback.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createSeededRandom } from '../../../src/shared/domain/random.js';
import { failFor } from '../../support/lti-platform/index.js';
import { startToolWithPlatform, type ToolWithPlatform } from '../../support/tool-fixture.js';

/**
 * Issue 4, acceptance 3: the LMS's score endpoint answers 503 for two minutes of simulated time,
 * then recovers. Every score arrives exactly once, in order for each user, and queueing a score —
 * what a learner's request does — never waits for the LMS.
 */
const ADMIN_PASSWORD = 'grade-passback-admin-password';

describe('Acceptance | LTI | durable grade passback', function () {
  this.timeout(120_000);
  const clock = createFixedClock(Date.now());
  let tool: ToolWithPlatform;

  before(async () => {
    tool = await startToolWithPlatform('grade-passback', {
      environment: { ADMIN_PASSWORD: ADMIN_PASSWORD },
      overrides: { clock, random: createSeededRandom(7), backgroundJobs: false },
    });
  });

  after(async () => {
    await tool?.stop();
  });

  const launchOf = (user: string) => tool.launchAndReadBack({ user, resourceLinkId: 'link-positioning' });

  it('delivers every score exactly once and in order after two minutes of 503, without making learners wait', async () => {
    const learners = { 'learner-1': await launchOf('learner-1'), 'learner-2': await launchOf('learner-2') };
    const outage = 2 * 60_000;
    tool.emulator.setFailure(
      'ags.scores',
      failFor(outage, { status: 503, body: 'maintenance' }, { startAt: clock.now() }),
    );

    const lineItem = {
      label: 'Positionnement',
      scoreMaximum: 144,
      resourceId: 'positioning:area:4',
      tag: 'pix-lti',
    };
    const plan: Array<[keyof typeof learners, number, 'InProgress' | 'Completed']> = [
      ['learner-1', 8, 'InProgress'],
      ['learner-2', 16, 'InProgress'],
      ['learner-1', 24, 'InProgress'],
      ['learner-2', 40, 'InProgress'],
      ['learner-1', 56, 'Completed'],
      ['learner-2', 72, 'Completed'],
    ];
    let slowestQueueMs = 0;
    for (const [user, scoreGiven, activityProgress] of plan) {
      const started = performance.now();
      const entry = await queueScore({ outbox: tool.server.outbox, clock }, learners[user], lineItem, {
        scoreGiven,
        scoreMaximum: 144,
        activityProgress,
        gradingProgress: activityProgress === 'Completed' ? 'FullyGraded' : 'Pending',
      });
      slowestQueueMs = Math.max(slowestQueueMs, performance.now() - started);
      expect(entry?.status).to.equal('pending');
      clock.advance(1000);
      // The worker runs between learner actions, as its interval would; the LMS is down.
      await tool.server.gradeWorker.runOnce();
    }
    expect(tool.emulator.scores(tool.emulator.gradebookOf('course-1')[0]?.lineItem.id ?? '')).to.deep.equal(
      [],
    );

    // Simulated time passes; the worker retries with backoff until the LMS recovers.
    const deadline = clock.now().getTime() + 15 * 60_000;
    while (clock.now().getTime() < deadline) {
      clock.advance(5000);
      await tool.server.gradeWorker.runOnce();
    }

    const [book] = tool.emulator.gradebookOf('course-1');
    expect(book).not.to.equal(undefined);
    const history = (book?.history ?? []).map((record) => [
      record.userId,
      record.scoreGiven,
      record.activityProgress,
    ]);
    for (const user of Object.keys(learners)) {
      expect(history.filter(([who]) => who === user)).to.deep.equal(
        plan.filter(([who]) => who === user).map(([who, score, progress]) => [who, score, progress]),
      );
    }
    expect(history).to.have.length(plan.length);
    expect(tool.emulator.requestCount('ags.scores')).to.be.greaterThan(plan.length);

    const pending = await tool.server.outbox.listPending(100);
    expect(pending).to.deep.equal([]);
    expect(slowestQueueMs).to.be.lessThan(500);
    process.stdout.write(
      `    grade passback: ${plan.length} scores delivered once each after ${tool.emulator.requestCount('ags.scores')} ` +
        `score requests; slowest queueing ${slowestQueueMs.toFixed(1)} ms\n`,
    );
  });

  it('sends a refused score to the dead letter with the platform’s reason, and delivers it when retried', async () => {
    const launch = await launchOf('learner-1');
    tool.emulator.setFailure(
      'ags.scores',
      failFor(60_000, { status: 400, body: 'User is not gradable' }, { startAt: clock.now() }),
    );
    const entry = await queueScore(
      { outbox: tool.server.outbox, clock },
      launch,
      {
        label: 'Positionnement',
        scoreMaximum: 144,
        resourceId: 'positioning:area:4',
        tag: 'pix-lti',
      },
      { scoreGiven: 100, scoreMaximum: 144, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    );
    await tool.server.gradeWorker.runOnce();
    const dead = await tool.server.outbox.listDead(10);
    expect(dead.map((item) => [item.id, item.status, item.attempts])).to.deep.equal([[entry?.id, 'dead', 1]]);
    expect(dead[0]?.lastError).to.match(/^HTTP 400: .*User is not gradable/);

    // The teacher sees the failure on the activity's page…
    const teacher = await tool.client.launch({ user: 'teacher-1', resourceLinkId: 'link-positioning' });
    expect(teacher.body).to.match(/1 en échec/);
    expect(teacher.body).to.include('User is not gradable');

    // …and the admin retries it from the dead-letter page, once the cause is fixed.
    clock.advance(61_000);
    const admin = request.agent(tool.server.url);
    const page = await admin.get('/admin/grades').auth('admin', ADMIN_PASSWORD).expect(200);
    expect(page.text).to.include('User is not gradable');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    await admin
      .post('/admin/grades/retry')
      .auth('admin', ADMIN_PASSWORD)
      .type('form')
      .send({ _csrf: csrf, id: entry?.id ?? '' })
      .expect(303);
    expect(await tool.server.outbox.listDead(10)).to.deep.equal([]);
    await tool.server.gradeWorker.runOnce();
    const stream = await tool.server.outbox.listForUser(
      {
        issuer: launch.issuer,
        clientId: launch.clientId,
        deploymentId: launch.deploymentId,
        resourceLinkId: 'link-positioning',
      },
      'learner-1',
    );
    expect(stream.at(-1)).to.deep.include({ id: entry?.id, status: 'delivered' });
  });

  it('refuses a teacher’s retry of a failed score that a later score of the learner replaced', async () => {
    const launch = await launchOf('learner-2');
    tool.emulator.setFailure(
      'ags.scores',
      failFor(60_000, { status: 400, body: 'User is not gradable' }, { startAt: clock.now() }),
    );
    const lineItem = {
      label: 'Positionnement',
      scoreMaximum: 144,
      resourceId: 'positioning:area:4',
      tag: 'pix-lti',
    };
    const queue = (scoreGiven: number) =>
      queueScore({ outbox: tool.server.outbox, clock }, launch, lineItem, {
        scoreGiven,
        scoreMaximum: 144,
        activityProgress: 'InProgress',
        gradingProgress: 'Pending',
      });
    const older = await queue(10);
    const newer = await queue(20);
    await tool.server.gradeWorker.runOnce();
    const dead = (await tool.server.outbox.listDead(10)).map((entry) => entry.id);
    expect(dead).to.include(older?.id).and.include(newer?.id);

    const teacher = await tool.client.launch({ user: 'teacher-1', resourceLinkId: 'link-positioning' });
    const base = new URL(teacher.url).pathname;
    const origin = { origin: new URL(tool.server.url).origin, 'sec-fetch-site': 'same-origin' };
    const retry = (id: string) =>
      tool.client.request(`${tool.server.url}${base}/dashboard/grades/${encodeURIComponent(id)}/retry`, {
        form: { from: 'dashboard' },
        headers: origin,
        followRedirects: false,
      });

    // The older one would replace the newer grade in the gradebook: refused, and left as it is.
    const refused = await retry(older?.id ?? '');
    expect(refused.status, refused.body.slice(0, 300)).to.equal(409);
    expect(refused.body).to.include('Une note plus récente de cet élève a remplacé celle-ci');
    expect((await tool.server.outbox.listDead(10)).map((entry) => entry.id)).to.include(older?.id);

    // The latest one may go again.
    const retried = await retry(newer?.id ?? '');
    expect(retried.status, retried.body.slice(0, 300)).to.equal(303);
    expect((await tool.server.outbox.listDead(10)).map((entry) => entry.id)).not.to.include(newer?.id);
  });
});
