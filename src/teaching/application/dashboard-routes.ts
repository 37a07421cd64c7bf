/**
 * The instructor's dashboard of an activity, under /app/:sessionId/dashboard (mounted by
 * src/lti/application/launch-routes.ts beside the learner's pages):
 * - GET  /:sessionId/dashboard                          the class: summary, roster, heatmap, stats,
 *                                                       practice units, grade sync, the course's activities;
 * - GET  /:sessionId/dashboard/students/:userId         one student's profile, answers and grade;
 * - GET  /:sessionId/dashboard/export.csv               the class as CSV (UTF-8 with BOM, `;`);
 * - POST /:sessionId/dashboard/grades/:entryId/retry    retries a refused grade, then 303 back.
 *
 * Permissions: the launch session defines the course and the activity. Only a resource-link launch
 * with a teaching role (`launch.role === 'instructor'`: Instructor, TeachingAssistant, context or
 * institution/system Administrator, see src/lti/domain/roles.ts) into a course context sees these
 * pages; learners, test users and deep-linking launches get 403. A student of another course or
 * activity is not found (STUDENT_NOT_FOUND → 404), so course A's instructor never sees course B.
 */
import { askedLanguage } from '../../shared/application/http.js';
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Framework, Locale } from '../../framework/domain/models.js';
import { positioningTitle } from '../../lti/application/activity-title.js';
import { activityFromCustom, type PositioningScope } from '../../lti/domain/activity.js';
import { customParameter, type Launch } from '../../lti/domain/launch.js';
import type { LaunchSession } from '../../lti/infrastructure/launch-session-store.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { ParticipationStatus } from '../domain/class-participant.js';
import type { DashboardQuery, SortDirection, SortKey } from '../domain/dashboard-model.js';
import type { TeachingUseCases } from './ports.js';

export type SessionLoader = (req: Request, res: Response) => Promise<LaunchSession | undefined>;

export interface DashboardRoutesDependencies {
  readonly teaching: TeachingUseCases;
  readonly framework: Pick<Framework, 'areas' | 'competences' | 'tubes' | 'tutorials'>;
  /** Levels run from 0 to this (MAX_REACHABLE_LEVEL). */
  readonly maxReachableLevel: number;
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** Rows per page of the students' tables: a course of 1,000 stays a light page. */
export const DASHBOARD_PAGE_SIZE = 50;

const STATUSES: readonly ParticipationStatus[] = ['not-started', 'in-progress', 'completed'];
const FIXED_SORT_KEYS = new Set(['name', 'status', 'pix', 'mastery']);

/**
 * The dashboard's query string. A parameter of the wrong shape (repeated where one value is
 * expected, nested, too long, a non-numeric level or page) is malformed: 400. A well-formed but
 * unknown value (a sort key or competence outside the activity, an unknown status, a level above
 * the maximum) falls back to the default.
 */
const text = (max: number) => z.string().max(max);
const rawQuerySchema = z.object({
  sort: text(32).optional(),
  dir: text(8).optional(),
  status: z.union([text(32), z.array(text(32)).max(STATUSES.length)]).optional(),
  q: text(200).optional(),
  competence: text(16).optional(),
  maxLevel: z
    .string()
    .regex(/^\d{0,2}$/)
    .optional(),
  page: z
    .string()
    .regex(/^\d{0,6}$/)
    .optional(),
  lang: text(8).optional(),
  retried: text(8).optional(),
});

export interface ParsedDashboardQuery {
  readonly query: DashboardQuery;
  readonly page: number;
}

export type DashboardQueryResult =
  | { readonly ok: true; readonly value: ParsedDashboardQuery }
  | { readonly ok: false; readonly parameter: string };

/** Parses and normalises the query string of the dashboard against the activity's competences. */
export function parseDashboardQuery(
  raw: unknown,
  competenceCodes: readonly string[],
  maxLevel: number,
): DashboardQueryResult {
  const result = rawQuerySchema.safeParse(raw ?? {});
  if (!result.success) {
    const parameter = String(result.error.issues[0]?.path[0] ?? 'query');
    return { ok: false, parameter };
  }
  const input = result.data;
  const inScope = new Set(competenceCodes);
  const sortText = input.sort ?? 'name';
  const sort: SortKey = FIXED_SORT_KEYS.has(sortText)
    ? (sortText as SortKey)
    : sortText.startsWith('competence:') && inScope.has(sortText.slice('competence:'.length))
      ? (sortText as SortKey)
      : 'name';
  const direction: SortDirection = input.dir === 'desc' ? 'desc' : 'asc';
  const askedStatuses = input.status === undefined ? [] : [input.status].flat();
  const statuses = STATUSES.filter((status) => askedStatuses.includes(status));
  const code = input.competence && inScope.has(input.competence) ? input.competence : undefined;
  const level = input.maxLevel ? Number(input.maxLevel) : undefined;
  const competence =
    code !== undefined && level !== undefined && level < maxLevel ? { code, maxLevel: level } : undefined;
  const page = input.page ? Math.max(1, Number(input.page)) : 1;
  return {
    ok: true,
    value: {
      query: { sort, direction, statuses, search: (input.q ?? '').trim(), ...(competence && { competence }) },
      page,
    },
  };
}

/** The query string of a dashboard URL (the current filters, with changes); starts with '?' or is empty. */
export function dashboardSearch(
  query: DashboardQuery,
  changes: { sort?: SortKey; direction?: SortDirection; page?: number },
  lang: string,
): string {
  const params = new URLSearchParams();
  if (lang) params.set('lang', lang);
  const sort = changes.sort ?? query.sort;
  const direction = changes.direction ?? query.direction;
  if (sort !== 'name') params.set('sort', sort);
  if (direction !== 'asc') params.set('dir', direction);
  for (const status of query.statuses) params.append('status', status);
  if (query.search) params.set('q', query.search);
  if (query.competence) {
    params.set('competence', query.competence.code);
    params.set('maxLevel', String(query.competence.maxLevel));
  }
  if (changes.page && changes.page > 1) params.set('page', String(changes.page));
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** "5 min", "1 h 05 min", "30 s" from an ISO 8601 duration such as 'PT5M'; the text as is otherwise. */
export function formatIsoDuration(duration: string, t: T): string {
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?$/.exec(duration);
  if (!match || duration === 'PT') return duration;
  const [hours, minutes, seconds] = [match[1], match[2], match[3]].map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
  ];
  if (hours > 0) return t('teaching.duration.hours', { hours, minutes: String(minutes).padStart(2, '0') });
  if (minutes > 0) return t('teaching.duration.minutes', { minutes });
  return t('teaching.duration.seconds', { seconds });
}

/** "42 s", "3 min 05 s"; '—' when unknown. */
export function formatSeconds(total: number | undefined, t: T): string {
  if (total === undefined || !Number.isFinite(total) || total < 0) return '—';
  const rounded = Math.round(total);
  if (rounded < 60) return t('teaching.duration.seconds', { seconds: rounded });
  const minutes = Math.floor(rounded / 60);
  return t('teaching.duration.minutesSeconds', {
    minutes,
    seconds: String(rounded % 60).padStart(2, '0'),
  });
}

/** A lone surrogate (half of a pair) cannot be encoded in UTF-8: U+FFFD stands in for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A filename safe in a Content-Disposition header: an ASCII fallback and the UTF-8 original, as an
 * RFC 8187 ext-value (attr-char only: `'`, `(`, `)` and `*` are percent-encoded too).
 */
export function contentDisposition(name: string): string {
  const filename = name.replace(LONE_SURROGATE, '\uFFFD');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  const ascii =
    filename
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^\w.]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'export.csv';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

interface InstructorContext {
  readonly launch: Launch;
  readonly scope: PositioningScope;
  readonly locale: Locale;
  /** /app/<session id> */
  readonly base: string;
  /** 'fr' or 'en' when the page was asked in that language (?lang=), else ''. */
  readonly lang: string;
  readonly langQuery: string;
  readonly t: T;
}

export function createDashboardRoutes(deps: DashboardRoutesDependencies, loadSession: SessionLoader): Router {
  const router = express.Router();
  const { framework } = deps;

  const forbidden = (res: Response) => {
    const t = res.locals.t as T;
    res
      .status(403)
      .render('shared/error', { kind: 'forbidden', message: t('teaching.forbidden'), correlationId: '' });
  };
  const notFound = (res: Response, messageKey: string) => {
    const t = res.locals.t as T;
    res.status(404).render('shared/error', { kind: 'notFound', message: t(messageKey), correlationId: '' });
  };

  /** The instructor's context, or undefined once a refusal page was sent. */
  async function instructorContext(req: Request, res: Response): Promise<InstructorContext | undefined> {
    const session = await loadSession(req, res);
    if (!session) return undefined;
    const { launch } = session;
    if (
      launch.messageType !== 'LtiResourceLinkRequest' ||
      launch.role !== 'instructor' ||
      launch.testUser ||
      !launch.context ||
      !launch.resourceLink
    ) {
      forbidden(res);
      return undefined;
    }
    const activity = activityFromCustom((name) => customParameter(launch, name));
    if (activity?.kind !== 'positioning') {
      notFound(res, 'teaching.errors.noDashboard');
      return undefined;
    }
    const lang = askedLanguage(req.query) ?? '';
    return {
      launch,
      scope: activity.scope,
      locale: res.locals.locale as Locale,
      base: `/app/${encodeURIComponent(session.id)}`,
      lang,
      langQuery: lang ? `?lang=${lang}` : '',
      t: res.locals.t as T,
    };
  }

  const wrap =
    (handler: (req: Request, res: Response, context: InstructorContext) => Promise<void>) =>
    async (req: Request, res: Response, next: express.NextFunction) => {
      try {
        const context = await instructorContext(req, res);
        if (!context) return;
        // Class data never sits in a shared or browser cache.
        res.set('Cache-Control', 'no-store');
        await handler(req, res, context);
      } catch (error) {
        if (error instanceof DomainError && error.code === 'STUDENT_NOT_FOUND') {
          notFound(res, 'teaching.errors.studentNotFound');
          return;
        }
        if (error instanceof DomainError && error.code === 'GRADE_NOT_FOUND') {
          notFound(res, 'teaching.errors.gradeNotFound');
          return;
        }
        if (error instanceof DomainError && error.code === 'GRADE_SUPERSEDED') {
          const t = res.locals.t as T;
          res.status(409).render('shared/error', {
            kind: 'badRequest',
            message: t('teaching.errors.gradeSuperseded'),
            correlationId: '',
          });
          return;
        }
        next(error);
      }
    };

  const competencesOf = (codes: readonly string[], locale: Locale) =>
    codes.map((code) => {
      const competence = framework.competences.find((candidate) => candidate.code === code);
      return {
        code,
        areaCode: competence?.areaCode ?? '',
        name: competence ? competence.name[locale] : code,
      };
    });

  const scopeCodes = (scope: PositioningScope): string[] =>
    framework.competences
      .filter((competence) =>
        scope.type === 'all'
          ? true
          : scope.type === 'area'
            ? competence.areaCode === scope.code
            : competence.code === scope.code,
      )
      .map((competence) => competence.code);

  const activityTitleOf = (context: InstructorContext) =>
    context.launch.resourceLink?.title ??
    positioningTitle(context.scope, framework, context.t, context.locale);

  router.get(
    '/:sessionId/dashboard',
    wrap(async (req, res, context) => {
      const { t, locale } = context;
      const parsed = parseDashboardQuery(req.query, scopeCodes(context.scope), deps.maxReachableLevel);
      if (!parsed.ok) {
        res.status(400).render('shared/error', {
          kind: 'badRequest',
          message: t('teaching.errors.badQuery', { name: parsed.parameter }),
          correlationId: '',
        });
        return;
      }
      const { query, page: askedPage } = parsed.value;
      const [dashboard, activities] = await Promise.all([
        deps.teaching.getDashboard(context.launch, query, locale),
        deps.teaching.getCourseActivities(context.launch),
      ]);
      const pageCount = Math.max(1, Math.ceil(dashboard.rows.length / DASHBOARD_PAGE_SIZE));
      const page = Math.min(askedPage, pageCount);
      const from = (page - 1) * DASHBOARD_PAGE_SIZE;
      const rows = dashboard.rows.slice(from, from + DASHBOARD_PAGE_SIZE);
      const competences = competencesOf(dashboard.competenceCodes, locale);
      const areaCodes = [...new Set(competences.map((competence) => competence.areaCode))];
      const tubes = new Map(framework.tubes.map((tube) => [tube.id, tube]));
      const tutorials = new Map(framework.tutorials.map((tutorial) => [tutorial.id, tutorial]));
      const dashboardUrl = `${context.base}/dashboard`;
      const sortLink = (key: SortKey) => {
        const current = query.sort === key;
        const direction: SortDirection = current && query.direction === 'asc' ? 'desc' : 'asc';
        return {
          href: `${dashboardUrl}${dashboardSearch(query, { sort: key, direction }, context.lang)}`,
          ariaSort: current ? (query.direction === 'asc' ? 'ascending' : 'descending') : undefined,
          next: direction,
        };
      };
      res.render('teaching/dashboard', {
        title: t('teaching.title', { title: activityTitleOf(context) }),
        activityTitle: activityTitleOf(context),
        courseTitle: context.launch.context?.title,
        base: context.base,
        lang: context.lang,
        langQuery: context.langQuery,
        dashboardUrl,
        exportUrl: `${dashboardUrl}/export.csv${context.langQuery}`,
        dashboard,
        query,
        filtered: query.statuses.length > 0 || query.search !== '' || query.competence !== undefined,
        rows,
        from: from + 1,
        to: from + rows.length,
        page,
        pageCount,
        pageHref: (target: number) =>
          `${dashboardUrl}${dashboardSearch(query, { page: target }, context.lang)}`,
        sortLink,
        competences,
        areas: areaCodes.map((code) => {
          const area = framework.areas.find((candidate) => candidate.code === code);
          return { code, name: area ? area.name[locale] : code };
        }),
        competenceName: (code: string) =>
          competences.find((competence) => competence.code === code)?.name ?? code,
        maxLevel: deps.maxReachableLevel,
        levels: Array.from({ length: deps.maxReachableLevel + 1 }, (_, level) => level),
        practiceUnits: dashboard.practiceUnits.map((unit) => ({
          ...unit,
          title: tubes.get(unit.tubeId)?.practicalTitle[locale] ?? unit.tubeId,
          tutorials: unit.tutorialIds.flatMap((id) => {
            const tutorial = tutorials.get(id);
            return tutorial ? [{ ...tutorial, durationText: formatIsoDuration(tutorial.duration, t) }] : [];
          }),
        })),
        activities,
        retried: req.query.retried === '1',
      });
    }),
  );

  router.get(
    '/:sessionId/dashboard/export.csv',
    wrap(async (_req, res, context) => {
      const { filename, body } = await deps.teaching.exportCsv(context.launch, context.locale, context.t);
      res.set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': contentDisposition(filename),
        'Cache-Control': 'no-store',
      });
      res.send(body);
    }),
  );

  router.get(
    '/:sessionId/dashboard/students/:userId',
    wrap(async (req, res, context) => {
      const { t, locale } = context;
      const userId = String(req.params.userId);
      const detail = await deps.teaching.getStudent(context.launch, userId, locale);
      const competences = competencesOf(scopeCodes(context.scope), locale);
      const skills = new Map<string, string>();
      for (const tube of framework.tubes) skills.set(tube.id, tube.practicalTitle[locale]);
      const skillText = (skillId: string | undefined) => {
        if (!skillId) return '—';
        const match = /^@(.+?)(\d)$/.exec(skillId);
        const tubeTitle = match?.[1] ? skills.get(match[1]) : undefined;
        return tubeTitle ? t('teaching.student.skill', { tube: tubeTitle, level: match?.[2] }) : skillId;
      };
      const name =
        detail.row.name ??
        ([detail.row.givenName, detail.row.familyName].filter(Boolean).join(' ') ||
          t('teaching.students.anonymous', { id: detail.row.userId }));
      res.render('teaching/student', {
        title: t('teaching.student.title', { name }),
        name,
        activityTitle: activityTitleOf(context),
        base: context.base,
        langQuery: context.langQuery,
        dashboardUrl: `${context.base}/dashboard${context.langQuery}`,
        retryAction: (entryId: string) =>
          `${context.base}/dashboard/grades/${encodeURIComponent(entryId)}/retry${context.langQuery}`,
        detail,
        row: detail.row,
        competences,
        competenceName: (code: string) =>
          competences.find((competence) => competence.code === code)?.name ?? code,
        skillText,
        formatSeconds: (seconds: number | undefined) => formatSeconds(seconds, t),
        retried: req.query.retried === '1',
      });
    }),
  );

  router.post(
    '/:sessionId/dashboard/grades/:entryId/retry',
    wrap(async (req, res, context) => {
      const entryId = String(req.params.entryId);
      await deps.teaching.retryGrade(context.launch, entryId);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const userId = typeof body.userId === 'string' && body.userId.length <= 255 ? body.userId : '';
      const params = new URLSearchParams({ ...(context.lang && { lang: context.lang }), retried: '1' });
      const target =
        body.from === 'student' && userId
          ? `${context.base}/dashboard/students/${encodeURIComponent(userId)}?${params}`
          : `${context.base}/dashboard?${params}#grade-sync`;
      res.redirect(303, target);
    }),
  );

  return router;
}
