import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createEvaluationContent } from '../../../src/evaluation/application/evaluation-content.js';
import {
  createMongoEvaluation,
  type MongoEvaluation,
} from '../../../src/evaluation/infrastructure/mongo-evaluation.js';
import { freshDatabaseUri } from '../../support/database.js';
import {
  buildEvaluationHarness,
  DEFAULT_SETTINGS,
  LEARNER,
  positioningFramework,
  START,
} from '../../support/builders/evaluation/evaluation-harness.js';
import { playChallenges, typicalLearner } from '../../support/builders/evaluation/learner-answers.js';

/**
 * Nothing a learner needs lives in process memory: after a restart (a new connection and new
 * use-case objects on the same database) they resume at the very challenge they left, with the
 * same profile.
 */
describe('Integration | Evaluation | resume after a restart', () => {
  let uri: string;
  const content = createEvaluationContent(positioningFramework());
  const answersRight = typicalLearner(3);
  let connection: Connection | undefined;

  /** Starts "the server": a connection and the use cases. Ids count from 1, as in the unit harness. */
  async function boot(clock: ReturnType<typeof createFixedClock>, firstId = 1): Promise<MongoEvaluation> {
    connection = await connectDatabase(uri);
    let counter = firstId - 1;
    const evaluation = createMongoEvaluation(connection, {
      content,
      clock,
      settings: DEFAULT_SETTINGS,
      newId: () => `id-${(counter += 1)}`,
    });
    await evaluation.ensureIndexes();
    return evaluation;
  }

  before(() => {
    uri = freshDatabaseUri('evaluation-resume');
  });

  after(async () => {
    if (connection) {
      await connection.dropDatabase();
      await connection.close();
    }
  });

  it('resumes at challenge 11, the same one, with the time it was served and an identical profile', async () => {
    const clock = createFixedClock(START);
    let evaluation = await boot(clock);
    const assessment = await evaluation.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    const ref = { assessmentId: assessment.id, learnerKey: LEARNER };
    const played = await playChallenges(evaluation.useCases, {
      ...ref,
      steps: 10,
      answersRight,
      challenges: content.challengesById,
    });
    expect(played.map((step) => step.position)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const eleventh = await evaluation.useCases.getNextChallenge(ref);
    expect(eleventh).to.deep.include({ kind: 'challenge', position: 11, resumed: false });
    const profileBefore = await evaluation.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });

    // The process goes away: the connection and every use-case object with it.
    await connection?.close();
    clock.advance(90 * 60_000);
    evaluation = await boot(clock, 1000);

    const resumed = await evaluation.useCases.getNextChallenge(ref);
    if (resumed.kind !== 'challenge' || eleventh.kind !== 'challenge') throw new Error('expected challenges');
    expect(resumed).to.deep.include({ position: 11, resumed: true, servedAt: eleventh.servedAt });
    expect(resumed.challenge).to.deep.equal(eleventh.challenge);
    const profileAfter = await evaluation.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    expect(profileAfter).to.deep.equal(profileBefore);
    expect(profileAfter.competences[0]?.status).to.equal('in-progress');

    // The answer to challenge 11 is taken after the restart like any other.
    const result = await evaluation.useCases.submitAnswer({ ...ref, position: 11, value: '1' });
    expect(result.position).to.equal(11);
  });

  it('stores and reads back exactly what the in-memory repositories hold for the same learner', async () => {
    const clock = createFixedClock(START);
    await connection?.dropDatabase();
    await connection?.close();
    const evaluation = await boot(clock);
    const reference = buildEvaluationHarness({ content });
    for (const useCases of [evaluation.useCases, reference.useCases]) {
      const assessment = await useCases.startCompetenceEvaluation({
        learnerKey: LEARNER,
        competenceCode: '1.1',
        locale: 'fr',
      });
      await playChallenges(useCases, {
        assessmentId: assessment.id,
        learnerKey: LEARNER,
        steps: 10,
        answersRight,
        challenges: content.challengesById,
      });
    }
    const stored = await evaluation.repositories.knowledgeElements.listByLearner(LEARNER);
    const expected = await reference.repositories.knowledgeElements.listByLearner(LEARNER);
    expect(stored).to.deep.equal(expected);
    expect(await evaluation.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' })).to.deep.equal(
      await reference.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' }),
    );
  });
});
