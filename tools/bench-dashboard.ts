/**
 * Benchmark of the instructor's dashboard at the scale of a large first-year course.
 *
 *   npm run bench:dashboard -- [--json] [--learners 1000] [--runs 20] [--sample 10]
 *
 * It starts the embedded engine on a fresh temporary database and the whole tool on it (startServer,
 * as `npm start` would, background jobs off), then seeds one course with one positioning activity
 * over all 16 competences:
 * - N learners with full profiles: each learner's knowledge elements and attempts are drawn (seeded)
 *   competence by competence, summarised by the evaluation's own rules (summarizeLearner) and the
 *   snapshot written through the participant repository, as refreshParticipant would;
 * - a sample of them with real evaluation data, played through the evaluation use cases (answers,
 *   served challenges, KEs), so that the drill-down reads what a learner really leaves behind;
 * - the course's roster as the NRPS cache holds it (N learners and a teacher), fresh;
 * - one score per learner queued in the grade outbox: 70 % delivered, 20 % pending, 10 % refused.
 * Then it measures, over HTTP with the instructor's launch session (a session of the launch session
 * store and its cookie, as a browser sends them): the dashboard page, the CSV export and one
 * student's drill-down; the same use cases called directly (no HTTP, no rendering); and the reads
 * they are made of (participants, cached roster, grade sync), to show where the time goes. Several
 * runs after a warm-up; p50, p95 and max in ms. `withinTargets` compares the p95s with the targets.
 *
 * Prints one JSON line, e.g.
 *   {"learners":1000,"dashboard":{"p50Ms":…,"p95Ms":…,"maxMs":…},"csv":{"p50Ms":…,"p95Ms":…,"maxMs":…,"bytes":…},…}
 * With --json, only that line (progress notes go to stderr). Targets: dashboard ≤ 300 ms, CSV ≤ 2 s.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import type { Challenge } from '../src/framework/domain/models.js';
import type { Assessment } from '../src/evaluation/domain/assessment.js';
import { buildEngineIndex, type EngineIndex } from '../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../src/evaluation/domain/knowledge-element.js';
import { summarizeLearner } from '../src/evaluation/domain/learner-summary.js';
import { learnerKeyOf, type Launch } from '../src/lti/domain/launch.js';
import { ROSTERS_COLLECTION } from '../src/lti/infrastructure/roster.js';
import { createMongoLaunchSessionStore } from '../src/lti/infrastructure/launch-session-store.js';
import { sessionCookieName } from '../src/lti/application/launch-routes.js';
import { startServer, type RunningServer } from '../src/server.js';
import { parseConfig } from '../src/shared/config/config.js';
import { createSeededRandom, type RandomSource } from '../src/shared/domain/random.js';
import {
  findFreePort,
  startEmbeddedEngine,
  type EmbeddedEngine,
} from '../src/shared/infrastructure/embedded-db/embedded-engine.js';
import type { ClassParticipant } from '../src/teaching/domain/class-participant.js';
import type { DashboardQuery } from '../src/teaching/domain/dashboard-model.js';
import { createMongoParticipantRepository } from '../src/teaching/infrastructure/participant-repository.js';
import { loadContentOrThrow } from '../src/framework/infrastructure/content/content-loader.js';
import { createI18n } from '../src/shared/infrastructure/i18n/i18n.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    learners: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '20' },
    sample: { type: 'string', default: '10' },
  },
});
const LEARNERS = Number(values.learners);
const RUNS = Number(values.runs);
const SAMPLE = Math.min(Number(values.sample), LEARNERS);
for (const [name, value] of [
  ['--learners', LEARNERS],
  ['--runs', RUNS],
  ['--sample', SAMPLE],
] as const) {
  if (!Number.isInteger(value) || value < (name === '--sample' ? 0 : 1) || value > 100_000) {
    console.error(`${name} must be a whole number from ${name === '--sample' ? 0 : 1} to 100000`);
    process.exit(1);
  }
}
const WARM_UP = 3;
const note = (message: string) => {
  if (values.json) process.stderr.write(`${message}\n`);
  else console.log(message);
};

const ISSUER = 'https://lms.bench.example';
const CLIENT_ID = 'bench-client';
const DEPLOYMENT_ID = 'bench-deployment';
const CONTEXT = { id: 'course-L1-info', title: 'Culture numérique L1 (amphi)' };
const RESOURCE_LINK = { id: 'link-positioning-all', title: 'Positionnement Pix' };
const CUSTOM = [
  { name: 'activity', value: 'positioning' },
  { name: 'scope', value: 'all' },
];
const GIVEN = [
  'Camille',
  'Sacha',
  'Léa',
  'Noah',
  'Inès',
  'Louis',
  'Chloé',
  'Adam',
  'Zoé',
  'Hugo',
  'Jade',
  'Éloïse',
];
const FAMILY = [
  'Martin',
  'Bernard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Lefèvre',
  'Roux',
  'Fournier',
  'Girard',
];

function launchOf(
  userId: string,
  role: 'learner' | 'instructor',
  name: { given: string; family: string },
): Launch {
  return {
    issuer: ISSUER,
    clientId: CLIENT_ID,
    deploymentId: DEPLOYMENT_ID,
    userId,
    learnerKey: learnerKeyOf(ISSUER, userId),
    role,
    roles: [
      `http://purl.imsglobal.org/vocab/lis/v2/membership#${role === 'instructor' ? 'Instructor' : 'Learner'}`,
    ],
    testUser: false,
    locale: 'fr',
    name: `${name.given} ${name.family}`,
    givenName: name.given,
    familyName: name.family,
    email: `${userId}@etu.bench.example`,
    externalId: `ETU${userId.replace(/\D/g, '').padStart(6, '0')}`,
    context: CONTEXT,
    resourceLink: RESOURCE_LINK,
    messageType: 'LtiResourceLinkRequest',
    custom: CUSTOM,
    nrps: { membershipsUrl: `${ISSUER}/api/lti/courses/1/names_and_roles` },
    ags: {
      lineItems: `${ISSUER}/api/lti/courses/1/line_items`,
      scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'],
    },
  };
}

function nameOf(i: number) {
  return { given: GIVEN[i % GIVEN.length] ?? 'Camille', family: `${FAMILY[(i * 7) % FAMILY.length]}-${i}` };
}

/**
 * A learner's drawn evaluation data: per competence an ability level; a completed, started or
 * untouched attempt; validated skills up to the ability (with slips), invalidated ones just above.
 */
function drawProfile(
  index: EngineIndex,
  random: RandomSource,
  learnerKey: string,
  start: Date,
): { knowledgeElements: KnowledgeElement[]; assessments: Assessment[]; answerCounts: Map<string, number> } {
  const knowledgeElements: KnowledgeElement[] = [];
  const assessments: Assessment[] = [];
  const answerCounts = new Map<string, number>();
  const engagement = random.next();
  for (const competence of index.competences) {
    const roll = random.next();
    if (roll > 0.4 + engagement * 0.6) continue; // never started
    const completed = roll < 0.3 + engagement * 0.5;
    const ability = random.int(6) + (engagement > 0.7 ? 1 : 0);
    const startedAt = new Date(start.getTime() + random.int(14 * 86_400_000));
    const id = `${learnerKey}:${competence.code}:1`;
    let answers = 0;
    for (const idx of competence.skillIdxs) {
      const skill = index.skills[idx];
      if (!skill?.active || skill.level > ability + 1 || (!completed && random.next() < 0.5)) continue;
      const validated = skill.level <= ability && random.next() > 0.1;
      answers += random.next() < 0.4 ? 1 : 0;
      knowledgeElements.push({
        skillId: skill.id,
        competenceCode: competence.code,
        source: random.next() < 0.4 ? 'direct' : 'inferred',
        status: validated ? 'validated' : 'invalidated',
        earnedPix: validated ? skill.pixValue : 0,
        createdAt: new Date(startedAt.getTime() + 60_000),
        assessmentId: id,
      });
    }
    answerCounts.set(id, Math.max(1, answers + 4));
    assessments.push({
      id,
      learnerKey,
      type: 'competence-evaluation',
      competenceCode: competence.code,
      attempt: 1,
      improving: false,
      algorithm: 'improved',
      locale: 'fr',
      state: completed ? 'completed' : 'started',
      startedAt,
      ...(completed && {
        completedAt: new Date(startedAt.getTime() + 20 * 60_000),
        completionReason: 'confident',
      }),
    });
  }
  return { knowledgeElements, assessments, answerCounts };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50Ms: round(at(0.5)), p95Ms: round(at(0.95)), maxMs: round(sorted.at(-1) ?? 0) };
}

async function time<T>(runs: number, action: () => Promise<T>): Promise<{ samples: number[]; last: T }> {
  let last: T | undefined;
  for (let i = 0; i < WARM_UP; i += 1) last = await action();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    last = await action();
    samples.push(performance.now() - started);
  }
  return { samples, last: last as T };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'pix-lti-bench-dashboard-'));
  let engine: EmbeddedEngine | undefined;
  let server: RunningServer | undefined;
  try {
    engine = await startEmbeddedEngine({ dataDir, progress: (message) => note(`  ${message}`) });
    const port = await findFreePort();
    const config = parseConfig({
      NODE_ENV: 'test',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      MONGODB_URI: engine.uriFor('bench-dashboard'),
      LOG_LEVEL: 'silent',
    });
    server = await startServer(config, pino({ level: 'silent' }), { backgroundJobs: false });
    const running = server;
    const { framework } = await loadContentOrThrow();
    const index = buildEngineIndex(framework);
    const participants = createMongoParticipantRepository(running.connection);
    const random = createSeededRandom(20_260_105);
    const now = new Date();
    const termStart = new Date(now.getTime() - 30 * 86_400_000);

    note(`Seeding one course of ${LEARNERS} learners (${SAMPLE} with real answers)…`);
    const seedStarted = performance.now();
    const learners = Array.from({ length: LEARNERS }, (_, i) =>
      launchOf(`student-${i + 1}`, 'learner', nameOf(i)),
    );

    // 1. Full profiles, summarised by the evaluation's rules and written through the repository.
    const competenceCodes = index.competences.map((competence) => competence.code);
    const tubeIds = framework.tubes.map((tube) => tube.id);
    const snapshots: ClassParticipant[] = learners.slice(SAMPLE).map((launch) => {
      const drawn = drawProfile(index, random, launch.learnerKey, termStart);
      const summary = summarizeLearner({
        index,
        learnerKey: launch.learnerKey,
        competenceCodes,
        tubeIds,
        ...drawn,
        resets: [],
        maxLevel: config.scoring.maxReachableLevel,
      });
      const firstLaunchAt = new Date(termStart.getTime() + random.int(7 * 86_400_000));
      return {
        issuer: ISSUER,
        clientId: CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        contextId: CONTEXT.id,
        resourceLinkId: RESOURCE_LINK.id,
        userId: launch.userId,
        learnerKey: launch.learnerKey,
        name: launch.name as string,
        givenName: launch.givenName as string,
        familyName: launch.familyName as string,
        email: launch.email as string,
        externalId: launch.externalId as string,
        activityTitle: RESOURCE_LINK.title,
        contextTitle: CONTEXT.title,
        firstLaunchAt,
        lastLaunchAt: new Date(firstLaunchAt.getTime() + random.int(14 * 86_400_000)),
        status: summary.status,
        answerCount: summary.answerCount,
        ...(summary.startedAt && { startedAt: summary.startedAt }),
        ...(summary.completedAt && { completedAt: summary.completedAt }),
        pix: summary.pix,
        maxPix: summary.maxPix,
        competences: summary.competences,
        tubes: summary.tubes,
        maxLevel: config.scoring.maxReachableLevel,
        version: summary.version,
        updatedAt: now,
      };
    });
    for (let from = 0; from < snapshots.length; from += 50) {
      await Promise.all(snapshots.slice(from, from + 50).map((snapshot) => participants.save(snapshot)));
    }

    note(`  ${snapshots.length} snapshots written (${Math.round(performance.now() - seedStarted)} ms)`);
    // 2. A sample with real evaluation data: launched, then competences played through the use cases.
    const challenges = new Map<string, Challenge>(
      framework.challenges.map((challenge) => [challenge.id, challenge]),
    );
    let sampleAnswers = 0;
    for (const [i, launch] of learners.slice(0, SAMPLE).entries()) {
      await running.teaching.recordLaunch(launch);
      const positioning = await running.evaluation.startPositioning({
        learnerKey: launch.learnerKey,
        scope: { type: 'all' },
        locale: 'fr',
        activityId: RESOURCE_LINK.id,
      });
      for (const code of competenceCodes.slice((i * 3) % 16, ((i * 3) % 16) + 3)) {
        const assessment = await running.evaluation.startCompetenceEvaluation({
          learnerKey: launch.learnerKey,
          competenceCode: code,
          locale: 'fr',
          positioningId: positioning.positioning.id,
        });
        for (let step = 0; step < 8; step += 1) {
          const next = await running.evaluation.getNextChallenge({
            assessmentId: assessment.id,
            learnerKey: launch.learnerKey,
          });
          if (next.kind !== 'challenge') break;
          const challenge = challenges.get(next.challenge.id);
          const right = random.next() < 0.65 && challenge?.solution.type === 'QCU';
          if (right && challenge?.solution.type === 'QCU') {
            await running.evaluation.submitAnswer({
              assessmentId: assessment.id,
              learnerKey: launch.learnerKey,
              position: next.position,
              value: String(challenge.solution.answer),
            });
          } else {
            await running.evaluation.skipChallenge({
              assessmentId: assessment.id,
              learnerKey: launch.learnerKey,
              position: next.position,
            });
          }
          sampleAnswers += 1;
        }
      }
      await running.teaching.refreshParticipant(launch);
    }

    note(`  ${SAMPLE} learners played for real (${Math.round(performance.now() - seedStarted)} ms)`);
    // 3. The roster as the NRPS cache holds it (src/lti/infrastructure/roster.ts), fresh: every
    //    learner (a few inactive) and the teacher.
    const teacher = launchOf('teacher-1', 'instructor', { given: 'Dominique', family: 'Bernard' });
    const members = [
      ...learners.map((launch, i) => ({
        userId: launch.userId,
        name: launch.name,
        givenName: launch.givenName,
        familyName: launch.familyName,
        email: launch.email,
        roles: launch.roles,
        role: 'learner',
        status: i % 50 === 49 ? 'Inactive' : 'Active',
      })),
      {
        userId: teacher.userId,
        name: teacher.name,
        roles: teacher.roles,
        role: 'instructor',
        status: 'Active',
      },
    ];
    const rosterKey = JSON.stringify([ISSUER, CLIENT_ID, DEPLOYMENT_ID, CONTEXT.id]);
    await running.connection
      .collection(ROSTERS_COLLECTION)
      .replaceOne(
        { _id: rosterKey as never },
        { membersJson: JSON.stringify(members), fetchedAt: now },
        { upsert: true },
      );

    // 4. One score per learner in the grade outbox (through the repository), with mixed outcomes.
    let delivered = 0;
    let dead = 0;
    for (let from = 0; from < learners.length; from += 50) {
      await Promise.all(
        learners.slice(from, from + 50).map(async (launch, offset) => {
          const queuedAt = new Date(now.getTime() - random.int(86_400_000));
          const entry = await running.outbox.enqueue(
            {
              issuer: ISSUER,
              clientId: CLIENT_ID,
              deploymentId: DEPLOYMENT_ID,
              userId: launch.userId,
              resourceLinkId: RESOURCE_LINK.id,
              lineItemsUrl: launch.ags?.lineItems as string,
              scopes: launch.ags?.scopes ?? [],
              lineItem: {
                label: RESOURCE_LINK.title,
                scoreMaximum: 768,
                resourceId: 'positioning:all',
                tag: 'pix-lti',
              },
            },
            {
              scoreGiven: random.int(300),
              scoreMaximum: 768,
              activityProgress: 'InProgress',
              gradingProgress: 'Pending',
              timestamp: queuedAt,
            },
            queuedAt,
          );
          const kind = (from + offset) % 10;
          if (kind < 7) {
            delivered += 1;
            await running.outbox.recordOutcome(entry.id, {
              status: 'delivered',
              deliveredAt: new Date(queuedAt.getTime() + 2000),
            });
          } else if (kind === 9) {
            dead += 1;
            await running.outbox.recordOutcome(entry.id, {
              status: 'dead',
              attempts: 14,
              lastError: 'HTTP 422: the user is not enrolled in this course',
            });
          }
        }),
      );
    }
    note(`  roster cached, ${LEARNERS} scores queued (${Math.round(performance.now() - seedStarted)} ms)`);
    const seedMs = Math.round(performance.now() - seedStarted);
    note(
      `Seeded in ${seedMs} ms (${sampleAnswers} real answers; outbox: ${delivered} delivered, ${dead} refused).`,
    );

    // The instructor's launch session, as the launch would create it, and its cookie.
    const sessions = createMongoLaunchSessionStore(running.connection);
    const { session, secret } = await sessions.create(teacher, new Date(), 3_600_000);
    const cookie = `${sessionCookieName(session.id)}=${secret}`;
    const base = `${running.url}/app/${session.id}`;
    const get = async (url: string, expectedType: string) => {
      const response = await fetch(url, { headers: { cookie } });
      const body = await response.text();
      if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes(expectedType)) {
        throw new Error(`GET ${url} answered ${response.status}: ${body.slice(0, 300)}`);
      }
      return body;
    };

    const query: DashboardQuery = { sort: 'name', direction: 'asc', statuses: [], search: '' };
    const i18n = await createI18n();
    const t = i18n.t('fr');
    note(`Measuring (${WARM_UP} warm-up runs, then ${RUNS})…`);
    const dashboardHttp = await time(RUNS, () => get(`${base}/dashboard`, 'text/html'));
    const dashboardSorted = await time(RUNS, () =>
      get(`${base}/dashboard?sort=pix&dir=desc&q=martin`, 'text/html'),
    );
    const dashboardUseCase = await time(RUNS, () => running.teaching.getDashboard(teacher, query, 'fr'));
    const csvHttp = await time(RUNS, () => get(`${base}/dashboard/export.csv`, 'text/csv'));
    const csvUseCase = await time(RUNS, () => running.teaching.exportCsv(teacher, 'fr', t));
    const sampleUser = learners[0]?.userId ?? 'student-1';
    const studentHttp = await time(RUNS, () =>
      get(`${base}/dashboard/students/${encodeURIComponent(sampleUser)}`, 'text/html'),
    );
    const participantsRead = await time(RUNS, () =>
      participants.listByActivity({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        contextId: CONTEXT.id,
        resourceLinkId: RESOURCE_LINK.id,
      }),
    );

    const rosterRead = await time(RUNS, () => running.roster.rosterFor(teacher));
    const outboxRead = await time(RUNS, () =>
      running.outbox.latestStatesForResourceLink({
        issuer: ISSUER,
        clientId: CLIENT_ID,
        deploymentId: DEPLOYMENT_ID,
        resourceLinkId: RESOURCE_LINK.id,
      }),
    );
    if (outboxRead.last.length !== LEARNERS) {
      throw new Error(`the outbox shows ${outboxRead.last.length} learners' grades, not ${LEARNERS}`);
    }
    const courseActivities = await time(RUNS, () => running.teaching.getCourseActivities(teacher));

    const dashboard = dashboardUseCase.last;
    if (dashboard.rows.length !== LEARNERS) {
      throw new Error(`the dashboard lists ${dashboard.rows.length} learners, not ${LEARNERS}`);
    }
    const csvLines = csvHttp.last.split('\r\n').filter((line) => line !== '').length;
    if (csvLines !== LEARNERS + 1) throw new Error(`the CSV has ${csvLines} lines, not ${LEARNERS + 1}`);
    const figures = {
      learners: LEARNERS,
      competences: dashboard.competenceCodes.length,
      runs: RUNS,
      dashboard: { ...stats(dashboardHttp.samples), htmlBytes: Buffer.byteLength(dashboardHttp.last) },
      dashboardSortedFiltered: stats(dashboardSorted.samples),
      dashboardUseCase: stats(dashboardUseCase.samples),
      participantsRead: stats(participantsRead.samples),
      rosterRead: stats(rosterRead.samples),
      outboxRead: stats(outboxRead.samples),
      courseActivities: stats(courseActivities.samples),
      csv: { ...stats(csvHttp.samples), bytes: Buffer.byteLength(csvHttp.last) },
      csvUseCase: stats(csvUseCase.samples),
      studentDrillDown: stats(studentHttp.samples),
      seedMs,
      targets: { dashboardMs: 300, csvMs: 2000 },
      withinTargets: stats(dashboardHttp.samples).p95Ms <= 300 && stats(csvHttp.samples).p95Ms <= 2000,
    };
    if (!values.json) {
      const line = (label: string, figure: { p50Ms: number; p95Ms: number; maxMs: number }, extra = '') =>
        note(
          `${label.padEnd(28)} p50 ${figure.p50Ms} ms, p95 ${figure.p95Ms} ms, max ${figure.maxMs} ms${extra}`,
        );
      note('');
      line('dashboard page (HTTP)', figures.dashboard, `, ${figures.dashboard.htmlBytes} bytes`);
      line('  sorted and filtered', figures.dashboardSortedFiltered);
      line('  getDashboard only', figures.dashboardUseCase);
      line('    participants read', figures.participantsRead);
      line('    roster (NRPS cache) read', figures.rosterRead);
      line('    grade sync read', figures.outboxRead);
      line('  getCourseActivities only', figures.courseActivities);
      line('CSV export (HTTP)', figures.csv, `, ${figures.csv.bytes} bytes`);
      line('  exportCsv only', figures.csvUseCase);
      line('student drill-down (HTTP)', figures.studentDrillDown);
      note(`targets (p95): dashboard ≤ 300 ms, CSV ≤ 2000 ms: ${figures.withinTargets ? 'met' : 'MISSED'}`);
      note('');
    }
    console.log(JSON.stringify(figures));
  } finally {
    await server?.stop();
    await engine?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
