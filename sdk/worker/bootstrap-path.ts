/**
 * Where the worker bootstrap lives and how a launcher tells it the plugin's entry. Shared by
 * the launchers (main process) and the bootstrap itself, so the argument is spelled once.
 */
import { fileURLToPath } from 'node:url';

/** Prefix of the one process argument carrying the absolute path of the plugin's worker entry. */
export const WORKER_ENTRY_ARG = '--plinth-entry=';

/**
 * Prefix of the process argument that puts the worker in the sandbox, carrying the plugin
 * folder (absolute) its modules are confined to. Absent only for a plugin granted
 * `system.unsandboxed` (docs/plugin-api.md §4, API 1.1): the host decides, never the plugin.
 */
export const WORKER_SANDBOX_ARG = '--plinth-sandbox=';

/**
 * The process argument of a spare worker: started before the host knows its plugin (so an
 * activation skips the process start and the sandbox's hardening), it hardens itself, says
 * {@link SpareReady} on its channel and waits for one {@link SpareAssignment}. Spares are
 * sandboxed workers only: the hardening cannot be undone for a `system.unsandboxed` plugin.
 */
export const WORKER_SPARE_ARG = '--plinth-spare';

/** What a spare worker sends once it is hardened and listening. */
export interface SpareReady { plinthSpare: 'ready' }

/** The host's one message to a spare worker: the plugin it now runs, and that plugin's process settings. */
export interface SpareAssignment {
  plinthSpare: 'assign';
  pluginId: string;
  /** Absolute path of the plugin's worker entry. */
  entry: string;
  /** The plugin folder the sandbox confines it to. */
  sandboxRoot: string;
  /** Working directory the worker changes to. */
  cwd: string;
  /** Host-set environment variables added to the worker's environment. */
  env: Record<string, string>;
}

/** True for a {@link SpareReady} message. */
export function isSpareReady(message: unknown): message is SpareReady {
  return (message as { plinthSpare?: unknown } | null)?.plinthSpare === 'ready';
}

/** True for a well-formed {@link SpareAssignment}. */
export function isSpareAssignment(message: unknown): message is SpareAssignment {
  const m = message as Partial<SpareAssignment> | null;
  return m?.plinthSpare === 'assign' && typeof m.pluginId === 'string' && typeof m.entry === 'string'
    && typeof m.sandboxRoot === 'string' && typeof m.cwd === 'string' && typeof m.env === 'object' && m.env !== null;
}

/**
 * The bootstrap's arguments for one worker: its entry, and its sandbox root unless `sandboxRoot`
 * is `null` (an unsandboxed plugin).
 */
export function workerArgs(entry: string, sandboxRoot: string | null): string[] {
  return [`${WORKER_ENTRY_ARG}${entry}`, ...(sandboxRoot === null ? [] : [`${WORKER_SANDBOX_ARG}${sandboxRoot}`])];
}

/** The sandbox root from the process arguments, or `undefined` for an unsandboxed worker. */
export function sandboxRootFromArgv(argv: readonly string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith(WORKER_SANDBOX_ARG));
  return arg?.slice(WORKER_SANDBOX_ARG.length) || undefined;
}

/**
 * Absolute path of the bundled worker runtime, `dist/worker-runtime.mjs` in the SDK folder this
 * module belongs to: `sdk/dist/` from the sources, `out/sdk/dist/` in the built app. Made by
 * `node scripts/build-worker.ts` (part of `npm run build`, `npm install` and `npm run test:unit`).
 */
export function defaultBootstrapPath(): string {
  return fileURLToPath(new URL('../dist/worker-runtime.mjs', import.meta.url));
}

/** The worker entry path from the process arguments, or `undefined` when absent. */
export function entryFromArgv(argv: readonly string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith(WORKER_ENTRY_ARG));
  return arg?.slice(WORKER_ENTRY_ARG.length) || undefined;
}
