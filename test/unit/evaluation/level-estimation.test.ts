import { expect } from 'chai';
import {
  CAT_LEVELS,
  estimateLevelPosterior,
  predictPixLevelFromOutcomes,
  predictiveSuccess,
} from '../../../src/evaluation/domain/level-estimation.js';

describe('level estimation', () => {
  describe("Pix's predicted level (grid 0.5…7.5, virtual answers right at 0 and wrong at 7)", () => {
    it('uses the grid 0.5, 1, …, 7.5', () => {
      expect(CAT_LEVELS).to.have.length(15);
      expect(CAT_LEVELS[0]).to.equal(0.5);
      expect(CAT_LEVELS[14]).to.equal(7.5);
    });

    it('is 3.5 with no answer: the two virtual answers balance there', () => {
      expect(predictPixLevelFromOutcomes([])).to.equal(3.5);
    });

    it('is 1.0 after one wrong answer at level 2 (|1 − σ(1) − σ(−1) − σ(−6)| = 0.0025 is the smallest)', () => {
      expect(predictPixLevelFromOutcomes([{ difficulty: 2, validated: false }])).to.equal(1);
    });

    it('rises with right answers and falls with wrong ones', () => {
      const right = predictPixLevelFromOutcomes([
        { difficulty: 2, validated: true },
        { difficulty: 4, validated: true },
      ]);
      const wrong = predictPixLevelFromOutcomes([
        { difficulty: 2, validated: true },
        { difficulty: 4, validated: false },
      ]);
      expect(right).to.be.greaterThan(3.5);
      expect(wrong).to.be.lessThan(right);
    });
  });

  describe('posterior of the improved algorithm', () => {
    const model = { discrimination: 2, slip: 0.1, guess: 0.15 };
    const counts = (entries: [number, number, number][]) => {
      const attempts = new Float64Array(9);
      const successes = new Float64Array(9);
      for (const [d, n, k] of entries) {
        attempts[d] = n;
        successes[d] = k;
      }
      return { attempts, successes };
    };

    it('is a probability distribution with decreasing mastery by level', () => {
      const posterior = estimateLevelPosterior(
        counts([
          [2, 2, 2],
          [3, 2, 1],
          [5, 1, 0],
        ]),
        model,
      );
      const total = [...posterior.levels].reduce((sum, p) => sum + p, 0);
      expect(total).to.be.closeTo(1, 1e-9);
      for (let d = 1; d < 9; d += 1)
        expect(posterior.mastery[d]).to.be.at.most(posterior.mastery[d - 1] ?? 1);
      expect(posterior.mean).to.be.within(2, 5);
    });

    it('moves with the evidence: more right answers at level 4 raise the mean and the mastery of 4', () => {
      const weak = estimateLevelPosterior(counts([[4, 3, 0]]), model);
      const strong = estimateLevelPosterior(counts([[4, 3, 3]]), model);
      expect(strong.mean).to.be.greaterThan(weak.mean + 1);
      expect(strong.mastery[4]).to.be.greaterThan(0.8);
      expect(weak.mastery[4]).to.be.lessThan(0.2);
      expect(predictiveSuccess(strong, 4)).to.be.greaterThan(predictiveSuccess(weak, 4));
    });
  });
});
