/**
 * Reading a worker's stdout/stderr line by line, shared by both launchers.
 */
import { createInterface } from 'node:readline';

/**
 * After the process exits, its stdout/stderr may still hold lines (the OOM report among
 * them). Wait this long for the pipes to close; a grandchild holding them open must not
 * delay the exit forever.
 */
export const OUTPUT_DRAIN_MS = 1_000;

/** Calls `onLine` for each line of `stream` (without the newline); resolves when it ends. */
export function readLines(stream: NodeJS.ReadableStream | null | undefined, onLine: (line: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  return new Promise((resolve) => lines.once('close', () => resolve()));
}

/** Waits for `drained`, at most {@link OUTPUT_DRAIN_MS}. */
export async function waitForOutput(drained: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([drained, new Promise((resolve) => (timer = setTimeout(resolve, OUTPUT_DRAIN_MS)))]);
  clearTimeout(timer);
}
