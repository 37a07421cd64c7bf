import { expect } from 'chai';
import { buildEngineIndex, MAX_LEVEL_OF_EASY_TUBE } from '../../../src/evaluation/domain/engine-index.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import { buildFramework } from '../../support/builders/evaluation/framework-builder.js';

function pixOf(index: ReturnType<typeof buildEngineIndex>, skillId: string): number {
  const idx = index.skillIdxById.get(skillId);
  if (idx === undefined) throw new Error(`no ${skillId}`);
  return index.skills[idx]?.pixValue ?? NaN;
}

describe('engine index', () => {
  describe('pixValue = min(4, 8/N), N = active skills at that level in the competence', () => {
    it('gives 4 to a skill alone at its level (N = 1, capped at 4)', () => {
      const index = buildEngineIndex(buildFramework({ '1.1': { web: [1, 2], mail: [2] } }));
      expect(pixOf(index, '@web1')).to.equal(4);
    });

    it('gives 4 to each of two skills (N = 2) and 8/3 to each of three (N = 3)', () => {
      const index = buildEngineIndex(buildFramework({ '1.1': { web: [1, 2], mail: [2, 3], news: [1, 2] } }));
      expect(pixOf(index, '@web1')).to.equal(4);
      expect(pixOf(index, '@web2')).to.be.closeTo(8 / 3, 1e-12);
      expect(pixOf(index, '@mail3')).to.equal(4);
    });

    it('counts skills per competence, not across competences', () => {
      const index = buildEngineIndex(
        buildFramework({ '1.1': { web: [1], mail: [1], news: [1] }, '1.2': { data: [1] } }),
      );
      expect(pixOf(index, '@web1')).to.be.closeTo(8 / 3, 1e-12);
      expect(pixOf(index, '@data1')).to.equal(4);
      const three = buildEngineIndex(buildFramework({ '1.1': { a: [5], b: [5], c: [5], d: [5] } }));
      expect(pixOf(three, '@a5')).to.equal(2);
    });

    it('ignores skills without a validated challenge: worth 0 and not counted in N', () => {
      const index = buildEngineIndex(
        buildFramework({ '1.1': { web: [3], mail: [3], news: [3] } }, { statuses: { '@news3': 'draft' } }),
      );
      expect(pixOf(index, '@news3')).to.equal(0);
      expect(pixOf(index, '@web3')).to.equal(4);
      expect(index.skills[index.skillIdxById.get('@news3') ?? -1]?.active).to.equal(false);
    });
  });

  it('lists playable challenges per locale (validated and in the locale only)', () => {
    const index = buildEngineIndex(
      buildFramework(
        { '1.1': { web: [1, 2, 3] } },
        { locales: { '@web2': ['fr'] }, statuses: { '@web3': 'archived' } },
      ),
    );
    const idx = (id: string) => index.skillIdxById.get(id) ?? -1;
    expect(index.playableChallenges.fr[idx('@web2')]).to.deep.equal(['ch-web2']);
    expect(index.playableChallenges.en[idx('@web2')]).to.deep.equal([]);
    expect(index.playableChallenges.fr[idx('@web3')]).to.deep.equal([]);
    const tube = index.competenceByCode.get('1.1')?.scope.byLocale.en.tubes[0];
    expect(tube?.skillIdxs.map((i) => index.skills[i]?.id)).to.deep.equal(['@web1']);
  });

  it('marks easy tubes (max playable level ≤ 3) and timed skills', () => {
    const index = buildEngineIndex(
      buildFramework({ '1.1': { easy: [1, 2, 3], hard: [2, 4] } }, { timedSkills: ['@hard2'] }),
    );
    const tubes = index.competenceByCode.get('1.1')?.scope.byLocale.fr.tubes ?? [];
    expect(MAX_LEVEL_OF_EASY_TUBE).to.equal(3);
    expect(tubes.map((tube) => [tube.tubeId, tube.maxLevel, tube.easy])).to.deep.equal([
      ['easy', 3, true],
      ['hard', 4, false],
    ]);
    expect(index.timedSkill.fr[index.skillIdxById.get('@hard2') ?? -1]).to.equal(1);
    expect(index.timedSkill.fr[index.skillIdxById.get('@hard4') ?? -1]).to.equal(0);
  });

  it('rejects a challenge whose skill does not exist', () => {
    const framework = buildFramework({ '1.1': { web: [1] } });
    const broken = {
      ...framework,
      challenges: [...framework.challenges, { ...framework.challenges[0]!, id: 'x', skillId: '@nope1' }],
    };
    expect(() => buildEngineIndex(broken))
      .to.throw(DomainError)
      .with.property('code', 'ENGINE_UNKNOWN_SKILL');
  });
});
