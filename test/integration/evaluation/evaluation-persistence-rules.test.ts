import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import type { Answer, Assessment } from '../../../src/evaluation/domain/assessment.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import { createMongoEvaluationRepositories } from '../../../src/evaluation/infrastructure/mongo-evaluation.js';
import { ANSWERS_COLLECTION } from '../../../src/evaluation/infrastructure/answer-repository.js';
import { ASSESSMENTS_COLLECTION } from '../../../src/evaluation/infrastructure/assessment-repository.js';
import { COMPETENCE_RESETS_COLLECTION } from '../../../src/evaluation/infrastructure/competence-reset-repository.js';
import { KNOWLEDGE_ELEMENTS_COLLECTION } from '../../../src/evaluation/infrastructure/knowledge-element-repository.js';
import { POSITIONINGS_COLLECTION } from '../../../src/evaluation/infrastructure/positioning-repository.js';
import { SERVED_CHALLENGES_COLLECTION } from '../../../src/evaluation/infrastructure/served-challenge-repository.js';
import { freshDatabaseUri } from '../../support/database.js';

/**
 * The persistence rules the evaluation repositories rely on, checked on the engine the suite runs
 * on (FerretDB in CI, MongoDB through MONGODB_URI): a change of engine that breaks one fails here.
 */
describe('Integration | Evaluation | persistence rules of the repositories', () => {
  let connection: Connection;
  let repositories: ReturnType<typeof createMongoEvaluationRepositories>;
  const at = new Date('2026-01-05T09:00:00.000Z');
  const learnerKey = 'https://lms.example.org#persistence';

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('evaluation-persistence'));
    repositories = createMongoEvaluationRepositories(connection);
    await repositories.ensureIndexes();
    await repositories.ensureIndexes(); // idempotent: a second start-up changes nothing
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const assessment = (overrides: Partial<Assessment> = {}): Assessment => ({
    id: 'assessment-1',
    learnerKey,
    type: 'competence-evaluation',
    competenceCode: '1.1',
    attempt: 1,
    improving: false,
    algorithm: 'improved',
    locale: 'fr',
    state: 'started',
    startedAt: at,
    ...overrides,
  });

  const answer = (overrides: Partial<Answer> = {}): Answer => ({
    assessmentId: 'assessment-1',
    learnerKey,
    position: 7,
    challengeId: 'ch-web2',
    value: '1',
    status: 'ok',
    correct: true,
    timedOut: false,
    focusedOut: false,
    result: { levelBefore: 0, levelAfter: 1 },
    answeredAt: at,
    ...overrides,
  });

  it('creates the unique indexes explicitly', async () => {
    const uniqueKeys = async (collection: string) =>
      (await connection.collection(collection).indexes())
        .filter((index) => index.unique)
        .map((index) => Object.keys(index.key));
    expect(await uniqueKeys(ANSWERS_COLLECTION)).to.deep.equal([['assessmentId', 'position']]);
    expect(await uniqueKeys(SERVED_CHALLENGES_COLLECTION)).to.deep.equal([['assessmentId', 'position']]);
    expect(await uniqueKeys(ASSESSMENTS_COLLECTION)).to.deep.equal([
      ['learnerKey', 'competenceCode', 'attempt'],
    ]);
    expect(await uniqueKeys(POSITIONINGS_COLLECTION)).to.deep.equal([
      ['learnerKey', 'activityId', 'scopeKey'],
    ]);
    expect(await uniqueKeys(COMPETENCE_RESETS_COLLECTION)).to.deep.equal([
      ['learnerKey', 'competenceCode', 'sequence'],
    ]);
    const elementIndexes = (await connection.collection(KNOWLEDGE_ELEMENTS_COLLECTION).indexes()).map(
      (index) => Object.keys(index.key),
    );
    expect(elementIndexes).to.deep.include(['learnerKey', 'createdAt']);
  });

  it('refuses a second answer at the same (assessment, position), keeping the first', async () => {
    expect(await repositories.answers.add(answer())).to.equal(true);
    expect(await repositories.answers.add(answer({ value: '2', status: 'ko', correct: false }))).to.equal(
      false,
    );
    expect(await repositories.answers.get('assessment-1', 7)).to.deep.include({ value: '1', status: 'ok' });
    expect(await connection.collection(ANSWERS_COLLECTION).countDocuments({ position: 7 })).to.equal(1);
  });

  it('refuses a second challenge served at the same position, and a second attempt with the same number', async () => {
    const served = {
      assessmentId: 'assessment-1',
      learnerKey,
      position: 1,
      challengeId: 'ch-a',
      servedAt: at,
    };
    expect(await repositories.servedChallenges.add(served)).to.equal(true);
    expect(await repositories.servedChallenges.add({ ...served, challengeId: 'ch-b' })).to.equal(false);
    expect((await repositories.servedChallenges.get('assessment-1', 1))?.challengeId).to.equal('ch-a');

    expect(await repositories.assessments.add(assessment())).to.equal(true);
    expect(await repositories.assessments.add(assessment({ id: 'assessment-2' }))).to.equal(false);
    expect(await repositories.assessments.add(assessment({ id: 'assessment-2', attempt: 2 }))).to.equal(true);
    expect((await repositories.assessments.findLatest(learnerKey, '1.1'))?.id).to.equal('assessment-2');
  });

  it('reads an assessment back as it was written, and completes it once', async () => {
    const written = assessment({ id: 'assessment-9', competenceCode: '2.1', positioningId: 'p-1' });
    await repositories.assessments.add(written);
    expect(await repositories.assessments.get('assessment-9')).to.deep.equal(written);
    await repositories.assessments.complete('assessment-9', at, 'confident');
    await repositories.assessments.complete(
      'assessment-9',
      new Date(at.getTime() + 1000),
      'ended-by-learner',
    );
    expect(await repositories.assessments.get('assessment-9')).to.deep.equal({
      ...written,
      state: 'completed',
      completedAt: at,
      completionReason: 'confident',
    });
  });

  it('stores a QROCM answer as {key, value} pairs, so keys with dots or dollars never become document keys', async () => {
    const value = { 'zip.code': '75001', $where: 'x', city: 'Paris' };
    await repositories.answers.add(
      answer({
        position: 8,
        value,
        result: { details: [{ key: 'zip.code', correct: true }], levelBefore: 0, levelAfter: 0 },
      }),
    );
    const read = await repositories.answers.get('assessment-1', 8);
    expect(read?.value).to.deep.equal(value);
    expect(read?.result.details).to.deep.equal([{ key: 'zip.code', correct: true }]);
    const raw = await connection.collection(ANSWERS_COLLECTION).findOne({ position: 8 });
    expect(raw?.inputs).to.deep.equal([
      { key: 'zip.code', value: '75001' },
      { key: '$where', value: 'x' },
      { key: 'city', value: 'Paris' },
    ]);
  });

  it('writes knowledge elements idempotently, with the competence code as a value, oldest first', async () => {
    const element = (skillId: string, createdAt: Date): KnowledgeElement => ({
      skillId,
      competenceCode: '1.1',
      source: 'direct',
      status: 'validated',
      earnedPix: 8 / 3,
      createdAt,
      assessmentId: 'assessment-1',
      answerIndex: 0,
      challengeId: `ch-${skillId}`,
    });
    const later = new Date(at.getTime() + 60_000);
    const batch = [
      { id: 'a:2:@late', order: 5, element: element('@late', later) },
      { id: 'a:1:@second', order: 2, element: element('@second', at) },
      { id: 'a:1:@first', order: 1, element: element('@first', at) },
    ];
    await repositories.knowledgeElements.addAll(learnerKey, batch.slice(1));
    await repositories.knowledgeElements.addAll(learnerKey, batch); // a retry after a crash
    await repositories.knowledgeElements.addAll(learnerKey, batch);
    const read = await repositories.knowledgeElements.listByLearner(learnerKey);
    expect(read.map((ke) => ke.skillId)).to.deep.equal(['@first', '@second', '@late']);
    expect(read[0]).to.deep.equal(batch[2]?.element);
    expect(
      await connection.collection(KNOWLEDGE_ELEMENTS_COLLECTION).countDocuments({ learnerKey }),
    ).to.equal(3);
    const raw = await connection
      .collection(KNOWLEDGE_ELEMENTS_COLLECTION)
      .findOne({ _id: 'a:1:@first' as never });
    expect(raw).to.deep.include({ competenceCode: '1.1', learnerKey });
  });

  it('keeps one positioning per (learner, activity, scope), and reads its scope back', async () => {
    const positioning = {
      id: 'positioning-1',
      learnerKey,
      scope: { type: 'area', code: '4' } as const,
      activityId: 'link-1',
      locale: 'en' as const,
      createdAt: at,
    };
    expect(await repositories.positionings.add(positioning)).to.equal(true);
    expect(await repositories.positionings.add({ ...positioning, id: 'positioning-2' })).to.equal(false);
    const withoutActivity = { ...positioning, id: 'positioning-3', scope: { type: 'all' } as const };
    delete (withoutActivity as { activityId?: string }).activityId;
    expect(await repositories.positionings.add(withoutActivity)).to.equal(true);
    expect(await repositories.positionings.add({ ...withoutActivity, id: 'positioning-4' })).to.equal(false);
    expect(await repositories.positionings.get('positioning-1')).to.deep.equal(positioning);
    expect(await repositories.positionings.find(learnerKey, undefined, 'all')).to.deep.equal(withoutActivity);
    expect(await repositories.positionings.find(learnerKey, 'link-1', 'area:4')).to.deep.equal(positioning);
  });

  it('finds the answers a crash left without their knowledge elements', async () => {
    await repositories.answers.add(answer({ assessmentId: 'assessment-3', position: 1 }));
    await repositories.answers.add(answer({ assessmentId: 'assessment-3', position: 2, appliedAt: at }));
    const pending = await repositories.answers.listUnapplied(learnerKey);
    expect(pending.map((known) => `${known.assessmentId}:${known.position}`)).to.include('assessment-3:1');
    expect(pending.map((known) => `${known.assessmentId}:${known.position}`)).not.to.include(
      'assessment-3:2',
    );
    await repositories.answers.markApplied('assessment-3', 1, at);
    expect((await repositories.answers.get('assessment-3', 1))?.appliedAt).to.deep.equal(at);
  });
});
