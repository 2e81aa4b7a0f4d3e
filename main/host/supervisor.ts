/**
 * Worker supervision: at most one worker process per plugin, started on demand, stopped on
 * disable, with its runtime state (`stopped | starting | running | backoff | crashed`) kept in
 * step with the process so the UI never shows a plugin ready whose worker cannot answer.
 */
import type { RuntimeState } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { HostApi, WorkerInit, WorkerMethod, WorkerApi, WorkerReady } from '../../sdk/protocol/rpc.ts';
import type { LogStore } from './logs.ts';
import type { WorkerExit, WorkerLauncher } from './workers/launcher.ts';
import { createWorkerHandle } from './workers/worker-handle.ts';

/** What the supervisor needs to start one plugin's worker. */
export interface WorkerSpec {
  pluginId: string;
  /** Absolute path of the worker entry module. */
  entry: string;
  init: WorkerInit;
  /** The guarded host API served to this worker. */
  hostApi: HostApi;
  heapMb?: number;
}

/** Runtime facts about one plugin's worker. */
export interface WorkerRuntime {
  state: RuntimeState;
  pid?: number;
  /** Time from spawn to `setup` done of the current process (ms). */
  activationMs?: number;
  startedAt?: number;
  lastError?: string;
  ready?: WorkerReady;
  restarts: number;
}

/** Starts, stops and calls plugin workers. */
export interface Supervisor {
  /** Starts the worker if needed (concurrent callers share one start) and resolves when `setup` is done. */
  ensureRunning(spec: WorkerSpec): Promise<WorkerRuntime>;
  /** Calls a worker method; the worker must be running. */
  call<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>>;
  /** Stops the worker (shutdown grace, then kill) and resolves when the process is gone. */
  stop(pluginId: string): Promise<void>;
  stopAll(): Promise<void>;
  runtime(pluginId: string): WorkerRuntime;
  /** Called on every runtime change, and with the exit when a worker dies unexpectedly. */
  onChange(listener: (pluginId: string, exit?: WorkerExit) => void): () => void;
}

type Handle = ReturnType<typeof createWorkerHandle>;

interface Slot {
  runtime: WorkerRuntime;
  handle?: Handle;
  starting?: Promise<WorkerRuntime>;
  stopping?: Promise<void>;
}

/** Describes an unexpected exit in words a plugin author can act on. */
export function describeExit(exit: WorkerExit): string {
  if (exit.outOfMemory) return 'The worker ran out of memory (heap cap reached)';
  if (exit.signal) return `The worker was killed by ${exit.signal}`;
  return `The worker exited with code ${exit.code}`;
}

/** Creates a supervisor over a launcher. */
export function createSupervisor(opts: { launcher: WorkerLauncher; logs: LogStore; setupBudgetMs?: number; callTimeoutMs?: number }): Supervisor {
  const slots = new Map<string, Slot>();
  const listeners = new Set<(pluginId: string, exit?: WorkerExit) => void>();
  const changed = (pluginId: string, exit?: WorkerExit) => { for (const l of listeners) l(pluginId, exit); };
  const slot = (pluginId: string): Slot => {
    let s = slots.get(pluginId);
    if (!s) slots.set(pluginId, (s = { runtime: { state: 'stopped', restarts: 0 } }));
    return s;
  };

  async function start(s: Slot, spec: WorkerSpec): Promise<WorkerRuntime> {
    const t0 = performance.now();
    s.runtime = { ...s.runtime, state: 'starting', lastError: undefined, pid: undefined };
    changed(spec.pluginId);
    const handle = createWorkerHandle({
      launcher: opts.launcher,
      pluginId: spec.pluginId,
      entry: spec.entry,
      init: spec.init,
      hostApi: spec.hostApi,
      ...(spec.heapMb ? { heapMb: spec.heapMb } : {}),
      ...(opts.setupBudgetMs ? { setupBudgetMs: opts.setupBudgetMs } : {}),
      ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
      onOutput: (stream, line) => opts.logs.append(spec.pluginId, { level: stream === 'stderr' ? 'warn' : 'info', source: stream, message: line }),
    });
    s.handle = handle;
    try {
      const ready = await handle.start();
      s.runtime = { ...s.runtime, state: 'running', pid: handle.pid, ready, activationMs: performance.now() - t0, startedAt: Date.now() };
      changed(spec.pluginId);
      void handle.exited.then((exit) => {
        if (s.handle !== handle) return;
        s.handle = undefined;
        if (s.stopping) return;
        const reason = describeExit(exit);
        opts.logs.append(spec.pluginId, { level: 'error', source: 'host', message: reason });
        s.runtime = { ...s.runtime, state: 'crashed', pid: undefined, lastError: reason, restarts: s.runtime.restarts + 1 };
        changed(spec.pluginId, exit);
      });
      return s.runtime;
    } catch (error) {
      s.handle = undefined;
      const message = (error as Error).message;
      s.runtime = { ...s.runtime, state: 'crashed', pid: undefined, lastError: message };
      opts.logs.append(spec.pluginId, { level: 'error', source: 'host', message: `Activation failed: ${message}` });
      changed(spec.pluginId);
      throw error;
    }
  }

  return {
    ensureRunning(spec) {
      const s = slot(spec.pluginId);
      if (s.runtime.state === 'running' && s.handle) return Promise.resolve(s.runtime);
      if (s.starting) return s.starting;
      const starting = (async () => {
        if (s.stopping) await s.stopping;
        return start(s, spec);
      })().finally(() => { s.starting = undefined; });
      s.starting = starting;
      return starting;
    },
    call<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
      const s = slots.get(pluginId);
      if (!s?.handle || s.runtime.state !== 'running') {
        return Promise.reject(new PlinthError('NOT_READY', `The worker of "${pluginId}" is not running`));
      }
      return s.handle.call(method, ...args);
    },
    async stop(pluginId) {
      const s = slots.get(pluginId);
      if (!s) return;
      if (s.starting) await s.starting.catch(() => undefined);
      const handle = s.handle;
      if (!handle) {
        s.runtime = { ...s.runtime, state: 'stopped', pid: undefined };
        return;
      }
      const stopping = handle.stop().finally(() => {
        s.handle = undefined;
        s.stopping = undefined;
        s.runtime = { ...s.runtime, state: 'stopped', pid: undefined };
        changed(pluginId);
      });
      s.stopping = stopping;
      await stopping;
    },
    async stopAll() {
      await Promise.all([...slots.keys()].map((id) => this.stop(id)));
    },
    runtime(pluginId) {
      return slots.get(pluginId)?.runtime ?? { state: 'stopped', restarts: 0 };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
