/**
 * The host end of a Node worker's IPC channel, read by the host itself instead of Node's
 * `child_process` IPC. The worker keeps Node's own channel (`process.send`, JSON serialisation:
 * one `JSON.stringify(message)` + `\n` per message); the host reads the same bytes from a plain
 * pipe. Node's parser throws an uncaught exception in the PARENT for one non-JSON line, which
 * would take the whole app down; here a line that is not UTF-8, not JSON or over the size limit
 * becomes one {@link MalformedMessage} and reading stops (the host then ends that worker).
 */
import type { Duplex } from 'node:stream';
import { MalformedMessage, type RawEndpoint } from '@plinth/sdk/rpc/endpoint';
import { formatMiB } from '@plinth/sdk/rpc/wire';
import { MAX_MESSAGE_BYTES } from '@plinth/sdk/protocol/rpc';

/**
 * Longest line accepted (bytes). The worker runtime sends each envelope as an object, which
 * Node writes as the same JSON text the RPC layer measured against `MAX_MESSAGE_BYTES`; the
 * margin is for Node's own framing. A longer line is malformed: the worker is ended.
 */
export const MAX_IPC_LINE_BYTES = MAX_MESSAGE_BYTES + 1_024;

const NEWLINE = 0x0a;

/** Node's own channel messages (`{ cmd: 'NODE_HANDLE_ACK' … }`), which carry no RPC. */
function isNodeInternal(value: unknown): boolean {
  const cmd = (value as { cmd?: unknown } | null)?.cmd;
  return typeof cmd === 'string' && cmd.startsWith('NODE_');
}

/**
 * Wraps the parent's end of the pipe the worker uses as its IPC channel (`NODE_CHANNEL_FD`).
 * @param pipe the child's `stdio[3]`.
 * @param maxLineBytes the size limit of one line; default {@link MAX_IPC_LINE_BYTES}.
 */
export function createIpcLinesEndpoint(pipe: Duplex, maxLineBytes = MAX_IPC_LINE_BYTES): RawEndpoint {
  const listeners = new Set<(message: unknown) => void>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let chunks: Buffer[] = [];
  let buffered = 0;
  let broken = false;

  const deliver = (message: unknown) => { for (const listener of listeners) listener(message); };
  const fail = (reason: string) => {
    broken = true;
    chunks = [];
    buffered = 0;
    deliver(new MalformedMessage(reason));
  };

  function onLine(bytes: Buffer): void {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return fail('bytes that are not UTF-8 text on the IPC channel');
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return fail(`a line that is not JSON on the IPC channel (${JSON.stringify(text.slice(0, 40))}…)`);
    }
    if (!isNodeInternal(value)) deliver(value);
  }

  pipe.on('data', (chunk: Buffer) => {
    let start = 0;
    while (!broken) {
      const end = chunk.indexOf(NEWLINE, start);
      if (end === -1) break;
      const piece = chunk.subarray(start, end);
      const line = chunks.length === 0 ? piece : Buffer.concat([...chunks, piece]);
      chunks = [];
      buffered = 0;
      start = end + 1;
      if (line.length > maxLineBytes) fail(`a message of ${formatMiB(line.length)}, over the ${formatMiB(maxLineBytes)} limit`);
      else onLine(line);
    }
    if (broken || start >= chunk.length) return;
    const rest = chunk.subarray(start);
    buffered += rest.length;
    if (buffered > maxLineBytes) return fail(`a message over the ${formatMiB(maxLineBytes)} limit`);
    chunks.push(rest);
  });
  // A write to a worker that just died: its exit is reported by the launcher, not as an error here.
  pipe.on('error', () => undefined);

  return {
    // Each line is parsed here, under the size limit: an envelope object the worker sent is taken as it is.
    parsesJson: true,
    postMessage(message) {
      if (!pipe.writable || pipe.writableEnded) return;
      // RPC envelopes are JSON text already (one line: JSON.stringify never emits a raw newline):
      // written as the line itself, the worker's Node parses the envelope once, not a string of it.
      pipe.write(typeof message === 'string' ? `${message}\n` : `${JSON.stringify(message)}\n`);
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      // Ending our side is what Node's `disconnect()` does: the worker sees 'disconnect' and exits.
      pipe.end();
    },
  };
}
