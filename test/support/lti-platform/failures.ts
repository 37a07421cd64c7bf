/**
 * Failure injection: a rule per service decides, for each request and the emulator's current time,
 * whether to answer normally, fail with a status, or hang (never answer).
 */

export type PlatformService =
  'jwks' | 'auth' | 'token' | 'ags.lineitems' | 'ags.scores' | 'ags.results' | 'nrps' | 'deep-linking';

export interface FailureRequest {
  service: PlatformService;
  method: string;
  /** Path and query as received. */
  url: string;
  /** How many requests this service has received so far, this one included (1-based). */
  count: number;
}

export interface InjectedFailure {
  /** Status to answer with; omitted with `delayMs` means "answer normally, but late". */
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Real milliseconds to wait before answering (with the failure or normally). */
  delayMs?: number;
}

export type FailureDecision = 'ok' | 'hang' | InjectedFailure;
export type FailureRule = (request: FailureRequest, now: Date) => FailureDecision;

export const never: FailureRule = () => 'ok';

export function always(decision: FailureDecision): FailureRule {
  return () => decision;
}

/** `decision` for the first `count` requests the rule sees, then normal answers. */
export function failTimes(count: number, decision: FailureDecision): FailureRule {
  let seen = 0;
  return () => {
    seen += 1;
    return seen <= count ? decision : 'ok';
  };
}

/**
 * `decision` for `durationMs` of emulator time, then recovery. The window starts at `startAt` or,
 * by default, at the first request the rule sees: "503 for 2 minutes, then recover".
 */
export function failFor(
  durationMs: number,
  decision: FailureDecision,
  options: { startAt?: Date } = {},
): FailureRule {
  let start = options.startAt?.getTime();
  return (_request, now) => {
    start ??= now.getTime();
    const elapsed = now.getTime() - start;
    return elapsed >= 0 && elapsed < durationMs ? decision : 'ok';
  };
}

/** Applies `rule` only to requests matching `predicate`; others are answered normally. */
export function when(predicate: (request: FailureRequest) => boolean, rule: FailureRule): FailureRule {
  return (request, now) => (predicate(request) ? rule(request, now) : 'ok');
}

/** The first rule that does not answer 'ok' decides. */
export function firstOf(...rules: FailureRule[]): FailureRule {
  return (request, now) => {
    for (const rule of rules) {
      const decision = rule(request, now);
      if (decision !== 'ok') return decision;
    }
    return 'ok';
  };
}

/** Decisions taken in turn, one per request; after the list, normal answers. */
export function sequence(...decisions: FailureDecision[]): FailureRule {
  let index = 0;
  return () => decisions[index++] ?? 'ok';
}

/** A clock for the emulator that only moves when told to (compatible with src/shared/domain/clock). */
export function createManualClock(start: Date | string | number = Date.now()) {
  let current = new Date(start).getTime();
  return {
    now: () => new Date(current),
    advance(ms: number) {
      current += ms;
    },
    set(at: Date | string | number) {
      current = new Date(at).getTime();
    },
  };
}
