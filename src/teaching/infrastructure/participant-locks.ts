import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { Clock } from '../../shared/domain/clock.js';
import { insertUnlessDuplicate } from '../../shared/infrastructure/database/mongo-helpers.js';

export interface LockDocument {
  _id: string;
  /** The holder's own random token: only the holder releases its lock. */
  token: string;
  expiresAt: Date;
}

/** A writer holds a lock for a few milliseconds; one that died (or stalled) loses it after this. */
export const LOCK_LEASE_MS = 10_000;
/** About two seconds of waiting for a busy lock, then the write gives up (and is logged). */
const LOCK_ATTEMPTS = 40;

export class LeaseExpiredError extends Error {
  constructor(id: string) {
    super(`the lock of ${id} expired before the write; the write is given up`);
    this.name = 'LeaseExpiredError';
  }
}

/** What a lock holder can do: check, just before writing, that the lock is still its own. */
export interface Lease {
  /** Throws LeaseExpiredError when the lease has passed (another writer may have taken the lock over). */
  assertHeld(): void;
}

export interface LockOptions {
  readonly clock: Clock;
  /** The holder's token (random by default; tests pass their own). */
  readonly newToken?: () => string;
  /** Waits between attempts (real time by default). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Write locks under a unique `_id` (an insert every engine refuses atomically when the id is taken),
 * each with a lease and its holder's token:
 * - a lock whose lease has passed is taken over by the next writer;
 * - its former holder, stalled past the lease, must not write any more: `assertHeld` before the
 *   write aborts it;
 * - a holder releases only its own lock (`deleteOne({_id, token})`), never a writer's that took over.
 */
export function createLocks(Locks: Model<LockDocument>, options: LockOptions) {
  const { clock } = options;
  const newToken = options.newToken ?? randomUUID;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  return async function withLock<T>(id: string, work: (lease: Lease) => Promise<T>): Promise<T> {
    const token = newToken();
    let expiresAt: Date;
    for (let attempt = 1; ; attempt += 1) {
      const now = clock.now();
      expiresAt = new Date(now.getTime() + LOCK_LEASE_MS);
      if (await insertUnlessDuplicate(Locks, { _id: id, token, expiresAt })) break;
      if (attempt >= LOCK_ATTEMPTS) throw new Error(`${id} stayed locked; the write is given up`);
      // A writer that died leaves an expired lock behind: take it over.
      await Locks.deleteOne({ _id: id, expiresAt: { $lt: now } });
      await sleep(Math.min(100, 5 * attempt));
    }
    const lease: Lease = {
      assertHeld() {
        if (clock.now().getTime() >= expiresAt.getTime()) throw new LeaseExpiredError(id);
      },
    };
    try {
      return await work(lease);
    } finally {
      await Locks.deleteOne({ _id: id, token });
    }
  };
}
