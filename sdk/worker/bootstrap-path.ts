/**
 * Where the worker bootstrap lives and how a launcher tells it the plugin's entry. Shared by
 * the launchers (main process) and the bootstrap itself, so the argument is spelled once.
 */
import { fileURLToPath } from 'node:url';

/** Prefix of the one process argument carrying the absolute path of the plugin's worker entry. */
export const WORKER_ENTRY_ARG = '--plinth-entry=';

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
