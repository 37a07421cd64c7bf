import { expect } from 'chai';
import { pino } from 'pino';
import type { Challenge } from '../../../src/framework/domain/models.js';
import {
  isForResourceLink,
  streamKeyOf,
  type OutboxEntry,
  type ResourceLinkRef,
} from '../../../src/lti/domain/grade-outbox.js';
import type { Launch } from '../../../src/lti/domain/launch.js';
import type { RosterMember, RosterResult } from '../../../src/lti/infrastructure/roster.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import type { TeachingUseCases } from '../../../src/teaching/application/ports.js';
import {
  createTeachingUseCases,
  deliveryStateOf,
  gradeSyncsOf,
} from '../../../src/teaching/application/use-cases.js';
import type { DashboardQuery } from '../../../src/teaching/domain/dashboard-model.js';
import {
  buildEvaluationHarness,
  type EvaluationHarness,
} from '../../support/builders/evaluation/evaluation-harness.js';
import { rightAnswer } from '../../support/builders/evaluation/learner-answers.js';
import { createInMemoryParticipantRepository } from '../../support/builders/teaching/in-memory-participants.js';

const ISSUER = 'https://moodle.example.org';
const QUERY: DashboardQuery = { sort: 'name', direction: 'asc', statuses: [], search: '' };

function launchOf(userId: string, overrides: Partial<Launch> = {}): Launch {
  return {
    issuer: ISSUER,
    clientId: 'client-1',
    deploymentId: 'dep-1',
    userId,
    learnerKey: `${ISSUER}#${userId}`,
    role: 'learner',
    roles: [],
    testUser: false,
    locale: 'fr',
    name: `Learner ${userId}`,
    givenName: 'Learner',
    familyName: userId,
    email: `${userId}@example.org`,
    context: { id: 'course-A', title: 'Culture numérique L1' },
    resourceLink: { id: 'link-1', title: 'Positionnement domaine 1' },
    messageType: 'LtiResourceLinkRequest',
    custom: [
      { name: 'activity', value: 'positioning' },
      { name: 'scope', value: 'area:1' },
    ],
    nrps: { membershipsUrl: `${ISSUER}/memberships` },
    ...overrides,
  };
}

const instructor = (overrides: Partial<Launch> = {}) =>
  launchOf('teacher-1', { role: 'instructor', name: 'Dominique Bernard', ...overrides });

function member(userId: string, overrides: Partial<RosterMember> = {}): RosterMember {
  return { userId, name: `Member ${userId}`, roles: [], role: 'learner', status: 'Active', ...overrides };
}

function entry(
  id: string,
  userId: string,
  status: OutboxEntry['status'],
  sequence: number,
  extra = {},
): OutboxEntry {
  return {
    id,
    streamKey: streamKeyOf({
      issuer: ISSUER,
      clientId: 'client-1',
      deploymentId: 'dep-1',
      resourceLinkId: 'link-1',
      userId,
    }),
    sequence,
    target: {
      issuer: ISSUER,
      clientId: 'client-1',
      deploymentId: 'dep-1',
      userId,
      resourceLinkId: 'link-1',
      scopes: [],
      lineItem: { label: 'P', scoreMaximum: 96, resourceId: 'positioning:area:1', tag: 'pix-lti' },
    },
    score: {
      scoreMaximum: 96,
      activityProgress: 'InProgress',
      gradingProgress: 'Pending',
      timestamp: new Date(0),
    },
    status,
    attempts: 0,
    nextAttemptAt: new Date(0),
    createdAt: new Date(sequence * 1000),
    ...extra,
  };
}

/** The latest entry of each user of a link, as the outbox's stream heads give it. */
function gradeSyncSource(entries: readonly OutboxEntry[], link: ResourceLinkRef) {
  const latest = new Map<string, OutboxEntry>();
  for (const known of entries) {
    const { target } = known;
    if (!isForResourceLink(target, link)) continue;
    const current = latest.get(target.userId);
    if (!current || known.sequence > current.sequence) latest.set(target.userId, known);
  }
  return [...latest.values()].map(deliveryStateOf);
}

interface Fixture {
  readonly teaching: TeachingUseCases;
  readonly evaluation: EvaluationHarness;
  readonly participants: ReturnType<typeof createInMemoryParticipantRepository>;
  readonly logs: Array<Record<string, unknown>>;
  roster: RosterResult | Error;
  entries: OutboxEntry[];
  readonly retried: string[];
}

function fixture(): Fixture {
  const evaluation = buildEvaluationHarness();
  const participants = createInMemoryParticipantRepository();
  const logs: Array<Record<string, unknown>> = [];
  const state: Fixture = {
    evaluation,
    participants,
    logs,
    roster: { available: true, members: [], fetchedAt: new Date('2026-01-05T08:00:00Z') },
    entries: [],
    retried: [],
    teaching: undefined as unknown as TeachingUseCases,
  };
  const teaching = createTeachingUseCases({
    participants,
    evaluation: evaluation.useCases,
    roster: {
      rosterFor: async () => {
        if (state.roster instanceof Error) throw state.roster;
        return state.roster;
      },
    },
    outbox: {
      latestStatesForResourceLink: async (link) => gradeSyncSource(state.entries, link),
      find: async (id) => state.entries.find((known) => known.id === id),
      listForUser: async (link, userId) =>
        state.entries
          .filter((known) => isForResourceLink(known.target, link) && known.target.userId === userId)
          .sort((a, b) => a.sequence - b.sequence),
      latestStateForUser: async (link, userId) =>
        gradeSyncSource(state.entries, link).find((one) => one.userId === userId),
      retry: async (id) => {
        const index = state.entries.findIndex((known) => known.id === id && known.status === 'dead');
        const found = state.entries[index];
        if (!found) return false;
        state.entries[index] = { ...found, status: 'pending' };
        state.retried.push(id);
        return true;
      },
    },
    content: evaluation.content,
    clock: evaluation.clock,
    logger: pino(
      { level: 'warn' },
      { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    ),
    settings: { maxReachableLevel: 6, exportTimeZone: 'Europe/Paris' },
  });
  return Object.assign(state, { teaching });
}

/**
 * The learner answers `count` challenges of the competence right, through the evaluation use cases:
 * in the launch's activity (its positioning), or outside any activity with `outside`.
 */
async function answer(
  f: Fixture,
  launch: Launch,
  competenceCode: string,
  count: number,
  options: { outside?: boolean } = {},
): Promise<void> {
  const scope = launch.custom.find((parameter) => parameter.name === 'scope')?.value ?? 'all';
  const [type, code] = scope.split(':');
  const positioning =
    options.outside || !launch.resourceLink
      ? undefined
      : await f.evaluation.useCases.startPositioning({
          learnerKey: launch.learnerKey,
          scope: type === 'area' || type === 'competence' ? { type, code: code ?? '' } : { type: 'all' },
          locale: 'fr',
          activityId: launch.resourceLink.id,
        });
  const assessment = await f.evaluation.useCases.startCompetenceEvaluation({
    learnerKey: launch.learnerKey,
    competenceCode,
    locale: 'fr',
    ...(positioning && { positioningId: positioning.positioning.id }),
  });
  for (let i = 0; i < count; i += 1) {
    const next = await f.evaluation.useCases.getNextChallenge({
      assessmentId: assessment.id,
      learnerKey: launch.learnerKey,
    });
    if (next.kind === 'completed') return;
    f.evaluation.clock.advance(20_000);
    await f.evaluation.useCases.submitAnswer({
      assessmentId: assessment.id,
      learnerKey: launch.learnerKey,
      position: next.position,
      value: rightAnswer(f.evaluation.content.challengesById.get(next.challenge.id) as Challenge),
    });
  }
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('Unit | Teaching | use cases', () => {
  describe('recordLaunch and refreshParticipant', () => {
    const KEY = {
      issuer: ISSUER,
      clientId: 'client-1',
      deploymentId: 'dep-1',
      contextId: 'course-A',
      resourceLinkId: 'link-1',
    };
    const positioningOn = (scope: string) => [
      { name: 'activity', value: 'positioning' },
      { name: 'scope', value: scope },
    ];

    it("refreshes the learner's snapshots of their other activities too, each on its own scope, and skips those up to date", async () => {
      const f = fixture();
      const here = launchOf('u-1');
      const otherLink = launchOf('u-1', {
        resourceLink: { id: 'link-2', title: 'Compétence 1.1' },
        custom: positioningOn('competence:1.1'),
      });
      const otherCourse = launchOf('u-1', {
        context: { id: 'course-B' },
        custom: positioningOn('competence:1.2'),
      });
      for (const launch of [here, otherLink, otherCourse]) await f.teaching.recordLaunch(launch);
      await answer(f, here, '1.1', 3);
      await f.teaching.refreshParticipant(here);

      const summary = (competenceCodes: string[]) =>
        f.evaluation.useCases.getLearnerSummary({ learnerKey: here.learnerKey, competenceCodes });
      const in11 = await summary(['1.1']);
      const link2 = await f.participants.find({ ...KEY, resourceLinkId: 'link-2' }, 'u-1');
      expect(link2).to.deep.include({
        status: 'in-progress',
        answerCount: 3,
        pix: in11.pix,
        maxPix: in11.maxPix,
        startedAt: in11.startedAt,
        version: in11.version,
        name: 'Learner u-1',
        activityTitle: 'Compétence 1.1',
      });
      expect(link2?.competences).to.deep.equal(in11.competences);
      expect(link2?.tubes).to.deep.equal(in11.tubes);
      const in12 = await summary(['1.2']);
      const courseB = await f.participants.find({ ...KEY, contextId: 'course-B' }, 'u-1');
      expect(courseB).to.deep.include({ status: 'not-started', answerCount: 0, version: in12.version });
      expect(in12.version).to.be.greaterThan(0);

      // Nothing changed since: no snapshot is written again.
      const saved: string[] = [];
      const save = f.participants.save.bind(f.participants);
      f.participants.save = (participant) => {
        saved.push(participant.resourceLinkId);
        return save(participant);
      };
      await f.teaching.refreshParticipant(here);
      await f.teaching.refreshParticipant(otherLink);
      expect(saved).to.deep.equal([]);
    });

    for (const [what, change] of [
      ['the max level (settings)', { maxLevel: 5 }],
      ['the targeted skills (content)', 'tubes'],
    ] as const) {
      it(`recomputes a snapshot at the same version when ${what} changed`, async () => {
        const f = fixture();
        const launch = launchOf('u-1');
        await f.teaching.recordLaunch(launch);
        await answer(f, launch, '1.1', 3);
        await f.teaching.refreshParticipant(launch);
        const current = await f.participants.find(KEY, 'u-1');
        if (!current) throw new Error('no snapshot');
        // The same learner data, computed under other settings or another bank.
        const stale =
          change === 'tubes'
            ? { ...current, tubes: current.tubes.map((tube) => ({ ...tube, targeted: tube.targeted + 1 })) }
            : { ...current, ...change, maxPix: 2 * 5 * 8 };
        f.participants.stored.clear();
        await f.participants.save(stale);

        await f.teaching.refreshParticipant(launch);
        expect(await f.participants.find(KEY, 'u-1')).to.deep.include({
          maxLevel: 6,
          maxPix: current.maxPix,
          tubes: current.tubes,
          version: current.version,
        });
      });
    }

    it('keeps the identity and launch dates of the stored participant when a snapshot is saved', async () => {
      const f = fixture();
      const launch = launchOf('u-1');
      await f.teaching.recordLaunch(launch);
      f.evaluation.clock.advance(3600_000);
      await f.teaching.recordLaunch({ ...launch, name: 'Learner Renamed' });
      const recorded = await f.participants.find(KEY, 'u-1');
      await f.participants.save({
        ...(recorded as NonNullable<typeof recorded>),
        name: 'Older session name',
        firstLaunchAt: new Date(0),
        lastLaunchAt: new Date(0),
        version: 99,
      });
      expect(await f.participants.find(KEY, 'u-1')).to.deep.include({
        name: 'Learner Renamed',
        firstLaunchAt: recorded?.firstLaunchAt,
        lastLaunchAt: recorded?.lastLaunchAt,
        version: 99,
      });
    });

    it("records a learner's first launch as a not-started participant of the activity, with the scope's competences and tubes", async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1', { externalId: 'STU-1' }));
      const stored = await f.participants.find(
        {
          issuer: ISSUER,
          clientId: 'client-1',
          deploymentId: 'dep-1',
          contextId: 'course-A',
          resourceLinkId: 'link-1',
        },
        'u-1',
      );
      expect(stored).to.deep.include({
        userId: 'u-1',
        learnerKey: `${ISSUER}#u-1`,
        name: 'Learner u-1',
        givenName: 'Learner',
        familyName: 'u-1',
        email: 'u-1@example.org',
        externalId: 'STU-1',
        activityTitle: 'Positionnement domaine 1',
        contextTitle: 'Culture numérique L1',
        status: 'not-started',
        answerCount: 0,
        pix: 0,
        maxPix: 2 * 6 * 8,
        version: 0,
      });
      expect(stored?.competences.map((competence) => competence.code)).to.deep.equal(['1.1', '1.2']);
      expect(stored?.tubes.map((tube) => tube.tubeId)).to.deep.equal([
        'search',
        'browse',
        'sources',
        'watch',
        'store',
        'sort',
      ]);
      expect(stored?.firstLaunchAt).to.deep.equal(f.evaluation.clock.now());
    });

    it('ignores instructors, launches without a course or a link, and other activities', async () => {
      const f = fixture();
      const { context: _context, ...noContext } = launchOf('u-2');
      const { resourceLink: _link, ...noLink } = launchOf('u-3');
      await f.teaching.recordLaunch(instructor());
      await f.teaching.recordLaunch(noContext);
      await f.teaching.recordLaunch(noLink);
      await f.teaching.recordLaunch(
        launchOf('u-4', { custom: [{ name: 'activity', value: 'mock-certification' }] }),
      );
      await f.teaching.recordLaunch(launchOf('u-5', { messageType: 'LtiDeepLinkingRequest' }));
      await f.teaching.refreshParticipant(instructor());
      expect(f.participants.stored.size).to.equal(0);
    });

    it('keeps the snapshot up to date after answers, and the first launch date across launches', async () => {
      const f = fixture();
      const launch = launchOf('u-1');
      await f.teaching.recordLaunch(launch);
      const firstLaunchAt = f.evaluation.clock.now();
      await answer(f, launch, '1.1', 4);
      await f.teaching.refreshParticipant(launch);
      const key = {
        issuer: ISSUER,
        clientId: 'client-1',
        deploymentId: 'dep-1',
        contextId: 'course-A',
        resourceLinkId: 'link-1',
      };
      const after = await f.participants.find(key, 'u-1');
      const summary = await f.evaluation.useCases.getLearnerSummary({
        learnerKey: launch.learnerKey,
        competenceCodes: ['1.1', '1.2'],
      });
      expect(after).to.deep.include({
        status: 'in-progress',
        answerCount: 4,
        pix: summary.pix,
        version: summary.version,
        firstLaunchAt,
      });
      expect(after?.pix).to.be.greaterThan(0);
      expect(after?.competences).to.deep.equal(summary.competences);
      expect(after?.tubes).to.deep.equal(summary.tubes);

      f.evaluation.clock.advance(3600_000);
      await f.teaching.recordLaunch({ ...launch, name: 'Learner Renamed' });
      const relaunched = await f.participants.find(key, 'u-1');
      expect(relaunched).to.deep.include({
        name: 'Learner Renamed',
        firstLaunchAt,
        version: summary.version,
      });
      expect(relaunched?.lastLaunchAt).to.deep.equal(f.evaluation.clock.now());
    });

    it('writes the snapshot at the first launch of a learner who already has a profile from another activity', async () => {
      const f = fixture();
      const launch = launchOf('u-1');
      await answer(f, launch, '1.2', 3, { outside: true });
      await f.teaching.recordLaunch(launch);
      const stored = [...f.participants.stored.values()][0];
      expect(stored?.answerCount).to.equal(3);
      expect(stored?.status).to.equal('in-progress');
    });

    it('never throws: a failure is logged and the learner goes on', async () => {
      const f = fixture();
      const broken = createTeachingUseCases({
        participants: {
          ...f.participants,
          find: async () => {
            throw new Error('database down');
          },
        },
        evaluation: f.evaluation.useCases,
        roster: { rosterFor: async () => ({ available: false, reason: 'not-offered' }) },
        outbox: {
          latestStatesForResourceLink: async () => [],
          find: async () => undefined,
          listForUser: async () => [],
          latestStateForUser: async () => undefined,
          retry: async () => false,
        },
        content: f.evaluation.content,
        clock: f.evaluation.clock,
        logger: pino(
          { level: 'warn' },
          { write: (line: string) => f.logs.push(JSON.parse(line) as Record<string, unknown>) },
        ),
        settings: { maxReachableLevel: 6, exportTimeZone: 'UTC' },
      });
      await broken.recordLaunch(launchOf('u-1'));
      await broken.refreshParticipant(launchOf('u-1'));
      expect(f.logs.map((line) => line.msg)).to.deep.equal([
        'could not record the launch for the dashboard',
        'could not refresh the dashboard snapshot',
      ]);
    });
  });

  describe('getDashboard', () => {
    it('keeps two deployments of one registration apart, with the same course, link and user ids', async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1'));
      await f.teaching.recordLaunch(launchOf('u-2', { deploymentId: 'dep-2' }));
      await f.teaching.recordLaunch(launchOf('u-3', { deploymentId: 'dep-2', name: 'Other deployment' }));
      await f.teaching.recordLaunch(launchOf('u-3'));
      const userIds = async (launch: Launch) =>
        (await f.teaching.getDashboard(launch, QUERY, 'fr')).rows.map((row) => row.userId).sort();
      expect(await userIds(instructor())).to.deep.equal(['u-1', 'u-3']);
      expect(await userIds(instructor({ deploymentId: 'dep-2' }))).to.deep.equal(['u-2', 'u-3']);
      expect((await rejection(f.teaching.getStudent(instructor(), 'u-2', 'fr'))).code).to.equal(
        'STUDENT_NOT_FOUND',
      );
      expect((await f.teaching.getStudent(instructor(), 'u-3', 'fr')).row.name).to.equal('Learner u-3');
      expect((await f.teaching.getCourseActivities(instructor()))[0]?.participants).to.equal(2);
    });

    it('merges the roster learners (not instructors, not Deleted members) with those who launched, and their grade sync', async () => {
      const f = fixture();
      const launched = launchOf('u-1');
      await f.teaching.recordLaunch(launched);
      await answer(f, launched, '1.1', 3);
      await f.teaching.refreshParticipant(launched);
      await f.teaching.recordLaunch(launchOf('u-9')); // launched, not in the roster
      f.roster = {
        available: true,
        fetchedAt: new Date('2026-01-05T08:30:00Z'),
        members: [
          member('u-1'),
          member('u-2'),
          member('u-3', { status: 'Deleted' }),
          member('teacher-1', { role: 'instructor' }),
        ],
      };
      f.entries = [
        entry('e1', 'u-1', 'dead', 1, { lastError: 'HTTP 500' }),
        entry('e2', 'u-1', 'delivered', 2, { deliveredAt: new Date(5000) }),
        entry('e3', 'u-9', 'dead', 1, { lastError: 'HTTP 403: forbidden' }),
      ];
      const dashboard = await f.teaching.getDashboard(instructor(), QUERY, 'fr');
      expect(dashboard.roster).to.deep.equal({ kind: 'merged', fetchedAt: new Date('2026-01-05T08:30:00Z') });
      expect(dashboard.competenceCodes).to.deep.equal(['1.1', '1.2']);
      const rows = new Map(dashboard.rows.map((row) => [row.userId, row]));
      expect([...rows.keys()].sort()).to.deep.equal(['u-1', 'u-2', 'u-9']);
      expect(rows.get('u-1')).to.deep.include({ inRoster: true, launched: true, status: 'in-progress' });
      expect(rows.get('u-1')?.gradeSync).to.deep.include({ state: 'delivered' });
      expect(rows.get('u-2')).to.deep.include({ inRoster: true, launched: false, status: 'not-started' });
      expect(rows.get('u-9')).to.deep.include({ inRoster: false, launched: true });
      expect(rows.get('u-9')?.gradeSync).to.deep.include({
        state: 'failed',
        entryId: 'e3',
        lastError: 'HTTP 403: forbidden',
      });
      expect(dashboard.summary).to.deep.include({ listed: 3, notStarted: 2, inProgress: 1 });
    });

    it('still answers when the LMS roster fails or is not offered, saying so', async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1'));
      f.roster = { available: true, members: [], error: 'HTTP 503' };
      const failed = await f.teaching.getDashboard(instructor(), QUERY, 'fr');
      expect(failed.roster).to.deep.equal({ kind: 'unavailable', reason: 'error', error: 'HTTP 503' });
      expect(failed.rows.map((row) => row.userId)).to.deep.equal(['u-1']);

      f.roster = new Error('cache unreadable');
      const thrown = await f.teaching.getDashboard(instructor(), QUERY, 'fr');
      expect(thrown.roster).to.deep.include({ kind: 'unavailable', reason: 'error' });
      expect(thrown.rows).to.have.length(1);

      f.roster = { available: false, reason: 'not-offered' };
      expect((await f.teaching.getDashboard(instructor(), QUERY, 'fr')).roster).to.deep.equal({
        kind: 'unavailable',
        reason: 'not-offered',
      });

      const stale: RosterResult = {
        available: true,
        members: [member('u-2')],
        fetchedAt: new Date('2026-01-01T00:00:00Z'),
        stale: { error: 'timeout' },
      };
      f.roster = stale;
      const old = await f.teaching.getDashboard(instructor(), QUERY, 'fr');
      expect(old.roster).to.deep.equal({
        kind: 'merged',
        fetchedAt: new Date('2026-01-01T00:00:00Z'),
        stale: true,
      });
      expect(old.rows.map((row) => row.userId).sort()).to.deep.equal(['u-1', 'u-2']);
    });

    it('shows an activity only its own participants: another link or course of the same platform stays out', async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1'));
      await f.teaching.recordLaunch(launchOf('u-2', { resourceLink: { id: 'link-2' } }));
      await f.teaching.recordLaunch(launchOf('u-3', { context: { id: 'course-B' } }));
      const rows = (await f.teaching.getDashboard(instructor(), QUERY, 'fr')).rows;
      expect(rows.map((row) => row.userId)).to.deep.equal(['u-1']);
      const inB = await f.teaching.getDashboard(instructor({ context: { id: 'course-B' } }), QUERY, 'fr');
      expect(inB.rows.map((row) => row.userId)).to.deep.equal(['u-3']);
    });

    it("reads the course's participants once for the page's dashboard and course activities asked at once", async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1'));
      await f.teaching.recordLaunch(launchOf('u-2', { resourceLink: { id: 'link-2', title: 'Autre' } }));
      let reads = 0;
      const listByContext = f.participants.listByContext.bind(f.participants);
      Object.assign(f.participants, {
        listByContext: (...args: Parameters<typeof listByContext>) => {
          reads += 1;
          return listByContext(...args);
        },
      });
      const [dashboard, activities] = await Promise.all([
        f.teaching.getDashboard(instructor(), QUERY, 'fr'),
        f.teaching.getCourseActivities(instructor()),
      ]);
      expect(reads).to.equal(1);
      expect(dashboard.rows.map((row) => row.userId)).to.deep.equal(['u-1']);
      expect(activities.map((activity) => activity.resourceLinkId)).to.deep.equal(['link-1', 'link-2']);
      // Nothing is kept once answered: the next page reads again.
      await f.teaching.getCourseActivities(instructor());
      expect(reads).to.equal(2);
    });

    it('is refused to a learner, and unavailable outside a positioning activity of a course', async () => {
      const f = fixture();
      expect((await rejection(f.teaching.getDashboard(launchOf('u-1'), QUERY, 'fr'))).code).to.equal(
        'FORBIDDEN',
      );
      const { context: _context, ...noContext } = instructor();
      expect((await rejection(f.teaching.getDashboard(noContext, QUERY, 'fr'))).code).to.equal(
        'DASHBOARD_NOT_AVAILABLE',
      );
      const practice = instructor({
        custom: [
          { name: 'activity', value: 'practice' },
          { name: 'target_profile', value: 'x' },
        ],
      });
      expect((await rejection(f.teaching.exportCsv(practice, 'fr', (key) => key))).code).to.equal(
        'DASHBOARD_NOT_AVAILABLE',
      );
    });
  });

  describe('getStudent', () => {
    it("lists only the answers given in this activity, never those of the learner's other activities", async () => {
      const f = fixture();
      const launch = launchOf('u-1');
      const elsewhere = launchOf('u-1', {
        context: { id: 'course-B' },
        resourceLink: { id: 'link-2' },
        custom: [
          { name: 'activity', value: 'positioning' },
          { name: 'scope', value: 'competence:1.1' },
        ],
      });
      await f.teaching.recordLaunch(launch);
      await answer(f, elsewhere, '1.1', 2);
      await answer(f, launch, '1.2', 1);
      await f.teaching.refreshParticipant(launch);
      const detail = await f.teaching.getStudent(instructor(), 'u-1', 'fr');
      expect(detail.answersByCompetence.map((competence) => competence.answers.length)).to.deep.equal([0, 1]);
    });

    it("gives a participant's row and answers per competence, with the time spent", async () => {
      const f = fixture();
      const launch = launchOf('u-1');
      await f.teaching.recordLaunch(launch);
      await answer(f, launch, '1.2', 2);
      await f.teaching.refreshParticipant(launch);
      f.entries = [
        entry('e1', 'u-1', 'dead', 1, { lastError: 'HTTP 500' }),
        entry('e2', 'u-2', 'delivered', 1),
      ];
      const detail = await f.teaching.getStudent(instructor(), 'u-1', 'fr');
      expect(detail.row).to.deep.include({ userId: 'u-1', launched: true });
      expect(detail.row.gradeSync).to.deep.include({ state: 'failed', entryId: 'e1', lastError: 'HTTP 500' });
      expect(detail.answersByCompetence.map((competence) => competence.code)).to.deep.equal(['1.1', '1.2']);
      expect(detail.answersByCompetence[0]?.answers).to.deep.equal([]);
      const answers = detail.answersByCompetence[1]?.answers ?? [];
      expect(
        answers.map((one) => [one.attempt, one.position, one.status, one.correct, one.timeSpentSeconds]),
      ).to.deep.equal([
        [1, 1, 'ok', true, 20],
        [1, 2, 'ok', true, 20],
      ]);
      expect(answers[0]?.skillId).to.be.a('string');
    });

    it('lists a roster learner who never launched, with no answers', async () => {
      const f = fixture();
      f.roster = { available: true, members: [member('u-7')], fetchedAt: new Date() };
      const detail = await f.teaching.getStudent(instructor(), 'u-7', 'fr');
      expect(detail.row).to.deep.include({ userId: 'u-7', inRoster: true, launched: false });
      expect(detail.answersByCompetence).to.deep.equal([
        { code: '1.1', answers: [] },
        { code: '1.2', answers: [] },
      ]);
    });

    it('is not found for a learner of another activity or course, or an instructor of the roster', async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-other-link', { resourceLink: { id: 'link-2' } }));
      await f.teaching.recordLaunch(launchOf('u-course-b', { context: { id: 'course-B' } }));
      f.roster = {
        available: true,
        members: [member('teacher-2', { role: 'instructor' })],
        fetchedAt: new Date(),
      };
      for (const userId of ['u-other-link', 'u-course-b', 'teacher-2', 'nobody']) {
        expect((await rejection(f.teaching.getStudent(instructor(), userId, 'fr'))).code, userId).to.equal(
          'STUDENT_NOT_FOUND',
        );
      }
    });
  });

  describe('exportCsv', () => {
    it('exports every learner with headers and statuses from the translator, named after the course and the day', async () => {
      const f = fixture();
      await f.teaching.recordLaunch(launchOf('u-1'));
      f.roster = {
        available: true,
        members: [member('u-2', { name: 'Zoé ; Durand' })],
        fetchedAt: new Date(),
      };
      const t = (key: string, options?: Record<string, unknown>) =>
        options?.code ? `${key}[${String(options.code)}]` : `«${key}»`;
      const { filename, body } = await f.teaching.exportCsv(instructor(), 'fr', t);
      expect(filename).to.equal('Culture numérique L1 - Positionnement domaine 1 - 2026-01-05.csv');
      expect(body.startsWith('\uFEFF')).to.equal(true);
      const lines = body.slice(1).split('\r\n');
      expect(lines[0]).to.include('«teaching.csv.lastName»').and.include('teaching.csv.competenceLevel[1.2]');
      expect(lines.filter((line) => line !== '')).to.have.length(3);
      expect(body).to.include('«teaching.status.not-started»').and.include('"Zoé ; Durand"');
    });
  });

  describe('retryGrade', () => {
    it("puts back a failed grade of the activity, and refuses another link's or one that did not fail", async () => {
      const f = fixture();
      f.entries = [
        entry('dead-1', 'u-1', 'dead', 1, { lastError: 'HTTP 500' }),
        entry('ok-1', 'u-2', 'delivered', 1),
        {
          ...entry('dead-other', 'u-3', 'dead', 1),
          target: { ...entry('x', 'u-3', 'dead', 1).target, resourceLinkId: 'link-2' },
        },
      ];
      await f.teaching.retryGrade(instructor(), 'dead-1');
      expect(f.retried).to.deep.equal(['dead-1']);
      for (const id of ['dead-1', 'ok-1', 'dead-other', 'missing']) {
        expect((await rejection(f.teaching.retryGrade(instructor(), id))).code, id).to.equal(
          'GRADE_NOT_FOUND',
        );
      }
      expect((await rejection(f.teaching.retryGrade(launchOf('u-1'), 'dead-other'))).code).to.equal(
        'FORBIDDEN',
      );
      expect(f.retried).to.deep.equal(['dead-1']);
    });

    it("refuses a failed grade of another deployment's link with the same id", async () => {
      const f = fixture();
      const other = entry('dead-dep-2', 'u-1', 'dead', 1);
      f.entries = [{ ...other, target: { ...other.target, deploymentId: 'dep-2' } }];
      expect((await rejection(f.teaching.retryGrade(instructor(), 'dead-dep-2'))).code).to.equal(
        'GRADE_NOT_FOUND',
      );
      expect(f.retried).to.deep.equal([]);
    });

    it('refuses a failed grade that a later score of the student replaced: it would send an older grade', async () => {
      const f = fixture();
      f.entries = [
        entry('old-dead', 'u-1', 'dead', 1, { lastError: 'HTTP 500' }),
        entry('new-ok', 'u-1', 'delivered', 2),
        entry('other-dead', 'u-2', 'dead', 3),
      ];
      expect((await rejection(f.teaching.retryGrade(instructor(), 'old-dead'))).code).to.equal(
        'GRADE_SUPERSEDED',
      );
      await f.teaching.retryGrade(instructor(), 'other-dead');
      expect(f.retried).to.deep.equal(['other-dead']);
    });

    it('reports the latest score of each user: delivered, pending with its last error, or failed with the entry to retry', () => {
      const syncs = gradeSyncsOf(
        [
          entry('a1', 'a', 'delivered', 1, { deliveredAt: new Date(9000) }),
          entry('a2', 'a', 'pending', 2, { lastError: 'timeout' }),
          entry('b1', 'b', 'dead', 1, { lastError: 'HTTP 401' }),
          entry('c2', 'c', 'delivered', 2, { deliveredAt: new Date(7000) }),
          entry('c1', 'c', 'dead', 1),
        ].map(deliveryStateOf),
      );
      expect(syncs).to.deep.equal([
        { userId: 'a', state: 'pending', at: new Date(2000), lastError: 'timeout' },
        { userId: 'b', state: 'failed', entryId: 'b1', at: new Date(1000), lastError: 'HTTP 401' },
        { userId: 'c', state: 'delivered', at: new Date(7000) },
      ]);
    });
  });

  describe('getCourseActivities', () => {
    it("summarises each activity of the course that learners launched, the instructor's first", async () => {
      const f = fixture();
      const a = launchOf('u-1');
      await f.teaching.recordLaunch(a);
      await answer(f, a, '1.1', 2);
      await f.teaching.refreshParticipant(a);
      await f.teaching.recordLaunch(launchOf('u-2'));
      await f.teaching.recordLaunch(
        launchOf('u-1', { resourceLink: { id: 'link-2', title: 'Autre activité' } }),
      );
      await f.teaching.recordLaunch(
        launchOf('u-3', { context: { id: 'course-B' }, resourceLink: { id: 'link-9' } }),
      );
      const activities = await f.teaching.getCourseActivities(instructor());
      const pix =
        (
          await f.participants.find(
            {
              issuer: ISSUER,
              clientId: 'client-1',
              deploymentId: 'dep-1',
              contextId: 'course-A',
              resourceLinkId: 'link-1',
            },
            'u-1',
          )
        )?.pix ?? 0;
      expect(pix).to.be.greaterThan(0);
      expect(activities).to.deep.equal([
        {
          resourceLinkId: 'link-1',
          title: 'Positionnement domaine 1',
          participants: 2,
          completed: 0,
          meanPix: Math.round((10 * pix) / 2) / 10,
          current: true,
        },
        {
          resourceLinkId: 'link-2',
          title: 'Autre activité',
          participants: 1,
          completed: 0,
          meanPix: pix,
          current: false,
        },
      ]);
    });
  });
});
