/**
 * Polls a running worker's `onHealth` ("onHealth is polled while running and
 * shown"). A failing or silent health check is itself reported as `error`, never thrown.
 */
import type { HealthResult } from '@plinth/sdk/protocol/rpc';

/** Time between health checks: `onHealth` is advisory, twice a minute is live enough for Settings. */
export const HEALTH_POLL_INTERVAL_MS = 30_000;
/** A health check slower than this is reported as an error: a slow check is a health problem. */
export const HEALTH_POLL_TIMEOUT_MS = 5_000;

/** Options of {@link createHealthPoller}. */
export interface HealthPollerOptions {
  /** Calls the worker's `health` method. */
  poll: () => Promise<HealthResult>;
  /** Time between the end of one check and the start of the next (ms, default {@link HEALTH_POLL_INTERVAL_MS}). */
  intervalMs?: number;
  /** Budget of one check (ms, default {@link HEALTH_POLL_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Receives every result, including the `error` results of failed or silent checks. */
  onResult: (result: HealthResult) => void;
}

/** A running health poller. */
export interface HealthPoller {
  /** Checks now (between regular checks) and resolves with the result, also given to `onResult`. */
  pollNow(): Promise<HealthResult>;
  /** The latest result, if any. */
  readonly last: HealthResult | undefined;
  /** Stops polling; a check in flight is dropped. Idempotent. */
  stop(): void;
}

const STATUSES = new Set(['ok', 'degraded', 'error']);

/** Turns whatever the plugin returned into a well-formed result. */
function normalise(value: unknown): HealthResult {
  const v = value as { status?: unknown; message?: unknown } | null;
  if (typeof v !== 'object' || v === null || typeof v.status !== 'string' || !STATUSES.has(v.status)) {
    return { status: 'error', message: 'onHealth returned an invalid result: expected { status: "ok" | "degraded" | "error", message? }' };
  }
  return { status: v.status as HealthResult['status'], ...(typeof v.message === 'string' ? { message: v.message } : {}) };
}

/** Starts polling: the first check runs at once, later ones `intervalMs` after each finishes. */
export function createHealthPoller(options: HealthPollerOptions): HealthPoller {
  const intervalMs = options.intervalMs ?? HEALTH_POLL_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? HEALTH_POLL_TIMEOUT_MS;
  let stopped = false;
  let next: NodeJS.Timeout | undefined;
  let last: HealthResult | undefined;

  async function check(): Promise<HealthResult> {
    let timer: NodeJS.Timeout | undefined;
    const silent = new Promise<HealthResult>((resolve) => {
      timer = setTimeout(() => resolve({ status: 'error', message: `Health check did not answer within ${timeoutMs} ms` }), timeoutMs);
    });
    const answered = Promise.resolve().then(options.poll).then(normalise, (error: unknown) => ({
      status: 'error' as const,
      message: `Health check failed: ${error instanceof Error ? error.message : String(error)}`,
    }));
    try {
      return await Promise.race([answered, silent]);
    } finally {
      clearTimeout(timer);
    }
  }

  async function run(): Promise<HealthResult> {
    const result = await check();
    if (!stopped) {
      last = result;
      options.onResult(result);
    }
    return result;
  }

  function loop(): void {
    if (stopped) return;
    void run().then(() => {
      if (!stopped) next = setTimeout(loop, intervalMs);
    });
  }

  loop();
  return {
    pollNow: run,
    get last() { return last; },
    stop() {
      stopped = true;
      clearTimeout(next);
    },
  };
}
