/** Bounded waits for external facts that have no event to await (STYLE: poll only those). */

/** How often to re-check an external fact (ms). */
const POLL_INTERVAL_MS = 50;

/** True while a process with `pid` exists. */
export { pidAlive as processExists } from '../../support/plugin-folders.ts';

/**
 * Resolves once `check()` is true; rejects with `what` after `timeoutMs`.
 * @param timeoutMs deadline in ms.
 */
export async function waitUntil(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
  }
}
