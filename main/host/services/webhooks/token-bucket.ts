/**
 * A token bucket: `burst` requests at once, refilled at `perMinute`. One per webhook endpoint,
 * so a noisy sender slows only its own endpoint.
 */

/** A rate: sustained requests per minute and the burst allowed on top of an idle bucket. */
export interface Rate { perMinute: number; burst: number }

/** One bucket; `now` is a millisecond clock (injectable for tests). */
export interface TokenBucket {
  /** Takes a token; returns 0 when allowed, else the milliseconds until one is available. */
  take(): number;
}

/** Creates a full bucket. */
export function createTokenBucket(rate: Rate, now: () => number): TokenBucket {
  const perMs = rate.perMinute / 60_000;
  let tokens = rate.burst;
  let last = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(rate.burst, tokens + (t - last) * perMs);
      last = t;
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - tokens) / perMs);
    },
  };
}
