import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Config } from './shared/config/config.js';
import {
  DEFAULT_CONTENT_DIR,
  loadContentOrThrow,
} from './framework/infrastructure/content/content-loader.js';
import { createAppRoutes, createLaunchHandlers } from './lti/application/launch-routes.js';
import {
  createMongoLaunchSessionStore,
  LAUNCH_SESSIONS_COLLECTION,
} from './lti/infrastructure/launch-session-store.js';
import { createMongoLaunchStore, LAUNCH_COLLECTIONS } from './lti/infrastructure/launch-store.js';
import { createAdminRoutes } from './lti/application/admin-routes.js';
import { createDynamicRegistrationHandler } from './lti/application/dynamic-registration.js';
import { createPlatformAdmin } from './lti/application/platform-admin.js';
import { createLtijsPlatformRegistry } from './lti/infrastructure/platform-registry.js';
import { serviceCredentials, startLti, stopLti } from './lti/infrastructure/lti-provider.js';
import { createGradeWorker, type GradeWorker } from './lti/application/grade-passback.js';
import { createAgsClient } from './lti/infrastructure/ags-client.js';
import { createServiceClient } from './lti/infrastructure/service-client.js';
import { createRosterService, ROSTERS_COLLECTION, type RosterService } from './lti/infrastructure/roster.js';
import { createMongoGradeOutbox, GRADE_COLLECTIONS } from './lti/infrastructure/grade-outbox-repository.js';
import type { EvaluationUseCases } from './evaluation/application/use-cases.js';
import { createMongoEvaluation } from './evaluation/infrastructure/mongo-evaluation.js';
import { createLearnerRoutes } from './evaluation/application/learner-routes.js';
import { createDashboardRoutes } from './teaching/application/dashboard-routes.js';
import type { TeachingUseCases } from './teaching/application/ports.js';
import { createTeachingUseCases } from './teaching/application/use-cases.js';
import {
  createMongoParticipantRepository,
  PARTICIPANT_COLLECTIONS,
} from './teaching/infrastructure/participant-repository.js';
import type { Clock } from './shared/domain/clock.js';
import { createSeededRandom, type RandomSource } from './shared/domain/random.js';
import { ltijsExpiryRules, type ExpiryRule } from './shared/domain/expiry.js';
import { connectDatabase, pingDatabase, type Connection } from './shared/infrastructure/database/database.js';
import {
  startEmbeddedEngine,
  type EmbeddedEngine,
} from './shared/infrastructure/embedded-db/embedded-engine.js';
import {
  createExpiryJob,
  createMongoExpiryStore,
  type ExpiryJob,
} from './shared/infrastructure/expiry-job.js';
import { createI18n } from './shared/infrastructure/i18n/i18n.js';
import { PROJECT_ROOT } from './shared/infrastructure/embedded-db/engine-binary.js';
import { precompileViews } from './shared/infrastructure/view-cache.js';
import type { Logger } from './shared/infrastructure/logger.js';
import { systemClock } from './shared/infrastructure/system-clock.js';

/** Nonces outlive the LTI token age window (60 s) plus clock skew by a wide margin. */
export const NONCE_RETENTION_SECONDS = 600;

/** Everything that expires: ltijs's collections and ours. */
export const EXPIRY_RULES: readonly ExpiryRule[] = [
  ...ltijsExpiryRules({ nonceRetentionSeconds: NONCE_RETENTION_SECONDS }),
  { collection: LAUNCH_COLLECTIONS.loginNonces, field: 'createdAt', maxAgeSeconds: 600 },
  { collection: LAUNCH_COLLECTIONS.usedNonces, field: 'createdAt', maxAgeSeconds: 3600 },
  { collection: LAUNCH_SESSIONS_COLLECTION, field: 'expiresAt' },
  { collection: GRADE_COLLECTIONS.claims, field: 'expiresAt', maxAgeSeconds: 86_400 },
  // Rosters are caches: an old one is refetched anyway.
  { collection: ROSTERS_COLLECTION, field: 'fetchedAt', maxAgeSeconds: 7 * 86_400 },
  // Delivered grades stay visible to instructors for a term; dead letters stay until retried.
  { collection: GRADE_COLLECTIONS.outbox, field: 'deliveredAt', maxAgeSeconds: 180 * 86_400 },
  // A dashboard snapshot's write lock is released at once; one left by a crash expires.
  { collection: PARTICIPANT_COLLECTIONS.locks, field: 'expiresAt' },
];

/** What tests replace: time, randomness, and whether the background jobs run on their own. */
export interface ServerOverrides {
  readonly clock?: Clock;
  readonly random?: RandomSource;
  /**
   * The evaluation's ids (UUIDs by default). The engine's picks hash the assessment id: ids from a
   * seed make a learner's path reproducible (the browser journey uses this).
   */
  readonly evaluationIds?: () => string;
  readonly backgroundJobs?: boolean;
}

export interface RunningServer {
  readonly url: string;
  readonly databaseUri: string;
  readonly connection: Connection;
  readonly expiryJob: ExpiryJob;
  readonly launchStore: ReturnType<typeof createMongoLaunchStore>;
  readonly outbox: ReturnType<typeof createMongoGradeOutbox>;
  readonly gradeWorker: GradeWorker;
  readonly roster: RosterService;
  /** Positioning, answers, improve/reset and the profile (src/evaluation/application/use-cases.ts). */
  readonly evaluation: EvaluationUseCases;
  /** The class dashboards: participants' snapshots, roster, grade sync, CSV (src/teaching/application/use-cases.ts). */
  readonly teaching: TeachingUseCases;
  /** Stops accepting requests, finishes in-flight ones, stops jobs, the database and the engine. */
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  logger: Logger,
  overrides: ServerOverrides = {},
): Promise<RunningServer> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? createSeededRandom(Date.now() ^ process.pid);
  const backgroundJobs = overrides.backgroundJobs ?? true;
  const cleanups: Array<() => Promise<void>> = [];
  const runCleanups = async () => {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'));
    }
    cleanups.length = 0;
  };

  try {
    let databaseUri = config.mongodbUri;
    if (!databaseUri) {
      const engine: EmbeddedEngine = await startEmbeddedEngine({
        dataDir: config.dataDir,
        progress: (message) => logger.info(message),
      });
      cleanups.push(() => engine.stop());
      databaseUri = engine.uriFor('pix-lti');
      logger.info(
        { dataDir: engine.dataDir, port: engine.port, pid: engine.pid },
        'embedded database started',
      );
    }

    // The bank is validated as a whole at start-up: a broken bank stops the tool with the list of errors.
    const content = await loadContentOrThrow();
    const i18n = await createI18n();
    // Outside development, views are compiled once, now, rather than by the first requests (src/app.ts).
    if (config.env !== 'development') await precompileViews(path.join(PROJECT_ROOT, 'views'));

    const connection = await connectDatabase(databaseUri);
    cleanups.push(() => connection.close());
    const launchStore = createMongoLaunchStore(connection);
    const sessions = createMongoLaunchSessionStore(connection);
    const outbox = createMongoGradeOutbox(connection, { logger });
    await launchStore.ensureIndexes();
    await sessions.ensureIndexes();
    await outbox.ensureIndexes();
    const evaluation = createMongoEvaluation(connection, {
      framework: content.framework,
      clock,
      settings: config.scoring,
      ...(overrides.evaluationIds && { newId: overrides.evaluationIds }),
    });
    await evaluation.ensureIndexes();

    // The LMS's services (AGS, NRPS) and the course rosters fetched through them, cached per course.
    const ltiServices = createServiceClient({ credentials: serviceCredentials, clock });
    const roster = createRosterService({ connection, service: ltiServices, clock });
    await roster.ensureIndexes();
    // The class dashboards read snapshots that learners' launches and answers keep up to date.
    const participants = createMongoParticipantRepository(connection, { logger });
    await participants.ensureIndexes();
    const teaching = createTeachingUseCases({
      participants,
      evaluation: evaluation.useCases,
      roster,
      outbox,
      content: evaluation.deps.content,
      clock,
      logger,
      settings: {
        maxReachableLevel: config.scoring.maxReachableLevel,
        exportTimeZone: config.exportTimeZone,
      },
    });

    const expiryJob = createExpiryJob({
      store: createMongoExpiryStore(connection),
      rules: EXPIRY_RULES,
      clock,
      intervalMs: config.expiryJobIntervalMs,
      logger,
    });
    if (backgroundJobs) expiryJob.start();
    cleanups.push(() => expiryJob.stop());

    const routesDependencies = {
      sessions,
      clock,
      logger,
      i18n,
      publicUrl: config.publicUrl,
      framework: content.framework,
      maxReachableLevel: config.scoring.maxReachableLevel,
      outbox,
      teaching,
      learnerRoutes: (loadSession: Parameters<typeof createLearnerRoutes>[1]) =>
        createLearnerRoutes(
          { evaluation: evaluation.useCases, outbox, clock, logger, framework: content.framework, teaching },
          loadSession,
        ),
      dashboardRoutes: (loadSession: Parameters<typeof createDashboardRoutes>[1]) =>
        createDashboardRoutes(
          { teaching, framework: content.framework, maxReachableLevel: config.scoring.maxReachableLevel },
          loadSession,
        ),
    };
    // LMS registrations: the admin pages, the CLI's use cases and dynamic registration share them.
    const platformRegistry = createLtijsPlatformRegistry();
    const dynamicRegistration = {
      autoActivate: config.dynamicRegistration.autoActivate,
      description: i18n.t('fr')('admin.dynamicRegistration.toolDescription'),
    };
    const ltijsApp = await startLti({
      databaseUri,
      encryptionKey: config.lti.encryptionKey,
      publicUrl: config.publicUrl,
      store: launchStore,
      clock,
      logger,
      ...createLaunchHandlers(routesDependencies),
      dynamicRegistration,
      onDynamicRegistration: createDynamicRegistrationHandler({
        ...dynamicRegistration,
        publicUrl: config.publicUrl,
        registry: platformRegistry,
        deployments: launchStore,
        clock,
        i18n,
        logger,
      }),
    });
    cleanups.push(() => stopLti());

    const gradeWorker = createGradeWorker({
      outbox,
      client: createAgsClient({ service: ltiServices, lineItems: outbox.lineItems }),
      clock,
      random,
      logger,
      intervalMs: config.gradeWorkerIntervalMs,
    });
    if (backgroundJobs) gradeWorker.start();
    cleanups.push(() => gradeWorker.stop());

    // The demo LMS (development only) lives in test/support: it is never loaded in production.
    let demoUrl: string | undefined;
    if (config.demoLms.enabled && config.env !== 'production') {
      try {
        const { registerDemoPlatformIn, startDemoLms } = await import('../test/support/demo-lms.js');
        const demo = await startDemoLms({
          toolPublicUrl: config.publicUrl,
          port: config.demoLms.port,
          i18n,
          register: registerDemoPlatformIn(launchStore, () => clock.now()),
        });
        cleanups.push(() => demo.stop());
        demoUrl = demo.url;
        logger.info({ demo: demo.url }, 'demo LMS ready: open /demo');
      } catch (error) {
        logger.warn({ err: error }, 'the demo LMS could not start; the tool runs without it');
      }
    }

    const app = createApp({
      config,
      logger,
      i18n,
      checkReadiness: () => pingDatabase(connection),
      lti: { ltijsApp, appRoutes: createAppRoutes(routesDependencies) },
      admin: createAdminRoutes({
        password: config.adminPassword,
        csrfSecret: config.lti.encryptionKey,
        admin: createPlatformAdmin({
          registry: platformRegistry,
          deployments: launchStore,
          clock,
          publicUrl: config.publicUrl,
        }),
        logger,
        secureCookies: config.publicUrl.startsWith('https://'),
        grades: {
          listDead: (limit) => outbox.listDead(limit),
          retry: (id, now) => outbox.retry(id, now),
          now: () => clock.now(),
        },
      }),
      ...(demoUrl && { demoUrl }),
      content: { dir: DEFAULT_CONTENT_DIR, ...content },
    });
    const server: Server = config.tls
      ? createHttpsServer(
          { cert: await readFile(config.tls.certFile), key: await readFile(config.tls.keyFile) },
          app,
        )
      : createHttpServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolve());
    });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // Requests still running after the grace period are cut.
          setTimeout(() => server.closeAllConnections(), 5000).unref();
        }),
    );

    const { port } = server.address() as AddressInfo;
    const scheme = config.tls ? 'https' : 'http';
    const url = `${scheme}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    if (config.lti.usesDevelopmentKey && config.env !== 'test') {
      logger.warn('LTI_ENCRYPTION_KEY is not set: using the development key (refused in production)');
    }
    logger.info({ url, publicUrl: config.publicUrl, env: config.env }, 'pix-lti is listening');
    return {
      url,
      databaseUri,
      connection,
      expiryJob,
      launchStore,
      outbox,
      gradeWorker,
      roster,
      evaluation: evaluation.useCases,
      teaching,
      stop: runCleanups,
    };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
