/**
 * The spare worker: one sandboxed worker process started ahead of need, already hardened (SES
 * lockdown done, runtime loaded) and waiting for its plugin, so an activation skips the process
 * start and the sandbox's set-up (as Chrome's spare renderer and VS Code's pre-forked extension
 * host). It carries nothing of any plugin: its environment holds only the process-tree mark,
 * its working directory is neutral and its heap cap is the current preference; the worker
 * handle sends the plugin's id, entry, folder, working directory and variables when it takes it.
 *
 * At most one spare exists. The supervisor asks for one after an activation (never before the
 * first), takes it for the next sandboxed activation with the same heap cap, and drops it when
 * the host stops or after the idle timeout without use. An activation never waits for a spare:
 * one that has not sent its ready handshake yet (still starting, or hung) is killed when taken and
 * the activation starts its worker as a cold start does. A spare that dies is replaced, silently,
 * unless spares keep dying before they are ready (then the host stops making them).
 */
import { isSpareReady, type SpareAssignment } from '@plinth/sdk/worker/bootstrap-path';
import { createWorkerMark, killWorkerProcesses, WORKER_MARK_VAR } from '@plinth/sdk/worker/process-tree';
import type { WorkerLauncher, WorkerProcess } from './launcher.ts';

/** Consecutive spares that die before they are ready after which no more are started. */
export const SPARE_FAILURES_LIMIT = 3;

/** A ready spare taken for one activation. */
export interface SpareWorker {
  /** The process; the worker handle owns it once it called {@link SpareWorker.assign}. */
  readonly process: WorkerProcess;
  /** Its process-tree mark (already in its environment); the handle kills its tree by it. */
  readonly mark: string;
  /** Sends the spare its plugin; from then on it is that plugin's worker. */
  assign(assignment: Omit<SpareAssignment, 'plinthSpare'>): void;
}

/** Options of {@link createSparePool}. */
export interface SparePoolOptions {
  /** Must have `spawnSpare`; the pool makes no spares otherwise. */
  launcher: WorkerLauncher;
  /** Current heap cap of workers (MB), read when a spare is started. */
  heapMb: () => number;
  /** Current idle timeout (ms): a spare unused this long is stopped. */
  idleTimeoutMs: () => number;
}

/** The one spare worker of a host. */
export interface SparePool {
  /**
   * Takes the spare for a sandboxed worker with heap cap `heapMb`; `undefined` when there is
   * none, or it has another cap or is not ready yet (that one is killed: the caller starts its
   * worker at once instead of waiting on it, and the next refill replaces it).
   */
  take(heapMb: number): SpareWorker | undefined;
  /** Starts a spare in the background unless one exists or spares keep failing. */
  refill(): void;
  /** Kills the spare (and anything carrying its mark); resolves when it has exited. */
  drop(): Promise<void>;
  /** Resolves with the spare's pid once it is ready, or `undefined` when there is none (or it died first). */
  ready(): Promise<number | undefined>;
}

interface Spare {
  process: WorkerProcess;
  mark: string;
  heapMb: number;
  /** Resolves `true` on the ready handshake, `false` when it exited before. */
  isReady: Promise<boolean>;
  /** Whether the ready handshake has come. */
  ready: boolean;
  idleTimer?: NodeJS.Timeout;
}

/** Creates the pool; nothing starts until {@link SparePool.refill}. */
export function createSparePool(options: SparePoolOptions): SparePool {
  const { launcher } = options;
  let current: Spare | undefined;
  let failures = 0;

  const killSpare = (spare: Spare) => {
    clearTimeout(spare.idleTimer);
    killWorkerProcesses(spare.process.pid, spare.mark);
    spare.process.kill();
  };

  function startSpare(): void {
    if (!launcher.spawnSpare || current || failures >= SPARE_FAILURES_LIMIT) return;
    const mark = createWorkerMark('spare');
    const heapMb = options.heapMb();
    let proc: WorkerProcess;
    try {
      proc = launcher.spawnSpare({ env: { [WORKER_MARK_VAR]: mark }, heapMb });
    } catch {
      failures = SPARE_FAILURES_LIMIT; // e.g. the runtime is not built: cold starts will say so
      return;
    }
    const ready = Promise.withResolvers<boolean>();
    const spare: Spare = { process: proc, mark, heapMb, isReady: ready.promise, ready: false };
    const unsubscribe = proc.endpoint.onMessage((message) => {
      if (!isSpareReady(message)) return;
      unsubscribe();
      failures = 0;
      spare.ready = true;
      ready.resolve(true);
      if (current !== spare) return;
      // Waiting unused from now on: stopped after the idle timeout, as an idle worker is.
      spare.idleTimer = setTimeout(() => {
        if (current !== spare) return;
        current = undefined;
        killSpare(spare);
      }, options.idleTimeoutMs());
      spare.idleTimer.unref();
    });
    current = spare;
    void proc.exited.then(() => {
      unsubscribe();
      clearTimeout(spare.idleTimer);
      ready.resolve(false);
      if (current !== spare) return;
      // Died while waiting (killed from outside, out of memory…): replaced without a word.
      current = undefined;
      void ready.promise.then((wasReady) => {
        if (!wasReady) failures++;
        startSpare();
      });
    });
  }

  return {
    take(heapMb) {
      const spare = current;
      if (!spare) return undefined;
      current = undefined;
      clearTimeout(spare.idleTimer);
      if (spare.heapMb !== heapMb || !spare.ready) {
        killSpare(spare);
        return undefined;
      }
      return {
        process: spare.process,
        mark: spare.mark,
        assign(assignment) {
          spare.process.endpoint.postMessage({ plinthSpare: 'assign', ...assignment } satisfies SpareAssignment);
        },
      };
    },
    refill: startSpare,
    async drop() {
      const spare = current;
      current = undefined;
      if (!spare) return;
      killSpare(spare);
      await spare.process.exited;
    },
    async ready() {
      const spare = current;
      if (!spare) return undefined;
      return (await spare.isReady) && current === spare ? spare.process.pid : undefined;
    },
  };
}
