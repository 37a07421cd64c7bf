import { expect } from 'chai';
import {
  buildEvaluationHarness,
  LEARNER,
  type EvaluationHarness,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { SimulatedCrash } from '../../../support/builders/evaluation/in-memory-evaluation-repositories.js';
import { rightAnswer, wrongAnswer } from '../../../support/builders/evaluation/learner-answers.js';

/**
 * No transactions: an answer is stored first, then its knowledge elements, then its `appliedAt`.
 * A crash between any two of these writes is completed by the learner's next call.
 */
describe('Unit | Evaluation | use cases | recovery after a crash between two writes', () => {
  const pattern = (position: number) => position % 3 !== 0;

  async function answerUpTo(harness: EvaluationHarness, positions: number, crashAt?: () => void) {
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    const ref = { assessmentId: assessment.id, learnerKey: LEARNER };
    for (let position = 1; position <= positions; position += 1) {
      const next = await harness.useCases.getNextChallenge(ref);
      if (next.kind !== 'challenge') throw new Error('completed too early');
      const challenge = harness.content.challengesById.get(next.challenge.id);
      if (!challenge) throw new Error('unknown challenge');
      const value = pattern(position) ? rightAnswer(challenge) : wrongAnswer(challenge);
      if (position === positions && crashAt) {
        crashAt();
        let crashed: unknown;
        await harness.useCases.submitAnswer({ ...ref, position, value }).catch((error: unknown) => {
          crashed = error;
        });
        expect(crashed).to.be.instanceOf(SimulatedCrash);
      } else {
        await harness.useCases.submitAnswer({ ...ref, position, value });
      }
    }
    return ref;
  }

  /** What a learner without any crash has after the same answers. */
  async function reference(positions: number) {
    const harness = buildEvaluationHarness();
    await answerUpTo(harness, positions);
    return harness;
  }

  const storedElements = (harness: EvaluationHarness) =>
    [...harness.repositories.stored.knowledgeElements].sort((a, b) => (a.id < b.id ? -1 : 1));

  it('writes the missing knowledge elements when the process died right after storing the answer', async () => {
    const harness = buildEvaluationHarness();
    const ref = await answerUpTo(harness, 4, () => {
      harness.repositories.failures.knowledgeElementsAfter = 0;
    });
    const answer = harness.repositories.stored.answers.find((known) => known.position === 4);
    expect(answer).to.deep.include({ position: 4 });
    expect(answer?.appliedAt).to.equal(undefined);
    expect(harness.repositories.stored.knowledgeElements.some((known) => known.id.includes(':4:'))).to.equal(
      false,
    );

    const next = await harness.useCases.getNextChallenge(ref);
    expect(next).to.deep.include({ kind: 'challenge', position: 5 });
    const expected = await reference(4);
    expect(storedElements(harness)).to.deep.equal(storedElements(expected));
    expect(harness.repositories.stored.answers.every((known) => known.appliedAt !== undefined)).to.equal(
      true,
    );
    expect(await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' })).to.deep.equal(
      await expected.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' }),
    );
  });

  it('completes a half-written set of knowledge elements', async () => {
    const harness = buildEvaluationHarness();
    const ref = await answerUpTo(harness, 1, () => {
      harness.repositories.failures.knowledgeElementsAfter = 1;
    });
    expect(harness.repositories.stored.knowledgeElements).to.have.length(1);
    // The resubmission (the learner clicks again) returns the stored result and finishes the work.
    const again = await harness.useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    expect(again.status).to.equal('ok');
    const expected = await reference(1);
    expect(storedElements(harness)).to.deep.equal(storedElements(expected));
  });

  it('writes nothing twice when the crash came after the knowledge elements', async () => {
    const harness = buildEvaluationHarness();
    await answerUpTo(harness, 3, () => {
      harness.repositories.failures.markAnswerApplied = true;
    });
    const before = harness.repositories.stored.knowledgeElements.length;
    await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    expect(harness.repositories.stored.knowledgeElements).to.have.length(before);
    expect(harness.repositories.stored.answers.every((known) => known.appliedAt !== undefined)).to.equal(
      true,
    );
    expect(storedElements(harness)).to.deep.equal(storedElements(await reference(3)));
  });

  it('finishes an interrupted reset', async () => {
    const harness = buildEvaluationHarness({ settings: { resetAfterDays: 0 } });
    await answerUpTo(harness, 3);
    harness.repositories.failures.knowledgeElementsAfter = 1;
    let crashed: unknown;
    await harness.useCases
      .resetCompetence({ learnerKey: LEARNER, competenceCode: '1.1' })
      .catch((error: unknown) => (crashed = error));
    expect(crashed).to.be.instanceOf(SimulatedCrash);
    const profile = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    expect(profile.competences[0]).to.deep.include({ code: '1.1', pix: 0, status: 'not-started' });
    expect(harness.repositories.stored.resets[0]?.appliedAt).to.be.instanceOf(Date);
  });
});
