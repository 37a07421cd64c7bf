import { expect } from 'chai';
import { DAY_MS } from '../../../../src/evaluation/domain/improvement.js';
import type { Challenge } from '../../../../src/framework/domain/models.js';
import {
  buildEvaluationHarness,
  LEARNER,
  OTHER_LEARNER,
  START,
  type EvaluationHarness,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { buildFramework } from '../../../support/builders/evaluation/framework-builder.js';
import { rightAnswer, wrongAnswer } from '../../../support/builders/evaluation/learner-answers.js';
import { rejection } from './helpers.js';

/**
 * 1.1: tube 'search' (levels 1, 2 and a draft 3: two targeted skills), tube 'browse' (2, 4 and 7:
 * level 7 is above the default max level 6, two targeted); 1.2: 'store' (1, 2), 'sort' (3);
 * 2.1: 'mail' (1, 2).
 */
function summaryHarness(): EvaluationHarness {
  return buildEvaluationHarness({
    framework: buildFramework(
      {
        '1.1': { search: [1, 2, 3], browse: [2, 4, 7] },
        '1.2': { store: [1, 2], sort: [3] },
        '2.1': { mail: [1, 2] },
      },
      { statuses: { '@search3': 'draft' } },
    ),
  });
}

/** Plays the competence to its end, `secondsPerAnswer` after each serving; returns the assessment id. */
async function play(
  harness: EvaluationHarness,
  competenceCode: string,
  answersRight: (challenge: Challenge) => boolean,
  options: { learnerKey?: string; secondsPerAnswer?: number; maxSteps?: number } = {},
): Promise<string> {
  const learnerKey = options.learnerKey ?? LEARNER;
  const assessment = await harness.useCases.startCompetenceEvaluation({
    learnerKey,
    competenceCode,
    locale: 'fr',
  });
  for (let step = 0; step < (options.maxSteps ?? 50); step += 1) {
    const next = await harness.useCases.getNextChallenge({ assessmentId: assessment.id, learnerKey });
    if (next.kind === 'completed') break;
    const challenge = harness.content.challengesById.get(next.challenge.id) as Challenge;
    harness.clock.advance((options.secondsPerAnswer ?? 10) * 1000);
    await harness.useCases.submitAnswer({
      assessmentId: assessment.id,
      learnerKey,
      position: next.position,
      value: answersRight(challenge) ? rightAnswer(challenge) : wrongAnswer(challenge),
    });
  }
  return assessment.id;
}

describe('Unit | Evaluation | use cases | getLearnerSummary and getLearnerAnswers', () => {
  const scope = { learnerKey: LEARNER, competenceCodes: ['1.1', '1.2'] };

  it('describes a learner who never started: nothing earned, every targeted skill of each tube counted', async () => {
    const harness = summaryHarness();
    const summary = await harness.useCases.getLearnerSummary(scope);
    expect(summary).to.deep.equal({
      learnerKey: LEARNER,
      competences: [
        { code: '1.1', pix: 0, level: 0, status: 'not-started' },
        { code: '1.2', pix: 0, level: 0, status: 'not-started' },
      ],
      tubes: [
        { tubeId: 'search', validated: 0, targeted: 2 },
        { tubeId: 'browse', validated: 0, targeted: 2 },
        { tubeId: 'store', validated: 0, targeted: 2 },
        { tubeId: 'sort', validated: 0, targeted: 1 },
      ],
      status: 'not-started',
      pix: 0,
      maxPix: 2 * 6 * 8,
      answerCount: 0,
      version: 0,
    });
  });

  it('targets the skills up to the max level of the settings', async () => {
    const harness = buildEvaluationHarness({
      framework: buildFramework({ '1.1': { browse: [2, 4, 7] } }),
      settings: { maxReachableLevel: 8 },
    });
    const summary = await harness.useCases.getLearnerSummary({
      learnerKey: LEARNER,
      competenceCodes: ['1.1'],
    });
    expect(summary.tubes).to.deep.equal([{ tubeId: 'browse', validated: 0, targeted: 3 }]);
    expect(summary.maxPix).to.equal(64);
  });

  it("follows the profile's pix, levels and statuses, counts the answers in scope only, and dates the start", async () => {
    const harness = summaryHarness();
    const startedAt = harness.clock.now();
    await play(harness, '1.2', () => true);
    harness.clock.advance(DAY_MS);
    // Answers outside the scope change the version, not the count.
    await play(harness, '2.1', () => true);

    const summary = await harness.useCases.getLearnerSummary(scope);
    const profile = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    const inProfile = (code: string) => profile.competences.find((competence) => competence.code === code);
    for (const competence of summary.competences) {
      expect(competence).to.deep.equal({
        code: competence.code,
        pix: inProfile(competence.code)?.pix,
        level: inProfile(competence.code)?.level,
        status: inProfile(competence.code)?.status,
      });
    }
    expect(summary.competences[1]).to.include({ code: '1.2', status: 'completed' });
    expect(summary.competences[1]?.pix).to.be.greaterThan(0);
    expect(summary.pix).to.equal((inProfile('1.1')?.pix ?? 0) + (inProfile('1.2')?.pix ?? 0));
    expect(summary.status).to.equal('in-progress');
    expect(summary.startedAt).to.deep.equal(startedAt);
    expect(summary).not.to.have.property('completedAt');

    const inScope = harness.repositories.stored.assessments
      .filter((assessment) => assessment.competenceCode === '1.2')
      .map((assessment) => assessment.id);
    const answersInScope = harness.repositories.stored.answers.filter((answer) =>
      inScope.includes(answer.assessmentId),
    ).length;
    expect(answersInScope).to.be.greaterThan(0);
    expect(summary.answerCount).to.equal(answersInScope);
    expect(summary.tubes.find((tube) => tube.tubeId === 'store')).to.deep.equal({
      tubeId: 'store',
      validated: 2,
      targeted: 2,
    });
  });

  it('is completed, with the latest completion, once every competence of the scope is', async () => {
    const harness = summaryHarness();
    await play(harness, '1.1', () => true);
    const firstDone = harness.clock.now();
    harness.clock.advance(3 * DAY_MS);
    const secondId = await play(harness, '1.2', () => false);
    const second = harness.repositories.stored.assessments.find((assessment) => assessment.id === secondId);

    const summary = await harness.useCases.getLearnerSummary(scope);
    expect(summary.status).to.equal('completed');
    expect(second?.completedAt).to.be.instanceOf(Date);
    expect(summary.completedAt).to.deep.equal(second?.completedAt);
    expect(summary.completedAt?.getTime()).to.be.greaterThan(firstDone.getTime());
    expect(summary.tubes.find((tube) => tube.tubeId === 'store')).to.include({ validated: 0 });
  });

  it('has a version that grows with every answer, completion and reset, never otherwise', async () => {
    const harness = summaryHarness();
    const versions: number[] = [(await harness.useCases.getLearnerSummary(scope)).version];
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    versions.push((await harness.useCases.getLearnerSummary(scope)).version);
    for (let step = 0; step < 2; step += 1) {
      const next = await harness.useCases.getNextChallenge({
        assessmentId: assessment.id,
        learnerKey: LEARNER,
      });
      if (next.kind === 'completed') break;
      await harness.useCases.skipChallenge({
        assessmentId: assessment.id,
        learnerKey: LEARNER,
        position: next.position,
      });
      versions.push((await harness.useCases.getLearnerSummary(scope)).version);
    }
    const unchanged = (await harness.useCases.getLearnerSummary(scope)).version;
    expect(unchanged).to.equal(versions.at(-1));
    await harness.useCases.completeCompetence({ assessmentId: assessment.id, learnerKey: LEARNER });
    versions.push((await harness.useCases.getLearnerSummary(scope)).version);
    await play(harness, '1.2', () => true);
    versions.push((await harness.useCases.getLearnerSummary(scope)).version);
    harness.clock.advance(8 * DAY_MS);
    await harness.useCases.resetCompetence({ learnerKey: LEARNER, competenceCode: '1.2' });
    versions.push((await harness.useCases.getLearnerSummary(scope)).version);

    for (let i = 1; i < versions.length; i += 1) {
      expect(versions[i], `version ${i} after ${versions[i - 1]}`).to.be.greaterThan(versions[i - 1] ?? 0);
    }
  });

  it('after a reset: not started again, no start date, but the answers given still counted', async () => {
    const harness = summaryHarness();
    await play(harness, '1.2', () => true);
    const before = await harness.useCases.getLearnerSummary({
      learnerKey: LEARNER,
      competenceCodes: ['1.2'],
    });
    harness.clock.advance(8 * DAY_MS);
    await harness.useCases.resetCompetence({ learnerKey: LEARNER, competenceCode: '1.2' });
    const after = await harness.useCases.getLearnerSummary({ learnerKey: LEARNER, competenceCodes: ['1.2'] });
    expect(after.competences).to.deep.equal([{ code: '1.2', pix: 0, level: 0, status: 'not-started' }]);
    expect(after.status).to.equal('not-started');
    expect(after).not.to.have.property('startedAt');
    expect(after.answerCount).to.equal(before.answerCount);
    expect(after.tubes.every((tube) => tube.validated === 0)).to.equal(true);
    expect(after.version).to.be.greaterThan(before.version);
  });

  it('refuses an unknown competence', async () => {
    const harness = summaryHarness();
    const error = await rejection(
      harness.useCases.getLearnerSummary({ learnerKey: LEARNER, competenceCodes: ['1.1', '9.9'] }),
    );
    expect(error.code).to.equal('UNKNOWN_COMPETENCE');
    const again = await rejection(
      harness.useCases.getLearnerAnswers({ learnerKey: LEARNER, competenceCodes: ['9.9'] }),
    );
    expect(again.code).to.equal('UNKNOWN_COMPETENCE');
  });

  describe('getLearnerAnswers', () => {
    it("lists each competence's answers in order, with the skill, the outcome and the time spent", async () => {
      const harness = summaryHarness();
      const assessmentId = await play(harness, '1.2', (challenge) => challenge.skillId !== '@sort3', {
        secondsPerAnswer: 42,
      });
      await play(harness, '2.1', () => true, { secondsPerAnswer: 5 });

      const { competences } = await harness.useCases.getLearnerAnswers(scope);
      expect(competences.map((competence) => competence.code)).to.deep.equal(['1.1', '1.2']);
      expect(competences[0]?.answers).to.deep.equal([]);
      const stored = harness.repositories.stored.answers
        .filter((answer) => answer.assessmentId === assessmentId)
        .sort((a, b) => a.position - b.position);
      expect(stored.length).to.be.greaterThan(1);
      expect(competences[1]?.answers).to.deep.equal(
        stored.map((answer) => ({
          attempt: 1,
          position: answer.position,
          challengeId: answer.challengeId,
          skillId: harness.content.challengesById.get(answer.challengeId)?.skillId,
          status: answer.status,
          correct: answer.correct,
          answeredAt: answer.answeredAt,
          timeSpentSeconds: 42,
        })),
      );
      const sort = competences[1]?.answers.find((answer) => answer.skillId === '@sort3');
      expect(sort).to.include({ status: 'ko', correct: false });
    });

    it("with an activity, lists only the answers of the learner's positionings of that activity", async () => {
      const harness = summaryHarness();
      const inActivity = async (activityId: string, code: string) => {
        await harness.useCases.startPositioning({
          learnerKey: LEARNER,
          scope: { type: 'competence', code },
          locale: 'fr',
          activityId,
        });
        await play(harness, code, () => true, { maxSteps: 2 });
      };
      await inActivity('link-A', '1.2');
      await inActivity('link-B', '1.1');
      await play(harness, '2.1', () => true, { maxSteps: 1 });
      await play(harness, '1.1', () => true, { learnerKey: OTHER_LEARNER, maxSteps: 1 });
      const counts = async (activityId?: string) =>
        (
          await harness.useCases.getLearnerAnswers({
            learnerKey: LEARNER,
            competenceCodes: ['1.1', '1.2', '2.1'],
            ...(activityId !== undefined && { activityId }),
          })
        ).competences.map((competence) => competence.answers.length);
      expect(await counts('link-A')).to.deep.equal([0, 2, 0]);
      expect(await counts('link-B')).to.deep.equal([2, 0, 0]);
      expect(await counts('link-C')).to.deep.equal([0, 0, 0]);
      expect(await counts()).to.deep.equal([2, 2, 1]);
    });

    it("never mixes in another learner's answers, and leaves the time out when the serving is unknown", async () => {
      const harness = summaryHarness();
      await play(harness, '1.2', () => true, { learnerKey: OTHER_LEARNER });
      expect((await harness.useCases.getLearnerAnswers(scope)).competences[1]?.answers).to.deep.equal([]);

      const assessmentId = await play(harness, '1.2', () => true, { maxSteps: 1 });
      harness.repositories.stored.served.splice(
        harness.repositories.stored.served.findIndex((served) => served.assessmentId === assessmentId),
        1,
      );
      const [answer] = (await harness.useCases.getLearnerAnswers(scope)).competences[1]?.answers ?? [];
      expect(answer).to.include({ attempt: 1, position: 1 });
      expect(answer).not.to.have.property('timeSpentSeconds');
      expect(answer?.answeredAt.getTime()).to.be.greaterThan(new Date(START).getTime());
    });
  });
});
