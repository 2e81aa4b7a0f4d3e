/**
 * Call latencies kept per worker for the p50 of the Running plugins view: the last
 * {@link LATENCY_SAMPLES} samples in a fixed ring, O(1) to record, sorted only when read.
 */

/** How many of a worker's most recent call latencies are kept. */
export const LATENCY_SAMPLES = 256;

/** The latencies (ms) of one worker's most recent calls. */
export interface LatencyRing {
  /** Adds one call's latency (ms), dropping the oldest once {@link LATENCY_SAMPLES} are kept. */
  record(ms: number): void;
  /** The median of the kept latencies (ms; the lower middle of an even count), `undefined` before any call. */
  median(): number | undefined;
}

/** An empty ring. */
export function createLatencyRing(): LatencyRing {
  const samples = new Float64Array(LATENCY_SAMPLES);
  let count = 0;
  let next = 0;
  return {
    record(ms) {
      samples[next] = ms;
      next = (next + 1) % LATENCY_SAMPLES;
      if (count < LATENCY_SAMPLES) count++;
    },
    median() {
      if (count === 0) return undefined;
      const sorted = samples.slice(0, count).sort();
      return sorted[Math.floor((count - 1) / 2)];
    },
  };
}
