import type { Connection } from 'mongoose';
import type { Clock } from '../domain/clock.js';
import { computeExpiryCutoffs, type ExpiryCutoff, type ExpiryRule } from '../domain/expiry.js';
import { createIntervalRunner } from './interval-runner.js';
import type { Logger } from './logger.js';

/** Deletes what has expired. Idempotent, so every app instance may run it at once. */
export interface ExpiryStore {
  deleteBefore(cutoff: ExpiryCutoff): Promise<number>;
}

export function createMongoExpiryStore(connection: Connection): ExpiryStore {
  return {
    async deleteBefore({ collection, field, before }) {
      const result = await connection.collection(collection).deleteMany({ [field]: { $lt: before } });
      return result.deletedCount;
    },
  };
}

export interface ExpiryRun {
  readonly deleted: ReadonlyArray<{ collection: string; count: number }>;
  readonly failed: ReadonlyArray<{ collection: string; error: string }>;
}

export interface ExpiryJob {
  runOnce(): Promise<ExpiryRun>;
  start(): void;
  stop(): Promise<void>;
}

export function createExpiryJob(deps: {
  store: ExpiryStore;
  rules: readonly ExpiryRule[];
  clock: Clock;
  intervalMs: number;
  logger: Logger;
}): ExpiryJob {
  async function runOnce(): Promise<ExpiryRun> {
    const deleted: Array<{ collection: string; count: number }> = [];
    const failed: Array<{ collection: string; error: string }> = [];
    // One failing collection must not stop the cleanup of the others.
    for (const cutoff of computeExpiryCutoffs(deps.rules, deps.clock.now())) {
      try {
        deleted.push({ collection: cutoff.collection, count: await deps.store.deleteBefore(cutoff) });
      } catch (error) {
        failed.push({
          collection: cutoff.collection,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const total = deleted.reduce((sum, entry) => sum + entry.count, 0);
    if (total > 0) deps.logger.debug({ deleted }, 'expiry job deleted expired documents');
    if (failed.length > 0) deps.logger.warn({ failed }, 'expiry job could not clean some collections');
    return { deleted, failed };
  }

  const runner = createIntervalRunner({
    run: runOnce,
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failureMessage: 'expiry job failed',
  });
  return { runOnce, start: runner.start, stop: runner.stop };
}
