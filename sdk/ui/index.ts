/**
 * `@plinth/sdk/ui`: the hooks a plugin UI component uses (docs/plugin-api.md §7). All of them talk to
 * the shell over the frame's MessagePort; none takes a plugin id, because the shell binds the
 * plugin to the port.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { HostContext } from '../protocol/frame.ts';
import type { Json } from '../protocol/json.ts';
import { getFrameClient, pluginUiError, type PluginUiError } from './frame-client.ts';

export type { HostContext } from '../protocol/frame.ts';
export type { Json } from '../protocol/json.ts';
export type { PluginUiError } from './frame-client.ts';

/** Most stream events a `usePluginStream` keeps; older ones are dropped to bound memory. */
export const MAX_STREAM_EVENTS = 500;

/** The `context` the component was mounted with; re-renders when the host changes it (e.g. theme). */
export function useHostContext(): HostContext {
  const client = getFrameClient();
  return useSyncExternalStore(client.subscribeContext, client.getContext);
}

/** What {@link usePluginData} returns. `data` keeps its last value while a refresh is loading. */
export interface PluginData<T> {
  data: T | undefined;
  loading: boolean;
  error: PluginUiError | null;
  /** Asks the worker again. */
  refresh(): void;
}

/**
 * Data from the plugin's worker (`ctx.data.register(key, handler)`). Fetches on mount and
 * whenever `key` or the JSON of `params` changes.
 */
export function usePluginData<T = Json>(key: string, params?: Json): PluginData<T> {
  const client = getFrameClient();
  const paramsJson = JSON.stringify(params ?? null);
  const [generation, setGeneration] = useState(0);
  const [state, setState] = useState<{ data: T | undefined; loading: boolean; error: PluginUiError | null }>({
    data: undefined, loading: true, error: null,
  });
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    client.request({ method: 'data', key, params: JSON.parse(paramsJson) as Json }).then(
      (value) => current && setState({ data: value as T, loading: false, error: null }),
      (error: PluginUiError) => current && setState((s) => ({ data: s.data, loading: false, error })),
    );
    return () => {
      current = false;
    };
  }, [client, key, paramsJson, generation]);
  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...state, refresh };
}

/** A function that runs the worker's action `key` (`ctx.actions.register`); rejects with a {@link PluginUiError}. */
export function usePluginAction<R = Json>(key: string): (params?: Json) => Promise<R> {
  const client = getFrameClient();
  return useCallback(
    async (params?: Json) => (await client.request({ method: 'action', key, params: params ?? null })) as R,
    [client, key],
  );
}

/** What {@link usePluginStream} returns. */
export interface PluginStream<T> {
  /** Events received so far, oldest first (at most {@link MAX_STREAM_EVENTS}). */
  events: T[];
  lastEvent: T | undefined;
  connected: boolean;
  error: PluginUiError | null;
  /** Stops listening; the worker's channel is told the viewer left. */
  close(): void;
}

/** Events the worker pushes on `channel` with `ctx.streams.emit`. */
export function usePluginStream<T = Json>(channel: string): PluginStream<T> {
  const client = getFrameClient();
  const [events, setEvents] = useState<T[]>([]);
  const [connected, setConnected] = useState(false);
  const [error, setError] = useState<PluginUiError | null>(null);
  const closed = useRef(false);
  useEffect(() => {
    closed.current = false;
    setEvents([]);
    setError(null);
    const stop = client.listenStream(channel, {
      onEvent: (event) => setEvents((list) => [...list, event as T].slice(-MAX_STREAM_EVENTS)),
      onState: (isConnected, message) => {
        setConnected(isConnected);
        setError(message ? pluginUiError('NOT_READY', message) : null);
      },
    });
    // `connected` follows the channel's state as the host reports it (open or not yet opened by the
    // worker), so a successful subscribe alone does not mean events can flow.
    client.request({ method: 'stream.subscribe', channel }).catch((e: PluginUiError) => {
      setConnected(false);
      setError(e);
    });
    return () => {
      stop();
      if (!closed.current) client.request({ method: 'stream.close', channel }).catch(() => undefined);
    };
  }, [client, channel]);
  const close = useCallback(() => {
    if (closed.current) return;
    closed.current = true;
    setConnected(false);
    client.request({ method: 'stream.close', channel }).catch(() => undefined);
  }, [client, channel]);
  return { events, lastEvent: events.at(-1), connected, error, close };
}

/** Host navigation (docs/plugin-api.md §7). `close` applies to overlays only. */
export interface HostNavigation {
  navigate(to: string): Promise<void>;
  close(): Promise<void>;
}

/** Asks the shell to navigate or to close the overlay this component is in. */
export function useHostNavigation(): HostNavigation {
  const client = getFrameClient();
  return useMemo(
    () => ({
      navigate: async (to: string) => {
        await client.request({ method: 'navigate', to });
      },
      close: async () => {
        await client.request({ method: 'close' });
      },
    }),
    [client],
  );
}
