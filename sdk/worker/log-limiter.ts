/**
 * Backpressure for `ctx.logger` in the worker. Every line is a host call; without a bound a
 * tight logging loop queues calls and their messages faster than the channel drains them, until
 * the worker runs out of heap. Lines past the rate ({@link WORKER_LOG_RATE_PER_SECOND}, a token
 * bucket) or past {@link MAX_LOGS_IN_FLIGHT} unanswered calls are dropped here and counted; the
 * count is reported in one warning line per second once the worker's event loop is free.
 */
// Imported, not read from globalThis: a sandboxed worker has no global `process` or `performance`.
// The clock is `process.hrtime` (monotonic, like performance.now): `node:perf_hooks` would cost a
// worker about 1 MB of memory for this one clock.
import process from 'node:process';

/** Monotonic milliseconds. */
const monotonicMs = (): number => {
  const [seconds, nanoseconds] = process.hrtime();
  return seconds * 1_000 + nanoseconds / 1e6;
};

/** Lines a worker sends per second (the host's own per-plugin log rate, main/host/logs.ts). */
export const WORKER_LOG_RATE_PER_SECOND = 500;
/** Lines sent at once after a quiet period: one second's worth. */
export const WORKER_LOG_BURST = 500;
/** Log calls the host has not answered yet beyond which lines are dropped (a stalled channel). */
export const MAX_LOGS_IN_FLIGHT = 500;
/** How often dropped lines are reported (ms). */
const DROP_REPORT_MS = 1_000;

/** Options of {@link createLogLimiter}; the defaults are the constants above. */
export interface LogLimiterOptions {
  /** Sends one line to the host; the limiter waits for its promise to count it as in flight. */
  send(level: 'warn', message: string, data: { droppedLines: number; droppedTotal: number }): Promise<unknown>;
  now?: () => number;
  ratePerSecond?: number;
  burst?: number;
  maxInFlight?: number;
}

/** The limiter of one worker. */
export interface LogLimiter {
  /** Runs `send` when the line fits the rate and the in-flight cap; otherwise counts it as dropped. */
  admit(send: () => Promise<unknown>): void;
  /** Lines dropped since the worker started. */
  readonly dropped: number;
}

/** Creates the limiter. */
export function createLogLimiter(options: LogLimiterOptions): LogLimiter {
  const now = options.now ?? monotonicMs;
  const rate = options.ratePerSecond ?? WORKER_LOG_RATE_PER_SECOND;
  const burst = options.burst ?? WORKER_LOG_BURST;
  const maxInFlight = options.maxInFlight ?? MAX_LOGS_IN_FLIGHT;
  let tokens = burst;
  let refilledAt = now();
  let inFlight = 0;
  let droppedTotal = 0;
  let unreported = 0;
  let reportTimer: NodeJS.Timeout | undefined;

  const report = () => {
    reportTimer = undefined;
    if (unreported === 0) return;
    const lines = unreported;
    unreported = 0;
    const message = `ctx.logger dropped ${lines} line${lines === 1 ? '' : 's'} in the worker (over ${rate} lines/s); ${droppedTotal} dropped since the worker started`;
    options.send('warn', message, { droppedLines: lines, droppedTotal }).catch(() => undefined);
  };

  return {
    admit(send) {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - refilledAt) / 1000) * rate);
      refilledAt = t;
      if (tokens < 1 || inFlight >= maxInFlight) {
        droppedTotal++;
        unreported++;
        // unref: a pending report never keeps a worker alive on its own.
        reportTimer ??= setTimeout(report, DROP_REPORT_MS).unref();
        return;
      }
      tokens -= 1;
      inFlight++;
      send().finally(() => { inFlight--; }).catch(() => undefined);
    },
    get dropped() {
      return droppedTotal;
    },
  };
}
