import type { OutboxEntry } from '../domain/grade-outbox.js';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../shared/infrastructure/logger.js';
import { PlatformAdminError, type PlatformAdmin, type PlatformAdminErrorCode } from './platform-admin.js';

/**
 * /admin/platforms: the LMS registrations and their deployments, for the tool's administrator.
 * - Absent (404) unless ADMIN_PASSWORD is set; HTTP Basic auth otherwise (any user name), the
 *   password compared in constant time.
 * - Every form carries a CSRF token: an HMAC of a random value kept in a SameSite=Strict cookie
 *   scoped to /admin (a signed double-submit token), checked before any change.
 * - Post/redirect/get: each change answers 303 to the list, with a message code in the query.
 * - Never framed, never cached.
 */

export interface AdminRoutesDependencies {
  /** ADMIN_PASSWORD; the pages answer 404 when it is unset. */
  readonly password: string | undefined;
  /** Signs the CSRF tokens (the LTI encryption key). */
  readonly csrfSecret: string;
  readonly admin: PlatformAdmin;
  readonly logger: Logger;
  /** Secure cookies (PUBLIC_URL is https). */
  readonly secureCookies: boolean;
  /** The grade outbox's dead letter: scores the LMS refused for good, and their retry. */
  readonly grades?: {
    listDead(limit: number): Promise<readonly OutboxEntry[]>;
    retry(entryId: string, now: Date): Promise<boolean>;
    now(): Date;
  };
}

export const ADMIN_CSRF_COOKIE = 'pixlti_admin_csrf';
export const ADMIN_REALM = 'pix-lti admin';

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/** True when an `Authorization: Basic …` header carries the expected password (any user name). */
export function basicAuthPasswordMatches(header: string | undefined, expected: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  let given = '';
  if (match?.[1]) {
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    given = colon >= 0 ? decoded.slice(colon + 1) : '';
  }
  // Hashing first gives equal lengths, so timingSafeEqual never leaks the expected length.
  const same = timingSafeEqual(sha256(given), sha256(expected));
  return match !== null && same;
}

const CSRF_VALUE = /^[A-Za-z0-9_-]{43}$/;

export function csrfTokenFor(secret: string, cookieValue: string): string {
  const key = createHash('sha256').update(`pix-lti admin csrf\0${secret}`).digest();
  return createHmac('sha256', key).update(cookieValue).digest('base64url');
}

export function csrfTokenIsValid(secret: string, cookieValue: unknown, token: unknown): boolean {
  if (typeof cookieValue !== 'string' || !CSRF_VALUE.test(cookieValue) || typeof token !== 'string') {
    return false;
  }
  const expected = Buffer.from(csrfTokenFor(secret, cookieValue));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const DONE_CODES = [
  'activated',
  'deactivated',
  'deploymentAdded',
  'deploymentRemoved',
  'autoDeploymentsOn',
  'autoDeploymentsOff',
] as const;
type DoneCode = (typeof DONE_CODES)[number];

const ERROR_CODES: readonly PlatformAdminErrorCode[] = [
  'INVALID_URL',
  'INVALID_CLIENT_ID',
  'INVALID_NAME',
  'INVALID_DEPLOYMENT_ID',
  'PLATFORM_EXISTS',
  'UNKNOWN_PLATFORM',
  'DEPLOYMENT_EXISTS',
  'UNKNOWN_DEPLOYMENT',
];

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

export function createAdminRoutes(deps: AdminRoutesDependencies): Router {
  const router = express.Router();
  const { password } = deps;

  router.use((_req, _res, next) => {
    // Without a password there is no admin area at all.
    if (!password) {
      next('router');
      return;
    }
    next();
  });

  router.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    next();
  });

  router.use((req, res, next) => {
    if (basicAuthPasswordMatches(req.get('authorization'), password ?? '')) {
      next();
      return;
    }
    if (req.get('authorization')) {
      deps.logger.warn({ path: req.originalUrl.split('?')[0], ip: req.ip }, 'admin authentication failed');
    }
    res.setHeader('WWW-Authenticate', `Basic realm="${ADMIN_REALM}", charset="UTF-8"`);
    res.status(401).render('admin/refused', { kind: 'unauthorized' });
  });

  router.use(cookieParser());
  router.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));

  const localeQuery = (res: Response) => `lang=${encodeURIComponent(String(res.locals.locale ?? 'fr'))}`;
  const backToList = (res: Response, outcome: { done: DoneCode } | { error: PlatformAdminErrorCode }) => {
    const [key, value] = 'done' in outcome ? ['done', outcome.done] : ['error', outcome.error];
    res.redirect(303, `/admin/platforms?${key}=${value}&${localeQuery(res)}`);
  };

  const csrfCookieOf = (req: Request, res: Response): string => {
    const existing = (req.cookies as Record<string, unknown> | undefined)?.[ADMIN_CSRF_COOKIE];
    if (typeof existing === 'string' && CSRF_VALUE.test(existing)) return existing;
    const fresh = randomBytes(32).toString('base64url');
    res.cookie(ADMIN_CSRF_COOKIE, fresh, {
      httpOnly: true,
      sameSite: 'strict',
      secure: deps.secureCookies,
      path: '/admin',
    });
    return fresh;
  };

  const requireCsrf = (req: Request, res: Response, next: NextFunction) => {
    const cookie = (req.cookies as Record<string, unknown> | undefined)?.[ADMIN_CSRF_COOKIE];
    if (csrfTokenIsValid(deps.csrfSecret, cookie, field(req, '_csrf'))) {
      next();
      return;
    }
    deps.logger.warn({ path: req.originalUrl.split('?')[0] }, 'admin form refused: bad CSRF token');
    res.status(403).render('admin/refused', { kind: 'csrf' });
  };

  const action =
    (run: (req: Request) => Promise<DoneCode>, what: string) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const issuer = field(req, 'issuer');
      const clientId = field(req, 'clientId');
      try {
        const done = await run(req);
        deps.logger.info({ action: what, issuer, clientId, done }, 'admin change');
        backToList(res, { done });
      } catch (error) {
        if (error instanceof PlatformAdminError) {
          deps.logger.info({ action: what, issuer, clientId, code: error.code }, 'admin change refused');
          backToList(res, { error: error.code });
          return;
        }
        next(error);
      }
    };

  router.get('/', (_req, res) => {
    res.redirect(303, `/admin/platforms?${localeQuery(res)}`);
  });

  router.get('/platforms', async (req, res, next) => {
    try {
      const done = typeof req.query.done === 'string' ? req.query.done : '';
      const error = typeof req.query.error === 'string' ? req.query.error : '';
      res.render('admin/platforms', {
        platforms: await deps.admin.listPlatforms(),
        endpoints: deps.admin.toolEndpoints(),
        csrfToken: csrfTokenFor(deps.csrfSecret, csrfCookieOf(req, res)),
        done: (DONE_CODES as readonly string[]).includes(done) ? done : undefined,
        error: (ERROR_CODES as readonly string[]).includes(error) ? error : undefined,
        formQuery: localeQuery(res),
      });
    } catch (error) {
      next(error);
    }
  });

  router.get('/grades', async (req, res, next) => {
    try {
      if (!deps.grades) {
        next();
        return;
      }
      res.render('admin/grades', {
        dead: await deps.grades.listDead(200),
        csrfToken: csrfTokenFor(deps.csrfSecret, csrfCookieOf(req, res)),
        retried: req.query.done === 'retried',
        formQuery: localeQuery(res),
      });
    } catch (error) {
      next(error);
    }
  });

  router.post('/grades/retry', requireCsrf, async (req, res, next) => {
    try {
      if (!deps.grades) {
        next();
        return;
      }
      const id = field(req, 'id');
      const retried = await deps.grades.retry(id, deps.grades.now());
      deps.logger.info({ action: 'retry-grade', entry: id, retried }, 'admin change');
      res.redirect(303, `/admin/grades?${retried ? 'done=retried&' : ''}${localeQuery(res)}`);
    } catch (error) {
      next(error);
    }
  });

  router.post(
    '/platforms/active',
    requireCsrf,
    action(async (req) => {
      const active = field(req, 'active') === 'true';
      await deps.admin.setActive(field(req, 'issuer'), field(req, 'clientId'), active);
      return active ? 'activated' : 'deactivated';
    }, 'set-active'),
  );

  router.post(
    '/platforms/deployments',
    requireCsrf,
    action(async (req) => {
      await deps.admin.addDeployment(
        field(req, 'issuer'),
        field(req, 'clientId'),
        field(req, 'deploymentId'),
      );
      return 'deploymentAdded';
    }, 'add-deployment'),
  );

  router.post(
    '/platforms/deployments/remove',
    requireCsrf,
    action(async (req) => {
      await deps.admin.removeDeployment(
        field(req, 'issuer'),
        field(req, 'clientId'),
        field(req, 'deploymentId'),
      );
      return 'deploymentRemoved';
    }, 'remove-deployment'),
  );

  router.post(
    '/platforms/auto-deployments',
    requireCsrf,
    action(async (req) => {
      const enabled = field(req, 'enabled') === 'true';
      await deps.admin.setAutoDeployments(field(req, 'issuer'), field(req, 'clientId'), enabled);
      return enabled ? 'autoDeploymentsOn' : 'autoDeploymentsOff';
    }, 'set-auto-deployments'),
  );

  return router;
}
