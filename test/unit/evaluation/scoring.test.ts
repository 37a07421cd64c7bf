import { expect } from 'chai';
import { buildEngineIndex } from '../../../src/evaluation/domain/engine-index.js';
import type { KnowledgeElement } from '../../../src/evaluation/domain/knowledge-element.js';
import {
  computeCompetenceScore,
  computeProfile,
  isEligibleForCertification,
  scoreFromEarnedPix,
} from '../../../src/evaluation/domain/scoring.js';
import { DomainError } from '../../../src/shared/domain/errors.js';
import { generateSyntheticFramework, REAL_BANK_SHAPE } from '../../../tools/lib/synthetic-bank.js';
import { ke } from '../../support/builders/evaluation/framework-builder.js';

const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

describe('scoring', () => {
  describe('competence pix and level', () => {
    it('floors the sum of earned pix and derives the level: 8/3 × 5 = 13.33 → 13 pix, level 1, 5 ahead', () => {
      const kes = ['a', 'b', 'c', 'd', 'e'].map((name) => ke(`@${name}1`, 'validated', { earnedPix: 8 / 3 }));
      expect(computeCompetenceScore(kes, '1.1')).to.deep.include({
        pix: 13,
        level: 1,
        pixAheadOfNextLevel: 5,
      });
    });

    it('does not lose a level to floating-point error (seven skills of 8/7 make exactly 8 pix)', () => {
      const kes = Array.from({ length: 7 }, (_, i) => ke(`@s${i}1`, 'validated', { earnedPix: 8 / 7 }));
      expect(kes.reduce((sum, k) => sum + k.earnedPix, 0)).to.be.below(8);
      expect(computeCompetenceScore(kes, '1.1')).to.deep.include({
        pix: 8,
        level: 1,
        pixAheadOfNextLevel: 0,
      });
    });

    it('ignores invalidated KEs, other competences, and KEs superseded by a later one', () => {
      const kes = [
        ke('@web1', 'validated', { earnedPix: 4, createdAt: at(0) }),
        ke('@web2', 'validated', { earnedPix: 4, createdAt: at(0) }),
        ke('@web2', 'invalidated', { earnedPix: 0, createdAt: at(1) }),
        ke('@web3', 'invalidated', { createdAt: at(0) }),
        ke('@data1', 'validated', { earnedPix: 4, competenceCode: '1.2' }),
      ];
      expect(computeCompetenceScore(kes, '1.1')).to.deep.include({
        pix: 4,
        level: 0,
        pixAheadOfNextLevel: 4,
      });
    });

    it('caps pix at maxLevel × 8 and the level at maxLevel (6 by default, 8 when set)', () => {
      expect(scoreFromEarnedPix('1.1', 70)).to.deep.equal({
        competenceCode: '1.1',
        pix: 48,
        level: 6,
        pixAheadOfNextLevel: 0,
        maxPix: 48,
      });
      expect(scoreFromEarnedPix('1.1', 70, { maxLevel: 8 })).to.deep.include({
        pix: 64,
        level: 8,
        maxPix: 64,
      });
      expect(scoreFromEarnedPix('1.1', 47.9, { maxLevel: 6 })).to.deep.include({ pix: 47, level: 5 });
      expect(scoreFromEarnedPix('1.1', 30, { maxLevel: 2 })).to.deep.include({ pix: 16, level: 2 });
    });

    it('rejects a maxLevel outside 1…8', () => {
      for (const maxLevel of [0, 9, 2.5]) {
        expect(() => scoreFromEarnedPix('1.1', 1, { maxLevel }))
          .to.throw(DomainError)
          .with.property('code', 'INVALID_MAX_LEVEL');
      }
    });
  });

  describe('certification eligibility: at least 5 competences at level ≥ 1', () => {
    const levels = (values: number[]) => values.map((level) => ({ level }));

    it('is eligible at exactly 5 competences at level ≥ 1', () => {
      expect(isEligibleForCertification(levels([1, 1, 2, 1, 5, 0, 0]))).to.equal(true);
    });

    it('is not eligible at 4', () => {
      expect(isEligibleForCertification(levels([1, 1, 2, 1, 0, 0, 0]))).to.equal(false);
    });

    it('computes it in the profile from the KEs', () => {
      const codes = ['1.1', '1.2', '1.3', '2.1', '2.2', '2.3'];
      const kesFor = (count: number): KnowledgeElement[] =>
        codes
          .slice(0, count)
          .flatMap((code) => [
            ke(`@a${code}`, 'validated', { competenceCode: code, earnedPix: 4 }),
            ke(`@b${code}`, 'validated', { competenceCode: code, earnedPix: 4 }),
          ]);
      const five = computeProfile({ competenceCodes: codes, knowledgeElements: kesFor(5) });
      expect(five).to.deep.include({
        totalPix: 40,
        certifiableCompetenceCount: 5,
        eligibleForCertification: true,
      });
      const four = computeProfile({ competenceCodes: codes, knowledgeElements: kesFor(4) });
      expect(four).to.deep.include({
        totalPix: 32,
        certifiableCompetenceCount: 4,
        eligibleForCertification: false,
      });
    });
  });

  describe('a full framework where every skill is validated', () => {
    const framework = generateSyntheticFramework(REAL_BANK_SHAPE);
    const index = buildEngineIndex(framework);
    const everything: KnowledgeElement[] = index.skills.map((skill) => ({
      skillId: skill.id,
      competenceCode: skill.competenceCode,
      source: 'direct',
      status: 'validated',
      earnedPix: skill.pixValue,
      createdAt: at(0),
    }));
    const competenceCodes = framework.competences.map((competence) => competence.code);

    it('has 16 competences and every level 1…8 worth 8 pix in each', () => {
      expect(competenceCodes).to.have.length(16);
      for (const code of competenceCodes) {
        for (let level = 1; level <= 8; level += 1) {
          const worth = index.skills
            .filter((skill) => skill.competenceCode === code && skill.level === level)
            .reduce((sum, skill) => sum + skill.pixValue, 0);
          expect(worth, `${code} level ${level}`).to.be.closeTo(8, 1e-9);
        }
      }
    });

    it('reaches 768 pix (16 × 48) with maxLevel 6, every competence at level 6', () => {
      const profile = computeProfile({ competenceCodes, knowledgeElements: everything, maxLevel: 6 });
      expect(profile.totalPix).to.equal(768);
      expect(profile.maxTotalPix).to.equal(768);
      expect(profile.competences.every((score) => score.level === 6 && score.pix === 48)).to.equal(true);
    });

    it('reaches 1024 pix (16 × 64) with maxLevel 8, every competence at level 8', () => {
      const profile = computeProfile({ competenceCodes, knowledgeElements: everything, maxLevel: 8 });
      expect(profile.totalPix).to.equal(1024);
      expect(profile.competences.every((score) => score.level === 8 && score.pix === 64)).to.equal(true);
    });
  });
});
