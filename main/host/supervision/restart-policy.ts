/**
 * When to restart a crashed worker: exponential backoff from 1 s doubling to
 * 5 min, and a crash loop (5 crashes within 10 min) that gives up until the user re-enables the
 * plugin. Pure: the caller says when things happen, so tests need no timers.
 */

/** First restart delay (backoff starts at 1 s). */
export const RESTART_BASE_DELAY_MS = 1_000;
/** Longest restart delay (backoff stops doubling at 5 min). */
export const RESTART_MAX_DELAY_MS = 5 * 60_000;
/** Crashes within {@link CRASH_LOOP_WINDOW_MS} that make a crash loop. */
export const CRASH_LOOP_CRASHES = 5;
/** The window crashes are counted in for a crash loop (10 min). */
export const CRASH_LOOP_WINDOW_MS = 10 * 60_000;
/**
 * Uninterrupted running that takes one doubling off the backoff: a worker that ran a minute
 * after its restart has shown the restart worked, so its next crash is treated as less urgent.
 */
export const BACKOFF_DECAY_MS = 60_000;

/** The reason a crash loop is reported with; the host shows it as the plugin's `error`. */
export const CRASH_LOOP_REASON = 'crash loop';

/** What to do after a crash. */
export type RestartDecision =
  | { action: 'restart'; delayMs: number }
  | { action: 'give_up'; reason: typeof CRASH_LOOP_REASON };

/** Numbers for the Running plugins view. */
export interface RestartSnapshot {
  /** Crashes counted in the current crash-loop window. */
  crashesInWindow: number;
  /** Restarts decided since creation or the last `reset()`. */
  restarts: number;
  /** True after a crash loop, until `reset()`. */
  gaveUp: boolean;
}

/** The restart policy of one plugin's worker. Times are epoch ms from the injected clock. */
export interface RestartPolicy {
  /** The worker reached `running` (setup done). Starts the stable-runtime clock used for decay. */
  recordStart(now?: number): void;
  /**
   * The worker exited unexpectedly (crash, OOM, killed after a missed heartbeat, failed setup).
   * Returns how long to wait before restarting, or `give_up` with reason "crash loop" on the
   * {@link CRASH_LOOP_CRASHES}th crash within {@link CRASH_LOOP_WINDOW_MS}; every later crash
   * gives up too until {@link RestartPolicy.reset}.
   */
  recordCrash(now?: number): RestartDecision;
  /** Forgets all crashes and the backoff: call when the user re-enables the plugin. */
  reset(): void;
  snapshot(now?: number): RestartSnapshot;
}

/** Options of {@link createRestartPolicy}; the delays default to their named constants (tests shorten them). */
export interface RestartPolicyOptions {
  /** Clock in epoch ms (default `Date.now`). */
  now?: () => number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Creates a restart policy.
 *
 * Backoff rule: the n-th consecutive crash waits `base × 2^(n-1)`, capped at the max
 * (1 s, 2 s, 4 s … 256 s, 300 s). Decay rule: when a crash follows `recordStart`, each full
 * {@link BACKOFF_DECAY_MS} of running since that start first takes one doubling off, so a worker
 * that ran ten minutes before crashing restarts after 1 s again. Decay never touches the
 * crash-loop count, which only forgets crashes older than the window.
 */
export function createRestartPolicy(options: RestartPolicyOptions = {}): RestartPolicy {
  const clock = options.now ?? Date.now;
  const base = options.baseDelayMs ?? RESTART_BASE_DELAY_MS;
  const max = options.maxDelayMs ?? RESTART_MAX_DELAY_MS;
  // Doublings past this one only overflow; the delay is capped long before.
  const maxLevel = Math.max(0, Math.ceil(Math.log2(Math.max(1, max / base))));

  let level = 0;
  let crashes: number[] = [];
  let startedAt: number | undefined;
  let restarts = 0;
  let gaveUp = false;

  const inWindow = (now: number) => crashes.filter((t) => t > now - CRASH_LOOP_WINDOW_MS);

  return {
    recordStart(now = clock()) {
      startedAt = now;
    },
    recordCrash(now = clock()) {
      if (startedAt !== undefined) {
        level = Math.max(0, level - Math.floor((now - startedAt) / BACKOFF_DECAY_MS));
        startedAt = undefined;
      }
      crashes = [...inWindow(now), now];
      if (gaveUp || crashes.length >= CRASH_LOOP_CRASHES) {
        gaveUp = true;
        return { action: 'give_up', reason: CRASH_LOOP_REASON };
      }
      const delayMs = Math.min(max, base * 2 ** level);
      level = Math.min(level + 1, maxLevel);
      restarts++;
      return { action: 'restart', delayMs };
    },
    reset() {
      level = 0;
      crashes = [];
      startedAt = undefined;
      restarts = 0;
      gaveUp = false;
    },
    snapshot(now = clock()) {
      return { crashesInWindow: inWindow(now).length, restarts, gaveUp };
    },
  };
}
