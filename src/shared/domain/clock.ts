/** The wall clock, injected so that domain code and tests control time. */
export interface Clock {
  now(): Date;
}

/** A clock that only moves when told to; for tests and simulations. */
export function createFixedClock(
  start: Date | string | number,
): Clock & { advance(ms: number): void; set(at: Date): void } {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(at: Date) {
      current = at.getTime();
    },
  };
}
