/**
 * One worker process of one plugin, with its budgets: spawn + `init` within the setup budget,
 * every call within a timeout, calls in flight failed when the process dies, and a bounded
 * stop (`shutdown`, then disconnect, then kill). Plain Node: the launcher is injected.
 */
import { PlinthError } from '@plinth/sdk/protocol/errors';
import {
  CALL_TIMEOUT_MS, DEFAULT_WORKER_HEAP_MB, SETUP_BUDGET_MS, SHUTDOWN_GRACE_MS,
  type HostApi, type WorkerApi, type WorkerInit, type WorkerMethod, type WorkerReady,
} from '@plinth/sdk/protocol/rpc';
import { connectRpc, type RpcConnection } from '@plinth/sdk/rpc/connect';
import type { RpcHandlers } from '@plinth/sdk/rpc/types';
import { createWorkerMark, findWorkerProcesses, killWorkerProcesses, WORKER_MARK_VAR } from '@plinth/sdk/worker/process-tree';
import { withDeadline } from './deadlines.ts';
import { type WorkerExit, type WorkerLauncher, type WorkerProcess, workerCwd } from './launcher.ts';
import type { SpareWorker } from './spare-worker.ts';

/** A worker exits by itself once the host disconnects; one still alive after this long (its event loop blocked) is killed. */
export const DISCONNECT_EXIT_MS = 1_000;
/** Lines of stderr kept to explain a crash (in the error's `data.stderr`). */
export const STDERR_TAIL_LINES = 20;

/** Options of {@link createWorkerHandle}. Budgets are in ms and default to the protocol constants. */
export interface WorkerHandleOptions {
  launcher: WorkerLauncher;
  pluginId: string;
  /** Absolute path of the plugin's worker entry module. */
  entry: string;
  init: WorkerInit;
  /** What the worker may call: the output of `guardHostApi` (sync or async handlers). */
  hostApi: RpcHandlers<HostApi>;
  /** Heap cap in MB; default `DEFAULT_WORKER_HEAP_MB`. */
  heapMb?: number;
  /** Budget of spawn + entry import + `setup`; default `SETUP_BUDGET_MS`. */
  setupBudgetMs?: number;
  /** Timeout of every `call`; default `CALL_TIMEOUT_MS`. */
  callTimeoutMs?: number;
  /** Time `onShutdown` gets in `stop`; default `SHUTDOWN_GRACE_MS`. */
  shutdownGraceMs?: number;
  /** The plugin folder the worker is sandboxed to, or `null` for `system.unsandboxed` (see `WorkerSpawnOptions`). */
  sandboxRoot: string | null;
  /** Extra host-set environment variables for the worker. */
  env?: Record<string, string>;
  /**
   * A ready spare worker to run the plugin in instead of starting a process (a sandboxed plugin
   * only, `sandboxRoot` set; for an unsandboxed one the handle starts a process as without it).
   */
  spare?: SpareWorker;
  /** Working directory of the worker; default the entry's folder ({@link workerCwd}). */
  cwd?: string;
  /** Every line the worker prints. */
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
  /**
   * Told when the worker sent something on its RPC channel that is not an RPC message (raw bytes,
   * non-JSON, over the size limit): the handle kills the worker right after.
   */
  onMalformed?: (reason: string) => void;
  /** Called once when the process has exited, whatever the reason. */
  onExit?: (exit: WorkerExit) => void;
}

/** A started-once worker process. One handle is one process: start a new handle to restart. */
export interface WorkerHandle {
  /**
   * Spawns the worker and runs `init` (the plugin's `setup`). Calling it again returns the
   * same promise. Rejects with the plugin's error (`PLUGIN_ERROR` and its message, or the
   * code it threw, e.g. `CAPABILITY_DENIED`), `TIMEOUT` past the setup budget,
   * `WORKER_CRASHED`/`OUT_OF_MEMORY` when the process dies; in every case the process is gone
   * when it rejects.
   */
  start(): Promise<WorkerReady>;
  /**
   * Calls a worker method with the call timeout. Rejects with `TIMEOUT`, `WORKER_CRASHED` or
   * `OUT_OF_MEMORY` when the process dies meanwhile, `NOT_READY` when not running or stopping,
   * `PAYLOAD_TOO_LARGE`, or the plugin's error.
   */
  call<M extends WorkerMethod>(method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>>;
  /** {@link WorkerHandle.call} with its own timeout, e.g. for long job runs. */
  callWithin<M extends WorkerMethod>(timeoutMs: number, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>>;
  /**
   * Runs `onShutdown` (bounded by the shutdown grace), disconnects, kills the process if it
   * is still there after {@link DISCONNECT_EXIT_MS}, and resolves once it has exited.
   * Safe to call at any time, any number of times.
   */
  stop(): Promise<void>;
  /** Kills the process at once, without `onShutdown` (a worker that stopped answering). Its exit is reported as a crash. */
  kill(): void;
  /** Pid while the process runs, else `undefined`. */
  readonly pid: number | undefined;
  /** Resolves when the process has exited (after `onExit` ran). Pending until started. */
  readonly exited: Promise<WorkerExit>;
}

/** Creates the handle; nothing runs until {@link WorkerHandle.start}. */
export function createWorkerHandle(opts: WorkerHandleOptions): WorkerHandle {
  const { pluginId } = opts;
  const heapMb = opts.heapMb ?? DEFAULT_WORKER_HEAP_MB;
  const setupBudgetMs = opts.setupBudgetMs ?? SETUP_BUDGET_MS;
  const callTimeoutMs = opts.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const shutdownGraceMs = opts.shutdownGraceMs ?? SHUTDOWN_GRACE_MS;
  const cwd = workerCwd(opts.entry, opts.cwd);

  let proc: WorkerProcess | undefined;
  let rpc: RpcConnection<WorkerApi> | undefined;
  let starting: Promise<WorkerReady> | undefined;
  let stopping: Promise<void> | undefined;
  let stopRequested = false;
  let ready = false;
  let lastExit: WorkerExit | undefined;
  let malformed: string | undefined;
  const stderrTail: string[] = [];
  const exited = Promise.withResolvers<WorkerExit>();

  const stoppedError = () => new PlinthError('NOT_READY', `The worker of plugin "${pluginId}" was stopped`);
  const exitError = (exit: WorkerExit): PlinthError => {
    const data = { code: exit.code, signal: exit.signal, stderr: stderrTail.slice() };
    if (exit.outOfMemory) {
      return new PlinthError('OUT_OF_MEMORY', `The worker of plugin "${pluginId}" ran out of memory (heap cap ${heapMb} MB)`, data);
    }
    if (malformed) return new PlinthError('WORKER_CRASHED', `The worker of plugin "${pluginId}" was stopped: it sent ${malformed}`, data);
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return new PlinthError('WORKER_CRASHED', `The worker of plugin "${pluginId}" ${how}`, data);
  };

  // Every process the worker starts inherits this mark, so none outlives it (process-tree.ts).
  // A spare carries its own, set in its environment when it was started.
  let mark = createWorkerMark(pluginId);
  /** Processes of the worker's tree seen while it still ran: a child with a scrubbed env is found only this way. */
  let treeSnapshot: number[] = [];
  /** Kills the worker and everything it started. */
  const killTree = (p: WorkerProcess) => {
    if (!lastExit) killWorkerProcesses(p.pid, mark);
    p.kill();
  };

  /** The spare's process once it was sent the plugin, or `undefined` without a spare. */
  function fromSpare(): WorkerProcess | undefined {
    const spare = opts.spare;
    if (!spare || opts.sandboxRoot === null) return undefined;
    const env = { ...opts.env, PLINTH_PLUGIN_ID: pluginId, [WORKER_MARK_VAR]: spare.mark };
    spare.assign({ pluginId, entry: opts.entry, sandboxRoot: opts.sandboxRoot, cwd, env });
    mark = spare.mark;
    return spare.process;
  }

  function spawn(spareProcess: WorkerProcess | undefined): { proc: WorkerProcess; rpc: RpcConnection<WorkerApi> } {
    const p = spareProcess ?? opts.launcher.spawn(opts.entry, {
      pluginId, env: { ...opts.env, [WORKER_MARK_VAR]: mark }, heapMb, sandboxRoot: opts.sandboxRoot, cwd,
    });
    p.onOutput((stream, line) => {
      if (stream === 'stderr') {
        stderrTail.push(line);
        if (stderrTail.length > STDERR_TAIL_LINES) stderrTail.shift();
      }
      opts.onOutput?.(stream, line);
    });
    const connection = connectRpc<HostApi, WorkerApi>(p.endpoint, 'host', opts.hostApi, {
      onMalformed(reason) {
        malformed = reason;
        opts.onMalformed?.(reason);
        killTree(p);
      },
    });
    void p.exited.then((exit) => {
      lastExit = exit;
      // A crash, a kill or a clean exit: whatever the worker started goes with it.
      killWorkerProcesses(undefined, mark);
      for (const pid of treeSnapshot) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
      connection.close(stopRequested ? stoppedError() : exitError(exit));
      try {
        opts.onExit?.(exit);
      } finally {
        exited.resolve(exit);
      }
    });
    return { proc: p, rpc: connection };
  }

  /** A call with a timeout, whatever the handle's state (the RPC connection rejects once closed). */
  function timedCall<M extends WorkerMethod>(
    connection: RpcConnection<WorkerApi>, timeoutMs: number, method: M, ...args: Parameters<WorkerApi[M]>
  ): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    const call = (connection.call as (m: M, ...a: unknown[]) => Promise<Awaited<ReturnType<WorkerApi[M]>>>)(method, ...args);
    return withDeadline(call, timeoutMs, () =>
      new PlinthError('TIMEOUT', `The worker of plugin "${pluginId}" did not answer ${method} within ${timeoutMs} ms`));
  }

  function callWithin<M extends WorkerMethod>(timeoutMs: number, method: M, ...args: Parameters<WorkerApi[M]>) {
    if (!rpc || lastExit || stopRequested) {
      const why = lastExit ? `: ${exitError(lastExit).message}` : stopRequested ? ': it was stopped' : ': it was not started';
      return Promise.reject<Awaited<ReturnType<WorkerApi[M]>>>(new PlinthError('NOT_READY', `The worker of plugin "${pluginId}" is not running${why}`));
    }
    return timedCall(rpc, timeoutMs, method, ...args);
  }

  return {
    get pid() {
      return lastExit ? undefined : proc?.pid;
    },
    exited: exited.promise,
    start() {
      if (stopRequested && !starting) return Promise.reject(new PlinthError('NOT_READY', `The worker handle of plugin "${pluginId}" was stopped; create a new one`));
      starting ??= (async () => {
        // Nothing is awaited before the spawn: a stop right after start() finds the process.
        ({ proc, rpc } = spawn(fromSpare()));
        try {
          const result = await withDeadline(rpc.call('init', opts.init), setupBudgetMs, () =>
            new PlinthError('TIMEOUT', `setup of plugin "${pluginId}" did not finish within ${setupBudgetMs} ms (SETUP_BUDGET_MS)`));
          ready = true;
          return result;
        } catch (error) {
          killTree(proc);
          await exited.promise;
          throw error;
        }
      })();
      return starting;
    },
    call: (method, ...args) => callWithin(callTimeoutMs, method, ...args),
    callWithin,
    kill() {
      if (proc && !lastExit) killTree(proc);
    },
    stop() {
      stopRequested = true;
      stopping ??= (async () => {
        if (!proc || !rpc) return;
        if (!lastExit) {
          if (ready) await timedCall(rpc, shutdownGraceMs, 'shutdown').catch(() => undefined);
          rpc.close(stoppedError());
          treeSnapshot = findWorkerProcesses(proc.pid, mark);
          proc.endpoint.close?.();
          const gone = await withDeadline(exited.promise, DISCONNECT_EXIT_MS, () => new Error('still running')).then(() => true, () => false);
          if (!gone) killTree(proc);
        }
        await exited.promise;
      })();
      return stopping;
    },
  };
}
