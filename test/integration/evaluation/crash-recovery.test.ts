import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createEvaluationContent } from '../../../src/evaluation/application/evaluation-content.js';
import type { EvaluationRepositories } from '../../../src/evaluation/application/ports.js';
import { createMongoEvaluation } from '../../../src/evaluation/infrastructure/mongo-evaluation.js';
import { ANSWERS_COLLECTION } from '../../../src/evaluation/infrastructure/answer-repository.js';
import { freshDatabaseUri } from '../../support/database.js';
import {
  buildEvaluationHarness,
  counterIds,
  DEFAULT_SETTINGS,
  positioningFramework,
  START,
} from '../../support/builders/evaluation/evaluation-harness.js';
import { SimulatedCrash } from '../../support/builders/evaluation/in-memory-evaluation-repositories.js';
import { playChallenges, rightAnswer } from '../../support/builders/evaluation/learner-answers.js';

/**
 * No transactions: the answer is inserted first, then its knowledge elements (ids derived from the
 * answer), then the answer is marked applied. A process that dies in between leaves an answer
 * without (all of) its KEs; the learner's next call, in a new process, writes them.
 */
describe('Integration | Evaluation | a crash between the answer and its knowledge elements', () => {
  const content = createEvaluationContent(positioningFramework());
  const answersRight = (position: number) => position % 4 !== 2;
  let uri: string;
  let connections: Connection[] = [];

  before(() => {
    uri = freshDatabaseUri('evaluation-crash');
  });

  after(async () => {
    await connections[0]?.dropDatabase();
    for (const connection of connections) await connection.close();
    connections = [];
  });

  /** A process; with `crashAfter`, its next KE write stores that many KEs and then dies. */
  async function boot(newId: () => string, crashAfter?: number) {
    const connection = await connectDatabase(uri);
    connections.push(connection);
    let armed = crashAfter !== undefined;
    const wrap = (repositories: EvaluationRepositories): EvaluationRepositories => ({
      ...repositories,
      knowledgeElements: {
        listByLearner: (learnerKey) => repositories.knowledgeElements.listByLearner(learnerKey),
        async addAll(learnerKey, elements) {
          if (!armed) return repositories.knowledgeElements.addAll(learnerKey, elements);
          armed = false;
          await repositories.knowledgeElements.addAll(learnerKey, elements.slice(0, crashAfter));
          throw new SimulatedCrash(`after ${crashAfter} knowledge element(s)`);
        },
      },
    });
    const evaluation = createMongoEvaluation(connection, {
      content,
      clock: createFixedClock(START),
      settings: DEFAULT_SETTINGS,
      newId,
      wrap,
    });
    await evaluation.ensureIndexes();
    return evaluation;
  }

  async function reference(learnerKey: string, steps: number) {
    const harness = buildEvaluationHarness({ content, newId: counterIds(learnerKey) });
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey,
      competenceCode: '1.1',
      locale: 'fr',
    });
    await playChallenges(harness.useCases, {
      assessmentId: assessment.id,
      learnerKey,
      steps,
      answersRight,
      challenges: content.challengesById,
    });
    return harness;
  }

  for (const crashAfter of [0, 1]) {
    it(`is recovered by the next call (the crash came after ${crashAfter} knowledge element(s))`, async () => {
      const learnerKey = `https://lms.example.org#crash-${crashAfter}`;
      const before = await boot(counterIds(learnerKey));
      const assessment = await before.useCases.startCompetenceEvaluation({
        learnerKey,
        competenceCode: '1.1',
        locale: 'fr',
      });
      const ref = { assessmentId: assessment.id, learnerKey };
      await playChallenges(before.useCases, {
        ...ref,
        steps: 4,
        answersRight,
        challenges: content.challengesById,
      });
      const fifth = await before.useCases.getNextChallenge(ref);
      if (fifth.kind !== 'challenge') throw new Error('expected a challenge');
      const challenge = content.challengesById.get(fifth.challenge.id);
      if (!challenge) throw new Error('unknown challenge');

      // This process dies while writing the KEs of answer 5.
      const dying = await boot(counterIds(`${learnerKey}-dying`), crashAfter);
      let crashed: unknown;
      await dying.useCases
        .submitAnswer({ ...ref, position: 5, value: rightAnswer(challenge) })
        .catch((error: unknown) => (crashed = error));
      expect(crashed).to.be.instanceOf(SimulatedCrash);
      const stored = await connections[0]
        ?.collection(ANSWERS_COLLECTION)
        .findOne({ assessmentId: assessment.id, position: 5 });
      expect(stored).to.deep.include({ applied: false, status: 'ok' });

      // The next call, in another process, completes the work before anything else.
      const after = await boot(counterIds(`${learnerKey}-after`));
      const sixth = await after.useCases.getNextChallenge(ref);
      expect(sixth).to.deep.include({ kind: 'challenge', position: 6 });
      const expected = await reference(learnerKey, 5);
      expect(await after.repositories.knowledgeElements.listByLearner(learnerKey)).to.deep.equal(
        (await expected.repositories.knowledgeElements.listByLearner(learnerKey)).map((element) =>
          element.assessmentId === undefined ? element : { ...element, assessmentId: assessment.id },
        ),
      );
      const { learnerKey: _l, ...profile } = await after.useCases.getProfile({ learnerKey, locale: 'fr' });
      const { learnerKey: _r, ...expectedProfile } = await expected.useCases.getProfile({
        learnerKey,
        locale: 'fr',
      });
      expect({
        ...profile,
        competences: profile.competences.map(({ assessmentId: _a, ...rest }) => rest),
      }).to.deep.equal({
        ...expectedProfile,
        competences: expectedProfile.competences.map(({ assessmentId: _a, ...rest }) => rest),
      });
      expect(
        await connections[0]?.collection(ANSWERS_COLLECTION).countDocuments({ learnerKey, applied: false }),
      ).to.equal(0);
    });
  }
});
