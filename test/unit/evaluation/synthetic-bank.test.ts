import { expect } from 'chai';
import {
  generateSyntheticFramework,
  REAL_BANK_SHAPE,
  SYNTHETIC_10K_SHAPE,
} from '../../../tools/lib/synthetic-bank.js';

describe('synthetic banks (benchmark and simulation stand-ins)', () => {
  it('shapes the real-bank stand-in like the real bank', () => {
    const framework = generateSyntheticFramework(REAL_BANK_SHAPE);
    expect(framework.competences).to.have.length(16);
    expect(framework.areas.map((area) => area.competenceCodes.length)).to.deep.equal([3, 4, 4, 3, 2]);
    for (const competence of framework.competences) {
      const tubes = framework.tubes.filter((tube) => tube.competenceCode === competence.code);
      expect(tubes.length).to.be.within(3, 5);
      for (let level = 1; level <= 8; level += 1) {
        const atLevel = framework.skills.filter(
          (s) => s.competenceCode === competence.code && s.level === level,
        );
        expect(atLevel.length, `${competence.code} level ${level}`).to.be.at.least(2);
      }
    }
    const validated = framework.challenges.filter((challenge) => challenge.status === 'validated');
    expect(validated).to.have.length(700);
    const perSkill = new Map<string, number>();
    for (const challenge of validated)
      perSkill.set(challenge.skillId, (perSkill.get(challenge.skillId) ?? 0) + 1);
    expect(framework.skills.every((skill) => (perSkill.get(skill.id) ?? 0) >= 2)).to.equal(true);
  });

  it('has exactly 10,000 validated challenges in the large bank', () => {
    const framework = generateSyntheticFramework(SYNTHETIC_10K_SHAPE);
    expect(framework.challenges.filter((challenge) => challenge.status === 'validated')).to.have.length(
      10_000,
    );
  });

  it('is deterministic for a seed', () => {
    expect(generateSyntheticFramework(REAL_BANK_SHAPE)).to.deep.equal(
      generateSyntheticFramework(REAL_BANK_SHAPE),
    );
  });
});
