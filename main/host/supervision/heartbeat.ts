/**
 * Heartbeat of one worker: a worker whose event loop stops answering for 5 s
 * is reported once, so the host can kill and restart it. The ping is the worker's `ping` RPC
 * method (sdk/protocol/rpc.ts), which answers from the worker's event loop.
 */

/** How long a ping may stay unanswered (5 s). */
export const HEARTBEAT_TIMEOUT_MS = 5_000;
/**
 * Time between pings: often enough that a hang is noticed within timeout + interval (7 s), rare
 * enough that an idle host sends one tiny message per worker every 2 s.
 */
export const HEARTBEAT_INTERVAL_MS = 2_000;

/** Options of {@link createHeartbeat}. */
export interface HeartbeatOptions {
  /** Sends one ping; resolves (with anything) when the worker answers. */
  ping: () => Promise<unknown>;
  /** Time between the end of one ping and the next (ms, default {@link HEARTBEAT_INTERVAL_MS}). */
  intervalMs?: number;
  /** How long one ping may stay unanswered (ms, default {@link HEARTBEAT_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Called once when a ping goes unanswered for `timeoutMs`; the heartbeat has stopped by then. */
  onUnresponsive: (silentMs: number) => void;
}

/** A running heartbeat. */
export interface Heartbeat {
  /** Stops pinging; a ping in flight is ignored. Idempotent. Call it when the worker stops or exits. */
  stop(): void;
  /** Round-trip time of the last answered ping (ms), for the Running plugins view. */
  readonly lastRoundTripMs: number | undefined;
}

/**
 * Starts pinging: the first ping goes out after `intervalMs`, and the next one `intervalMs`
 * after each answer, so a slow worker never has more than one ping in flight.
 *
 * A ping that REJECTS counts as an answer: only silence means a blocked event loop. A worker
 * whose transport is gone has exited, and its exit is reported by the process, not here.
 */
export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const intervalMs = options.intervalMs ?? HEARTBEAT_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? HEARTBEAT_TIMEOUT_MS;
  let stopped = false;
  let next: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;
  let lastRoundTripMs: number | undefined;

  function stop(): void {
    stopped = true;
    clearTimeout(next);
    clearTimeout(deadline);
  }

  function beat(): void {
    if (stopped) return;
    const sentAt = performance.now();
    let answered = false;
    deadline = setTimeout(() => {
      if (stopped || answered) return;
      stop();
      options.onUnresponsive(timeoutMs);
    }, timeoutMs);
    const settle = () => {
      if (stopped) return;
      answered = true;
      clearTimeout(deadline);
      lastRoundTripMs = performance.now() - sentAt;
      next = setTimeout(beat, intervalMs);
    };
    Promise.resolve().then(options.ping).then(settle, settle);
  }

  next = setTimeout(beat, intervalMs);
  return {
    stop,
    get lastRoundTripMs() { return lastRoundTripMs; },
  };
}
