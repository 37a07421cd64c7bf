import { randomUUID } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import jwt from 'jsonwebtoken';
import type { Area, Competence } from '../../framework/domain/models.js';
import { askedLanguage, setResponseLocale } from '../../shared/application/http.js';
import { positioningTitle } from './activity-title.js';
import type { Clock } from '../../shared/domain/clock.js';
import { resolveLocale, type Locale } from '../../shared/domain/locale.js';
import type { I18n } from '../../shared/infrastructure/i18n/i18n.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import {
  activityFromCustom,
  activityResourceId,
  activityToCustom,
  parseScope,
  scoreMaximumFor,
  type Activity,
} from '../domain/activity.js';
import { statusForLaunchFailure, type LaunchFailureReason } from '../domain/launch-failures.js';
import { customParameter, type Launch } from '../domain/launch.js';
import type { LaunchSession, LaunchSessionStore } from '../infrastructure/launch-session-store.js';
import type { GradeOutboxRepository } from '../infrastructure/grade-outbox-repository.js';
import type { OutboxEntry } from '../domain/grade-outbox.js';
import type { TeachingUseCases } from '../../teaching/application/ports.js';
import { LAUNCH_PATH, ltiProvider, type LtiHandlers } from '../infrastructure/lti-provider.js';

export const SESSION_LIFETIME_MS = 8 * 3600 * 1000;
export const sessionCookieName = (sessionId: string) => `pixlti_${sessionId}`;

export interface LaunchRoutesDependencies {
  readonly sessions: LaunchSessionStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly i18n: I18n;
  readonly publicUrl: string;
  readonly framework: { readonly areas: readonly Area[]; readonly competences: readonly Competence[] };
  readonly maxReachableLevel: number;
  /** The learner's pages (src/evaluation/application/learner-routes.ts), given the session loader. */
  readonly learnerRoutes?: (
    loadSession: (req: Request, res: Response) => Promise<LaunchSession | undefined>,
  ) => Router;
  /** The grade outbox, for the instructor's view of grade sync on this activity. */
  readonly outbox?: Pick<GradeOutboxRepository, 'listForResourceLink'>;
  /** The class dashboard (src/teaching): a learner's launch makes them a participant of the activity. */
  readonly teaching?: Pick<TeachingUseCases, 'recordLaunch'>;
  /** The instructor's dashboard (src/teaching/application/dashboard-routes.ts), given the session loader. */
  readonly dashboardRoutes?: (
    loadSession: (req: Request, res: Response) => Promise<LaunchSession | undefined>,
  ) => Router;
}

type ReasonGroup = 'notRegistered' | 'unknownDeployment' | 'cookies' | 'invalid';

function reasonGroup(reason: LaunchFailureReason): ReasonGroup {
  switch (reason) {
    case 'UNKNOWN_ISSUER':
    case 'UNKNOWN_CLIENT':
    case 'PLATFORM_INACTIVE':
      return 'notRegistered';
    case 'UNKNOWN_DEPLOYMENT':
      return 'unknownDeployment';
    case 'MISSING_STATE':
    case 'STATE_MISMATCH':
    case 'SESSION_EXPIRED':
      return 'cookies';
    default:
      return 'invalid';
  }
}

/** The language of a refused launch: its launch_presentation.locale if the token can be read at all. */
function refusedLaunchLocale(req: Request): Locale {
  const token = typeof req.body?.id_token === 'string' ? req.body.id_token : undefined;
  const decoded = token && token.length <= 64 * 1024 ? jwt.decode(token) : null;
  const presentation =
    decoded && typeof decoded === 'object'
      ? (decoded['https://purl.imsglobal.org/spec/lti/claim/launch_presentation'] as
          { locale?: unknown } | undefined)
      : undefined;
  const locale = typeof presentation?.locale === 'string' ? presentation.locale : undefined;
  return resolveLocale(locale, req.get('accept-language'));
}

function cookieOptions(publicUrl: string, maxAge: number) {
  const secure = publicUrl.startsWith('https://');
  return {
    httpOnly: true,
    secure,
    sameSite: secure ? ('none' as const) : ('lax' as const),
    partitioned: secure,
    path: '/app',
    maxAge,
  };
}

export function createLaunchHandlers(deps: LaunchRoutesDependencies): LtiHandlers {
  return {
    async onLaunch(launch, _req, res) {
      // The dashboard's record of the launch is written alongside the session, not after it: the
      // learner waits for one of the two, not both.
      const recorded =
        deps.teaching && launch.role === 'learner'
          ? deps.teaching.recordLaunch(launch).then(
              () => undefined,
              (error: unknown) => error,
            )
          : Promise.resolve(undefined);
      const [{ session, secret }, recordError] = await Promise.all([
        deps.sessions.create(launch, deps.clock.now(), SESSION_LIFETIME_MS),
        recorded,
      ]);
      deps.logger.info(
        { session: session.id, role: launch.role, messageType: launch.messageType, issuer: launch.issuer },
        'launch accepted',
      );
      // recordLaunch logs its own failures; this guard keeps any other from refusing the launch.
      if (recordError !== undefined) {
        deps.logger.warn(
          { err: recordError, session: session.id },
          'could not record the launch for the dashboard',
        );
      }
      res.cookie(sessionCookieName(session.id), secret, cookieOptions(deps.publicUrl, SESSION_LIFETIME_MS));
      res.redirect(303, `/app/${session.id}`);
    },
    onRefusal(reason, detail, req, res) {
      const correlationId = randomUUID();
      const status = statusForLaunchFailure(reason);
      deps.logger.warn({ reason, detail, correlationId, path: req.path, status }, 'launch refused');
      const locale = refusedLaunchLocale(req);
      setResponseLocale(res, deps.i18n, locale);
      res.locals.correlationId = correlationId;
      res.status(status).render('lti/launch-error', { group: reasonGroup(reason), reason, correlationId });
    },
  };
}

function activityTitle(
  activity: Activity | undefined,
  deps: LaunchRoutesDependencies,
  res: Response,
): string {
  const t = res.locals.t as (key: string, options?: Record<string, unknown>) => string;
  if (!activity) return t('lti.activity.unknown');
  if (activity.kind === 'practice') return t('lti.activity.practice', { id: activity.targetProfileId });
  if (activity.kind === 'mock-certification') return t('lti.activity.mockCertification');
  return positioningTitle(activity.scope, deps.framework, t, res.locals.locale as Locale);
}

function competencesIn(activity: Activity, deps: LaunchRoutesDependencies): number {
  if (activity.kind !== 'positioning') return deps.framework.competences.length;
  const { scope } = activity;
  if (scope.type === 'all') return deps.framework.competences.length;
  if (scope.type === 'area')
    return deps.framework.competences.filter((c) => c.areaCode === scope.code).length;
  return deps.framework.competences.some((c) => c.code === scope.code) ? 1 : 0;
}

/** The signed LtiDeepLinkingResponse, built here rather than by ltijs (ADR 0003: its errormsg bug). */
async function deepLinkingResponse(launch: Launch, items: unknown[], clock: Clock): Promise<string> {
  const settings = launch.deepLinking;
  if (!settings) throw new Error('not a deep-linking launch');
  const platform = await ltiProvider().getPlatform(launch.issuer, launch.clientId);
  if (!platform) throw new Error('platform no longer registered');
  const privateKey =
    (await (platform as unknown as { platformPrivateKey(): Promise<string> }).platformPrivateKey()) ?? '';
  const now = Math.floor(clock.now().getTime() / 1000);
  return jwt.sign(
    {
      iss: launch.clientId,
      aud: launch.issuer,
      iat: now,
      exp: now + 60,
      nonce: randomUUID(),
      'https://purl.imsglobal.org/spec/lti/claim/deployment_id': launch.deploymentId,
      'https://purl.imsglobal.org/spec/lti/claim/message_type': 'LtiDeepLinkingResponse',
      'https://purl.imsglobal.org/spec/lti/claim/version': '1.3.0',
      'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': items,
      ...(settings.data !== undefined && {
        'https://purl.imsglobal.org/spec/lti-dl/claim/data': settings.data,
      }),
    },
    privateKey,
    { algorithm: 'RS256', keyid: await platform.platformKid() },
  );
}

export function createAppRoutes(deps: LaunchRoutesDependencies): Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));

  const loadSession = async (req: Request, res: Response): Promise<LaunchSession | undefined> => {
    const id = String(req.params.sessionId ?? '');
    const secret = (req.cookies as Record<string, string> | undefined)?.[sessionCookieName(id)];
    const session = await deps.sessions.find(id, secret, deps.clock.now());
    if (!session) {
      res.status(401).render('lti/launch-error', {
        group: 'cookies',
        reason: 'SESSION_EXPIRED',
        correlationId: res.locals.correlationId,
      });
      return undefined;
    }
    // The launch's locale, unless the learner asked for the other language with the switch.
    const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
    setResponseLocale(res, deps.i18n, asked ? resolveLocale(asked) : session.launch.locale);
    res.locals.session = session;
    return session;
  };

  if (deps.dashboardRoutes) router.use(deps.dashboardRoutes(loadSession));
  if (deps.learnerRoutes) router.use(deps.learnerRoutes(loadSession));

  router.get('/:sessionId', async (req, res, next) => {
    try {
      const session = await loadSession(req, res);
      if (!session) return;
      const { launch } = session;
      if (launch.messageType === 'LtiDeepLinkingRequest') {
        if (launch.role !== 'instructor') {
          res.status(403).render('shared/error', { kind: 'forbidden', message: '', correlationId: '' });
          return;
        }
        res.render('lti/deep-linking', {
          sessionId: session.id,
          areas: deps.framework.areas,
          competences: deps.framework.competences,
          error: '',
        });
        return;
      }
      const activity = activityFromCustom((name) => customParameter(launch, name));
      let gradeSync: { delivered: number; pending: number; failed: OutboxEntry[] } | undefined;
      if (launch.role === 'instructor' && launch.resourceLink && deps.outbox) {
        const entries = await deps.outbox.listForResourceLink({
          issuer: launch.issuer,
          clientId: launch.clientId,
          deploymentId: launch.deploymentId,
          resourceLinkId: launch.resourceLink.id,
        });
        gradeSync = {
          delivered: entries.filter((entry) => entry.status === 'delivered').length,
          pending: entries.filter((entry) => entry.status === 'pending').length,
          failed: entries.filter((entry) => entry.status === 'dead'),
        };
      }
      const lang = askedLanguage(req.query);
      res.render(launch.role === 'instructor' ? 'lti/instructor-home' : 'lti/learner-home', {
        launch,
        activityTitle: activityTitle(activity, deps, res),
        gradeSync,
        // The class dashboard of a positioning activity of a course (teaching context).
        dashboardUrl:
          deps.dashboardRoutes && launch.context && launch.resourceLink && activity?.kind === 'positioning'
            ? `/app/${encodeURIComponent(session.id)}/dashboard${lang ? `?lang=${lang}` : ''}`
            : undefined,
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/:sessionId/deep-linking', async (req, res, next) => {
    try {
      const session = await loadSession(req, res);
      if (!session) return;
      const { launch } = session;
      if (
        launch.messageType !== 'LtiDeepLinkingRequest' ||
        launch.role !== 'instructor' ||
        !launch.deepLinking
      ) {
        res.status(403).render('shared/error', { kind: 'forbidden', message: '', correlationId: '' });
        return;
      }
      const choice = String(req.body?.choice ?? '');
      const scope = choice === 'all' ? parseScope('all') : parseScope(choice);
      const activity: Activity | undefined = scope ? { kind: 'positioning', scope } : undefined;
      const t = res.locals.t as (key: string) => string;
      if (!activity || (scope?.type !== 'all' && competencesIn(activity, deps) === 0)) {
        res.status(400).render('lti/deep-linking', {
          sessionId: session.id,
          areas: deps.framework.areas,
          competences: deps.framework.competences,
          error: t('lti.picker.invalidChoice'),
        });
        return;
      }
      const title = activityTitle(activity, deps, res);
      const item = {
        type: 'ltiResourceLink',
        title,
        url: `${deps.publicUrl}${LAUNCH_PATH}`,
        custom: activityToCustom(activity),
        ...(launch.deepLinking.acceptLineItem && {
          lineItem: {
            scoreMaximum: scoreMaximumFor(activity, competencesIn(activity, deps), deps.maxReachableLevel),
            label: title,
            resourceId: activityResourceId(activity),
            tag: 'pix-lti',
          },
        }),
      };
      const signed = await deepLinkingResponse(launch, [item], deps.clock);
      deps.logger.info(
        { session: session.id, activity: activityResourceId(activity) },
        'deep-linking response sent',
      );
      res.render('lti/deep-linking-return', { returnUrl: launch.deepLinking.returnUrl, jwt: signed });
    } catch (error) {
      next(error);
    }
  });

  return router;
}
