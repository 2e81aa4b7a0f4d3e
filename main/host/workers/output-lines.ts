/**
 * Reading a worker's stdout/stderr line by line, shared by both launchers.
 */
import { createInterface } from 'node:readline';
import { isOutOfMemoryLine } from './launcher.ts';

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

/** The output of one worker process as both launchers expose it. */
export interface WorkerOutput {
  /** `WorkerProcess.onOutput`. */
  onOutput(listener: (stream: 'stdout' | 'stderr', line: string) => void): () => void;
  /** Passes a line to the listeners as if the process had printed it (e.g. a spawn failure). */
  emit(stream: 'stdout' | 'stderr', line: string): void;
  /** True once stderr carried V8's out-of-memory report, or `markOutOfMemory` was called. */
  readonly outOfMemory: boolean;
  markOutOfMemory(): void;
  /** Resolves when both pipes have closed, at most {@link OUTPUT_DRAIN_MS} after `drain()` is called. */
  drain(): Promise<void>;
}

/** Reads a worker's stdout and stderr into line listeners and watches stderr for heap exhaustion. */
export function watchWorkerOutput(stdout: NodeJS.ReadableStream | null | undefined, stderr: NodeJS.ReadableStream | null | undefined): WorkerOutput {
  const listeners = new Set<(stream: 'stdout' | 'stderr', line: string) => void>();
  let outOfMemory = false;
  const emit = (stream: 'stdout' | 'stderr', line: string) => {
    if (stream === 'stderr' && isOutOfMemoryLine(line)) outOfMemory = true;
    for (const listener of listeners) listener(stream, line);
  };
  const drained = Promise.all([readLines(stdout, (l) => emit('stdout', l)), readLines(stderr, (l) => emit('stderr', l))]);
  return {
    onOutput(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit,
    get outOfMemory() {
      return outOfMemory;
    },
    markOutOfMemory() {
      outOfMemory = true;
    },
    drain: () => waitForOutput(drained),
  };
}
