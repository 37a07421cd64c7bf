import { expect } from 'chai';
import { DAY_MS } from '../../../../src/evaluation/domain/improvement.js';
import {
  buildEvaluationHarness,
  LEARNER,
  type EvaluationHarness,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { playChallenges, typicalLearner } from '../../../support/builders/evaluation/learner-answers.js';
import { ImproveNotAllowedError, ResetNotAllowedError } from '../../../../src/evaluation/domain/errors.js';
import { rejection } from './helpers.js';

const competence = { learnerKey: LEARNER, competenceCode: '1.1' };

async function completedAtLevel(harness: EvaluationHarness, level: number) {
  const assessment = await harness.useCases.startCompetenceEvaluation({ ...competence, locale: 'fr' });
  const ref = { assessmentId: assessment.id, learnerKey: LEARNER };
  await playChallenges(harness.useCases, {
    ...ref,
    steps: 40,
    answersRight: typicalLearner(level),
    challenges: harness.content.challengesById,
  });
  const done = await harness.useCases.getNextChallenge(ref);
  expect(done.kind).to.equal('completed');
  return ref;
}

describe('Unit | Evaluation | use cases | complete, improve and reset a competence', () => {
  describe('completeCompetence', () => {
    it('ends the evaluation when the learner says so, keeping what was earned', async () => {
      const harness = buildEvaluationHarness();
      const assessment = await harness.useCases.startCompetenceEvaluation({ ...competence, locale: 'fr' });
      const ref = { assessmentId: assessment.id, learnerKey: LEARNER };
      await playChallenges(harness.useCases, {
        ...ref,
        steps: 3,
        answersRight: () => true,
        challenges: harness.content.challengesById,
      });
      await harness.useCases.getNextChallenge(ref); // a 4th challenge served, left unanswered
      const done = await harness.useCases.completeCompetence(ref);
      expect(done).to.deep.include({ kind: 'completed', reason: 'ended-by-learner' });
      if (done.kind === 'completed') expect(done.score.pix).to.be.greaterThan(0);
      expect(harness.repositories.stored.answers).to.have.length(3);
      expect(await harness.useCases.completeCompetence(ref)).to.deep.equal(done);
      const profile = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
      expect(profile.competences[0]).to.deep.include({ status: 'completed', assessmentId: ref.assessmentId });
    });

    it('returns the completed assessment when the competence is started again', async () => {
      const harness = buildEvaluationHarness();
      const ref = await completedAtLevel(harness, 2);
      const again = await harness.useCases.startCompetenceEvaluation({ ...competence, locale: 'fr' });
      expect(again).to.deep.include({ id: ref.assessmentId, state: 'completed' });
    });
  });

  describe('improveCompetence', () => {
    it('is refused before the competence is completed, and too early, saying from when', async () => {
      const harness = buildEvaluationHarness();
      await harness.useCases.startCompetenceEvaluation({ ...competence, locale: 'fr' });
      const notCompleted = await rejection(
        harness.useCases.improveCompetence({ ...competence, locale: 'fr' }),
      );
      expect(notCompleted).to.be.instanceOf(ImproveNotAllowedError);
      expect(notCompleted.details).to.deep.include({ reason: 'COMPETENCE_NOT_COMPLETED' });

      const other = buildEvaluationHarness();
      await completedAtLevel(other, 2);
      const lastAnswerAt = other.clock.now();
      other.clock.advance(4 * DAY_MS - 1);
      const early = await rejection(other.useCases.improveCompetence({ ...competence, locale: 'fr' }));
      expect(early).to.have.property('code', 'IMPROVE_NOT_ALLOWED');
      expect(early.details).to.deep.equal({
        competenceCode: '1.1',
        reason: 'IMPROVE_TOO_EARLY',
        availableAt: new Date(lastAnswerAt.getTime() + 4 * DAY_MS).toISOString(),
      });
    });

    it('is refused at the highest level', async () => {
      const harness = buildEvaluationHarness({ settings: { maxReachableLevel: 2 } });
      await completedAtLevel(harness, 7);
      harness.clock.advance(30 * DAY_MS);
      const error = await rejection(harness.useCases.improveCompetence({ ...competence, locale: 'fr' }));
      expect(error.details).to.deep.include({ reason: 'MAX_LEVEL_REACHED' });
    });

    it('starts an improving attempt after 4 days, where missed skills can be asked again', async () => {
      const harness = buildEvaluationHarness();
      const first = await completedAtLevel(harness, 2);
      const before = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
      expect(before.competences[0]?.improve).to.deep.include({ allowed: false, reason: 'IMPROVE_TOO_EARLY' });
      harness.clock.advance(4 * DAY_MS);
      expect(
        (await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' })).competences[0]?.improve,
      ).to.deep.equal({ allowed: true });

      const [improving, concurrent] = await Promise.all([
        harness.useCases.improveCompetence({ ...competence, locale: 'fr' }),
        harness.useCases.improveCompetence({ ...competence, locale: 'fr' }),
      ]);
      expect(concurrent.id).to.equal(improving.id);
      expect(improving).to.deep.include({ attempt: 2, improving: true, improvingDays: 4, state: 'started' });
      expect(improving.id).not.to.equal(first.assessmentId);

      // Now a better learner: they earn more than before.
      const ref = { assessmentId: improving.id, learnerKey: LEARNER };
      await playChallenges(harness.useCases, {
        ...ref,
        steps: 40,
        answersRight: typicalLearner(5),
        challenges: harness.content.challengesById,
      });
      const after = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
      expect(after.competences[0]?.pix).to.be.greaterThan(before.competences[0]?.pix ?? 0);
      expect(after.competences[0]?.assessmentId).to.equal(improving.id);
    });

    it('follows IMPROVE_AFTER_DAYS', async () => {
      const harness = buildEvaluationHarness({ settings: { improveAfterDays: 0 } });
      await completedAtLevel(harness, 2);
      const improving = await harness.useCases.improveCompetence({ ...competence, locale: 'fr' });
      expect(improving).to.deep.include({ improving: true, improvingDays: 0 });
    });
  });

  describe('resetCompetence', () => {
    it('is refused within 7 days of the last knowledge element, and when there is nothing to reset', async () => {
      const empty = await rejection(buildEvaluationHarness().useCases.resetCompetence(competence));
      expect(empty).to.be.instanceOf(ResetNotAllowedError);
      expect(empty.details).to.deep.include({ reason: 'NOTHING_TO_RESET' });

      const harness = buildEvaluationHarness();
      await completedAtLevel(harness, 3);
      harness.clock.advance(7 * DAY_MS - 1);
      const early = await rejection(harness.useCases.resetCompetence(competence));
      expect(early).to.have.property('code', 'RESET_NOT_ALLOWED');
      expect(early.details).to.deep.include({ reason: 'RESET_TOO_EARLY' });
      expect(early.details).to.have.property('availableAt');
    });

    it('after 7 days, sets the competence back to 0 pix and not started; the next start is a new attempt', async () => {
      const harness = buildEvaluationHarness();
      const old = await completedAtLevel(harness, 3);
      harness.clock.advance(7 * DAY_MS);
      const reset = await harness.useCases.resetCompetence(competence);
      expect(reset).to.deep.include({ competenceCode: '1.1', resetAt: harness.clock.now() });
      expect(reset.score).to.deep.include({ pix: 0, level: 0 });
      const profile = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
      expect(profile.competences[0]).to.deep.include({ pix: 0, level: 0, status: 'not-started' });
      expect(profile.competences[0]).not.to.have.property('assessmentId');
      const resetElements = harness.repositories.stored.knowledgeElements.filter(
        (stored) => stored.element.status === 'reset',
      );
      expect(resetElements.length).to.be.greaterThan(0);

      const error = await rejection(harness.useCases.getNextChallenge(old));
      expect(error).to.have.property('code', 'ASSESSMENT_NOT_ONGOING');
      const fresh = await harness.useCases.startCompetenceEvaluation({ ...competence, locale: 'fr' });
      expect(fresh).to.deep.include({ attempt: 2, improving: false, state: 'started' });
      const next = await harness.useCases.getNextChallenge({ assessmentId: fresh.id, learnerKey: LEARNER });
      expect(next).to.deep.include({ kind: 'challenge', position: 1 });
    });

    it('records one reset when asked twice at once', async () => {
      const harness = buildEvaluationHarness();
      await completedAtLevel(harness, 3);
      harness.clock.advance(8 * DAY_MS);
      const [a, b] = await Promise.all([
        harness.useCases.resetCompetence(competence),
        harness.useCases.resetCompetence(competence),
      ]);
      expect(a).to.deep.equal(b);
      expect(harness.repositories.stored.resets).to.have.length(1);
    });
  });
});
