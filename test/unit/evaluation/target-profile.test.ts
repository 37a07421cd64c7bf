import { expect } from 'chai';
import { applyAnswer } from '../../../src/evaluation/domain/answer-inference.js';
import { buildEngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import { computeNextChallenge } from '../../../src/evaluation/domain/positioning.js';
import { recommendTutorials } from '../../../src/evaluation/domain/recommendations.js';
import {
  buildTargetProfileScope,
  computeMastery,
  targetedSkillIdxs,
} from '../../../src/evaluation/domain/target-profile.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import type { Tutorial } from '../../../src/framework/domain/models.js';
import { buildFramework, ke } from '../../support/builders/evaluation/framework-builder.js';

const index = buildEngineIndex(
  buildFramework({ '1.1': { web: [1, 2, 3, 4, 5], mail: [1, 2, 3] }, '2.1': { share: [1, 2, 3, 6] } }),
);
const profile = {
  id: 'tp-1',
  tubes: [
    { tubeId: 'web', maxLevel: 3 },
    { tubeId: 'share', maxLevel: 2 },
  ],
};

describe('practice on a target profile', () => {
  it('targets the skills of the capped tubes up to their cap', () => {
    const ids = targetedSkillIdxs(index, profile).map((idx) => index.skills[idx]?.id);
    expect(ids.sort()).to.deep.equal(['@share1', '@share2', '@web1', '@web2', '@web3']);
  });

  it('rejects an unknown tube', () => {
    expect(() => targetedSkillIdxs(index, { id: 'x', tubes: [{ tubeId: 'nope', maxLevel: 2 }] }))
      .to.throw(DomainError)
      .with.property('code', 'UNKNOWN_TUBE');
  });

  it('computes mastery = validated targeted skills / targeted skills', () => {
    const scope = buildTargetProfileScope(index, profile);
    const kes = [
      ke('@web1', 'validated'),
      ke('@web2', 'validated', { source: 'inferred' }),
      ke('@web3', 'invalidated'),
      ke('@web5', 'validated'),
      ke('@mail1', 'validated'),
    ];
    expect(computeMastery(index, scope, kes)).to.deep.equal({
      targetedSkills: 5,
      validatedSkills: 2,
      rate: 0.4,
      percent: 40,
    });
  });

  for (const algorithm of ['pix', 'improved'] as const) {
    it(`runs the engine on targeted skills only ('${algorithm}'), until mastery is known`, () => {
      const scope = buildTargetProfileScope(index, profile);
      const targeted = new Set(['@web1', '@web2', '@web3', '@share1', '@share2']);
      const kes: KnowledgeElement[] = [];
      const answers: { challengeId: string }[] = [];
      for (let step = 0; step < 20; step += 1) {
        const result = computeNextChallenge({
          index,
          scope,
          locale: 'fr',
          knowledgeElements: kes,
          answers,
          assessmentId: `practice-${algorithm}`,
          algorithm,
        });
        if (result.kind === 'completed') break;
        expect(targeted.has(result.skillId), result.skillId).to.equal(true);
        const { created } = applyAnswer({
          index,
          scope,
          knowledgeElements: kes,
          answer: {
            assessmentId: `practice-${algorithm}`,
            answerIndex: answers.length,
            challengeId: result.challengeId,
            correct: true,
          },
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, step)),
          algorithm,
        });
        kes.push(...created);
        answers.push({ challengeId: result.challengeId });
      }
      expect(kes.every((k) => targeted.has(k.skillId))).to.equal(true);
      expect(computeMastery(index, scope, kes).percent).to.equal(100);
    });
  }
});

describe('tutorial recommendations', () => {
  const tutorial = (id: string, locale: 'fr' | 'en'): Tutorial => ({
    id,
    title: id,
    url: `https://example.org/${id}`,
    source: 'test',
    format: 'video',
    duration: 'PT3M',
    locale,
  });
  const shared = tutorial('t-shared', 'fr');
  const tutoredIndex = buildEngineIndex(
    buildFramework(
      { '1.1': { web: [1, 2, 3, 4] } },
      {
        tutorials: {
          '@web1': [tutorial('t-web1-en', 'en')],
          '@web2': [tutorial('t-web2', 'fr'), tutorial('t-web2-en', 'en')],
          '@web3': [shared, tutorial('t-alone3', 'fr')],
          '@web4': [shared],
        },
      },
    ),
  );
  const scope = tutoredIndex.competenceByCode.get('1.1')!.scope;
  const kes = [
    ke('@web1', 'invalidated'),
    ke('@web2', 'invalidated', { source: 'inferred' }),
    ke('@web3', 'invalidated'),
    ke('@web4', 'invalidated', { source: 'inferred' }),
  ];

  it('ranks by lowest level covered, then by number of invalidated skills, in the learner locale only', () => {
    const ranked = recommendTutorials({ index: tutoredIndex, scope, knowledgeElements: kes, locale: 'fr' });
    expect(ranked.map((r) => [r.tutorial.id, r.skillIds.join(','), r.lowestLevel])).to.deep.equal([
      ['t-web2', '@web2', 2],
      ['t-shared', '@web3,@web4', 3],
      ['t-alone3', '@web3', 3],
    ]);
    const english = recommendTutorials({
      index: tutoredIndex,
      scope,
      knowledgeElements: kes,
      locale: 'en',
      limit: 1,
    });
    expect(english.map((r) => r.tutorial.id)).to.deep.equal(['t-web1-en']);
  });

  it('recommends nothing for validated skills', () => {
    const validated = kes.map((k) => ({ ...k, status: 'validated' as const }));
    expect(
      recommendTutorials({ index: tutoredIndex, scope, knowledgeElements: validated, locale: 'fr' }),
    ).to.deep.equal([]);
  });
});
