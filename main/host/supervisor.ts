/**
 * Worker supervision (CONTRACT §6): at most one worker process per plugin,
 * started on demand; crashes restarted with exponential backoff until a crash loop; a worker
 * whose event loop stops answering the heartbeat is killed and restarted; idle workers stopped;
 * `onHealth` polled. The runtime state (`stopped | starting | running | backoff | crashed`) is
 * kept in step with the process so the UI never shows a worker that cannot answer as running.
 */
import type { RuntimeState } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import {
  DEFAULT_WORKER_HEAP_MB, type HealthResult, type HostApi, type WorkerApi, type WorkerInit, type WorkerMethod, type WorkerReady,
} from '@plinth/sdk/protocol/rpc';
import type { RpcHandlers } from '@plinth/sdk/rpc/types';
import type { LogStore } from './logs.ts';
import {
  createHealthPoller, createHeartbeat, createIdleTracker, createLatencyRing, createRestartPolicy, HEARTBEAT_TIMEOUT_MS, IDLE_TIMEOUT_MS, nextRuntimeState,
  type HealthPoller, type Heartbeat, type LatencyRing, type RuntimeEvent, type IdleTracker, type RestartPolicy, type RestartPolicyOptions,
} from './supervision/index.ts';
import type { WorkerExit, WorkerLauncher } from './workers/launcher.ts';
import { createWorkerHandle, type WorkerHandle } from './workers/worker-handle.ts';
import { createSparePool } from './workers/spare-worker.ts';

/** What the supervisor needs to start one plugin's worker. */
export interface WorkerSpec {
  pluginId: string;
  /** Absolute path of the worker entry module. */
  entry: string;
  init: WorkerInit;
  /** The guarded host API served to this worker. */
  hostApi: RpcHandlers<HostApi>;
  /** The plugin folder its sandbox confines it to, or `null` when it holds `system.unsandboxed`. */
  sandboxRoot: string | null;
  heapMb?: number;
  /** `onStartup` plugins are kept alive: never stopped for being idle. */
  keepAlive?: boolean;
  /** Whether an automatic restart may still happen (the plugin is still enabled and ready); default yes. */
  shouldRestart?(): boolean;
  /** A crash loop: no more restarts; `reason` says why (the host puts the plugin in `error`). */
  onGiveUp?(reason: string): void;
}

/** Runtime facts about one plugin's worker. */
export interface WorkerRuntime {
  state: RuntimeState;
  pid?: number;
  /** Time from spawn to `setup` done of the current process (ms). */
  activationMs?: number;
  /** Epoch ms when the current process finished setup. */
  startedAt?: number;
  lastError?: string;
  ready?: WorkerReady;
  /** Automatic restarts since the user last enabled the plugin. */
  restarts: number;
  /** Epoch ms of the next automatic restart while in `backoff`. */
  nextRestartAt?: number;
  health?: HealthResult;
  /** Host → worker calls served since the process started. */
  rpcCalls: number;
  /** Median latency of recent host → worker calls (ms). */
  p50LatencyMs?: number;
}

/** Tunables; every default is the named constant of its module. */
export interface SupervisorOptions {
  launcher: WorkerLauncher;
  logs: LogStore;
  setupBudgetMs?: number;
  callTimeoutMs?: number;
  restart?: RestartPolicyOptions;
  heartbeat?: { intervalMs?: number; timeoutMs?: number };
  healthIntervalMs?: number;
  /** Current idle timeout (ms), read at each worker start (a preference). */
  idleTimeoutMs?: () => number;
  /** Current heap cap (MB), read at each worker start (a preference). */
  heapMb?: () => number;
  /**
   * Keep one spare sandboxed worker ready after the first activation (workers/spare-worker.ts),
   * when the launcher can start one (`spawnSpare`); default true. False: every worker is started
   * when it is needed.
   */
  spareWorker?: boolean;
}

/** Starts, stops and calls plugin workers. */
export interface Supervisor {
  /** Starts the worker if needed (concurrent callers share one start) and resolves when `setup` is done. */
  ensureRunning(spec: WorkerSpec): Promise<WorkerRuntime>;
  /** Calls a worker method; the worker must be running. */
  call<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>>;
  /** Keeps the worker from idling while something long-lived (a stream) is open; returns the release. */
  hold(pluginId: string): () => void;
  /** Stops the worker (shutdown grace, then kill), cancels a pending restart, resolves when the process is gone. */
  stop(pluginId: string): Promise<void>;
  stopAll(): Promise<void>;
  /** Forgets crash history (the user re-enabled the plugin); a `crashed` runtime becomes `stopped`. */
  resetCrashes(pluginId: string): void;
  runtime(pluginId: string): WorkerRuntime;
  /** The runtime state alone: what the call path checks, without building a {@link WorkerRuntime}. */
  state(pluginId: string): RuntimeState;
  /**
   * Resolves with the pid of the spare worker once it is ready, or `undefined` when there is
   * none (no activation yet, idle, spares off or failing). For benchmarks and tests.
   */
  spareReady(): Promise<number | undefined>;
  /** Called on every runtime change, and with the exit when a worker dies unexpectedly. */
  onChange(listener: (pluginId: string, exit?: WorkerExit) => void): () => void;
}

/** What the supervisor keeps per plugin: its runtime state, the spec to restart it with, its worker and timers. */
interface SupervisedWorker {
  runtime: WorkerRuntime;
  spec?: WorkerSpec;
  handle?: WorkerHandle;
  starting?: Promise<WorkerRuntime>;
  stopping?: Promise<void>;
  policy: RestartPolicy;
  restartTimer?: NodeJS.Timeout;
  heartbeat?: Heartbeat;
  idle?: IdleTracker;
  health?: HealthPoller;
  latencies: LatencyRing;
  /** Holds taken by streams, re-applied to each new idle tracker. */
  holds: number;
}

/** Describes an unexpected exit in words a plugin author can act on. */
export function describeExit(exit: WorkerExit): string {
  if (exit.outOfMemory) return 'The worker ran out of memory (heap cap reached)';
  if (exit.signal) return `The worker was killed by ${exit.signal}`;
  return `The worker exited with code ${exit.code}`;
}

/** Creates a supervisor over a launcher. */
export function createSupervisor(opts: SupervisorOptions): Supervisor {
  const supervised = new Map<string, SupervisedWorker>();
  const heapMbNow = () => opts.heapMb?.() ?? DEFAULT_WORKER_HEAP_MB;
  const spares = opts.spareWorker === false ? undefined : createSparePool({
    launcher: opts.launcher, heapMb: heapMbNow, idleTimeoutMs: () => opts.idleTimeoutMs?.() ?? IDLE_TIMEOUT_MS,
  });
  /** True while `stopAll` runs: no spare is started then. */
  let stoppingAll = false;
  /** Worker starts under way; the spare is started when none is. */
  let startsInFlight = 0;
  const listeners = new Set<(pluginId: string, exit?: WorkerExit) => void>();
  const changed = (pluginId: string, exit?: WorkerExit) => { for (const l of listeners) l(pluginId, exit); };
  const log = (pluginId: string, level: 'info' | 'warn' | 'error', message: string) =>
    opts.logs.append(pluginId, { level, source: 'host', message });
  /** Moves the worker along the runtime table (supervision/runtime-states.ts), with the facts that change with it. */
  const move = (s: SupervisedWorker, event: RuntimeEvent, facts: Partial<Omit<WorkerRuntime, 'state'>> = {}) => {
    s.runtime = { ...s.runtime, ...facts, state: nextRuntimeState(s.runtime.state, event) };
  };
  const entryOf = (pluginId: string): SupervisedWorker => {
    let s = supervised.get(pluginId);
    if (!s) {
      s = { runtime: { state: 'stopped', restarts: 0, rpcCalls: 0 }, policy: createRestartPolicy(opts.restart), latencies: createLatencyRing(), holds: 0 };
      supervised.set(pluginId, s);
    }
    return s;
  };

  function stopWatchers(s: SupervisedWorker): void {
    s.heartbeat?.stop();
    s.idle?.stop();
    s.health?.stop();
    s.heartbeat = s.idle = s.health = undefined;
  }

  function startWatchers(s: SupervisedWorker, pluginId: string, handle: WorkerHandle, ready: WorkerReady, keepAlive: boolean): void {
    s.heartbeat = createHeartbeat({
      ...opts.heartbeat,
      ping: () => handle.callWithin(opts.heartbeat?.timeoutMs ?? HEARTBEAT_TIMEOUT_MS, 'ping'),
      onUnresponsive: (silentMs) => {
        log(pluginId, 'error', `The worker did not answer the heartbeat for ${silentMs} ms (event loop blocked); killing it`);
        s.runtime = { ...s.runtime, lastError: 'The worker stopped answering (event loop blocked)' };
        handle.kill();
      },
    });
    s.idle = createIdleTracker({
      ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs() } : {}),
      keepAlive,
      onIdle: () => {
        log(pluginId, 'info', 'Stopping the idle worker; it starts again on the next need');
        void stop(pluginId);
      },
    });
    for (let i = 0; i < s.holds; i++) s.idle.hold();
    if (ready.hooks.health) {
      s.health = createHealthPoller({
        ...(opts.healthIntervalMs ? { intervalMs: opts.healthIntervalMs } : {}),
        poll: () => handle.call('health'),
        onResult: (health) => {
          s.runtime = { ...s.runtime, health };
          changed(pluginId);
        },
      });
    }
  }

  function scheduleRestart(s: SupervisedWorker, pluginId: string, exit: WorkerExit): void {
    const reason = s.runtime.lastError ?? describeExit(exit);
    const decision = s.policy.recordCrash();
    if (decision.action === 'give_up' || !s.spec || s.spec.shouldRestart?.() === false) {
      move(s, 'give_up', { pid: undefined, lastError: reason });
      if (decision.action === 'give_up') {
        log(pluginId, 'error', `Not restarting: ${decision.reason} (${reason})`);
        s.spec?.onGiveUp?.(`${decision.reason}: ${reason}`);
      }
      changed(pluginId, exit);
      return;
    }
    const spec = s.spec;
    move(s, 'back_off', { pid: undefined, lastError: reason, nextRestartAt: Date.now() + decision.delayMs });
    log(pluginId, 'warn', `${reason}; restarting in ${decision.delayMs} ms`);
    changed(pluginId, exit);
    s.restartTimer = setTimeout(() => {
      s.restartTimer = undefined;
      if (spec.shouldRestart?.() === false) {
        move(s, 'cancel_restart', { nextRestartAt: undefined });
        changed(pluginId);
        return;
      }
      s.runtime = { ...s.runtime, restarts: s.runtime.restarts + 1, nextRestartAt: undefined };
      ensureRunning(spec).catch(() => { /* a failed restart is another crash, handled in start() */ });
    }, decision.delayMs);
  }

  async function start(s: SupervisedWorker, spec: WorkerSpec): Promise<WorkerRuntime> {
    const t0 = performance.now();
    const automatic = s.runtime.state === 'backoff';
    s.spec = spec;
    move(s, 'start', { pid: undefined, rpcCalls: 0, p50LatencyMs: undefined, health: undefined });
    s.latencies = createLatencyRing();
    changed(spec.pluginId);
    const heapMb = spec.heapMb ?? heapMbNow();
    const spare = spec.sandboxRoot !== null ? spares?.take(heapMb) : undefined;
    const handle = createWorkerHandle({
      launcher: opts.launcher,
      pluginId: spec.pluginId,
      entry: spec.entry,
      init: spec.init,
      hostApi: spec.hostApi,
      sandboxRoot: spec.sandboxRoot,
      heapMb,
      ...(spare ? { spare } : {}),
      ...(opts.setupBudgetMs ? { setupBudgetMs: opts.setupBudgetMs } : {}),
      ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
      onOutput: (stream, line) => opts.logs.append(spec.pluginId, { level: stream === 'stderr' ? 'warn' : 'info', source: stream, message: line }),
      onMalformed: (reason) => {
        const message = `The worker sent ${reason}; stopping it (the host reads nothing more from it)`;
        log(spec.pluginId, 'error', message);
        s.runtime = { ...s.runtime, lastError: message };
      },
    });
    s.handle = handle;
    startsInFlight++;
    try {
      const ready = await handle.start();
      move(s, 'ready', { pid: handle.pid, ready, activationMs: performance.now() - t0, startedAt: Date.now(), lastError: undefined });
      s.policy.recordStart();
      startWatchers(s, spec.pluginId, handle, ready, spec.keepAlive ?? false);
      changed(spec.pluginId);
      void handle.exited.then((exit) => {
        if (s.handle !== handle) return;
        s.handle = undefined;
        stopWatchers(s);
        if (s.stopping) return;
        log(spec.pluginId, 'error', describeExit(exit));
        scheduleRestart(s, spec.pluginId, exit);
      });
      return s.runtime;
    } catch (error) {
      s.handle = undefined;
      const message = (error as Error).message;
      log(spec.pluginId, 'error', `Activation failed: ${message}`);
      move(s, 'setup_failed', { pid: undefined, lastError: message });
      if (automatic) scheduleRestart(s, spec.pluginId, { code: null, signal: null, outOfMemory: false });
      else changed(spec.pluginId);
      throw error;
    } finally {
      // The next activation finds a spare ready (this one used it, or it was the first). Started
      // once the last of several concurrent starts is done (10 onStartup plugins), not among them.
      if (--startsInFlight === 0 && !stoppingAll) spares?.refill();
    }
  }

  function ensureRunning(spec: WorkerSpec): Promise<WorkerRuntime> {
    const s = entryOf(spec.pluginId);
    if (s.runtime.state === 'running' && s.handle) return Promise.resolve(s.runtime);
    if (s.starting) return s.starting;
    if (s.restartTimer) {
      clearTimeout(s.restartTimer);
      s.restartTimer = undefined;
    }
    const starting = (async () => {
      if (s.stopping) await s.stopping;
      return start(s, spec);
    })().finally(() => { s.starting = undefined; });
    s.starting = starting;
    return starting;
  }

  async function stop(pluginId: string): Promise<void> {
    const s = supervised.get(pluginId);
    if (!s) return;
    if (s.restartTimer) {
      clearTimeout(s.restartTimer);
      s.restartTimer = undefined;
    }
    if (s.starting) await s.starting.catch(() => undefined);
    const handle = s.handle;
    stopWatchers(s);
    if (!handle) {
      // A crashed worker stays crashed (its error shown) until the user re-enables the plugin.
      if (s.runtime.state !== 'crashed') move(s, 'stop', { pid: undefined, nextRestartAt: undefined });
      changed(pluginId);
      return;
    }
    const stopping = handle.stop().finally(() => {
      s.handle = undefined;
      s.stopping = undefined;
      move(s, 'stop', { pid: undefined, nextRestartAt: undefined });
      changed(pluginId);
    });
    s.stopping = stopping;
    await stopping;
  }

  return {
    ensureRunning,
    call<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
      const s = supervised.get(pluginId);
      const handle = s?.handle;
      if (!s || !handle || s.runtime.state !== 'running') {
        return Promise.reject(new PlinthError('NOT_READY', `The worker of "${pluginId}" is not running`));
      }
      const idle = s.idle;
      idle?.hold();
      const t0 = performance.now();
      return handle.call(method, ...args).finally(() => {
        idle?.release();
        idle?.touch();
        s.latencies.record(performance.now() - t0);
        s.runtime.rpcCalls++;
      });
    },
    hold(pluginId) {
      const s = entryOf(pluginId);
      s.holds++;
      s.idle?.hold();
      let released = false;
      return () => {
        if (released) return;
        released = true;
        s.holds--;
        s.idle?.release();
      };
    },
    stop,
    async stopAll() {
      stoppingAll = true;
      try {
        await Promise.all([spares?.drop(), ...[...supervised.keys()].map((id) => stop(id))]);
        await spares?.drop(); // one an activation finishing meanwhile may have started
      } finally {
        stoppingAll = false;
      }
    },
    spareReady: () => spares?.ready() ?? Promise.resolve(undefined),
    resetCrashes(pluginId) {
      const s = entryOf(pluginId);
      s.policy.reset();
      // A crashed worker has no process: after the user re-enables, the next need starts a fresh one.
      s.runtime = { ...s.runtime, restarts: 0 };
      if (s.runtime.state === 'crashed') move(s, 'reset', { lastError: undefined });
    },
    runtime(pluginId) {
      const s = supervised.get(pluginId);
      if (!s) return { state: 'stopped', restarts: 0, rpcCalls: 0 };
      // The median is computed when the property is read (the Running view), not on every call
      // nor on every runtime() of the call path, which only looks at `state`.
      const latencies = s.latencies;
      return Object.defineProperty({ ...s.runtime }, 'p50LatencyMs', { enumerable: true, configurable: true, get: () => latencies.median() });
    },
    state(pluginId) {
      return supervised.get(pluginId)?.runtime.state ?? 'stopped';
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
