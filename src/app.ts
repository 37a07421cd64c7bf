import path from 'node:path';
import cookieParser from 'cookie-parser';
import {
  createContentFilesRouter,
  createPreviewRouter,
  FILES_BASE_URL,
} from './framework/application/content-routes.js';
import type { ContentIndex } from './framework/domain/content-index.js';
import type { Framework } from './framework/domain/models.js';
import express, { type Express, type Router } from 'express';
import type { Config } from './shared/config/config.js';
import { errorHandler, notFoundHandler, requestContext } from './shared/application/http.js';
import { refuseCrossSiteWrites } from './shared/application/same-origin.js';
import { PROJECT_ROOT } from './shared/infrastructure/embedded-db/engine-binary.js';
import type { I18n } from './shared/infrastructure/i18n/i18n.js';
import type { Logger } from './shared/infrastructure/logger.js';

export interface AppDependencies {
  readonly config: Config;
  readonly logger: Logger;
  readonly i18n: I18n;
  /** Resolves when every dependency the app needs to serve requests (the database) answers. */
  readonly checkReadiness: () => Promise<void>;
  /** ltijs's app, mounted at /lti, and our pages for launched users, mounted at /app. */
  readonly lti?: { readonly ltijsApp: Express; readonly appRoutes: Router };
  /** The administrator's pages (/admin/platforms), behind HTTP Basic auth. */
  readonly admin?: Router;
  /** Where the local demo LMS runs (development only). */
  readonly demoUrl?: string;
  /** The challenge bank: its attached files are served, and previewed outside production. */
  readonly content?: { readonly dir: string; readonly framework: Framework; readonly index: ContentIndex };
}

const AREA_COUNT = 5;
const COMPETENCE_COUNT = 16;
const PIX_PER_LEVEL = 8;

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.config.trustProxy);
  app.set('view engine', 'ejs');
  app.set('views', path.join(PROJECT_ROOT, 'views'));
  // Compiled views are kept (src/server.ts compiles them all at start-up) except in development,
  // where an edited view shows on the next request.
  if (deps.config.env !== 'development') app.enable('view cache');

  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    next();
  });

  // Liveness: the process is up. No dependency is checked.
  app.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  // Readiness: the database answers. Load balancers stop routing here while it fails.
  app.get('/readyz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      await deps.checkReadiness();
      res.json({ status: 'ready' });
    } catch (error) {
      deps.logger.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable', reason: 'database' });
    }
  });

  // Simulators run in sandboxed iframes with an opaque origin: their module scripts and JSON files
  // are fetched cross-origin, so these public, cookie-less files allow any origin.
  app.use('/simulators', (_req, res, next) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    next();
  });
  app.use(
    express.static(path.join(PROJECT_ROOT, 'public'), {
      index: false,
      // Outside development the browser keeps them an hour: no render-blocking revalidation of
      // the stylesheet on every page of the player.
      maxAge: deps.config.env === 'development' ? 0 : '1h',
    }),
  );
  // ltijs parses its own bodies and signed cookies: it must see the raw request.
  if (deps.lti) app.use('/lti', deps.lti.ltijsApp);
  app.use(requestContext({ i18n: deps.i18n, logger: deps.logger }));
  app.use(cookieParser());
  if (deps.lti) {
    // The pages of a launched session post only to themselves: a write from another site is refused.
    app.use(
      '/app',
      refuseCrossSiteWrites({ publicUrl: deps.config.publicUrl, logger: deps.logger }),
      deps.lti.appRoutes,
    );
  }
  if (deps.admin) app.use('/admin', deps.admin);

  app.get('/', (_req, res) => {
    const maxLevel = deps.config.scoring.maxReachableLevel;
    res.render('shared/home', {
      framework: {
        areas: AREA_COUNT,
        competences: COMPETENCE_COUNT,
        maxLevel,
        maxPix: COMPETENCE_COUNT * maxLevel * PIX_PER_LEVEL,
      },
    });
  });

  if (deps.content) {
    app.use(
      FILES_BASE_URL,
      createContentFilesRouter({ contentDir: deps.content.dir, framework: deps.content.framework }),
    );
    if (deps.config.env !== 'production') {
      app.use('/dev/challenges', createPreviewRouter({ ...deps.content, i18n: deps.i18n }));
    }
  }

  if (deps.demoUrl) {
    const demoUrl = deps.demoUrl;
    app.get('/demo', (_req, res) => res.redirect(302, demoUrl));
  }

  app.use(notFoundHandler());
  app.use(errorHandler({ logger: deps.logger }));
  return app;
}
