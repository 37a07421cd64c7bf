import { expect } from 'chai';
import { pino } from 'pino';
import type { Connection } from 'mongoose';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { ltijsExpiryRules } from '../../../src/shared/domain/expiry.js';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { createExpiryJob, createMongoExpiryStore } from '../../../src/shared/infrastructure/expiry-job.js';
import { freshDatabaseUri } from '../../support/database.js';

describe('Integration | Shared | expiry job on the engine', () => {
  const now = new Date('2026-11-22T12:00:00.000Z');
  const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);
  let connection: Connection;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('expiry-job'));
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it("removes expired ltijs nonces, states and tokens, and keeps fresh ones and other collections' data", async () => {
    await connection.collection('nonces').insertMany([
      { nonce: 'old', createdAt: secondsAgo(601) },
      { nonce: 'fresh', createdAt: secondsAgo(30) },
    ]);
    await connection.collection('states').insertMany([
      { state: 'old', createdAt: secondsAgo(700) },
      { state: 'fresh', createdAt: secondsAgo(599) },
    ]);
    await connection.collection('idtokens').insertMany([
      { user: 'old', createdAt: secondsAgo(24 * 3600 + 1) },
      { user: 'fresh', createdAt: secondsAgo(23 * 3600) },
    ]);
    await connection.collection('contexttokens').insertMany([
      { contextId: 'old', createdAt: secondsAgo(25 * 3600) },
      { contextId: 'fresh', createdAt: secondsAgo(60) },
    ]);
    await connection.collection('accesstokens').insertMany([
      { scopes: 'old', createdAt: secondsAgo(3601) },
      { scopes: 'fresh', createdAt: secondsAgo(3599) },
    ]);
    await connection
      .collection('platforms')
      .insertOne({ platformUrl: 'https://lms.example.org', createdAt: secondsAgo(1e7) });

    const job = createExpiryJob({
      store: createMongoExpiryStore(connection),
      rules: ltijsExpiryRules({ nonceRetentionSeconds: 600 }),
      clock: createFixedClock(now),
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    const run = await job.runOnce();

    expect(run.failed).to.deep.equal([]);
    expect(run.deleted).to.deep.equal([
      { collection: 'idtokens', count: 1 },
      { collection: 'contexttokens', count: 1 },
      { collection: 'accesstokens', count: 1 },
      { collection: 'nonces', count: 1 },
      { collection: 'states', count: 1 },
    ]);
    const left = async (name: string, field: string) =>
      (await connection.collection(name).find().toArray()).map((document) => document[field]);
    expect(await left('nonces', 'nonce')).to.deep.equal(['fresh']);
    expect(await left('states', 'state')).to.deep.equal(['fresh']);
    expect(await left('idtokens', 'user')).to.deep.equal(['fresh']);
    expect(await left('contexttokens', 'contextId')).to.deep.equal(['fresh']);
    expect(await left('accesstokens', 'scopes')).to.deep.equal(['fresh']);
    expect(await connection.collection('platforms').countDocuments()).to.equal(1);

    // Running again deletes nothing more: the job is idempotent.
    const again = await job.runOnce();
    expect(again.deleted.every((entry) => entry.count === 0)).to.equal(true);
  });

  it('expires our own documents by an expiry date', async () => {
    const leases = connection.collection('leases');
    await leases.insertMany([
      { name: 'past', expiresAt: secondsAgo(1) },
      { name: 'future', expiresAt: new Date(now.getTime() + 1000) },
    ]);
    const job = createExpiryJob({
      store: createMongoExpiryStore(connection),
      rules: [{ collection: 'leases', field: 'expiresAt' }],
      clock: createFixedClock(now),
      intervalMs: 60_000,
      logger: pino({ level: 'silent' }),
    });
    expect((await job.runOnce()).deleted).to.deep.equal([{ collection: 'leases', count: 1 }]);
    expect((await leases.find().toArray()).map((document) => document.name)).to.deep.equal(['future']);
  });
});
