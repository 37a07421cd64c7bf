import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

/** A source of randomness, injected so that every draw is reproducible from a seed. */
export interface RandomSource {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

const WARM_UP_DRAWS = 32;

/** A fast, seeded PRNG (xoroshiro128+). The same seed always gives the same sequence. */
export function createSeededRandom(seed: number): RandomSource {
  const generator = xoroshiro128plus(seed | 0);
  // Right after seeding, xoroshiro's first outputs are poorly mixed (seed 42 starts at 0.99999…).
  for (let i = 0; i < WARM_UP_DRAWS; i += 1) generator.next();
  return {
    next: () => uniformFloat64(generator),
    int(maxExclusive: number) {
      if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) {
        throw new RangeError(`int() needs a positive whole number, got ${maxExclusive}`);
      }
      return uniformInt(generator, 0, maxExclusive - 1);
    },
  };
}
