/**
 * Worker stream subscriptions of plugin frames: one main subscription per channel and frame,
 * with pushes routed from `stream.event`/`stream.state` to the frame that holds it. The plugin
 * id is bound by the caller (the slot host), never taken from the frame.
 */
import type { FrameMessage } from '../../sdk/protocol/frame.ts';
import type { Json } from '../../sdk/protocol/json.ts';

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
export function createFrameStreams(pluginId: string, post: (message: FrameMessage) => void) {
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

/** One frame's streams. */
export type FrameStreams = ReturnType<typeof createFrameStreams>;
