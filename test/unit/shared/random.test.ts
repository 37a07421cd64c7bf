import { expect } from 'chai';
import { createSeededRandom } from '../../../src/shared/domain/random.js';

describe('Unit | Shared | seeded random', () => {
  it('repeats the same sequence for the same seed', () => {
    const draw = (seed: number) => {
      const random = createSeededRandom(seed);
      return [random.next(), random.next(), random.int(1000), random.int(7)];
    };
    expect(draw(42)).to.deep.equal(draw(42));
    expect(draw(42)).not.to.deep.equal(draw(43));
  });

  it('draws floats in [0, 1) and integers in [0, max)', () => {
    const random = createSeededRandom(7);
    const floats = Array.from({ length: 10_000 }, () => random.next());
    const integers = new Set(Array.from({ length: 10_000 }, () => random.int(3)));
    expect(floats.filter((value) => !(value >= 0 && value < 1))).to.deep.equal([]);
    expect([...integers].sort()).to.deep.equal([0, 1, 2]);
  });

  it('is roughly uniform from its first draw on, whatever the seed', () => {
    let sum = 0;
    const seeds = 4000;
    for (let seed = 0; seed < seeds; seed += 1) sum += createSeededRandom(seed).next();
    expect(sum / seeds).to.be.closeTo(0.5, 0.02);
  });

  it('refuses a range that is not a positive whole number', () => {
    const random = createSeededRandom(1);
    expect(() => random.int(0)).to.throw(RangeError);
    expect(() => random.int(2.5)).to.throw(RangeError);
  });
});
