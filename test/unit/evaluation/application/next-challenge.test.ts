import { expect } from 'chai';
import type { CurrentChallengeView } from '../../../../src/evaluation/application/next-challenge.js';
import { buildFramework } from '../../../support/builders/evaluation/framework-builder.js';
import {
  buildEvaluationHarness,
  LEARNER,
  OTHER_LEARNER,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { playChallenges, typicalLearner } from '../../../support/builders/evaluation/learner-answers.js';
import { rejection } from './helpers.js';

function asChallenge(view: CurrentChallengeView) {
  if (view.kind !== 'challenge') throw new Error(`expected a challenge, got ${view.kind}`);
  return view;
}

describe('Unit | Evaluation | use cases | getNextChallenge', () => {
  async function started(harness = buildEvaluationHarness()) {
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    return { ...harness, assessment, ref: { assessmentId: assessment.id, learnerKey: LEARNER } };
  }

  it('serves the first challenge at position 1, without its solution, and records it as served', async () => {
    const { useCases, repositories, ref, clock } = await started();
    const next = asChallenge(await useCases.getNextChallenge(ref));
    expect(next).to.deep.include({ position: 1, competenceCode: '1.1', resumed: false, focusedOut: false });
    expect(next.servedAt).to.deep.equal(clock.now());
    expect(next.challenge).not.to.have.property('solution');
    expect(next.challenge.skillId).to.match(/2$/); // the first challenge is a level-2 skill
    expect(repositories.stored.served).to.deep.equal([
      {
        assessmentId: ref.assessmentId,
        learnerKey: LEARNER,
        position: 1,
        challengeId: next.challenge.id,
        servedAt: next.servedAt,
      },
    ]);
  });

  it('returns the SAME challenge, with the time it was first served, until it is answered', async () => {
    const { useCases, repositories, ref, clock } = await started();
    const first = asChallenge(await useCases.getNextChallenge(ref));
    clock.advance(60_000);
    const again = asChallenge(await useCases.getNextChallenge(ref));
    expect(again).to.deep.include({ position: 1, resumed: true, servedAt: first.servedAt });
    expect(again.challenge.id).to.equal(first.challenge.id);
    expect(repositories.stored.served).to.have.length(1);

    await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    const second = asChallenge(await useCases.getNextChallenge(ref));
    expect(second).to.deep.include({ position: 2, resumed: false });
  });

  it('reads the current challenge without serving one (getCurrentChallenge)', async () => {
    const { useCases, repositories, ref, clock } = await started();
    expect(await useCases.getCurrentChallenge(ref)).to.deep.equal({
      kind: 'unserved',
      assessmentId: ref.assessmentId,
      competenceCode: '1.1',
    });
    expect(repositories.stored.served).to.have.length(0);

    const first = asChallenge(await useCases.getNextChallenge(ref));
    clock.advance(5_000);
    const current = asChallenge(await useCases.getCurrentChallenge(ref));
    expect(current).to.deep.include({ position: 1, resumed: true, servedAt: first.servedAt });
    expect(current.challenge.id).to.equal(first.challenge.id);

    await useCases.submitAnswer({ ...ref, position: 1, value: '1' });
    expect((await useCases.getCurrentChallenge(ref)).kind).to.equal('unserved');
    expect(repositories.stored.served).to.have.length(1);

    await useCases.completeCompetence(ref);
    expect((await useCases.getCurrentChallenge(ref)).kind).to.equal('completed');
    const error = await rejection(useCases.getCurrentChallenge({ ...ref, learnerKey: OTHER_LEARNER }));
    expect(error).to.have.property('code', 'ASSESSMENT_NOT_FOUND');
  });

  it('keeps the timer running on the server: the deadline stays, the time left shrinks', async () => {
    const timed = buildFramework(
      { '1.1': { clock: [1, 2, 3] } },
      { timedSkills: ['@clock1', '@clock2', '@clock3'] },
    );
    const { useCases, ref, clock } = await started(buildEvaluationHarness({ framework: timed }));
    const first = asChallenge(await useCases.getNextChallenge(ref));
    expect(first.deadline).to.deep.equal(new Date(first.servedAt.getTime() + 30_000));
    expect(first.remainingMs).to.equal(30_000);
    clock.advance(20_000);
    const resumed = asChallenge(await useCases.getNextChallenge(ref));
    expect(resumed.deadline).to.deep.equal(first.deadline);
    expect(resumed.remainingMs).to.equal(10_000);
    clock.advance(20_000);
    expect(asChallenge(await useCases.getNextChallenge(ref)).remainingMs).to.equal(0);
  });

  it('serves one challenge when asked twice at once', async () => {
    const { useCases, repositories, ref } = await started();
    const [a, b] = (await Promise.all([useCases.getNextChallenge(ref), useCases.getNextChallenge(ref)])).map(
      asChallenge,
    );
    expect(a?.position).to.equal(1);
    expect(b?.position).to.equal(1);
    expect(a?.challenge.id).to.equal(b?.challenge.id);
    expect(repositories.stored.served).to.have.length(1);
  });

  it('completes the assessment when the engine has nothing left to ask, and says so afterwards', async () => {
    const { useCases, repositories, ref, content } = await started();
    const played = await playChallenges(useCases, {
      ...ref,
      steps: 40,
      answersRight: typicalLearner(2),
      challenges: content.challengesById,
    });
    expect(played.length).to.be.within(5, 30);
    const done = await useCases.getNextChallenge(ref);
    expect(done.kind).to.equal('completed');
    if (done.kind !== 'completed') return;
    expect(done.reason).to.be.oneOf(['no-candidate', 'confident', 'nothing-to-confirm', 'max-challenges']);
    expect(done.score.level).to.equal(2);
    expect(repositories.stored.assessments[0]).to.deep.include({ state: 'completed' });
    expect(repositories.stored.served).to.have.length(played.length);
  });

  it('completes at once a competence with no playable challenge (e.g. a bank still in draft)', async () => {
    const drafts = buildFramework(
      { '1.1': { web: [1, 2, 3] } },
      { statuses: { '@web1': 'draft', '@web2': 'draft', '@web3': 'draft' } },
    );
    const { useCases, ref } = await started(buildEvaluationHarness({ framework: drafts }));
    const next = await useCases.getNextChallenge(ref);
    expect(next).to.deep.include({ kind: 'completed', reason: 'no-candidate' });
  });

  it("reports another learner's assessment as not found", async () => {
    const { useCases, ref } = await started();
    const error = await rejection(useCases.getNextChallenge({ ...ref, learnerKey: OTHER_LEARNER }));
    expect(error).to.have.property('code', 'ASSESSMENT_NOT_FOUND');
    const unknown = await rejection(useCases.getNextChallenge({ ...ref, assessmentId: 'nope' }));
    expect(unknown).to.have.property('code', 'ASSESSMENT_NOT_FOUND');
  });
});
