/**
 * One timeout scheduler for every host → worker call, instead of a timer per call: a call
 * costs a queue push and a flag on completion, not a `setTimeout` + `clearTimeout` pair
 * (whose timer-list bookkeeping showed in call profiles). Deadlines of the same length are
 * queued first in, first out (a later call with the same timeout expires later), so each
 * queue's head is its earliest deadline and one timer, armed for the earliest head, serves all.
 */

/** Cancels a deadline; its callback will not run. Idempotent. */
export type CancelDeadline = () => void;

/** Runs callbacks when their deadline passes. */
export interface DeadlineScheduler {
  /**
   * Runs `onExpire` once `ms` milliseconds have passed, unless cancelled first.
   * @param ms a delay in ms (non-negative; negative counts as 0).
   */
  add(ms: number, onExpire: () => void): CancelDeadline;
  /** Deadlines added and neither expired nor cancelled (and not yet dropped from their queue). */
  readonly size: number;
}

/** Options of {@link createDeadlineScheduler}; defaults are the real clock and timers. */
export interface DeadlineSchedulerOptions {
  /** Monotonic clock in ms; default `performance.now`. */
  now?: () => number;
}

interface Entry { at: number; onExpire: () => void; done: boolean }

/** Creates a scheduler. One per process is enough; {@link sharedDeadlines} is that one. */
export function createDeadlineScheduler(options: DeadlineSchedulerOptions = {}): DeadlineScheduler {
  const now = options.now ?? (() => performance.now());
  /** FIFO queue per delay; entries are removed from the head once done. */
  const queues = new Map<number, Entry[]>();
  let live = 0;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Infinity;

  const dropDoneHeads = (delay: number, queue: Entry[]) => {
    let i = 0;
    while (i < queue.length && queue[i]!.done) i++;
    if (i > 0) queue.splice(0, i);
    if (queue.length === 0) queues.delete(delay);
  };

  /**
   * Arms the timer for the earliest head when it is earlier than the armed time. A timer armed
   * too early (its deadline was cancelled) is left alone: it fires, finds nothing due and
   * re-arms, which is cheaper than a clear + set on every completed call. Unref'd: a deadline
   * never keeps the process alive by itself (a pending call's worker channel does).
   */
  function arm(): void {
    let earliest = Infinity;
    for (const queue of queues.values()) earliest = Math.min(earliest, queue[0]!.at);
    if (earliest >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = earliest;
    timer = setTimeout(fire, Math.max(0, earliest - now()));
    timer.unref();
  }

  function fire(): void {
    timer = undefined;
    timerAt = Infinity;
    const t = now();
    const due: Entry[] = [];
    for (const [delay, queue] of queues) {
      while (queue.length > 0 && (queue[0]!.done || queue[0]!.at <= t)) {
        const entry = queue.shift()!;
        if (!entry.done) due.push(entry);
      }
      if (queue.length === 0) queues.delete(delay);
    }
    due.sort((a, b) => a.at - b.at);
    for (const entry of due) {
      entry.done = true;
      live--;
    }
    arm();
    for (const entry of due) entry.onExpire();
  }

  return {
    add(ms, onExpire) {
      const delay = Math.max(0, ms);
      const entry: Entry = { at: now() + delay, onExpire, done: false };
      let queue = queues.get(delay);
      if (!queue) queues.set(delay, (queue = []));
      queue.push(entry);
      live++;
      if (entry.at < timerAt) arm();
      return () => {
        if (entry.done) return;
        entry.done = true;
        live--;
        const q = queues.get(delay);
        if (q && q[0] === entry) dropDoneHeads(delay, q);
      };
    },
    get size() {
      return live;
    },
  };
}

/** The process-wide scheduler of the host's worker calls. */
export const sharedDeadlines: DeadlineScheduler = createDeadlineScheduler();

/**
 * Settles like `promise`, or rejects with `onTimeout()` when it has not settled within `ms`.
 * @param scheduler default {@link sharedDeadlines}.
 */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error, scheduler = sharedDeadlines): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = scheduler.add(ms, () => reject(onTimeout()));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        reject(error as Error);
      },
    );
  });
}
