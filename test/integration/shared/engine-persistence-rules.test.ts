import { expect } from 'chai';
import { Schema, type Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { freshDatabaseUri } from '../../support/database.js';

/**
 * The persistence rules the application relies on (docs/architecture.md, "the portable subset").
 * Each runs on the embedded engine in CI, and on MongoDB through MONGODB_URI, so a change of engine
 * that breaks one shows up here.
 */
describe('Integration | Shared | persistence rules on the engine', () => {
  let connection: Connection;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('persistence-rules'));
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('refuses a duplicate insert under a unique index with code 11000', async () => {
    const Answer = connection.model(
      'AnswerProbe',
      new Schema({ assessmentId: String, position: Number, value: String }).index(
        { assessmentId: 1, position: 1 },
        { unique: true },
      ),
    );
    await Answer.createCollection();
    await Answer.createIndexes();
    await Answer.create({ assessmentId: 'a1', position: 7, value: 'first' });

    let caught: unknown;
    try {
      await Answer.create({ assessmentId: 'a1', position: 7, value: 'second' });
    } catch (error) {
      caught = error;
    }
    expect(caught).to.have.property('code', 11000);
    const stored = await Answer.find({ assessmentId: 'a1' }).lean();
    expect(stored.map((document) => document.value)).to.deep.equal(['first']);
  });

  it('grants a claim to exactly one of many concurrent claimers through an insert under a unique index', async () => {
    // findOneAndUpdate is a read-modify-write on FerretDB/SQLite: two racing claimers can both
    // "win" (observed). Exclusive claims are therefore inserts under a unique index, which both
    // engines refuse atomically with code 11000.
    const claims = connection.collection('claim_probe');
    await claims.createIndex({ jobId: 1, attempt: 1 }, { unique: true });
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, worker) =>
          claims.insertOne({ jobId: `job-${round}`, attempt: 1, worker }),
        ),
      );
      const granted = results.filter((result) => result.status === 'fulfilled');
      const refusedCodes = results.flatMap((result) =>
        result.status === 'rejected' ? [(result.reason as { code?: number }).code] : [],
      );
      expect(granted).to.have.length(1);
      expect(refusedCodes).to.deep.equal(Array(7).fill(11000));
    }
    expect(await claims.countDocuments()).to.equal(5);
  });

  it('stores competence codes as values, not keys (keys must not contain a dot)', async () => {
    const profiles = connection.collection('key_probe');
    let caught: unknown;
    try {
      await profiles.insertOne({ competences: { '1.1': { pix: 8 } } });
    } catch (error) {
      caught = error;
    }
    // MongoDB 5+ accepts dotted keys, FerretDB 1.x refuses them: the app never writes them.
    if (caught === undefined) {
      expect(await profiles.countDocuments()).to.equal(1);
    } else {
      expect(String(caught)).to.match(/\.|dot|invalid/i);
    }
    await profiles.insertOne({ competences: [{ code: '1.1', pix: 8 }] });
    const found = await profiles.findOne({ 'competences.code': '1.1' });
    expect(found?.competences).to.deep.equal([{ code: '1.1', pix: 8 }]);
  });
});
