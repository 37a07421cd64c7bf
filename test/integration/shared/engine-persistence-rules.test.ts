import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
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

  it('claims a job atomically with a single-document findOneAndUpdate on status and lease', async () => {
    const jobs = connection.collection('lease_probe');
    await jobs.insertOne({ _id: new mongoose.Types.ObjectId(), status: 'queued', leaseUntil: new Date(0) });
    const now = new Date();
    const claim = () =>
      jobs.findOneAndUpdate(
        { status: 'queued', leaseUntil: { $lt: now } },
        { $set: { leaseUntil: new Date(now.getTime() + 30_000) } },
        { returnDocument: 'after' },
      );
    const [first, second] = await Promise.all([claim(), claim()]);
    expect([first, second].filter((result) => result !== null)).to.have.length(1);
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
