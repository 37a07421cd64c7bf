import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import type { Config } from './shared/config/config.js';
import { ltijsExpiryRules } from './shared/domain/expiry.js';
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
import type { Logger } from './shared/infrastructure/logger.js';
import { systemClock } from './shared/infrastructure/system-clock.js';

/** Nonces outlive the LTI token age window (60 s) plus clock skew by a wide margin. */
export const NONCE_RETENTION_SECONDS = 600;

export interface RunningServer {
  readonly url: string;
  readonly databaseUri: string;
  readonly connection: Connection;
  readonly expiryJob: ExpiryJob;
  /** Stops accepting requests, finishes in-flight ones, stops jobs, the database and the engine. */
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
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

    const connection = await connectDatabase(databaseUri);
    cleanups.push(() => connection.close());

    const expiryJob = createExpiryJob({
      store: createMongoExpiryStore(connection),
      rules: ltijsExpiryRules({ nonceRetentionSeconds: NONCE_RETENTION_SECONDS }),
      clock: systemClock,
      intervalMs: config.expiryJobIntervalMs,
      logger,
    });
    expiryJob.start();
    cleanups.push(() => expiryJob.stop());

    const app = createApp({
      config,
      logger,
      i18n: await createI18n(),
      checkReadiness: () => pingDatabase(connection),
    });
    const server: Server = await new Promise((resolve, reject) => {
      const listening = app.listen(config.port, config.host, () => resolve(listening));
      listening.once('error', reject);
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
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    if (config.lti.usesDevelopmentKey && config.env !== 'test') {
      logger.warn('LTI_ENCRYPTION_KEY is not set: using the development key (refused in production)');
    }
    logger.info({ url, publicUrl: config.publicUrl, env: config.env }, 'pix-lti is listening');
    return { url, databaseUri, connection, expiryJob, stop: runCleanups };
  } catch (error) {
    await runCleanups();
    throw error;
  }
}
