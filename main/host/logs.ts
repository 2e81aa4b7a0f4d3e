/**
 * Per-plugin log lines (worker stdout/stderr and `ctx.logger`), kept in a bounded ring so a
 * chatty plugin costs a fixed amount of memory, and rate-limited so a flood cannot stall the host.
 */
import type { Json } from '@plinth/sdk/protocol/json';
import type { LogLevel } from '@plinth/sdk/protocol/rpc';

/** Lines kept per plugin; older ones are dropped (enough for a debugging session, ~1 MB worst case). */
export const LOG_RING_SIZE = 2_000;
/** Longest kept message (characters); longer ones are cut with a marker. */
export const MAX_LOG_MESSAGE = 8_192;
/** Lines accepted per plugin per second; the rest are counted as suppressed. */
export const LOG_RATE_PER_SECOND = 500;
/** The window {@link LOG_RATE_PER_SECOND} counts in (ms): one second. */
const RATE_WINDOW_MS = 1_000;

/** One log line. `time` is ISO 8601 UTC. */
export interface LogLine {
  seq: number;
  time: string;
  level: LogLevel;
  source: 'logger' | 'stdout' | 'stderr' | 'host';
  message: string;
  data?: Json;
}

/** The log store. */
export interface LogStore {
  append(pluginId: string, line: Omit<LogLine, 'seq' | 'time'>): void;
  /** Lines of one plugin, oldest first, optionally after sequence number `afterSeq`. */
  lines(pluginId: string, afterSeq?: number): LogLine[];
  /** Lines dropped by the rate limit since start. */
  suppressed(pluginId: string): number;
  /** Listens to every appended line (after rate limiting). */
  onLine(listener: (pluginId: string, line: LogLine) => void): () => void;
}

interface Ring { lines: LogLine[]; windowStart: number; inWindow: number; suppressed: number }

/** Creates a log store; `now` is injectable for tests. */
export function createLogStore(now: () => number = Date.now): LogStore {
  const rings = new Map<string, Ring>();
  const listeners = new Set<(pluginId: string, line: LogLine) => void>();
  let seq = 0;
  function ring(pluginId: string): Ring {
    let r = rings.get(pluginId);
    if (!r) rings.set(pluginId, (r = { lines: [], windowStart: now(), inWindow: 0, suppressed: 0 }));
    return r;
  }
  return {
    append(pluginId, line) {
      const r = ring(pluginId);
      const t = now();
      if (t - r.windowStart >= RATE_WINDOW_MS) {
        if (r.suppressed > 0 && r.inWindow >= LOG_RATE_PER_SECOND) {
          // Tell the reader that lines are missing, once per window that overflowed.
          r.lines.push({ seq: ++seq, time: new Date(t).toISOString(), level: 'warn', source: 'host', message: `log rate limit: ${r.suppressed} lines suppressed so far` });
        }
        r.windowStart = t;
        r.inWindow = 0;
      }
      if (r.inWindow >= LOG_RATE_PER_SECOND) {
        r.suppressed++;
        return;
      }
      r.inWindow++;
      const message = line.message.length > MAX_LOG_MESSAGE ? `${line.message.slice(0, MAX_LOG_MESSAGE)}… [cut]` : line.message;
      const full: LogLine = { ...line, message, seq: ++seq, time: new Date(t).toISOString() };
      r.lines.push(full);
      if (r.lines.length > LOG_RING_SIZE) r.lines.splice(0, r.lines.length - LOG_RING_SIZE);
      for (const listener of listeners) listener(pluginId, full);
    },
    lines(pluginId, afterSeq = 0) {
      return (rings.get(pluginId)?.lines ?? []).filter((l) => l.seq > afterSeq);
    },
    suppressed(pluginId) {
      return rings.get(pluginId)?.suppressed ?? 0;
    },
    onLine(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
