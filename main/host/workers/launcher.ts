/**
 * The injected transport that starts worker processes (ARCHITECTURE.md "Transports are
 * injected"): Electron's utilityProcess in the app, `child_process.fork` in tests and the
 * CLI. Both give the same semantics: scrubbed env, heap cap, piped output, one raw endpoint.
 */
import { dirname } from 'node:path';
import type { RawEndpoint } from '@plinth/sdk/rpc/endpoint';

/** How to start one worker. */
export interface WorkerSpawnOptions {
  /** The plugin id; exported to the worker as `PLINTH_PLUGIN_ID`. */
  pluginId: string;
  /** Extra environment variables set by the host (added to the scrubbed env of `buildWorkerEnv`). */
  env: Record<string, string>;
  /** Heap cap in MB (`--max-old-space-size`). */
  heapMb: number;
  /** Working directory; default: the folder of the entry ({@link workerCwd}). */
  cwd?: string;
  /**
   * The plugin folder the worker's sandbox confines it to (CONTRACT §5, API 1.1), or `null`
   * for a plugin granted `system.unsandboxed`, which runs as a full Node program.
   */
  sandboxRoot: string | null;
}

/**
 * How to start a spare worker: only what every sandboxed worker shares, since its plugin is not
 * known yet (the plugin's id, entry, folder, working directory and variables come later, in the
 * assignment the worker handle sends).
 */
export interface SpareSpawnOptions {
  /** Host-set environment variables (the process-tree mark); added to the scrubbed env of `buildWorkerEnv`. */
  env: Record<string, string>;
  /** Heap cap in MB; a spare serves only a plugin with the same cap. */
  heapMb: number;
}

/** The working directory of a plugin's worker: `cwd` when given, else the folder of its entry (absolute path). */
export function workerCwd(entry: string, cwd: string | undefined): string {
  return cwd ?? dirname(entry);
}

/** How a worker process ended. */
export interface WorkerExit {
  /** Exit code, or `null` when killed by a signal. */
  code: number | null;
  /** Signal name (e.g. `SIGKILL`), or `null`. Electron reports none. */
  signal: string | null;
  /** True when V8 reported running out of heap (the worker hit its `heapMb` cap). */
  outOfMemory: boolean;
}

/** A running worker process. */
export interface WorkerProcess {
  /** The RPC pipe to the worker; `close()` disconnects it, which makes the worker exit. */
  readonly endpoint: RawEndpoint;
  /** OS process id; `undefined` until the OS has started it (Electron) or if it failed to start. */
  readonly pid: number | undefined;
  /** Subscribes to stdout/stderr, one call per line (without the newline); returns unsubscribe. */
  onOutput(listener: (stream: 'stdout' | 'stderr', line: string) => void): () => void;
  /** Ends the process at once (SIGKILL where the platform has it). Safe to call after exit. */
  kill(): void;
  /** Resolves once, when the process has exited and its output is read. Never rejects. */
  readonly exited: Promise<WorkerExit>;
}

/** Starts worker processes. */
export interface WorkerLauncher {
  /**
   * Starts the worker bootstrap for the plugin entry `entry` (absolute path).
   * Never throws for a failed start: `exited` resolves instead.
   */
  spawn(entry: string, opts: WorkerSpawnOptions): WorkerProcess;
  /**
   * Starts a spare sandboxed worker (the bootstrap with `--plinth-spare`): it hardens itself,
   * sends `{ plinthSpare: 'ready' }` on its endpoint and waits for a `SpareAssignment` (see
   * sdk/worker/bootstrap-path.ts). Optional: without it the host never keeps a spare.
   * Never throws for a failed start: `exited` resolves instead.
   */
  spawnSpare?(opts: SpareSpawnOptions): WorkerProcess;
}

/** stderr lines by which V8 reports a heap exhaustion (`--max-old-space-size` reached). */
export const OUT_OF_MEMORY_MARKERS = ['JavaScript heap out of memory', 'Fatal process out of memory'] as const;

/** True when a stderr line reports V8 running out of heap. */
export function isOutOfMemoryLine(line: string): boolean {
  return OUT_OF_MEMORY_MARKERS.some((marker) => line.includes(marker));
}
