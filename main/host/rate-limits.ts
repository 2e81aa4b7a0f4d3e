/**
 * Request rate limits per plugin, one token bucket per plugin and caller kind: its UI frames
 * (`usePluginData`/`usePluginAction`/streams through the shell) and its worker (host calls).
 * A plugin over its rate gets `RATE_LIMITED` at once, without any work done for the call, and
 * the refusal is counted for the Running view; other plugins' buckets are untouched, so a flood
 * costs its sender only. The in-flight caps (the shell's per frame, the RPC layer's) bound
 * concurrency; these bound the sustained rate.
 */
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { createTokenBucket, type TokenBucket } from './services/webhooks/token-bucket.ts';

/** Who is calling on behalf of the plugin. */
export type RateLimitedCaller = 'ui' | 'worker';

/** A sustained rate (per second) and the burst an idle bucket allows. */
export interface CallRate { perSecond: number; burst: number }

/**
 * UI requests per plugin (all its frames): a person clicks a few times a second and a widget
 * loads a handful of keys, so 100/s with bursts of 200 is never reached by a real UI.
 */
export const UI_RATE: CallRate = { perSecond: 100, burst: 200 };
/**
 * Host calls per worker: far above a sequential `ctx.state` loop (bench/state-bench.ts measures
 * a few thousand per second) and below what would let one worker occupy the host's thread.
 */
export const WORKER_RATE: CallRate = { perSecond: 10_000, burst: 10_000 };

/** Refusal counts of one plugin. */
export interface RateLimitCounts { ui: number; worker: number }

/** The limits of one host. */
export interface RateLimits {
  /**
   * Takes one token for `pluginId`'s `caller`.
   * @throws PlinthError `RATE_LIMITED` naming the limit and when to retry (`data.retryAfterMs`).
   */
  admit(pluginId: string, caller: RateLimitedCaller, what: string): void;
  /** Refusals since the host started. */
  counts(pluginId: string): RateLimitCounts;
  /**
   * Counts `count` refusals made before the request reached the host: the shell refuses a
   * frame's request at once when that frame already has its cap of requests in flight
   * (renderer/src/slot-host.tsx), and reports the refusals here in batches so the Running view
   * shows them with the rest.
   * @throws PlinthError `INVALID_INPUT` when `count` is not a positive integer.
   */
  recordRefused(pluginId: string, caller: RateLimitedCaller, count: number): void;
}

/** Options of {@link createRateLimits}; defaults are {@link UI_RATE} and {@link WORKER_RATE}. */
export interface RateLimitsOptions {
  ui?: CallRate;
  worker?: CallRate;
  /** Millisecond clock (tests). */
  now?: () => number;
}

/** Creates the limits. */
export function createRateLimits(options: RateLimitsOptions = {}): RateLimits {
  const rates: Record<RateLimitedCaller, CallRate> = { ui: options.ui ?? UI_RATE, worker: options.worker ?? WORKER_RATE };
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, TokenBucket>();
  const refused = new Map<string, RateLimitCounts>();
  const label: Record<RateLimitedCaller, string> = { ui: 'its UI', worker: 'its worker' };
  const countRefused = (pluginId: string, caller: RateLimitedCaller, count: number) => {
    const counts = refused.get(pluginId) ?? { ui: 0, worker: 0 };
    counts[caller] += count;
    refused.set(pluginId, counts);
  };
  return {
    admit(pluginId, caller, what) {
      const key = `${caller}\u0000${pluginId}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        const rate = rates[caller];
        bucket = createTokenBucket({ perMinute: rate.perSecond * 60, burst: rate.burst }, now);
        buckets.set(key, bucket);
      }
      const retryAfterMs = bucket.take();
      if (retryAfterMs === 0) return;
      countRefused(pluginId, caller, 1);
      throw new PlinthError(
        'RATE_LIMITED',
        `Plugin "${pluginId}" sent more than ${rates[caller].perSecond} requests per second from ${label[caller]}; ${what} was refused, retry in ${retryAfterMs} ms`,
        { retryAfterMs, limitPerSecond: rates[caller].perSecond },
      );
    },
    counts(pluginId) {
      return { ...(refused.get(pluginId) ?? { ui: 0, worker: 0 }) };
    },
    recordRefused(pluginId, caller, count) {
      if (!Number.isSafeInteger(count) || count < 1) throw new PlinthError('INVALID_INPUT', `A refusal count is a positive integer, not ${String(count)}`);
      countRefused(pluginId, caller, count);
    },
  };
}
