/**
 * The browser side of the dev shell's bridge: a {@link BridgeTransport} (preload/bridge.ts)
 * over one WebSocket to `plinth-plugin dev`, in place of Electron's `ipcRenderer`. Calls made
 * before the socket is open wait for it; when it closes, every pending and later call fails
 * with a message saying the dev server is gone.
 */
import type { BridgeTransport } from '../../preload/bridge.ts';
import type { CallMessage, EventMessage, ResultMessage } from './socket-messages.ts';

/** What the transport needs of a WebSocket (the browser's, or Node's global one in tests). */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** `WebSocket.OPEN` and `WebSocket.CLOSING`/`CLOSED`, as numbers (no DOM types here). */
const OPEN = 1;
const CLOSING = 2;

/** The transport, and a promise that settles when the socket has closed. */
export interface SocketTransport extends BridgeTransport {
  /** Resolves once the socket is closed (the dev server stopped, or refused the connection). */
  readonly closed: Promise<void>;
}

/** Builds the transport over `socket` (already created, possibly still connecting). */
export function createSocketTransport(socket: SocketLike): SocketTransport {
  let nextId = 1;
  const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>();
  const waiting: string[] = [];
  let listener: ((event: string, payload: unknown) => void) | undefined;
  let isClosed = socket.readyState >= CLOSING;
  const { promise: closed, resolve: markClosed } = Promise.withResolvers<void>();
  const gone = () => new Error('The connection to plinth-plugin dev is closed: restart it and open the URL it prints');

  socket.addEventListener('open', () => {
    for (const text of waiting.splice(0)) socket.send(text);
  });
  socket.addEventListener('message', (event) => {
    if (typeof event.data !== 'string') return;
    const message = JSON.parse(event.data) as Partial<ResultMessage & EventMessage>;
    if (typeof message.id === 'number') {
      const call = pending.get(message.id);
      pending.delete(message.id);
      call?.resolve(message.result);
    } else if (typeof message.event === 'string') {
      listener?.(message.event, message.payload);
    }
  });
  socket.addEventListener('close', () => {
    isClosed = true;
    waiting.length = 0;
    for (const call of pending.values()) call.reject(gone());
    pending.clear();
    markClosed();
  });
  if (isClosed) markClosed();

  return {
    closed,
    invoke(method, payload) {
      if (isClosed) return Promise.reject(gone());
      const id = nextId++;
      const text = JSON.stringify({ id, method, payload } satisfies CallMessage);
      const { promise, resolve, reject } = Promise.withResolvers<unknown>();
      pending.set(id, { resolve, reject });
      if (socket.readyState === OPEN) socket.send(text);
      else waiting.push(text);
      return promise;
    },
    subscribe(next) {
      listener = next;
    },
  };
}
