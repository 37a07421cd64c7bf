import { xoroshiro128plus, unsafeUniformIntDistribution } from 'pure-rand';

/** A source of randomness, injected so that every draw is reproducible from a seed. */
export interface RandomSource {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
}

/** A fast, seeded PRNG (xoroshiro128+). The same seed always gives the same sequence. */
export function createSeededRandom(seed: number): RandomSource {
  const generator = xoroshiro128plus(seed | 0);
  const TWO_POW_32 = 0x1_0000_0000;
  return {
    next() {
      const high = unsafeUniformIntDistribution(0, 0x3ff_ffff, generator); // 26 bits
      const low = unsafeUniformIntDistribution(0, 0x7ff_ffff, generator); // 27 bits
      return (high * 0x800_0000 + low) / 2 ** 53;
    },
    int(maxExclusive: number) {
      if (!Number.isInteger(maxExclusive) || maxExclusive <= 0 || maxExclusive > TWO_POW_32) {
        throw new RangeError(`int() needs a whole number from 1 to 2^32, got ${maxExclusive}`);
      }
      return unsafeUniformIntDistribution(0, maxExclusive - 1, generator);
    },
  };
}
