/**
 * The raw message endpoint every transport adapts to (ARCHITECTURE.md "Transports are
 * injected"): Node's IPC channel, Electron's `MessagePortMain`, or an in-memory pair.
 * The RPC layer only ever sends JSON text through it, so all transports carry the same values.
 */

/**
 * What a transport delivers instead of a message when the peer's bytes cannot be framed (not
 * UTF-8, not JSON, a line over the size limit): the RPC layer ends the connection's peer
 * (`connectRpc`'s `onMalformed`) instead of guessing.
 */
export class MalformedMessage {
  /** What was wrong, in plain words (for the log line). */
  readonly reason: string;
  constructor(reason: string) {
    this.reason = reason;
  }
}

/** A bidirectional message pipe to one peer. */
export interface RawEndpoint {
  /** Sends one message; silently dropped once the endpoint is closed. */
  postMessage(message: unknown): void;
  /** Subscribes to incoming messages; returns the unsubscribe function. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Closes the pipe (the peer sees its transport disconnect). Optional for transports that cannot. */
  close?(): void;
  /**
   * True when `postMessage(value)` writes `value` as one JSON text itself (the worker's end of
   * Node's IPC channel): the RPC layer then posts envelope objects, not their JSON text, so no
   * JSON string travels inside a JSON message. Default: the RPC layer posts text.
   */
  readonly postsJson?: boolean;
  /**
   * True when every message delivered is a value parsed from JSON text on its way here: the
   * host's reader of a Node worker's IPC pipe (which parses each line under a size limit) and
   * the worker's end of Node's IPC channel (Node parses what the host wrote). The RPC layer then
   * takes an envelope object as it is, without a second parse. Default: only JSON text is
   * accepted from the peer (a structured clone, as a MessagePort delivers, could carry more than JSON).
   */
  readonly parsesJson?: boolean;
}

/**
 * Two connected in-memory endpoints, for tests and in-process workers. Delivery is
 * asynchronous (a macrotask later), like a real process hop; messages are passed as-is,
 * the RPC layer already encodes them as JSON text.
 */
export function createMemoryEndpointPair(): [RawEndpoint, RawEndpoint] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  let closed = false;
  const end = (self: 0 | 1): RawEndpoint => ({
    postMessage(message) {
      if (closed) return;
      const peer = listeners[self === 0 ? 1 : 0];
      setImmediate(() => {
        if (closed) return;
        for (const listener of peer) listener(message);
      });
    },
    onMessage(listener) {
      listeners[self].add(listener);
      return () => listeners[self].delete(listener);
    },
    close() {
      closed = true;
    },
  });
  return [end(0), end(1)];
}
