import type { RandomSource } from '../../shared/domain/random.js';

/**
 * The grade outbox: scores are queued in the database by learner requests, and delivered to the
 * LMS later by a worker, so that a learner never waits for the LMS. Pure rules here; storage and
 * HTTP live in infrastructure.
 */

export type ActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
export type GradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

/** Where a score goes: one user, one resource link, on one registration. */
export interface ScoreTarget {
  readonly issuer: string;
  readonly clientId: string;
  readonly deploymentId: string;
  readonly userId: string;
  readonly resourceLinkId: string;
  /** From the launch's AGS claim. */
  readonly lineItemsUrl?: string;
  readonly lineItemUrl?: string;
  readonly scopes: readonly string[];
  /** Used when the line item must be created. */
  readonly lineItem: {
    readonly label: string;
    readonly scoreMaximum: number;
    readonly resourceId: string;
    readonly tag: string;
  };
}

export interface Score {
  readonly scoreGiven?: number;
  readonly scoreMaximum: number;
  readonly activityProgress: ActivityProgress;
  readonly gradingProgress: GradingProgress;
  readonly comment?: string;
  /** Set when the score was produced, and sent unchanged on every retry: platforms ignore a repeat. */
  readonly timestamp: Date;
}

export type OutboxStatus = 'pending' | 'delivered' | 'dead';

export interface OutboxEntry {
  readonly id: string;
  /** Scores of one (registration, deployment, resource link, user) go out one at a time, in sequence order. */
  readonly streamKey: string;
  readonly sequence: number;
  readonly target: ScoreTarget;
  readonly score: Score;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly lastError?: string;
  readonly createdAt: Date;
  readonly deliveredAt?: Date;
}

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
}

/** 5 s, 10 s, 20 s … capped at 10 min; 14 attempts span a little over an hour and a half. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseDelayMs: 5000, maxDelayMs: 600_000, maxAttempts: 14 };

/**
 * A resource link of one deployment of a registration. LTI makes resource-link ids unique only
 * within a deployment: two deployments of one registration may use the same id for two links.
 */
export type ResourceLinkRef = Pick<ScoreTarget, 'issuer' | 'clientId' | 'deploymentId' | 'resourceLinkId'>;

export function streamKeyOf(target: ResourceLinkRef & Pick<ScoreTarget, 'userId'>): string {
  return JSON.stringify([
    target.issuer,
    target.clientId,
    target.deploymentId,
    target.resourceLinkId,
    target.userId,
  ]);
}

/** Whether a score goes to this resource link (of this deployment). */
export function isForResourceLink(target: ResourceLinkRef, link: ResourceLinkRef): boolean {
  return (
    target.issuer === link.issuer &&
    target.clientId === link.clientId &&
    target.deploymentId === link.deploymentId &&
    target.resourceLinkId === link.resourceLinkId
  );
}

/**
 * Exponential backoff with jitter: the n-th retry waits base·2^(n−1), capped, times a factor drawn
 * in [0.5, 1) so that many failed deliveries do not all come back at once.
 */
export function retryDelayMs(
  attempts: number,
  random: RandomSource,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exponential * (0.5 + random.next() / 2));
}

export type DeliveryFailure =
  | { readonly kind: 'http'; readonly status: number; readonly body?: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'configuration'; readonly message: string };

/**
 * Whether a failed delivery is worth retrying. Server errors, timeouts, throttling and network errors
 * are; a refusal of the score itself (Moodle's 400 for a user who cannot be graded, Canvas's 404 for
 * a user not enrolled, 403) is not, and goes straight to the dead letter.
 */
export function isRetryable(failure: DeliveryFailure): boolean {
  switch (failure.kind) {
    case 'timeout':
    case 'network':
      return true;
    case 'configuration':
      return false;
    case 'http':
      return (
        failure.status >= 500 || failure.status === 408 || failure.status === 429 || failure.status === 401
      );
  }
}

export function describeFailure(failure: DeliveryFailure): string {
  switch (failure.kind) {
    case 'http':
      return `HTTP ${failure.status}${failure.body ? `: ${failure.body.slice(0, 300)}` : ''}`;
    case 'timeout':
      return 'timed out';
    case 'network':
    case 'configuration':
      return failure.message;
  }
}

export type AttemptOutcome =
  | { readonly status: 'delivered'; readonly deliveredAt: Date }
  | {
      readonly status: 'pending';
      readonly attempts: number;
      readonly nextAttemptAt: Date;
      readonly lastError: string;
    }
  | { readonly status: 'dead'; readonly attempts: number; readonly lastError: string };

/** What becomes of an entry after one delivery attempt. */
export function afterAttempt(
  entry: Pick<OutboxEntry, 'attempts'>,
  failure: DeliveryFailure | undefined,
  now: Date,
  random: RandomSource,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): AttemptOutcome {
  if (!failure) return { status: 'delivered', deliveredAt: now };
  const attempts = entry.attempts + 1;
  const lastError = describeFailure(failure);
  if (!isRetryable(failure) || attempts >= policy.maxAttempts) return { status: 'dead', attempts, lastError };
  return {
    status: 'pending',
    attempts,
    lastError,
    nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, random, policy)),
  };
}

/**
 * The entries due now: for each stream, only its lowest pending sequence (a later score never
 * overtakes an earlier one), and only once its next attempt time has come.
 */
export function dueHeads<T extends Pick<OutboxEntry, 'streamKey' | 'sequence' | 'nextAttemptAt'>>(
  pending: readonly T[],
  now: Date,
): T[] {
  const heads = new Map<string, T>();
  for (const entry of pending) {
    const head = heads.get(entry.streamKey);
    if (!head || entry.sequence < head.sequence) heads.set(entry.streamKey, entry);
  }
  return [...heads.values()]
    .filter((entry) => entry.nextAttemptAt.getTime() <= now.getTime())
    .sort((a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime());
}
