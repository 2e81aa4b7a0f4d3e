/**
 * `<SlotHost>` mounts one plugin component in a sandboxed iframe (opaque origin, no network)
 * and serves its requests. The plugin id is bound here from the contribution the host listed,
 * never read from the frame's messages, so a plugin UI can only reach its own worker and its
 * own worker's streams. After a hot reload of the plugin (`plugins.changed` with `reload`) the
 * frame is mounted afresh, so it loads the new code.
 */
import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import type { SlotContribution } from '../../preload/api.ts';
import type { FrameInit, FrameMessage, FramePortMessage, FrameRequest, HostContext } from '../../sdk/protocol/frame.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import { parseFrameMessage } from './frame-messages.ts';

/** Height of a frame before it reports its content (px). */
const INITIAL_FRAME_HEIGHT = 64;
/** Tallest a frame may grow (px), so a runaway layout cannot push the dashboard off screen forever. */
const MAX_FRAME_HEIGHT = 2000;
/** Requests a frame may have in flight; more are refused so one widget cannot flood the host. */
const MAX_IN_FLIGHT_REQUESTS = 32;
/** The frame document, served by the app protocol with its own CSP. */
const FRAME_DOCUMENT = '/frame.html';
/** Stream channels one frame may have open; more are refused so a frame cannot pile up subscriptions in main. */
const MAX_FRAME_STREAMS = 16;
/**
 * Stream pushes kept for a subscription whose id this window has not learnt yet (main may push
 * before `streams.subscribe` answers); the oldest are dropped past this, as the host's queues do.
 */
const MAX_EARLY_STREAM_MESSAGES = 100;

type StreamMessage = { type: 'stream'; event: Json } | { type: 'stream.state'; connected: boolean; error?: string };

/**
 * Routes `stream.event`/`stream.state` notifications of this window to the frame that holds the
 * subscription. Main sends a window only its own subscriptions' pushes.
 */
const streamRouter = (() => {
  const routes = new Map<string, (message: StreamMessage) => void>();
  const early = new Map<string, StreamMessage[]>();
  let listening = false;
  const deliver = (subscriptionId: string, message: StreamMessage) => {
    const route = routes.get(subscriptionId);
    if (route) return route(message);
    const queue = early.get(subscriptionId) ?? [];
    queue.push(message);
    if (queue.length > MAX_EARLY_STREAM_MESSAGES) queue.shift();
    early.set(subscriptionId, queue);
  };
  return {
    attach(subscriptionId: string, route: (message: StreamMessage) => void) {
      if (!listening) {
        listening = true;
        window.plinth.on('stream.event', (p) => deliver(p.subscriptionId, { type: 'stream', event: p.event }));
        window.plinth.on('stream.state', (p) => deliver(p.subscriptionId, { type: 'stream.state', connected: p.connected, ...(p.error ? { error: p.error } : {}) }));
      }
      routes.set(subscriptionId, route);
      for (const message of early.get(subscriptionId) ?? []) route(message);
      early.delete(subscriptionId);
    },
    detach(subscriptionId: string) {
      routes.delete(subscriptionId);
      early.delete(subscriptionId);
    },
  };
})();

/** One frame's stream channels: one main subscription per channel, however often the frame subscribes. */
function createFrameStreams(pluginId: string, post: (message: FrameMessage) => void) {
  const channels = new Map<string, { refs: number; subscription: Promise<string> }>();
  let closed = false;
  const release = (subscription: Promise<string>) => {
    subscription.then((id) => {
      streamRouter.detach(id);
      return window.plinth.unsubscribeStream(id);
    }).catch(() => undefined); // already gone (window reloaded, plugin stopped): nothing to release
  };
  return {
    async subscribe(channel: string): Promise<Json> {
      const open = channels.get(channel);
      if (open) {
        open.refs++;
        await open.subscription;
        return null;
      }
      if (channels.size >= MAX_FRAME_STREAMS) {
        throw Object.assign(new Error(`A plugin frame may have at most ${MAX_FRAME_STREAMS} stream channels open`), { code: 'CONFLICT' });
      }
      const subscription = window.plinth.subscribeStream(pluginId, channel).then(({ subscriptionId }) => {
        if (closed) {
          void window.plinth.unsubscribeStream(subscriptionId).catch(() => undefined);
        } else {
          streamRouter.attach(subscriptionId, (message) => post(message.type === 'stream'
            ? { type: 'stream', channel, event: message.event }
            : { type: 'stream.state', channel, connected: message.connected, ...(message.error ? { error: message.error } : {}) }));
        }
        return subscriptionId;
      });
      channels.set(channel, { refs: 1, subscription });
      try {
        await subscription;
      } catch (error) {
        channels.delete(channel);
        throw error;
      }
      return null;
    },
    close(channel: string): Json {
      const open = channels.get(channel);
      if (open && --open.refs <= 0) {
        channels.delete(channel);
        release(open.subscription);
      }
      return null;
    },
    closeAll(): void {
      closed = true;
      for (const open of channels.values()) release(open.subscription);
      channels.clear();
    },
  };
}

/** Where a frame is: loading, showing the plugin, or showing an error box. */
export type SlotState = 'loading' | 'ready' | 'error';

/** Props of {@link SlotHost}. */
export interface SlotHostProps {
  contribution: SlotContribution;
  theme: 'light' | 'dark';
}

/** The module URL as a path on the shell's own origin: plugin code is only ever served by the app protocol. */
function frameModuleUrl(moduleUrl: string): string {
  const url = new URL(moduleUrl, window.location.href);
  return url.pathname + url.search;
}

function errorOf(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** Answers one frame request; the plugin id comes from the contribution, bound by the caller. */
async function serve(pluginId: string, request: FrameRequest, streams: ReturnType<typeof createFrameStreams>): Promise<Json> {
  switch (request.method) {
    case 'data':
      return window.plinth.pluginData(pluginId, request.key, request.params);
    case 'action':
      return window.plinth.pluginAction(pluginId, request.key, request.params);
    case 'stream.subscribe':
      return streams.subscribe(request.channel);
    case 'stream.close':
      return streams.close(request.channel);
    case 'navigate':
      throw Object.assign(new Error('Navigation is not available in this view yet'), { code: 'NOT_READY' });
    case 'close':
      throw Object.assign(new Error('close() applies to overlays only; this component is not in an overlay'), { code: 'INVALID_INPUT' });
  }
}

/** Counts hot reloads of `pluginId` (`plugins.changed` with `reload: true`). */
function useReloadGeneration(pluginId: string): number {
  const [generation, setGeneration] = useState(0);
  useEffect(() => window.plinth.on('plugins.changed', (event) => {
    if (event.reload && (event.pluginId === undefined || event.pluginId === pluginId)) setGeneration((g) => g + 1);
  }), [pluginId]);
  return generation;
}

/** A plugin component in its sandboxed frame, sized to its content; remounted after a hot reload of its plugin. */
export function SlotHost(props: SlotHostProps): ReactNode {
  const generation = useReloadGeneration(props.contribution.pluginId);
  return <SlotFrame key={generation} {...props} generation={generation} />;
}

function SlotFrame(props: SlotHostProps & { generation: number }): ReactNode {
  const { contribution, theme } = props;
  const [height, setHeight] = useState(INITIAL_FRAME_HEIGHT);
  const [state, setState] = useState<SlotState>('loading');
  const frameRef = useRef<HTMLIFrameElement>(null);
  const portRef = useRef<MessagePort | null>(null);
  const streamsRef = useRef<ReturnType<typeof createFrameStreams> | null>(null);
  const contextRef = useRef<HostContext | null>(null);

  const context: HostContext = {
    pluginId: contribution.pluginId,
    slotType: contribution.slot.type,
    slotId: contribution.slot.id,
    theme,
  };
  contextRef.current = context;

  const connect = useCallback(() => {
    const target = frameRef.current?.contentWindow;
    if (!target || !contextRef.current) return;
    portRef.current?.close();
    streamsRef.current?.closeAll();
    const pluginId = contribution.pluginId;
    const channel = new MessageChannel();
    const port = channel.port1;
    portRef.current = port;
    let inFlight = 0;
    const reply = (message: FrameMessage) => {
      if (portRef.current === port) port.postMessage(message);
    };
    const streams = createFrameStreams(pluginId, reply);
    streamsRef.current = streams;
    port.onmessage = (event: MessageEvent<unknown>) => {
      const inbound = parseFrameMessage(event.data);
      if (!inbound) return;
      if (inbound.kind === 'notice') {
        const notice = inbound.notice;
        if (notice.type === 'resize') setHeight(Math.min(Math.max(Math.ceil(notice.height), 1), MAX_FRAME_HEIGHT));
        else setState(notice.type === 'rendered' ? 'ready' : 'error');
        return;
      }
      const request = inbound.request;
      if (inFlight >= MAX_IN_FLIGHT_REQUESTS) {
        reply({ type: 'response', id: request.id, ok: false, error: { code: 'NOT_READY', message: `More than ${MAX_IN_FLIGHT_REQUESTS} requests in flight` } });
        return;
      }
      inFlight++;
      serve(pluginId, request, streams).then(
        (value) => reply({ type: 'response', id: request.id, ok: true, value }),
        (error: unknown) => reply({ type: 'response', id: request.id, ok: false, error: errorOf(error) }),
      ).finally(() => {
        inFlight--;
      });
    };
    const init: FrameInit = { context: contextRef.current, moduleUrl: frameModuleUrl(contribution.moduleUrl), exportName: contribution.slot.exportName };
    const message: FramePortMessage = { type: 'plinth:port', init };
    // The frame's origin is opaque, so '*' is the only target origin that reaches it.
    target.postMessage(message, '*', [channel.port2]);
  }, [contribution.pluginId, contribution.moduleUrl, contribution.slot.exportName]);

  useEffect(() => () => {
    portRef.current?.close();
    portRef.current = null;
    streamsRef.current?.closeAll();
    streamsRef.current = null;
  }, []);

  useEffect(() => {
    if (portRef.current && contextRef.current) portRef.current.postMessage({ type: 'context', context: contextRef.current } satisfies FrameMessage);
  }, [theme]);

  return (
    <iframe
      ref={frameRef}
      className="slot-frame"
      title={`${contribution.slot.displayName} — ${contribution.pluginDisplayName}`}
      src={FRAME_DOCUMENT}
      sandbox="allow-scripts"
      referrerPolicy="no-referrer"
      onLoad={connect}
      style={{ height }}
      data-testid="slot-frame"
      data-plugin-id={contribution.pluginId}
      data-slot-id={contribution.slot.id}
      data-state={state}
      data-generation={props.generation}
    />
  );
}
