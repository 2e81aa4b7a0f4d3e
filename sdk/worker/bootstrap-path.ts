/**
 * Where the worker bootstrap lives and how a launcher tells it the plugin's entry. Shared by
 * the launchers (main process) and the bootstrap itself, so the argument is spelled once.
 */
import { fileURLToPath } from 'node:url';

/** Prefix of the one process argument carrying the absolute path of the plugin's worker entry. */
export const WORKER_ENTRY_ARG = '--plinth-entry=';

/**
 * Absolute path of `sdk/worker/bootstrap`, next to this module, with this module's own
 * extension: `.ts` when running from sources (Node type stripping), `.js` from a `tsc` emit.
 */
export function defaultBootstrapPath(): string {
  const own = new URL(import.meta.url).pathname;
  const ext = own.slice(own.lastIndexOf('.'));
  return fileURLToPath(new URL(`./bootstrap${ext}`, import.meta.url));
}

/** The worker entry path from the process arguments, or `undefined` when absent. */
export function entryFromArgv(argv: readonly string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith(WORKER_ENTRY_ARG));
  return arg?.slice(WORKER_ENTRY_ARG.length) || undefined;
}
