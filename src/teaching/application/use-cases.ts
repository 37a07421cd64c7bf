/**
 * The teaching use cases (ports.ts `TeachingUseCases`) bound to their dependencies: the class
 * participants' snapshots, the evaluation's read queries, the LMS roster (NRPS, cached), the grade
 * outbox, the content, the clock and the settings.
 *
 * Learners' launches and answers keep a snapshot per participant up to date (recordLaunch,
 * refreshParticipant: they never throw, a failure is logged); an instructor's pages read those
 * snapshots, merge the roster and the grade sync, and aggregate in memory (src/teaching/domain).
 */
import type { Locale } from '../../framework/domain/models.js';
import type { EvaluationContent } from '../../evaluation/application/evaluation-content.js';
import { competenceCodesOf } from '../../evaluation/application/evaluation-content.js';
import type { EvaluationUseCases } from '../../evaluation/application/use-cases.js';
import type { LearnerSummary } from '../../evaluation/domain/learner-summary.js';
import { positioningTitle } from '../../lti/application/activity-title.js';
import { activityFromCustom, type PositioningScope } from '../../lti/domain/activity.js';
import { isForResourceLink, type OutboxEntry } from '../../lti/domain/grade-outbox.js';
import { customParameter, type Launch } from '../../lti/domain/launch.js';
import type {
  GradeOutboxRepository,
  OutboxDeliveryState,
} from '../../lti/infrastructure/grade-outbox-repository.js';
import type { RosterResult, RosterService } from '../../lti/infrastructure/roster.js';
import type { Clock } from '../../shared/domain/clock.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import {
  snapshotFingerprint,
  type ActivityKey,
  type ClassParticipant,
  type CourseMember,
  type GradeSync,
} from '../domain/class-participant.js';
import { buildCsvExport, type CsvLabels } from '../domain/csv-export.js';
import { buildDashboard, mergeRows, type DashboardCompetence } from '../domain/dashboard.js';
import type { RosterState } from '../domain/dashboard-model.js';
import type { PracticeTube } from '../domain/practice-units.js';
import type {
  CourseActivity,
  ParticipantRepository,
  StudentAnswer,
  TeachingUseCases,
  Translate,
} from './ports.js';

export interface TeachingSettings {
  /** Highest reachable level (MAX_REACHABLE_LEVEL). */
  readonly maxReachableLevel: number;
  /** IANA time zone of the dates in the CSV export (EXPORT_TIME_ZONE, default Europe/Paris). */
  readonly exportTimeZone: string;
}

export interface TeachingDeps {
  readonly participants: ParticipantRepository;
  readonly evaluation: Pick<EvaluationUseCases, 'getLearnerSummary' | 'getLearnerAnswers'>;
  readonly roster: Pick<RosterService, 'rosterFor'>;
  readonly outbox: Pick<
    GradeOutboxRepository,
    'latestStatesForResourceLink' | 'latestStateForUser' | 'find' | 'listForUser' | 'retry'
  >;
  /** The content the evaluation runs on (framework and engine index: active skills, tutorials). */
  readonly content: EvaluationContent;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly settings: TeachingSettings;
}

/** What a launch designates: an activity of a course, and the competences of its scope. */
interface ActivityScope {
  readonly key: ActivityKey;
  readonly scope: PositioningScope;
  readonly competenceCodes: readonly string[];
  readonly competences: readonly DashboardCompetence[];
  readonly tubes: readonly PracticeTube[];
}

export class DashboardNotAvailableError extends DomainError {
  constructor(reason: string) {
    super('DASHBOARD_NOT_AVAILABLE', `This launch has no class dashboard: ${reason}`, { reason });
  }
}

export class StudentNotFoundError extends DomainError {
  constructor(userId: string) {
    super('STUDENT_NOT_FOUND', 'This student is not in this activity', { userId });
  }
}

export class GradeNotFoundError extends DomainError {
  constructor(entryId: string) {
    super('GRADE_NOT_FOUND', 'There is no failed grade of this activity to retry with this id', { entryId });
  }
}

/** A failed score that a later score of the same student replaced: sending it again would go back. */
export class GradeSupersededError extends DomainError {
  constructor(entryId: string) {
    super('GRADE_SUPERSEDED', 'A later grade of this student replaced this failed one', { entryId });
  }
}

/** Roster members who are learners, without those the LMS says left the course. */
export function courseLearners(roster: RosterResult): CourseMember[] | undefined {
  if (!roster.available || roster.fetchedAt === undefined) return undefined;
  const learners: CourseMember[] = [];
  for (const member of roster.members) {
    if (member.role !== 'learner' || member.status === 'Deleted') continue;
    learners.push({
      userId: member.userId,
      ...(member.name && { name: member.name }),
      ...(member.givenName && { givenName: member.givenName }),
      ...(member.familyName && { familyName: member.familyName }),
      ...(member.email && { email: member.email }),
      status: member.status,
    });
  }
  return learners;
}

export function rosterStateOf(roster: RosterResult): RosterState {
  if (!roster.available) return { kind: 'unavailable', reason: roster.reason };
  if (roster.fetchedAt === undefined) return { kind: 'unavailable', reason: 'error', error: roster.error };
  return { kind: 'merged', fetchedAt: roster.fetchedAt, ...(roster.stale && { stale: true }) };
}

/** Where a full outbox entry stands (the repository gives these directly for a whole resource link). */
export function deliveryStateOf(entry: OutboxEntry): OutboxDeliveryState {
  return {
    id: entry.id,
    userId: entry.target.userId,
    sequence: entry.sequence,
    status: entry.status,
    ...(entry.lastError && { lastError: entry.lastError }),
    createdAt: entry.createdAt,
    ...(entry.deliveredAt && { deliveredAt: entry.deliveredAt }),
  };
}

/** The latest score queued for each user of the resource link, as the dashboard shows it. */
export function gradeSyncsOf(states: readonly OutboxDeliveryState[]): GradeSync[] {
  const latest = new Map<string, OutboxDeliveryState>();
  for (const state of states) {
    const known = latest.get(state.userId);
    if (!known || state.sequence > known.sequence) latest.set(state.userId, state);
  }
  return [...latest.values()].map((state): GradeSync => {
    const { userId } = state;
    if (state.status === 'delivered') {
      return { userId, state: 'delivered', at: state.deliveredAt ?? state.createdAt };
    }
    if (state.status === 'pending') {
      return {
        userId,
        state: 'pending',
        at: state.createdAt,
        ...(state.lastError && { lastError: state.lastError }),
      };
    }
    return {
      userId,
      state: 'failed',
      entryId: state.id,
      at: state.createdAt,
      ...(state.lastError && { lastError: state.lastError }),
    };
  });
}

/** 'YYYY-MM-DD' in a time zone. */
function dayIn(date: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

/**
 * A file name without path separators, control characters or lone surrogates, at most 80 code
 * points: cut by code point, so that an emoji is never split into a lone surrogate.
 */
function fileNamePart(text: string): string {
  const cleaned = text
    .replace(/[\\/:*?"<>|\p{Cc}\p{Cs}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(cleaned).slice(0, 80).join('').trim() || 'export';
}

export function csvLabels(t: Translate): CsvLabels {
  return {
    courseTitle: t('teaching.csv.courseTitle'),
    activityTitle: t('teaching.csv.activityTitle'),
    lastName: t('teaching.csv.lastName'),
    firstName: t('teaching.csv.firstName'),
    email: t('teaching.csv.email'),
    externalId: t('teaching.csv.externalId'),
    status: t('teaching.csv.status'),
    startedAt: t('teaching.csv.startedAt'),
    completedAt: t('teaching.csv.completedAt'),
    progress: t('teaching.csv.progress'),
    totalPix: t('teaching.csv.totalPix'),
    competenceLevel: (competence) =>
      t('teaching.csv.competenceLevel', { code: competence.code, name: competence.name }),
    competencePix: (competence) =>
      t('teaching.csv.competencePix', { code: competence.code, name: competence.name }),
    mastery: t('teaching.csv.mastery'),
    statuses: {
      'not-started': t('teaching.status.not-started'),
      'in-progress': t('teaching.status.in-progress'),
      completed: t('teaching.status.completed'),
    },
  };
}

export function createTeachingUseCases(deps: TeachingDeps): TeachingUseCases {
  const { content, settings } = deps;
  const maxLevel = settings.maxReachableLevel;
  const framework = content.framework;
  const areaOf = new Map(framework.competences.map((competence) => [competence.code, competence.areaCode]));
  const scopes = new Map<string, Omit<ActivityScope, 'key'>>();
  const tutorialsByLocale = new Map<Locale, ReadonlySet<string>>();

  /** The competences and tubes of a scope (built once per scope: they only depend on the content). */
  function scopeData(scope: PositioningScope): Omit<ActivityScope, 'key'> {
    const cacheKey = scope.type === 'all' ? 'all' : `${scope.type}:${scope.code}`;
    const known = scopes.get(cacheKey);
    if (known) return known;
    const competenceCodes = competenceCodesOf(content, scope);
    const inScope = new Set(competenceCodes);
    const skillsByTube = new Map<string, PracticeTube['skills'][number][]>();
    for (const skill of content.engineIndex.skills) {
      if (!inScope.has(skill.competenceCode) || !skill.active || skill.level > maxLevel) continue;
      const list = skillsByTube.get(skill.tubeId) ?? [];
      list.push({ skillId: skill.id, level: skill.level, tutorialIds: skill.tutorialIds });
      skillsByTube.set(skill.tubeId, list);
    }
    const data = {
      scope,
      competenceCodes,
      competences: competenceCodes.map((code) => ({ code, areaCode: areaOf.get(code) ?? '' })),
      tubes: framework.tubes
        .filter((tube) => inScope.has(tube.competenceCode) && skillsByTube.has(tube.id))
        .map((tube) => ({
          tubeId: tube.id,
          competenceCode: tube.competenceCode,
          skills: skillsByTube.get(tube.id) ?? [],
        })),
    };
    scopes.set(cacheKey, data);
    return data;
  }

  /** The activity of a resource-link launch into a course, when it is a positioning; else why not. */
  function activityOf(launch: Launch): ActivityScope | string {
    if (launch.messageType !== 'LtiResourceLinkRequest') return 'not a resource-link launch';
    if (!launch.context) return 'no course context';
    if (!launch.resourceLink) return 'no resource link';
    const activity = activityFromCustom((name) => customParameter(launch, name));
    if (activity?.kind !== 'positioning') return 'not a positioning activity';
    return {
      key: {
        issuer: launch.issuer,
        clientId: launch.clientId,
        deploymentId: launch.deploymentId,
        contextId: launch.context.id,
        resourceLinkId: launch.resourceLink.id,
      },
      ...scopeData(activity.scope),
    };
  }

  /** The activity an instructor's page is about; DomainError otherwise. */
  function instructorActivity(launch: Launch): ActivityScope {
    if (launch.role !== 'instructor') {
      throw new DomainError('FORBIDDEN', 'Only teaching roles of the course see its dashboard');
    }
    const activity = activityOf(launch);
    if (typeof activity === 'string') throw new DashboardNotAvailableError(activity);
    return activity;
  }

  function participantFrom(
    launch: Launch,
    activity: ActivityScope,
    summary: LearnerSummary,
    dates: { firstLaunchAt: Date; lastLaunchAt: Date },
    known: ClassParticipant | undefined,
  ): ClassParticipant {
    // Identity from the latest recorded launch when there is one (this session may be older).
    const source = known ?? {
      name: launch.name,
      givenName: launch.givenName,
      familyName: launch.familyName,
      email: launch.email,
      externalId: launch.externalId,
      activityTitle: launch.resourceLink?.title,
      contextTitle: launch.context?.title,
    };
    return {
      ...activity.key,
      userId: launch.userId,
      learnerKey: launch.learnerKey,
      ...(source.name && { name: source.name }),
      ...(source.givenName && { givenName: source.givenName }),
      ...(source.familyName && { familyName: source.familyName }),
      ...(source.email && { email: source.email }),
      ...(source.externalId && { externalId: source.externalId }),
      ...(source.activityTitle && { activityTitle: source.activityTitle }),
      ...(source.contextTitle && { contextTitle: source.contextTitle }),
      firstLaunchAt: dates.firstLaunchAt,
      lastLaunchAt: dates.lastLaunchAt,
      ...snapshotOf(summary),
    };
  }

  /** A stored participant with a new summary of its own scope: identity and launch dates kept. */
  function refreshedFrom(known: ClassParticipant, summary: LearnerSummary): ClassParticipant {
    const { startedAt: _s, completedAt: _c, ...rest } = known;
    return { ...rest, ...snapshotOf(summary) };
  }

  /** The snapshot part of a participant: where the learner stands in the activity's scope. */
  function snapshotOf(summary: LearnerSummary) {
    return {
      status: summary.status,
      answerCount: summary.answerCount,
      ...(summary.startedAt && { startedAt: summary.startedAt }),
      ...(summary.completedAt && { completedAt: summary.completedAt }),
      pix: summary.pix,
      maxPix: summary.maxPix,
      competences: summary.competences.map((competence) => ({ ...competence })),
      tubes: summary.tubes.map((tube) => ({ ...tube })),
      maxLevel,
      version: summary.version,
      updatedAt: deps.clock.now(),
    };
  }

  /**
   * What a snapshot of these competences would be computed on now (the content's tubes and targeted
   * skills, the max level of the settings), to compare with a stored snapshot's.
   */
  function currentFingerprint(competenceCodes: readonly string[]): string {
    const inScope = new Set(competenceCodes);
    const targeted = new Map<string, number>();
    for (const skill of content.engineIndex.skills) {
      if (!inScope.has(skill.competenceCode) || !skill.active || skill.level > maxLevel) continue;
      targeted.set(skill.tubeId, (targeted.get(skill.tubeId) ?? 0) + 1);
    }
    return snapshotFingerprint({
      competences: competenceCodes.map((code) => ({ code, pix: 0, level: 0, status: 'not-started' })),
      tubes: framework.tubes
        .filter((tube) => inScope.has(tube.competenceCode) && targeted.has(tube.id))
        .map((tube) => ({ tubeId: tube.id, validated: 0, targeted: targeted.get(tube.id) ?? 0 })),
      maxLevel,
    });
  }

  /** The stored snapshot is up to date: same learner data (version), same content and settings. */
  function upToDate(known: ClassParticipant, version: number, competenceCodes: readonly string[]): boolean {
    return known.version === version && snapshotFingerprint(known) === currentFingerprint(competenceCodes);
  }

  const sameParticipant = (a: ClassParticipant, key: ActivityKey, userId: string) =>
    a.userId === userId &&
    a.issuer === key.issuer &&
    a.clientId === key.clientId &&
    a.deploymentId === key.deploymentId &&
    a.contextId === key.contextId &&
    a.resourceLinkId === key.resourceLinkId;

  /** The learner's activity, when this launch is a learner's launch into a course's positioning. */
  function learnerActivity(launch: Launch): ActivityScope | undefined {
    if (launch.role !== 'learner') return undefined;
    const activity = activityOf(launch);
    return typeof activity === 'string' ? undefined : activity;
  }

  function summaryOf(learnerKey: string, competenceCodes: readonly string[]): Promise<LearnerSummary> {
    return deps.evaluation.getLearnerSummary({ learnerKey, competenceCodes });
  }

  /**
   * Every participant of the course. The dashboard page asks for its activity's rows and for the
   * course's activities at once: concurrent calls for one course share a single read (nothing is
   * kept once it is answered).
   */
  const courseReads = new Map<string, Promise<ClassParticipant[]>>();
  function courseParticipants(key: ActivityKey): Promise<ClassParticipant[]> {
    const readKey = JSON.stringify([key.issuer, key.clientId, key.deploymentId, key.contextId]);
    const pending = courseReads.get(readKey);
    if (pending) return pending;
    const read = deps.participants
      .listByContext({
        issuer: key.issuer,
        clientId: key.clientId,
        deploymentId: key.deploymentId,
        contextId: key.contextId,
      })
      .finally(() => courseReads.delete(readKey));
    courseReads.set(readKey, read);
    return read;
  }

  async function safeRoster(launch: Launch): Promise<RosterResult> {
    try {
      return await deps.roster.rosterFor(launch);
    } catch (error) {
      deps.logger.warn({ err: error, context: launch.context?.id }, 'could not read the course roster');
      return { available: true, members: [], error: (error as Error).message };
    }
  }

  return {
    async recordLaunch(launch) {
      try {
        const activity = learnerActivity(launch);
        if (!activity) return;
        const now = deps.clock.now();
        const [known, summary] = await Promise.all([
          deps.participants.find(activity.key, launch.userId),
          summaryOf(launch.learnerKey, activity.competenceCodes),
        ]);
        const participant = participantFrom(
          launch,
          activity,
          summary,
          { firstLaunchAt: known?.firstLaunchAt ?? now, lastLaunchAt: now },
          undefined,
        );
        await deps.participants.recordLaunch(participant);
        // recordLaunch keeps a stored snapshot; when it is out of date (the learner comes with a
        // profile made elsewhere, or the content or settings changed), it is written at once.
        if (known && !upToDate(known, summary.version, activity.competenceCodes)) {
          await deps.participants.save(participant);
        }
      } catch (error) {
        deps.logger.warn(
          { err: error, user: launch.userId },
          'could not record the launch for the dashboard',
        );
      }
    },

    async refreshParticipant(launch) {
      try {
        const activity = learnerActivity(launch);
        if (!activity) return;
        const { learnerKey } = launch;
        const [known, listed, summary] = await Promise.all([
          deps.participants.find(activity.key, launch.userId),
          deps.participants.listByLearner(learnerKey),
          summaryOf(learnerKey, activity.competenceCodes),
        ]);
        if (!known || !upToDate(known, summary.version, activity.competenceCodes)) {
          const now = deps.clock.now();
          await deps.participants.save(
            participantFrom(
              launch,
              activity,
              summary,
              { firstLaunchAt: known?.firstLaunchAt ?? now, lastLaunchAt: known?.lastLaunchAt ?? now },
              known,
            ),
          );
        }
        // Competences and the profile are shared: the learner's other activities (other links,
        // courses, deployments) are refreshed too, each on its own scope, unless up to date.
        const summaries = new Map<string, Promise<LearnerSummary>>([
          [JSON.stringify(activity.competenceCodes), Promise.resolve(summary)],
        ]);
        for (const other of listed) {
          if (sameParticipant(other, activity.key, launch.userId) || other.learnerKey !== learnerKey)
            continue;
          const codes = other.competences.map((competence) => competence.code);
          if (upToDate(other, summary.version, codes)) continue;
          try {
            const codesKey = JSON.stringify(codes);
            const ofScope = summaries.get(codesKey) ?? summaryOf(learnerKey, codes);
            summaries.set(codesKey, ofScope);
            await deps.participants.save(refreshedFrom(other, await ofScope));
          } catch (error) {
            deps.logger.warn(
              { err: error, user: other.userId, activity: other.resourceLinkId },
              "could not refresh the learner's snapshot of another activity",
            );
          }
        }
      } catch (error) {
        deps.logger.warn({ err: error, user: launch.userId }, 'could not refresh the dashboard snapshot');
      }
    },

    async getDashboard(launch, query, locale) {
      const activity = instructorActivity(launch);
      const { key } = activity;
      const [inCourse, roster, entries] = await Promise.all([
        courseParticipants(key),
        safeRoster(launch),
        deps.outbox.latestStatesForResourceLink(key),
      ]);
      return buildDashboard({
        participants: inCourse.filter((participant) => participant.resourceLinkId === key.resourceLinkId),
        roster: courseLearners(roster),
        rosterState: rosterStateOf(roster),
        gradeSyncs: gradeSyncsOf(entries),
        competences: activity.competences,
        maxLevel,
        query,
        locale,
        tubes: activity.tubes,
        availableTutorials: tutorialsIn(locale),
      });
    },

    async getCourseActivities(launch) {
      const activity = instructorActivity(launch);
      const { key } = activity;
      const participants = await courseParticipants(key);
      const byLink = new Map<string, ClassParticipant[]>();
      for (const participant of participants) {
        const list = byLink.get(participant.resourceLinkId) ?? [];
        list.push(participant);
        byLink.set(participant.resourceLinkId, list);
      }
      if (!byLink.has(key.resourceLinkId)) byLink.set(key.resourceLinkId, []);
      const activities = [...byLink.entries()].map(([resourceLinkId, list]): CourseActivity => {
        const current = resourceLinkId === key.resourceLinkId;
        // The title as the LMS sent it most recently.
        let title = current ? launch.resourceLink?.title : undefined;
        let titledAt = -Infinity;
        let pix = 0;
        for (const participant of list) {
          pix += participant.pix;
          if (!current && participant.activityTitle && participant.lastLaunchAt.getTime() > titledAt) {
            title = participant.activityTitle;
            titledAt = participant.lastLaunchAt.getTime();
          }
        }
        return {
          resourceLinkId,
          ...(title && { title }),
          participants: list.length,
          completed: list.filter((participant) => participant.status === 'completed').length,
          meanPix: list.length === 0 ? 0 : Math.round((10 * pix) / list.length) / 10,
          current,
        };
      });
      const collator = new Intl.Collator(launch.locale, { sensitivity: 'base' });
      return activities.sort(
        (a, b) =>
          Number(b.current) - Number(a.current) ||
          collator.compare(a.title ?? '', b.title ?? '') ||
          (a.resourceLinkId < b.resourceLinkId ? -1 : a.resourceLinkId > b.resourceLinkId ? 1 : 0),
      );
    },

    async getStudent(launch, userId, _locale) {
      const activity = instructorActivity(launch);
      const { key } = activity;
      const [participant, roster, latestGrade] = await Promise.all([
        deps.participants.find(key, userId),
        safeRoster(launch),
        deps.outbox.latestStateForUser(key, userId),
      ]);
      const member = courseLearners(roster)?.find((candidate) => candidate.userId === userId);
      if (!participant && !member) throw new StudentNotFoundError(userId);
      const [row] = mergeRows(
        participant ? [participant] : [],
        member ? [member] : [],
        gradeSyncsOf(latestGrade ? [latestGrade] : []),
        activity.competenceCodes,
      );
      if (!row) throw new StudentNotFoundError(userId);
      if (!participant) {
        return { row, answersByCompetence: activity.competenceCodes.map((code) => ({ code, answers: [] })) };
      }
      // Levels and pix come from the lifelong profile (shared across courses), but the answers
      // shown are only those given in this activity.
      const answers = await deps.evaluation.getLearnerAnswers({
        learnerKey: participant.learnerKey,
        competenceCodes: activity.competenceCodes,
        activityId: key.resourceLinkId,
      });
      return {
        row,
        answersByCompetence: answers.competences.map((competence) => ({
          code: competence.code,
          answers: competence.answers.map((answer): StudentAnswer => ({
            attempt: answer.attempt,
            position: answer.position,
            challengeId: answer.challengeId,
            ...(answer.skillId !== undefined && { skillId: answer.skillId }),
            status: answer.status,
            correct: answer.correct,
            answeredAt: answer.answeredAt,
            ...(answer.timeSpentSeconds !== undefined && { timeSpentSeconds: answer.timeSpentSeconds }),
          })),
        })),
      };
    },

    async exportCsv(launch, locale, t) {
      const activity = instructorActivity(launch);
      const { key } = activity;
      const [participants, roster, entries] = await Promise.all([
        deps.participants.listByActivity(key),
        safeRoster(launch),
        deps.outbox.latestStatesForResourceLink(key),
      ]);
      const rows = mergeRows(
        participants,
        courseLearners(roster),
        gradeSyncsOf(entries),
        activity.competenceCodes,
      );
      const courseTitle = launch.context?.title;
      const activityTitle =
        launch.resourceLink?.title ?? positioningTitle(activity.scope, framework, t, locale);
      const body = buildCsvExport({
        ...(courseTitle && { courseTitle }),
        activityTitle,
        rows,
        competences: activity.competenceCodes.map((code) => {
          const competence = content.competencesByCode.get(code);
          return { code, name: competence ? competence.name[locale] : code };
        }),
        labels: csvLabels(t),
        timeZone: settings.exportTimeZone,
        locale,
      });
      const day = dayIn(deps.clock.now(), settings.exportTimeZone);
      const filename = `${fileNamePart(courseTitle ?? key.contextId)} - ${fileNamePart(activityTitle)} - ${day}.csv`;
      return { filename, body };
    },

    async retryGrade(launch, entryId) {
      const { key } = instructorActivity(launch);
      const entry = await deps.outbox.find(entryId);
      // A score of this very link: same registration, same deployment, same resource link.
      if (!entry || !isForResourceLink(entry.target, key) || entry.status !== 'dead') {
        throw new GradeNotFoundError(entryId);
      }
      // Only the stream's latest score may go again: an older one would replace a newer grade.
      const stream = await deps.outbox.listForUser(key, entry.target.userId);
      if (stream.some((other) => other.sequence > entry.sequence)) throw new GradeSupersededError(entryId);
      if (!(await deps.outbox.retry(entryId, deps.clock.now()))) throw new GradeNotFoundError(entryId);
      deps.logger.info({ entry: entryId, user: entry.target.userId }, 'grade retried by an instructor');
    },
  };

  function tutorialsIn(locale: Locale): ReadonlySet<string> {
    const known = tutorialsByLocale.get(locale);
    if (known) return known;
    const ids = new Set(
      framework.tutorials.filter((tutorial) => tutorial.locale === locale).map((t) => t.id),
    );
    tutorialsByLocale.set(locale, ids);
    return ids;
  }
}
