/**
 * The plugin frame's end of the shell ⇄ frame protocol (sdk/protocol/frame.ts). The frame
 * bootstrap installs one client per frame from the `plinth:port` message; the hooks of
 * `@plinth/sdk/ui` find it through a global symbol, so a plugin that bundled its own copy of
 * this module still talks to the same port (docs/plugin-api.md §1).
 */
import type { FrameInit, FrameMessage, FrameNotice, FrameRequest, HostContext } from '../protocol/frame.ts';
import type { Json } from '../protocol/json.ts';

/** An error answered by the shell or host; `code` is one of sdk/protocol/errors.ts. */
export interface PluginUiError extends Error { code: string }

/** A request without its id (the client numbers them). */
export type FrameCall = FrameRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/** Listener of one stream channel. */
export interface StreamListener {
  onEvent(event: Json): void;
  onState(connected: boolean, error?: string): void;
}

/** What the hooks use. */
export interface FrameClient {
  readonly init: FrameInit;
  /** Current host context; replaced when the shell sends a new one (e.g. a theme change). */
  getContext(): HostContext;
  subscribeContext(listener: () => void): () => void;
  /** Sends a request; resolves with the shell's value or rejects with a {@link PluginUiError}. */
  request(call: FrameCall): Promise<Json>;
  /** Listens to pushes of one stream channel; returns the unsubscribe function. */
  listenStream(channel: string, listener: StreamListener): () => void;
  notify(notice: FrameNotice): void;
}

const CLIENT_KEY = Symbol.for('plinth.frame.client');
type Holder = { [CLIENT_KEY]?: FrameClient };

/** Builds an error with a code. */
export function pluginUiError(code: string, message: string): PluginUiError {
  const error = new Error(message) as PluginUiError;
  error.code = code;
  return error;
}

/** Creates the frame client on `port` and makes it the one {@link getFrameClient} returns. */
export function installFrameClient(port: MessagePort, init: FrameInit): FrameClient {
  let context = init.context;
  let nextId = 1;
  const pending = new Map<number, { resolve(value: Json): void; reject(error: Error): void }>();
  const contextListeners = new Set<() => void>();
  const streams = new Map<string, Set<StreamListener>>();

  port.onmessage = (event: MessageEvent<FrameMessage>) => {
    const message = event.data;
    if (typeof message !== 'object' || message === null) return;
    if (message.type === 'response') {
      const entry = pending.get(message.id);
      if (!entry) return;
      pending.delete(message.id);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(pluginUiError(String(message.error?.code ?? 'INTERNAL'), String(message.error?.message ?? 'Unknown error')));
    } else if (message.type === 'ping') {
      // Answered from the frame's event loop: a plugin that blocks it stops answering, and the shell replaces the frame.
      port.postMessage({ type: 'pong', seq: message.seq } satisfies FrameNotice);
    } else if (message.type === 'context') {
      context = message.context;
      for (const listener of [...contextListeners]) listener();
    } else if (message.type === 'stream') {
      for (const listener of [...(streams.get(message.channel) ?? [])]) listener.onEvent(message.event);
    } else if (message.type === 'stream.state') {
      for (const listener of [...(streams.get(message.channel) ?? [])]) listener.onState(message.connected, message.error);
    }
  };

  const client: FrameClient = {
    init,
    getContext: () => context,
    subscribeContext(listener) {
      contextListeners.add(listener);
      return () => contextListeners.delete(listener);
    },
    request(call) {
      const id = nextId++;
      return new Promise<Json>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ ...call, id });
      });
    },
    listenStream(channel, listener) {
      let set = streams.get(channel);
      if (!set) streams.set(channel, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    notify(notice) {
      port.postMessage(notice);
    },
  };
  (globalThis as Holder)[CLIENT_KEY] = client;
  return client;
}

/**
 * The frame's client.
 * @throws Error when called outside a Plinth plugin frame (e.g. in a unit test without the SDK test harness).
 */
export function getFrameClient(): FrameClient {
  const client = (globalThis as Holder)[CLIENT_KEY];
  if (!client) throw new Error('@plinth/sdk/ui hooks work only inside a Plinth plugin frame');
  return client;
}
