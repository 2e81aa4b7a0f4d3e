/**
 * Idle stop of one worker (CONTRACT §6): a worker with no activity, no open
 * stream and no `onStartup` activation is stopped after the idle timeout and started again on
 * the next need. State lives in the host, so stopping loses nothing.
 */

/** Default idle timeout (5 min); the `idleTimeoutMs` preference overrides it. */
export const IDLE_TIMEOUT_MS = 5 * 60_000;

/** Options of {@link createIdleTracker}. */
export interface IdleTrackerOptions {
  /** Time without activity before `onIdle` (ms, default {@link IDLE_TIMEOUT_MS}). */
  idleTimeoutMs?: number;
  /** Called once per idle period; the host stops the worker. */
  onIdle: () => void;
  /** Start with keep-alive on (plugins activated `onStartup` are never idle-stopped). */
  keepAlive?: boolean;
}

/** Tracks the activity of one running worker. The idle clock starts at creation. */
export interface IdleTracker {
  /** Activity (a call to or from the worker, a job, an event): restarts the idle clock. */
  touch(): void;
  /** Something long-lived is open (a stream, a call in flight): no idle stop until released. */
  hold(): void;
  /** Ends one `hold()`; the idle clock restarts when the last hold ends. Extra releases are ignored. */
  release(): void;
  /** Keep-alive on: never idle (for `onStartup` plugins). Off: the idle clock restarts. */
  setKeepAlive(keepAlive: boolean): void;
  /** Stops tracking for good (the worker stopped); `onIdle` is never called afterwards. */
  stop(): void;
  /** Open holds, for diagnostics. */
  readonly holds: number;
}

/**
 * Creates an idle tracker. `onIdle` fires after `idleTimeoutMs` with no `touch()`, no open
 * hold and keep-alive off; it fires once, and again only after new activity and another quiet
 * period. Wrap each call with `hold()`/`release()` (or `touch()` at both ends) so a call longer
 * than the timeout never counts as idle.
 */
export function createIdleTracker(options: IdleTrackerOptions): IdleTracker {
  const idleTimeoutMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  let keepAlive = options.keepAlive ?? false;
  let holds = 0;
  let stopped = false;
  let firedThisPeriod = false;
  // Wall clock, not performance.now: tests drive it with mock timers. A clock jump only moves one check.
  let lastActivity = Date.now();
  let timer: NodeJS.Timeout | undefined;

  const eligible = () => !stopped && !keepAlive && holds === 0 && !firedThisPeriod;

  // Activity only records its time: a call costs no clearTimeout + setTimeout. The one timer,
  // when it fires early (there was activity since it was armed), re-arms for the rest.
  function check(): void {
    timer = undefined;
    if (!eligible()) return;
    const rest = lastActivity + idleTimeoutMs - Date.now();
    if (rest > 0) {
      timer = setTimeout(check, rest);
      return;
    }
    firedThisPeriod = true;
    options.onIdle();
  }

  function activity(): void {
    lastActivity = Date.now();
    firedThisPeriod = false;
    if (!timer && eligible()) timer = setTimeout(check, idleTimeoutMs);
  }

  activity();
  return {
    touch: activity,
    hold() {
      holds++;
    },
    release() {
      if (holds === 0) return;
      holds--;
      activity();
    },
    setKeepAlive(on) {
      keepAlive = on;
      activity();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
    get holds() { return holds; },
  };
}
