import { expect } from 'chai';
import type { Framework } from '../../../../src/framework/domain/models.js';
import { loadContentOrThrow } from '../../../../src/framework/infrastructure/content/content-loader.js';
import {
  createEvaluationContent,
  type EvaluationContent,
} from '../../../../src/evaluation/application/evaluation-content.js';
import type { KnowledgeElement } from '../../../../src/evaluation/domain/knowledge-element.js';
import { DAY_MS } from '../../../../src/evaluation/domain/improvement.js';
import {
  buildEvaluationHarness,
  LEARNER,
  START,
  type EvaluationHarness,
} from '../../../support/builders/evaluation/evaluation-harness.js';
import { playChallenges, typicalLearner } from '../../../support/builders/evaluation/learner-answers.js';

/** Stores validated KEs worth `pix` in the competence (directly, as a past positioning would have). */
async function seedPix(
  harness: EvaluationHarness,
  competenceCode: string,
  pix: number,
  at = new Date(START),
) {
  const skills = harness.content.framework.skills.filter((skill) => skill.competenceCode === competenceCode);
  const elements: KnowledgeElement[] = [];
  let left = pix;
  for (const skill of skills) {
    if (left <= 0) break;
    const earnedPix = Math.min(4, left);
    left -= earnedPix;
    elements.push({
      skillId: skill.id,
      competenceCode,
      source: 'direct',
      status: 'validated',
      earnedPix,
      createdAt: at,
    });
  }
  await harness.repositories.knowledgeElements.addAll(
    LEARNER,
    elements.map((element, order) => ({ id: `seed:${competenceCode}:${element.skillId}`, order, element })),
  );
}

describe('Unit | Evaluation | use cases | getProfile', () => {
  let realFramework: Framework;
  let realContent: EvaluationContent;

  before(async () => {
    realFramework = (await loadContentOrThrow()).framework;
    realContent = createEvaluationContent(realFramework);
  });

  it('lists the 16 competences of the real framework, in the locale, with 768 pix at most by default', async () => {
    const { useCases } = buildEvaluationHarness({ content: realContent });
    const french = await useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    const english = await useCases.getProfile({ learnerKey: LEARNER, locale: 'en' });
    expect(french.competences).to.have.length(16);
    expect(french.areas).to.have.length(5);
    expect(french).to.deep.include({
      totalPix: 0,
      maxTotalPix: 768,
      maxLevel: 6,
      eligibleForCertification: false,
    });
    expect(french.competences[0]).to.deep.equal({
      code: '1.1',
      name: realFramework.competences[0]?.name.fr,
      areaCode: '1',
      pix: 0,
      level: 0,
      pixAheadOfNextLevel: 0,
      status: 'not-started',
      improve: { allowed: false, reason: 'COMPETENCE_NOT_COMPLETED' },
      reset: { allowed: false, reason: 'NOTHING_TO_RESET' },
    });
    expect(english.competences[0]?.name).to.equal(realFramework.competences[0]?.name.en);
    expect(english.competences[0]?.name).not.to.equal(french.competences[0]?.name);
  });

  it('raises the maximum total from 768 to 1,024 when the highest level is 8, and changes nothing else', async () => {
    const six = buildEvaluationHarness({ content: realContent, settings: { maxReachableLevel: 6 } });
    const eight = buildEvaluationHarness({ content: realContent, settings: { maxReachableLevel: 8 } });
    for (const harness of [six, eight]) await seedPix(harness, '2.1', 20);
    const [a, b] = await Promise.all([
      six.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' }),
      eight.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' }),
    ]);
    expect(a.maxTotalPix).to.equal(768);
    expect(b.maxTotalPix).to.equal(1024);
    expect({ ...a, maxTotalPix: 0, maxLevel: 0 }).to.deep.equal({ ...b, maxTotalPix: 0, maxLevel: 0 });
  });

  it('scores pix, levels and the pix ahead of the next level, and says when the learner can certify', async () => {
    const harness = buildEvaluationHarness({ content: realContent });
    for (const code of ['1.1', '1.2', '2.1', '3.1']) await seedPix(harness, code, 8);
    await seedPix(harness, '4.1', 21);
    const four = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    expect(four.competences.find((competence) => competence.code === '4.1')).to.deep.include({
      pix: 21,
      level: 2,
      pixAheadOfNextLevel: 5,
    });
    expect(four).to.deep.include({
      totalPix: 53,
      certifiableCompetenceCount: 5,
      eligibleForCertification: true,
    });

    const fewer = buildEvaluationHarness({ content: realContent });
    for (const code of ['1.1', '1.2', '2.1', '3.1']) await seedPix(fewer, code, 8);
    await seedPix(fewer, '4.1', 7);
    expect(await fewer.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' })).to.deep.include({
      certifiableCompetenceCount: 4,
      eligibleForCertification: false,
    });
  });

  it('shows each competence’s status, and whether and from when it can be improved or reset', async () => {
    const harness = buildEvaluationHarness();
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.2',
      locale: 'fr',
    });
    await playChallenges(harness.useCases, {
      assessmentId: assessment.id,
      learnerKey: LEARNER,
      steps: 40,
      answersRight: typicalLearner(3),
      challenges: harness.content.challengesById,
    });
    const lastAnswerAt = harness.clock.now();
    harness.clock.advance(DAY_MS);
    const profile = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    const [first, second, third] = profile.competences;
    expect(first).to.deep.include({
      code: '1.1',
      status: 'completed',
      assessmentId: assessment.id,
      level: 3,
    });
    expect(first?.improve).to.deep.equal({
      allowed: false,
      reason: 'IMPROVE_TOO_EARLY',
      availableAt: new Date(lastAnswerAt.getTime() + 4 * DAY_MS),
    });
    expect(first?.reset).to.deep.equal({
      allowed: false,
      reason: 'RESET_TOO_EARLY',
      availableAt: new Date(lastAnswerAt.getTime() + 7 * DAY_MS),
    });
    expect(second).to.deep.include({ code: '1.2', status: 'in-progress' });
    expect(third).to.deep.include({ code: '2.1', status: 'not-started' });
  });

  it('recommends the tutorials of the missed skills, in the learner’s locale only', async () => {
    const harness = buildEvaluationHarness();
    const assessment = await harness.useCases.startCompetenceEvaluation({
      learnerKey: LEARNER,
      competenceCode: '1.1',
      locale: 'fr',
    });
    await playChallenges(harness.useCases, {
      assessmentId: assessment.id,
      learnerKey: LEARNER,
      steps: 40,
      answersRight: typicalLearner(2),
      challenges: harness.content.challengesById,
    });
    const french = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'fr' });
    const english = await harness.useCases.getProfile({ learnerKey: LEARNER, locale: 'en' });
    expect(french.recommendedTutorials.length).to.be.greaterThan(0);
    expect(french.recommendedTutorials.length).to.be.at.most(10);
    expect(french.recommendedTutorials.every((tutorial) => tutorial.id.endsWith('-fr'))).to.equal(true);
    expect(english.recommendedTutorials.every((tutorial) => tutorial.id.endsWith('-en'))).to.equal(true);
    // The easiest missed skills come first: level 3 is the lowest a level-2 learner misses.
    expect(french.recommendedTutorials[0]?.skillIds[0]).to.match(/[3-4]$/);
  });
});
