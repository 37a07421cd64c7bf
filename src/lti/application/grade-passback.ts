import type { Clock } from '../../shared/domain/clock.js';
import type { RandomSource } from '../../shared/domain/random.js';
import { createIntervalRunner } from '../../shared/infrastructure/interval-runner.js';
import type { Logger } from '../../shared/infrastructure/logger.js';
import {
  afterAttempt,
  DEFAULT_RETRY_POLICY,
  dueHeads,
  type OutboxEntry,
  type RetryPolicy,
  type Score,
  type ScoreTarget,
} from '../domain/grade-outbox.js';
import type { Launch } from '../domain/launch.js';
import type { AgsClient } from '../infrastructure/ags-client.js';
import type { GradeOutboxRepository } from '../infrastructure/grade-outbox-repository.js';

/**
 * Queues a score for the LMS gradebook. It only writes to the outbox: the learner's request never
 * waits for the LMS. Launches without the grade service (no AGS claim, no resource link) queue nothing.
 */
export async function queueScore(
  deps: { outbox: GradeOutboxRepository; clock: Clock },
  launch: Launch,
  lineItem: ScoreTarget['lineItem'],
  score: Omit<Score, 'timestamp'>,
): Promise<OutboxEntry | undefined> {
  if (!launch.ags || !launch.resourceLink || (!launch.ags.lineItems && !launch.ags.lineItem))
    return undefined;
  const now = deps.clock.now();
  const target: ScoreTarget = {
    issuer: launch.issuer,
    clientId: launch.clientId,
    deploymentId: launch.deploymentId,
    userId: launch.userId,
    resourceLinkId: launch.resourceLink.id,
    ...(launch.ags.lineItems && { lineItemsUrl: launch.ags.lineItems }),
    ...(launch.ags.lineItem && { lineItemUrl: launch.ags.lineItem }),
    scopes: launch.ags.scopes,
    lineItem,
  };
  return deps.outbox.enqueue(target, { ...score, timestamp: now }, now);
}

export interface GradeWorkerRun {
  readonly delivered: number;
  readonly retried: number;
  readonly dead: number;
}

export interface GradeWorker {
  /** Delivers what is due now, stream by stream, until nothing more is due. */
  runOnce(): Promise<GradeWorkerRun>;
  start(): void;
  stop(): Promise<void>;
}

export function createGradeWorker(deps: {
  outbox: GradeOutboxRepository;
  client: AgsClient;
  clock: Clock;
  random: RandomSource;
  logger: Logger;
  intervalMs: number;
  policy?: RetryPolicy;
  leaseMs?: number;
  batchSize?: number;
}): GradeWorker {
  const policy = deps.policy ?? DEFAULT_RETRY_POLICY;
  const leaseMs = deps.leaseMs ?? 60_000;
  const batchSize = deps.batchSize ?? 200;

  async function attempt(entry: OutboxEntry): Promise<'delivered' | 'pending' | 'dead' | 'skipped'> {
    const now = deps.clock.now();
    if (!(await deps.outbox.claim(entry, now, leaseMs))) return 'skipped';
    const failure = await deps.client.deliver(entry);
    const outcome = afterAttempt(entry, failure, deps.clock.now(), deps.random, policy);
    await deps.outbox.recordOutcome(entry.id, outcome);
    const context = { entry: entry.id, sequence: entry.sequence, attempts: entry.attempts + 1 };
    if (outcome.status === 'delivered') deps.logger.debug(context, 'score delivered');
    else if (outcome.status === 'pending')
      deps.logger.info({ ...context, error: outcome.lastError }, 'score delivery will be retried');
    else
      deps.logger.warn(
        { ...context, error: outcome.lastError },
        'score delivery failed for good: dead letter',
      );
    return outcome.status;
  }

  async function runOnce(): Promise<GradeWorkerRun> {
    const totals = { delivered: 0, retried: 0, dead: 0 };
    // A success makes the stream's next score due at once: loop until a pass finds nothing to do.
    for (let pass = 0; pass < 1000; pass += 1) {
      const due = dueHeads(await deps.outbox.listPending(batchSize), deps.clock.now());
      if (due.length === 0) break;
      let progressed = false;
      for (const entry of due) {
        const result = await attempt(entry);
        if (result === 'delivered') {
          totals.delivered += 1;
          progressed = true;
        } else if (result === 'pending') totals.retried += 1;
        else if (result === 'dead') {
          totals.dead += 1;
          progressed = true;
        }
      }
      if (!progressed) break;
    }
    return totals;
  }

  const runner = createIntervalRunner({
    run: runOnce,
    intervalMs: deps.intervalMs,
    logger: deps.logger,
    failureMessage: 'grade worker failed',
  });
  return { runOnce, start: runner.start, stop: runner.stop };
}
