/**
 * The handshake between the worker bootstrap and ANY copy of `@plinth/sdk` a plugin uses
 * (the host-provided one, or one bundled into the plugin, docs/plugin-api.md §1). The bootstrap puts a
 * {@link WorkerRuntimeGlobal} on `globalThis` under {@link WORKER_RUNTIME_KEY} before it
 * loads the plugin's entry; `runWorker` in every SDK copy looks it up there. Its shape is
 * part of the protocol: it may only grow while `PROTOCOL_VERSION` keeps its major.
 */

/** The global key (a registered symbol, so every SDK copy computes the same one). */
export const WORKER_RUNTIME_KEY: unique symbol = Symbol.for('plinth.worker.runtime') as never;

/** What the bootstrap publishes for `runWorker`. */
export interface WorkerRuntimeGlobal {
  /** Protocol major the bootstrap speaks. */
  readonly protocolVersion: number;
  /** True when `moduleUrl` (an `import.meta.url`) is the worker entry being loaded. */
  isEntry(moduleUrl: string): boolean;
  /**
   * Registers the entry module's plugin definition. `protocolVersion` is the calling SDK
   * copy's; a different major makes `init` fail with a message naming both.
   */
  register(definition: unknown, protocolVersion: number): void;
}

/** The runtime published by the bootstrap, or `undefined` outside a worker. */
export function getWorkerRuntime(): WorkerRuntimeGlobal | undefined {
  const runtime = (globalThis as { [WORKER_RUNTIME_KEY]?: unknown })[WORKER_RUNTIME_KEY];
  if (typeof runtime !== 'object' || runtime === null) return undefined;
  const r = runtime as Partial<WorkerRuntimeGlobal>;
  return typeof r.isEntry === 'function' && typeof r.register === 'function' ? (r as WorkerRuntimeGlobal) : undefined;
}

/** Publishes `runtime` (read-only, so plugin code cannot swap it by accident). */
export function setWorkerRuntime(runtime: WorkerRuntimeGlobal): void {
  Object.defineProperty(globalThis, WORKER_RUNTIME_KEY, { value: Object.freeze(runtime), configurable: false, writable: false });
}
