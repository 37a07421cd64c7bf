import type { Logger } from './logger.js';

/**
 * Runs a background task on an interval: never two runs at once (a slow database must not pile
 * runs up), a failed run is logged and the next one still happens, the timer never keeps the
 * process alive, and stop() waits for the run in progress.
 */
export interface IntervalRunner {
  start(): void;
  stop(): Promise<void>;
}

export function createIntervalRunner(deps: {
  run: () => Promise<unknown>;
  intervalMs: number;
  logger: Logger;
  /** Logged when a run fails, e.g. 'expiry job failed'. */
  failureMessage: string;
}): IntervalRunner {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  function tick() {
    if (running) return;
    running = deps
      .run()
      .catch((error: unknown) => deps.logger.error({ err: error }, deps.failureMessage))
      .finally(() => {
        running = undefined;
      });
  }

  return {
    start() {
      if (timer) return;
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
