import { expect } from 'chai';
import { pino } from 'pino';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { computeExpiryCutoffs, ltijsExpiryRules } from '../../../src/shared/domain/expiry.js';
import { createExpiryJob, type ExpiryStore } from '../../../src/shared/infrastructure/expiry-job.js';
import type { ExpiryCutoff } from '../../../src/shared/domain/expiry.js';

const silent = pino({ level: 'silent' });
const NOW = new Date('2026-11-22T12:00:00.000Z');

describe('Unit | Shared | expiry', () => {
  describe('computeExpiryCutoffs', () => {
    it('subtracts the maximum age from now for creation dates', () => {
      expect(
        computeExpiryCutoffs([{ collection: 'nonces', field: 'createdAt', maxAgeSeconds: 600 }], NOW),
      ).to.deep.equal([
        { collection: 'nonces', field: 'createdAt', before: new Date('2026-11-22T11:50:00.000Z') },
      ]);
    });

    it('uses now itself for expiry dates', () => {
      const [cutoff] = computeExpiryCutoffs([{ collection: 'sessions', field: 'expiresAt' }], NOW);
      expect(cutoff?.before).to.deep.equal(NOW);
    });

    it('refuses a negative or non-finite age', () => {
      expect(() => computeExpiryCutoffs([{ collection: 'x', field: 'd', maxAgeSeconds: -1 }], NOW)).to.throw(
        RangeError,
      );
      expect(() => computeExpiryCutoffs([{ collection: 'x', field: 'd', maxAgeSeconds: NaN }], NOW)).to.throw(
        RangeError,
      );
    });
  });

  describe('ltijsExpiryRules', () => {
    it('covers every ltijs collection that expires, with ltijs lifetimes', () => {
      const rules = ltijsExpiryRules({ nonceRetentionSeconds: 600 });
      expect(rules.map((rule) => [rule.collection, rule.maxAgeSeconds])).to.deep.equal([
        ['idtokens', 86_400],
        ['contexttokens', 86_400],
        ['accesstokens', 3600],
        ['nonces', 600],
        ['states', 600],
      ]);
      expect(rules.every((rule) => rule.field === 'createdAt')).to.equal(true);
    });
  });

  describe('the job', () => {
    function recordingStore(failOn: string[] = []): ExpiryStore & { calls: ExpiryCutoff[] } {
      const calls: ExpiryCutoff[] = [];
      return {
        calls,
        async deleteBefore(cutoff) {
          calls.push(cutoff);
          if (failOn.includes(cutoff.collection)) throw new Error(`${cutoff.collection} is locked`);
          return cutoff.collection.length;
        },
      };
    }

    it('deletes before each cutoff computed from the injected clock', async () => {
      const store = recordingStore();
      const clock = createFixedClock(NOW);
      const job = createExpiryJob({
        store,
        clock,
        logger: silent,
        intervalMs: 1000,
        rules: [
          { collection: 'states', field: 'createdAt', maxAgeSeconds: 60 },
          { collection: 'leases', field: 'expiresAt' },
        ],
      });
      const run = await job.runOnce();
      expect(run).to.deep.equal({
        deleted: [
          { collection: 'states', count: 6 },
          { collection: 'leases', count: 6 },
        ],
        failed: [],
      });
      expect(store.calls.map((call) => call.before.toISOString())).to.deep.equal([
        '2026-11-22T11:59:00.000Z',
        '2026-11-22T12:00:00.000Z',
      ]);
    });

    it('goes on with the other collections when one fails, and reports it', async () => {
      const store = recordingStore(['nonces']);
      const job = createExpiryJob({
        store,
        clock: createFixedClock(NOW),
        logger: silent,
        intervalMs: 1000,
        rules: ltijsExpiryRules({ nonceRetentionSeconds: 600 }),
      });
      const run = await job.runOnce();
      expect(run.failed).to.deep.equal([{ collection: 'nonces', error: 'nonces is locked' }]);
      expect(run.deleted.map((entry) => entry.collection)).to.deep.equal([
        'idtokens',
        'contexttokens',
        'accesstokens',
        'states',
      ]);
    });

    it('runs on its interval once started, never overlapping, and stops', async () => {
      let inFlight = 0;
      let maxInFlight = 0;
      let runs = 0;
      const store: ExpiryStore = {
        async deleteBefore() {
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 25));
          inFlight -= 1;
          runs += 1;
          return 0;
        },
      };
      const job = createExpiryJob({
        store,
        clock: createFixedClock(NOW),
        logger: silent,
        intervalMs: 5,
        rules: [{ collection: 'a', field: 'd', maxAgeSeconds: 1 }],
      });
      job.start();
      await new Promise((resolve) => setTimeout(resolve, 120));
      await job.stop();
      const runsAtStop = runs;
      await new Promise((resolve) => setTimeout(resolve, 40));
      expect(runsAtStop).to.be.at.least(2);
      expect(maxInFlight).to.equal(1);
      expect(runs).to.equal(runsAtStop);
    });
  });
});
