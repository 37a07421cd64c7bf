/**
 * The learner's pages of a positioning activity, under /app/:sessionId (mounted by
 * src/lti/application/launch-routes.ts): the activity page, starting or resuming a competence, the
 * challenge player, answers, skips and focus losses, and the results.
 *
 * Every write is a POST answered by a 303 to a GET page (post/redirect/get), and GETs write nothing:
 * the positioning is created by the start POST, and the next challenge is picked and served by the
 * POST that starts or answers (a reload shows the same page). The form carries the
 * position of the challenge it answers: a resubmission (double click, reload, back) returns the
 * stored result and never stores a second answer (submitAnswer is idempotent per position).
 * Grades are queued in the outbox (queueScore): a learner's request never waits for the LMS.
 */
import { askedLanguage } from '../../shared/application/http.js';
import express, { type Request, type Response, type Router } from 'express';
import type { Area, Challenge, Competence, Locale } from '../../framework/domain/models.js';
import { presentChallenge, type ChallengeView } from '../../framework/application/challenge-view.js';
import { answerFromForm, challengeViewOptions } from '../../framework/application/content-routes.js';
import { positioningTitle } from '../../lti/application/activity-title.js';
import { queueScore } from '../../lti/application/grade-passback.js';
import { activityFromCustom, activityResourceId, type PositioningScope } from '../../lti/domain/activity.js';
import type { ActivityProgress } from '../../lti/domain/grade-outbox.js';
import { customParameter, type Launch } from '../../lti/domain/launch.js';
import type { GradeOutboxRepository } from '../../lti/infrastructure/grade-outbox-repository.js';
import type { LaunchSession } from '../../lti/infrastructure/launch-session-store.js';
import type { Clock } from '../../shared/domain/clock.js';
import { DomainError } from '../../shared/domain/errors.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import type { PositioningStanding, PositioningView, StartPositioningInput } from './positioning.js';
import type { NextChallengeView } from './next-challenge.js';
import { renderRosace } from './rosace.js';
import type { EvaluationUseCases } from './use-cases.js';
import type { TeachingUseCases } from '../../teaching/application/ports.js';

export type SessionLoader = (req: Request, res: Response) => Promise<LaunchSession | undefined>;

export interface LearnerRoutesDependencies {
  readonly evaluation: EvaluationUseCases;
  readonly outbox: GradeOutboxRepository;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly framework: { readonly areas: readonly Area[]; readonly competences: readonly Competence[] };
  /** The class dashboard's snapshots (src/teaching): refreshed after each start, answer, skip, completion. */
  readonly teaching?: Pick<TeachingUseCases, 'refreshParticipant'>;
}

type T = (key: string, options?: Record<string, unknown>) => string;

/** Errors that only mean "the page you came from is stale": the assessment page shows the truth. */
const STALE_CODES = new Set(['CHALLENGE_NOT_SERVED', 'ASSESSMENT_NOT_ONGOING']);

interface LearnerContext {
  readonly session: LaunchSession;
  readonly launch: Launch;
  readonly scope: PositioningScope;
  readonly locale: Locale;
  readonly base: string;
  /** `?lang=xx` when the learner switched language, kept across redirects. */
  readonly langQuery: string;
}

/** The launch's locale unless the page was asked in the other language. */
function langQueryOf(req: Request): string {
  const lang = askedLanguage(req.query);
  return lang ? `?lang=${lang}` : '';
}

/**
 * Rebuilds `answer` from a body parsed without nested objects: `answer[key]` fields become an
 * object, repeated `answer` fields (QCM) stay an array.
 */
export function answerBody(body: Record<string, unknown>): Record<string, unknown> {
  const nested: Record<string, string> = {};
  let hasNested = false;
  for (const [name, value] of Object.entries(body)) {
    const match = /^answer\[([^\]]{1,64})\]$/.exec(name);
    if (match?.[1] && typeof value === 'string') {
      nested[match[1]] = value;
      hasNested = true;
    }
  }
  if (hasNested) return { answer: nested };
  if (body.answer && typeof body.answer === 'object' && !Array.isArray(body.answer)) {
    return { answer: body.answer };
  }
  return { answer: body.answer };
}

function positionOf(body: Record<string, unknown>): number {
  const text = typeof body.position === 'string' ? body.position : '';
  return /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
}

export function createLearnerRoutes(deps: LearnerRoutesDependencies, loadSession: SessionLoader): Router {
  const router = express.Router();

  // The bank does not change while the tool runs: a challenge's Markdown is rendered once per language.
  const presented = new Map<string, ChallengeView>();
  function present(challenge: Challenge, locale: Locale, t: T): ChallengeView {
    const key = `${locale}:${challenge.id}`;
    let view = presented.get(key);
    if (!view) {
      view = presentChallenge(challenge, locale, challengeViewOptions(t));
      presented.set(key, view);
    }
    return view;
  }

  /** The learner's context, or undefined when the launch is not a learner's positioning launch. */
  async function contextOf(req: Request, res: Response): Promise<LearnerContext | undefined | 'handled'> {
    const session = await loadSession(req, res);
    if (!session) return 'handled';
    const { launch } = session;
    if (launch.messageType === 'LtiDeepLinkingRequest') return undefined;
    const activity = activityFromCustom((name) => customParameter(launch, name));
    if (activity?.kind !== 'positioning') return undefined;
    return {
      session,
      launch,
      scope: activity.scope,
      locale: res.locals.locale as Locale,
      base: `/app/${encodeURIComponent(session.id)}`,
      langQuery: langQueryOf(req),
    };
  }

  function positioningInput(context: LearnerContext): StartPositioningInput {
    return {
      learnerKey: context.launch.learnerKey,
      scope: context.scope,
      locale: context.launch.locale,
      ...(context.launch.resourceLink && { activityId: context.launch.resourceLink.id }),
    };
  }

  /** Creates the learner's positioning for this activity (or returns it): POST only. */
  function positioningOf(context: LearnerContext): Promise<PositioningView> {
    return deps.evaluation.startPositioning(positioningInput(context));
  }

  /** Where the learner stands, creating nothing: what GET pages show. */
  function standingOf(context: LearnerContext): Promise<PositioningStanding> {
    return deps.evaluation.readPositioning(positioningInput(context));
  }

  /** Picks and serves the next challenge (or ends the competence), so that the GET that follows only reads. */
  function serveNext(context: LearnerContext, assessmentId: string): Promise<NextChallengeView> {
    return deps.evaluation.getNextChallenge({ assessmentId, learnerKey: context.launch.learnerKey });
  }

  /**
   * After a serve: one that ended the competence (nothing left to ask) changes the grade, and the
   * dashboard's snapshot is read once the serve is written, never alongside it.
   */
  async function afterServe(context: LearnerContext, served: NextChallengeView | undefined, t: T) {
    await Promise.all([
      served?.kind === 'completed'
        ? standingOf(context).then((standing) => queueProgress(context, standing, 'InProgress', t))
        : undefined,
      // Never throws: the dashboard's snapshot is not the learner's concern.
      deps.teaching?.refreshParticipant(context.launch),
    ]);
  }

  /** Queues the activity's progress for the gradebook; a failure is logged, never shown. */
  async function queueProgress(
    context: LearnerContext,
    view: PositioningStanding,
    progress: ActivityProgress,
    t: T,
  ): Promise<void> {
    try {
      const completed = view.completed;
      await queueScore(
        { outbox: deps.outbox, clock: deps.clock },
        context.launch,
        {
          label: positioningTitle(context.scope, deps.framework, t, context.launch.locale),
          scoreMaximum: view.maxPix,
          resourceId: activityResourceId({ kind: 'positioning', scope: context.scope }),
          tag: 'pix-lti',
        },
        {
          scoreGiven: view.pix,
          scoreMaximum: view.maxPix,
          activityProgress: completed ? 'Completed' : progress,
          gradingProgress: completed ? 'FullyGraded' : 'Pending',
        },
      );
    } catch (error) {
      deps.logger.warn({ err: error, session: context.session.id }, 'could not queue the score');
    }
  }

  const wrap =
    (
      handler: (req: Request, res: Response, context: LearnerContext) => Promise<void | 'next'>,
      fallThrough = false,
    ) =>
    async (req: Request, res: Response, next: express.NextFunction) => {
      try {
        const context = await contextOf(req, res);
        if (context === 'handled') return;
        if (!context) {
          if (fallThrough) next();
          else res.status(404).render('shared/error', { kind: 'notFound', message: '', correlationId: '' });
          return;
        }
        if ((await handler(req, res, context)) === 'next') next();
      } catch (error) {
        next(error);
      }
    };

  // The activity page: what it covers, where the learner stands, start or resume. Instructors
  // and other activities keep the launch routes' pages.
  router.get(
    '/:sessionId',
    wrap(async (_req, res, context) => {
      if (context.launch.role === 'instructor') return 'next';
      const t = res.locals.t as T;
      const view = await standingOf(context);
      const started = view.competences.filter((competence) => competence.status !== 'not-started').length;
      const status = view.completed ? 'completed' : started > 0 ? 'in-progress' : 'not-started';
      const next =
        view.competences.find((competence) => competence.status === 'in-progress') ??
        view.competences.find((competence) => competence.status === 'not-started');
      // Back and reload must show where the learner really is, never a cached status.
      res.set('Cache-Control', 'no-store');
      res.render('evaluation/activity', {
        title: positioningTitle(context.scope, deps.framework, t, context.locale),
        launch: context.launch,
        base: context.base,
        langQuery: context.langQuery,
        view,
        status,
        next,
        completedCount: view.competences.filter((competence) => competence.status === 'completed').length,
        areas: deps.framework.areas,
      });
    }, true),
  );

  // Start (or resume) a competence of the scope.
  router.post(
    '/:sessionId/competences/:code',
    wrap(async (req, res, context) => {
      const t = res.locals.t as T;
      const before = await positioningOf(context);
      const assessment = await deps.evaluation.startCompetenceEvaluation({
        learnerKey: context.launch.learnerKey,
        competenceCode: String(req.params.code),
        locale: context.launch.locale,
        positioningId: before.positioning.id,
      });
      const firstStart = before.competences.every((competence) => competence.status === 'not-started');
      // The first challenge and the start's grade, side by side: starting changes no score (the
      // standing before the start, now under way, is the grade).
      const [served] = await Promise.all([
        assessment.state === 'started' ? serveNext(context, assessment.id) : undefined,
        firstStart ? queueProgress(context, { ...before, completed: false }, 'Started', t) : undefined,
      ]);
      // Serving may end the competence at once: its grade and the snapshot come after the serve.
      await afterServe(context, served, t);
      res.redirect(
        303,
        `${context.base}/assessments/${encodeURIComponent(assessment.id)}${context.langQuery}`,
      );
    }),
  );

  // The player: the served challenge (exactly the same one after a reload), or the end of the competence.
  router.get(
    '/:sessionId/assessments/:assessmentId',
    wrap(async (req, res, context) => {
      const t = res.locals.t as T;
      const assessmentId = String(req.params.assessmentId);
      const view = await deps.evaluation.getCurrentChallenge({
        assessmentId,
        learnerKey: context.launch.learnerKey,
      });
      const competence = deps.framework.competences.find(
        (candidate) => candidate.code === view.competenceCode,
      );
      const common = {
        base: context.base,
        langQuery: context.langQuery,
        assessmentUrl: `${context.base}/assessments/${encodeURIComponent(assessmentId)}`,
        competenceName: competence ? `${competence.code} ${competence.name[context.locale]}` : '',
        levelUp:
          typeof req.query.levelup === 'string' && /^[1-8]$/.test(req.query.levelup)
            ? Number(req.query.levelup)
            : undefined,
      };
      res.set('Cache-Control', 'no-store');
      if (view.kind === 'unserved') {
        // Nothing served yet (the POST that answered did not get to it): serving is a POST's job.
        res.render('evaluation/continue', { ...common, title: t('learner.player.continueTitle') });
        return;
      }
      if (view.kind === 'completed') {
        const positioning = await standingOf(context);
        res.render('evaluation/competence-done', {
          ...common,
          title: t('learner.done.title'),
          score: view.score,
          allCompleted: positioning.completed,
        });
        return;
      }
      const challenge = present(view.challenge as unknown as Challenge, context.locale, t);
      res.render('evaluation/challenge', {
        ...common,
        title: t('learner.player.title', { position: view.position }),
        challenge,
        position: view.position,
        remainingSeconds: view.remainingMs === undefined ? undefined : Math.ceil(view.remainingMs / 1000),
        focusedOut: view.focusedOut,
        simulatorId: view.challenge.embed?.simulatorId,
      });
    }),
  );

  async function afterAnswer(
    req: Request,
    res: Response,
    context: LearnerContext,
    action: () => Promise<{ result: { levelBefore: number; levelAfter: number } } | undefined>,
  ): Promise<void> {
    const t = res.locals.t as T;
    const target = `${context.base}/assessments/${encodeURIComponent(String(req.params.assessmentId))}`;
    let levelUp: number | undefined;
    try {
      const outcome = await action();
      if (outcome && outcome.result.levelAfter > outcome.result.levelBefore)
        levelUp = outcome.result.levelAfter;
      // Serving may end the competence: the grade and the dashboard's snapshot come after it.
      await serveNext(context, String(req.params.assessmentId));
      await Promise.all([
        standingOf(context).then((standing) => queueProgress(context, standing, 'InProgress', t)),
        // Never throws: the dashboard's snapshot is not the learner's concern.
        deps.teaching?.refreshParticipant(context.launch),
      ]);
    } catch (error) {
      if (!(error instanceof DomainError && STALE_CODES.has(error.code))) throw error;
    }
    const query = new URLSearchParams(context.langQuery.slice(1));
    if (levelUp !== undefined) query.set('levelup', String(levelUp));
    const search = query.toString();
    res.redirect(303, `${target}${search ? `?${search}` : ''}`);
  }

  router.post(
    '/:sessionId/assessments/:assessmentId/answers',
    wrap(async (req, res, context) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const position = positionOf(body);
      const assessmentId = String(req.params.assessmentId);
      const learnerKey = context.launch.learnerKey;
      await afterAnswer(req, res, context, async () => {
        const current = await deps.evaluation.getNextChallenge({ assessmentId, learnerKey });
        // Only the challenge being served is read from the form; any other position is a
        // resubmission (its stored result comes back) or a stale page.
        const value =
          current.kind === 'challenge' && current.position === position
            ? answerFromForm(current.challenge.type, answerBody(body))
            : '';
        return deps.evaluation.submitAnswer({
          assessmentId,
          learnerKey,
          position,
          value,
          focusedOut: body.focusedOut === '1',
        });
      });
    }),
  );

  router.post(
    '/:sessionId/assessments/:assessmentId/skip',
    wrap(async (req, res, context) => {
      const position = positionOf((req.body ?? {}) as Record<string, unknown>);
      await afterAnswer(req, res, context, () =>
        deps.evaluation.skipChallenge({
          assessmentId: String(req.params.assessmentId),
          learnerKey: context.launch.learnerKey,
          position,
        }),
      );
    }),
  );

  router.post(
    '/:sessionId/assessments/:assessmentId/complete',
    wrap(async (req, res, context) => {
      await afterAnswer(req, res, context, async () => {
        await deps.evaluation.completeCompetence({
          assessmentId: String(req.params.assessmentId),
          learnerKey: context.launch.learnerKey,
        });
        return undefined;
      });
    }),
  );

  // Serves the next challenge when none is served (the continue page of the player).
  router.post(
    '/:sessionId/assessments/:assessmentId/next',
    wrap(async (req, res, context) => {
      const assessmentId = String(req.params.assessmentId);
      try {
        // Serving may end the competence: its grade and the snapshot come after it.
        await afterServe(context, await serveNext(context, assessmentId), res.locals.t as T);
      } catch (error) {
        if (!(error instanceof DomainError && STALE_CODES.has(error.code))) throw error;
      }
      res.redirect(
        303,
        `${context.base}/assessments/${encodeURIComponent(assessmentId)}${context.langQuery}`,
      );
    }),
  );

  // Reported once by public/js/focus.js (fetch), or by a form without scripts.
  router.post(
    '/:sessionId/assessments/:assessmentId/focus-out',
    wrap(async (req, res, context) => {
      const assessmentId = String(req.params.assessmentId);
      const position = positionOf((req.body ?? {}) as Record<string, unknown>);
      try {
        await deps.evaluation.recordFocusOut({
          assessmentId,
          learnerKey: context.launch.learnerKey,
          position,
        });
      } catch (error) {
        if (!(error instanceof DomainError && STALE_CODES.has(error.code))) throw error;
      }
      if (req.get('x-requested-with') === 'fetch') {
        res.status(204).end();
        return;
      }
      res.redirect(
        303,
        `${context.base}/assessments/${encodeURIComponent(assessmentId)}${context.langQuery}`,
      );
    }),
  );

  // Results: competence cards, total, the rosace and its table, eligibility, tutorials.
  router.get(
    '/:sessionId/results',
    wrap(async (_req, res, context) => {
      const t = res.locals.t as T;
      const [view, profile] = await Promise.all([
        standingOf(context),
        deps.evaluation.getProfile({ learnerKey: context.launch.learnerKey, locale: context.locale }),
      ]);
      const inScope = new Set(view.competences.map((competence) => competence.code));
      res.set('Cache-Control', 'no-store');
      res.render('evaluation/results', {
        title: t('learner.results.title'),
        base: context.base,
        langQuery: context.langQuery,
        activityTitle: positioningTitle(context.scope, deps.framework, t, context.locale),
        view,
        profile,
        scoped: profile.competences.filter((competence) => inScope.has(competence.code)),
        rosaceSvg: renderRosace(
          profile,
          t('learner.results.rosaceLabel', {
            pix: profile.totalPix,
            max: profile.maxTotalPix,
          }),
        ),
      });
    }),
  );

  return router;
}
