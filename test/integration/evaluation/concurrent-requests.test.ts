import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createEvaluationContent } from '../../../src/evaluation/application/evaluation-content.js';
import {
  createMongoEvaluation,
  type MongoEvaluation,
} from '../../../src/evaluation/infrastructure/mongo-evaluation.js';
import { ANSWERS_COLLECTION } from '../../../src/evaluation/infrastructure/answer-repository.js';
import { SERVED_CHALLENGES_COLLECTION } from '../../../src/evaluation/infrastructure/served-challenge-repository.js';
import { ASSESSMENTS_COLLECTION } from '../../../src/evaluation/infrastructure/assessment-repository.js';
import { KNOWLEDGE_ELEMENTS_COLLECTION } from '../../../src/evaluation/infrastructure/knowledge-element-repository.js';
import { freshDatabaseUri } from '../../support/database.js';
import {
  buildEvaluationHarness,
  counterIds,
  DEFAULT_SETTINGS,
  positioningFramework,
  START,
} from '../../support/builders/evaluation/evaluation-harness.js';
import {
  playChallenges,
  rightAnswer,
  typicalLearner,
} from '../../support/builders/evaluation/learner-answers.js';

/**
 * Double clicks and retried requests, on the real engine: every race is settled by an insert under
 * a unique index (no transactions, no atomic read-modify-write on FerretDB/SQLite).
 */
describe('Integration | Evaluation | concurrent requests', () => {
  const content = createEvaluationContent(positioningFramework());
  let connection: Connection;
  let evaluation: MongoEvaluation;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('evaluation-concurrency'));
    evaluation = createMongoEvaluation(connection, {
      content,
      clock: createFixedClock(START),
      settings: DEFAULT_SETTINGS,
      newId: counterIds('mongo'),
    });
    await evaluation.ensureIndexes();
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  const count = (collection: string, filter: Record<string, unknown>) =>
    connection.collection(collection).countDocuments(filter);

  it('stores ONE answer when answer 7 is submitted twice at once, and returns the same result to both', async () => {
    const learnerKey = 'https://lms.example.org#double-click';
    const { useCases } = evaluation;
    const assessment = await useCases.startCompetenceEvaluation({
      learnerKey,
      competenceCode: '1.1',
      locale: 'fr',
    });
    const ref = { assessmentId: assessment.id, learnerKey };
    const answersRight = typicalLearner(4);
    await playChallenges(useCases, { ...ref, steps: 6, answersRight, challenges: content.challengesById });
    const seventh = await useCases.getNextChallenge(ref);
    if (seventh.kind !== 'challenge') throw new Error('expected a challenge');
    expect(seventh.position).to.equal(7);
    const challenge = content.challengesById.get(seventh.challenge.id);
    if (!challenge) throw new Error('unknown challenge');
    const submit = () => useCases.submitAnswer({ ...ref, position: 7, value: rightAnswer(challenge) });

    const [a, b] = await Promise.all([submit(), submit()]);
    expect(a).to.deep.equal(b);
    expect(a).to.deep.include({ position: 7, status: 'ok' });
    expect(await count(ANSWERS_COLLECTION, { assessmentId: assessment.id, position: 7 })).to.equal(1);
    expect(await count(ANSWERS_COLLECTION, { assessmentId: assessment.id })).to.equal(7);

    // The knowledge elements are those of one answer, as without the double click.
    const reference = buildEvaluationHarness({ content, newId: () => assessment.id });
    const twin = await reference.useCases.startCompetenceEvaluation({
      learnerKey,
      competenceCode: '1.1',
      locale: 'fr',
    });
    await playChallenges(reference.useCases, {
      assessmentId: twin.id,
      learnerKey,
      steps: 7,
      answersRight: (position, served) => (position === 7 ? true : answersRight(position, served)),
      challenges: content.challengesById,
    });
    const stored = await evaluation.repositories.knowledgeElements.listByLearner(learnerKey);
    const expected = await reference.repositories.knowledgeElements.listByLearner(learnerKey);
    expect(stored).to.deep.equal(expected);
    expect(await count(KNOWLEDGE_ELEMENTS_COLLECTION, { learnerKey })).to.equal(expected.length);
  });

  it('serves one challenge per position when the next challenge is asked twice at once', async () => {
    const learnerKey = 'https://lms.example.org#two-tabs';
    const { useCases } = evaluation;
    const assessment = await useCases.startCompetenceEvaluation({
      learnerKey,
      competenceCode: '1.1',
      locale: 'fr',
    });
    const ref = { assessmentId: assessment.id, learnerKey };
    for (let round = 1; round <= 3; round += 1) {
      const views = await Promise.all([1, 2, 3].map(() => useCases.getNextChallenge(ref)));
      const served = views.map((view) =>
        view.kind === 'challenge' ? [view.position, view.challenge.id] : [],
      );
      expect(new Set(served.map((entry) => JSON.stringify(entry))).size).to.equal(1);
      expect(served[0]?.[0]).to.equal(round);
      await useCases.submitAnswer({ ...ref, position: round, value: '1' });
    }
    expect(await count(SERVED_CHALLENGES_COLLECTION, { assessmentId: assessment.id })).to.equal(3);
  });

  it('keeps one ongoing assessment per learner and competence when it is started twice at once', async () => {
    const learnerKey = 'https://lms.example.org#impatient';
    const starts = await Promise.all(
      [1, 2, 3, 4].map(() =>
        evaluation.useCases.startCompetenceEvaluation({ learnerKey, competenceCode: '2.1', locale: 'en' }),
      ),
    );
    expect(new Set(starts.map((assessment) => assessment.id)).size).to.equal(1);
    expect(await count(ASSESSMENTS_COLLECTION, { learnerKey, competenceCode: '2.1' })).to.equal(1);
  });
});
