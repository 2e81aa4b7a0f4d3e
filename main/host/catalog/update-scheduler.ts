/**
 * When update checks run: once shortly after start-up, then every `updateCheckHours` hours
 * (preference; 0 turns them off). Changing the preference re-arms the timer. Timers are
 * unref'd, so they never keep a process alive, and checks never overlap.
 */

/** Delay of the start-up check (ms): after the window shows and `onStartup` workers started. */
export const STARTUP_CHECK_DELAY_MS = 5_000;
const HOUR_MS = 60 * 60_000;
/** Longest delay setTimeout takes (ms, 2^31 − 1); longer intervals are reached in hops. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What the scheduler runs and reads. */
export interface UpdateSchedulerDeps {
  intervalHours(): number;
  check(startup: boolean): Promise<unknown>;
  onError(error: Error): void;
  /** Start-up delay; tests pass 0. */
  startupDelayMs?: number;
}

/** Starts and re-arms update checks. */
export function createUpdateScheduler(deps: UpdateSchedulerDeps) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  let dueAt = 0;

  const run = (startup: boolean): Promise<unknown> => {
    running ??= deps.check(startup).catch((error: Error) => deps.onError(error)).finally(() => { running = undefined; });
    return running;
  };

  function arm(delayMs: number, startup: boolean): void {
    clearTimeout(timer);
    if (stopped || deps.intervalHours() <= 0) return;
    dueAt = Date.now() + delayMs;
    const hop = () => {
      const left = dueAt - Date.now();
      if (left > 0) {
        timer = setTimeout(hop, Math.min(left, MAX_TIMER_MS)).unref();
        return;
      }
      void run(startup).then(() => arm(deps.intervalHours() * HOUR_MS, false));
    };
    hop();
  }

  return {
    /** Schedules the start-up check and the periodic ones. */
    start(): void {
      stopped = false;
      arm(deps.startupDelayMs ?? STARTUP_CHECK_DELAY_MS, true);
    },
    /** The interval preference changed: the next check is one interval from now (or never, at 0). */
    rearm(): void { arm(deps.intervalHours() * HOUR_MS, false); },
    /** Runs a check now (the user's "Check for updates"), sharing one already running. */
    checkNow: () => run(false),
    /** Stops the timers and waits for a running check. */
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
