import { expect } from 'chai';
import type { Framework, QrocmIndSolution } from '../../../../src/framework/domain/models.js';
import { MAX_ANSWER_BYTES } from '../../../../src/framework/domain/answer-checking/index.js';
import { TIMER_GRACE_MS } from '../../../../src/evaluation/domain/assessment.js';
import { buildFramework } from '../../../support/builders/evaluation/framework-builder.js';
import {
  buildEvaluationHarness,
  LEARNER,
  OTHER_LEARNER,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { rejection } from './helpers.js';

/** Every challenge a QROCM-ind with inputs 'city' and 'zip' (right answers Paris, 75001). */
function qrocmFramework(): Framework {
  const framework = buildFramework({ '1.1': { form: [1, 2, 3] } });
  const solution: QrocmIndSolution = {
    type: 'QROCM-ind',
    inputs: [
      { key: 'city', variants: { fr: ['Paris'], en: ['Paris'] }, numeric: false, select: false },
      { key: 'zip', variants: { fr: ['75001'], en: ['75001'] }, numeric: true, select: false },
    ],
    tolerances: { t1: true, t2: true, t3: false },
  };
  return {
    ...framework,
    challenges: framework.challenges.map((challenge) => ({ ...challenge, type: 'QROCM-ind', solution })),
  };
}

const timedFramework = () =>
  buildFramework(
    { '1.1': { clock: [1, 2, 3, 4] } },
    { timedSkills: ['@clock1', '@clock2', '@clock3', '@clock4'] },
  );

describe('Unit | Evaluation | use cases | submitAnswer', () => {
  async function served(harness = buildEvaluationHarness()) {
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    const ref = { assessmentId: assessment.id, learnerKey: LEARNER };
    const next = await harness.useCases.getNextChallenge(ref);
    if (next.kind !== 'challenge') throw new Error('expected a challenge');
    return { ...harness, assessment, ref, next };
  }

  it('checks a right answer, stores it, and creates its knowledge elements under the answer’s key', async () => {
    const { useCases, repositories, ref, next } = await served();
    const result = await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    expect(result).to.deep.equal({
      assessmentId: ref.assessmentId,
      position: 1,
      challengeId: next.challenge.id,
      status: 'ok',
      correct: true,
      result: { levelBefore: 0, levelAfter: 0 },
    });
    expect(repositories.stored.answers).to.have.length(1);
    expect(repositories.stored.answers[0]).to.deep.include({ value: '1', status: 'ok', timedOut: false });
    expect(repositories.stored.answers[0]?.appliedAt).to.be.instanceOf(Date);
    const elements = repositories.stored.knowledgeElements;
    expect(elements.length).to.be.greaterThan(1); // direct + inferred easier skills of the tube
    expect(elements[0]?.element).to.deep.include({
      skillId: next.challenge.skillId,
      source: 'direct',
      status: 'validated',
      assessmentId: ref.assessmentId,
      answerIndex: 0,
      challengeId: next.challenge.id,
    });
    for (const stored of elements) {
      expect(stored.id).to.equal(`${ref.assessmentId}:1:${stored.element.skillId}`);
      expect(stored.learnerKey).to.equal(LEARNER);
    }
  });

  it('turns a wrong answer into ko and invalidated knowledge elements', async () => {
    const { useCases, repositories, ref } = await served();
    const result = await useCases.submitAnswer({ ...ref, position: 1, value: '2' });
    expect(result).to.deep.include({ status: 'ko', correct: false });
    expect(repositories.stored.knowledgeElements.map((stored) => stored.element.status)).to.satisfy(
      (statuses: string[]) => statuses.length > 0 && statuses.every((status) => status === 'invalidated'),
    );
  });

  it('is idempotent per position: a resubmission returns the stored result and stores nothing more', async () => {
    const { useCases, repositories, ref } = await served();
    const first = await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    const elements = repositories.stored.knowledgeElements.length;
    const resubmitted = await useCases.submitAnswer({ ...ref, position: 1, value: '2' });
    expect(resubmitted).to.deep.equal(first);
    expect(repositories.stored.answers).to.have.length(1);
    expect(repositories.stored.knowledgeElements).to.have.length(elements);
  });

  it('stores one answer when the same answer arrives twice at once, and returns the same result to both', async () => {
    const { useCases, repositories, ref } = await served();
    const [a, b] = await Promise.all([
      useCases.submitAnswer({ ...ref, position: 1, value: '1' }),
      useCases.submitAnswer({ ...ref, position: 1, value: '1' }),
    ]);
    expect(a).to.deep.equal(b);
    expect(repositories.stored.answers).to.have.length(1);
    const ids = repositories.stored.knowledgeElements.map((stored) => stored.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('refuses an answer to a position that was never served', async () => {
    const { useCases, repositories, ref } = await served();
    const error = await rejection(useCases.submitAnswer({ ...ref, position: 2, value: '1' }));
    expect(error).to.have.property('code', 'CHALLENGE_NOT_SERVED');
    const invalid = await rejection(useCases.submitAnswer({ ...ref, position: 0, value: '1' }));
    expect(invalid).to.have.property('code', 'VALIDATION_FAILED');
    expect(repositories.stored.answers).to.have.length(0);
  });

  it('refuses oversized and malformed answers, and stores nothing', async () => {
    const { useCases, repositories, ref } = await served();
    const tooLarge = await rejection(
      useCases.submitAnswer({ ...ref, position: 1, value: 'x'.repeat(MAX_ANSWER_BYTES + 1) }),
    );
    const malformed = await rejection(useCases.submitAnswer({ ...ref, position: 1, value: { a: '1' } }));
    expect(tooLarge).to.have.property('code', 'ANSWER_TOO_LARGE');
    expect(malformed).to.have.property('code', 'ANSWER_MALFORMED');
    expect(repositories.stored.answers).to.have.length(0);
    expect(repositories.stored.knowledgeElements).to.have.length(0);
    // The challenge is still waiting for its answer.
    const next = await useCases.getNextChallenge(ref);
    expect(next).to.deep.include({ kind: 'challenge', position: 1 });
  });

  it("refuses another learner's answer as if the assessment did not exist", async () => {
    const { useCases, ref } = await served();
    const error = await rejection(
      useCases.submitAnswer({ ...ref, learnerKey: OTHER_LEARNER, position: 1, value: '1' }),
    );
    expect(error).to.have.property('code', 'ASSESSMENT_NOT_FOUND');
  });

  describe('timers, checked on the server', () => {
    it(`accepts a right answer up to timer + ${TIMER_GRACE_MS} ms after it was served`, async () => {
      const { useCases, ref, clock } = await served(buildEvaluationHarness({ framework: timedFramework() }));
      clock.advance(30_000 + TIMER_GRACE_MS);
      expect(await useCases.submitAnswer({ ...ref, position: 1, value: '1' })).to.deep.include({
        status: 'ok',
        correct: true,
      });
    });

    it('turns a right answer arriving later into timedout, which invalidates the skill', async () => {
      const { useCases, repositories, ref, clock } = await served(
        buildEvaluationHarness({ framework: timedFramework() }),
      );
      clock.advance(30_000 + TIMER_GRACE_MS + 1);
      expect(await useCases.submitAnswer({ ...ref, position: 1, value: '1' })).to.deep.include({
        status: 'timedout',
        correct: true,
      });
      expect(repositories.stored.answers[0]).to.deep.include({ timedOut: true });
      expect(repositories.stored.knowledgeElements[0]?.element).to.deep.include({
        source: 'direct',
        status: 'invalidated',
      });
    });

    it('keeps a late wrong answer ko', async () => {
      const { useCases, ref, clock } = await served(buildEvaluationHarness({ framework: timedFramework() }));
      clock.advance(120_000);
      expect(await useCases.submitAnswer({ ...ref, position: 1, value: '2' })).to.deep.include({
        status: 'ko',
      });
    });

    it('measures the time from the first serving, not from a reload', async () => {
      const { useCases, ref, clock } = await served(buildEvaluationHarness({ framework: timedFramework() }));
      clock.advance(25_000);
      await useCases.getNextChallenge(ref); // the page is reloaded
      clock.advance(25_000);
      expect(await useCases.submitAnswer({ ...ref, position: 1, value: '1' })).to.deep.include({
        status: 'timedout',
      });
    });
  });

  describe('skipChallenge', () => {
    it('stores #ABAND# with the status aband, which invalidates the skill', async () => {
      const { useCases, repositories, ref } = await served();
      const result = await useCases.skipChallenge({ ...ref, position: 1 });
      expect(result).to.deep.include({ status: 'aband', correct: false });
      expect(repositories.stored.answers[0]).to.deep.include({ value: '#ABAND#', status: 'aband' });
      expect(repositories.stored.knowledgeElements[0]?.element).to.deep.include({ status: 'invalidated' });
    });
  });

  describe('recordFocusOut', () => {
    it('marks the served challenge and records the loss on the answer, without penalty in positioning', async () => {
      const { useCases, repositories, ref, clock } = await served();
      const recorded = await useCases.recordFocusOut({ ...ref, position: 1 });
      expect(recorded).to.deep.equal({ recorded: true, focusedOutAt: clock.now() });
      expect(repositories.stored.served[0]?.focusedOutAt).to.deep.equal(clock.now());
      const next = await useCases.getNextChallenge(ref);
      expect(next).to.deep.include({ kind: 'challenge', focusedOut: true });

      const result = await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
      expect(result).to.deep.include({ status: 'ok', correct: true });
      expect(repositories.stored.answers[0]).to.deep.include({ focusedOut: true });
      expect(repositories.stored.knowledgeElements[0]?.element).to.deep.include({ status: 'validated' });
    });

    it('records a loss reported with the answer, and ignores one reported after it', async () => {
      const { useCases, repositories, ref } = await served();
      await useCases.submitAnswer({ ...ref, position: 1, value: '1', focusedOut: true });
      expect(repositories.stored.answers[0]).to.deep.include({ focusedOut: true, status: 'ok' });
      expect(await useCases.recordFocusOut({ ...ref, position: 1 })).to.deep.equal({ recorded: false });
    });
  });

  it('returns the outcome of each input of a QROCM answer, as {key, correct} values', async () => {
    const { useCases, ref } = await served(buildEvaluationHarness({ framework: qrocmFramework() }));
    const result = await useCases.submitAnswer({
      ...ref,
      position: 1,
      value: { city: 'paris', zip: '75002' },
    });
    expect(result).to.deep.include({ status: 'ko', correct: false });
    expect(result.result.details).to.deep.equal([
      { key: 'city', correct: true },
      { key: 'zip', correct: false },
    ]);
  });

  it('reports the level before and after the answer (a level up)', async () => {
    const harness = buildEvaluationHarness({ framework: buildFramework({ '1.1': { web: [1, 2] } }) });
    const { useCases, ref } = await served(harness);
    // @web2 right: @web2 and @web1 validated, 4 pix each (the cap per skill): 8 pix, level 1.
    const result = await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    expect(result.result).to.deep.equal({ levelBefore: 0, levelAfter: 1 });
  });

  it('refuses a new answer once the assessment is completed, but still returns stored ones', async () => {
    const { useCases, ref } = await served();
    const first = await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    await useCases.getNextChallenge(ref);
    await useCases.completeCompetence(ref);
    const error = await rejection(useCases.submitAnswer({ ...ref, position: 2, value: '1' }));
    expect(error).to.have.property('code', 'ASSESSMENT_NOT_ONGOING');
    expect(await useCases.submitAnswer({ ...ref, position: 1, value: '1' })).to.deep.equal(first);
  });
});
