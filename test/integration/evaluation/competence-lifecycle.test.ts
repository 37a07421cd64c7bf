import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { connectDatabase } from '../../../src/shared/infrastructure/database/database.js';
import { createFixedClock } from '../../../src/shared/domain/clock.js';
import { createEvaluationContent } from '../../../src/evaluation/application/evaluation-content.js';
import type { EvaluationUseCases } from '../../../src/evaluation/application/use-cases.js';
import { DAY_MS } from '../../../src/evaluation/domain/improvement.js';
import { createMongoEvaluation } from '../../../src/evaluation/infrastructure/mongo-evaluation.js';
import { freshDatabaseUri } from '../../support/database.js';
import {
  buildEvaluationHarness,
  counterIds,
  DEFAULT_SETTINGS,
  LEARNER,
  positioningFramework,
  START,
} from '../../support/builders/evaluation/evaluation-harness.js';
import { playChallenges, typicalLearner } from '../../support/builders/evaluation/learner-answers.js';

/** A positioning, an improvement and a reset, on the engine, give what the in-memory run gives. */
describe('Integration | Evaluation | a competence from positioning to improvement and reset', () => {
  const content = createEvaluationContent(positioningFramework());
  let connection: Connection;

  before(async () => {
    connection = await connectDatabase(freshDatabaseUri('evaluation-lifecycle'));
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  async function lifecycle(useCases: EvaluationUseCases, clock: ReturnType<typeof createFixedClock>) {
    const snapshots: unknown[] = [];
    const view = await useCases.startPositioning({
      learnerKey: LEARNER,
      scope: { type: 'area', code: '1' },
      locale: 'fr',
      activityId: 'link-1',
    });
    const first = await useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
      positioningId: view.positioning.id,
    });
    const play = (assessmentId: string, level: number) =>
      playChallenges(useCases, {
        assessmentId,
        learnerKey: LEARNER,
        steps: 40,
        answersRight: typicalLearner(level),
        challenges: content.challengesById,
      });
    await play(first.id, 2);
    snapshots.push(
      await useCases.getPositioning({ positioningId: view.positioning.id, learnerKey: LEARNER }),
    );
    clock.advance(4 * DAY_MS);
    const improving = await useCases.improveCompetence({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    await play(improving.id, 4);
    snapshots.push(await useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' }));
    // The teaching context's read queries: answer counts and answers per assessment from the engine.
    const inArea = { learnerKey: LEARNER, competenceCodes: ['1.1', '1.2'] };
    snapshots.push(await useCases.getLearnerSummary(inArea), await useCases.getLearnerAnswers(inArea));
    clock.advance(7 * DAY_MS);
    snapshots.push(await useCases.resetCompetence({ learnerKey: LEARNER, competenceCode: '1.1' }));
    const afterReset = await useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    snapshots.push(afterReset, await useCases.getLearnerSummary(inArea));
    const again = await useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    snapshots.push(again);
    const summary = await useCases.getLearnerSummary(inArea);
    const answers = await useCases.getLearnerAnswers(inArea);
    return { snapshots, improving, afterReset, again, summary, answers };
  }

  it('runs the same on the engine as in memory', async () => {
    const clock = createFixedClock(START);
    const evaluation = createMongoEvaluation(connection, {
      content,
      clock,
      settings: DEFAULT_SETTINGS,
      newId: counterIds('id'),
    });
    await evaluation.ensureIndexes();
    const stored = await lifecycle(evaluation.useCases, clock);
    const reference = buildEvaluationHarness({ content });
    const expected = await lifecycle(reference.useCases, reference.clock);

    expect(stored.improving).to.deep.include({ attempt: 2, improving: true });
    expect(stored.afterReset.competences[0]).to.deep.include({ code: '1.1', pix: 0, status: 'not-started' });
    expect(stored.again).to.deep.include({ attempt: 3, state: 'started', improving: false });
    expect(stored.summary.answerCount).to.be.greaterThan(10);
    expect(stored.answers.competences[0]?.answers.map((answer) => answer.attempt)).to.include.members([1, 2]);
    expect(stored.snapshots).to.deep.equal(expected.snapshots);
  });
});
