/**
 * Plugin streams (`ctx.streams` → `usePluginStream`, CONTRACT §5, §7): a worker opens a named
 * channel and emits JSON events; the host pushes them to the subscribers of the SAME plugin
 * id only, i.e. that plugin's own iframes (the shell binds the plugin id to each frame's
 * port, so a frame never names another plugin). Each subscriber has a bounded buffer: a slow
 * frame loses its oldest events (counted and reported through `state`) instead of growing
 * the host's memory.
 */
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json } from '@plinth/sdk/protocol/json';

/** Events buffered per subscriber while its previous push is pending; beyond it the oldest are dropped (a burst, not a backlog). */
export const DEFAULT_STREAM_QUEUE_LIMIT = 256;
/** Largest event, as serialised JSON (bytes): streams carry updates, not documents (256 KB). */
export const MAX_STREAM_EVENT_BYTES = 256 * 1024;
/** Longest channel name (characters). */
export const MAX_CHANNEL_LENGTH = 128;
/** Channel names: a letter or digit, then letters, digits and `. _ : -`. */
const CHANNEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/;

/**
 * Where a subscriber's events go (the shell's side of one frame's `usePluginStream`).
 * `push` may return a promise: until it settles, later events wait in the subscriber's
 * bounded buffer. A push that throws or rejects ends that subscription.
 */
export interface StreamListener {
  push(event: Json): void | Promise<void>;
  /** Connection state: `connected` while the channel is open; `error` tells why it is not, or how many events were dropped. */
  state(connected: boolean, error?: string): void;
}

/** The stream service, shared by all plugins. */
export interface StreamService {
  /** Opens a channel of a plugin (idempotent); its subscribers get `state(true)`. @throws `INVALID_INPUT` for a bad name. */
  open(pluginId: string, channel: string): void;
  /**
   * Sends an event to the channel's current subscribers.
   * @throws PlinthError `NOT_FOUND` when the channel is not open; `INVALID_INPUT` for a bad
   *   name or a non-JSON event; `PAYLOAD_TOO_LARGE` over {@link MAX_STREAM_EVENT_BYTES}.
   */
  emit(pluginId: string, channel: string, event: Json): void;
  /** Closes a channel (no-op when not open); subscribers stay subscribed and get `state(false)`. */
  close(pluginId: string, channel: string): void;
  /** Closes every channel of a plugin, e.g. when its worker stops; `reason` goes to subscribers. */
  closeAll(pluginId: string, reason?: string): void;
  /**
   * Subscribes to a channel, open or not yet open (a frame usually mounts before the worker
   * opens it). The listener gets `state(isOpen)` at once. Returns the unsubscribe function.
   * @throws PlinthError `INVALID_INPUT` for a bad channel name.
   */
  subscribe(pluginId: string, channel: string, listener: StreamListener): () => void;
  /** True while the plugin has an open channel: the worker is then not idle (CONTRACT §6). */
  hasOpenStreams(pluginId: string): boolean;
}

interface Subscriber {
  listener: StreamListener;
  queue: Json[];
  pushing: boolean;
  dropped: number;
  reportedDropped: number;
  /** True from a drop until the buffer drains: one report at the start of a burst, one at its end. */
  inBurst: boolean;
  active: boolean;
}
interface Channel { open: boolean; subscribers: Set<Subscriber> }

function checkChannel(channel: string): void {
  if (typeof channel !== 'string' || channel.length > MAX_CHANNEL_LENGTH || !CHANNEL_PATTERN.test(channel)) {
    throw new PlinthError('INVALID_INPUT',
      `Invalid stream channel ${JSON.stringify(channel)}: use 1-${MAX_CHANNEL_LENGTH} letters, digits or . _ : - starting with a letter or digit`);
  }
}

function eventBytes(event: Json): number {
  let text: string | undefined;
  try {
    text = JSON.stringify(event);
  } catch (error) {
    throw new PlinthError('INVALID_INPUT', `A stream event must be JSON: ${(error as Error).message}`);
  }
  if (text === undefined) throw new PlinthError('INVALID_INPUT', 'A stream event must be a JSON value');
  return Buffer.byteLength(text, 'utf8');
}

/** Creates the stream service. `queueLimit` is the per-subscriber buffer (events). */
export function createStreamService(options: { queueLimit?: number } = {}): StreamService {
  const queueLimit = options.queueLimit ?? DEFAULT_STREAM_QUEUE_LIMIT;
  if (!Number.isInteger(queueLimit) || queueLimit < 1) throw new PlinthError('INVALID_INPUT', 'queueLimit must be a positive integer');
  const plugins = new Map<string, Map<string, Channel>>();

  function channelOf(pluginId: string, channel: string, create: boolean): Channel | undefined {
    let channels = plugins.get(pluginId);
    if (!channels) {
      if (!create) return undefined;
      channels = new Map();
      plugins.set(pluginId, channels);
    }
    let entry = channels.get(channel);
    if (!entry && create) {
      entry = { open: false, subscribers: new Set() };
      channels.set(channel, entry);
    }
    return entry;
  }

  /** Forgets a channel nobody uses, so closed channels of long-gone frames cost nothing. */
  function collect(pluginId: string, channel: string): void {
    const channels = plugins.get(pluginId);
    const entry = channels?.get(channel);
    if (!channels || !entry || entry.open || entry.subscribers.size > 0) return;
    channels.delete(channel);
    if (channels.size === 0) plugins.delete(pluginId);
  }

  function safeState(subscriber: Subscriber, connected: boolean, error?: string): void {
    try {
      subscriber.listener.state(connected, error);
    } catch {
      subscriber.active = false;
    }
  }

  function reportDrops(subscriber: Subscriber, open: boolean): void {
    if (subscriber.dropped === subscriber.reportedDropped) return;
    subscriber.reportedDropped = subscriber.dropped;
    safeState(subscriber, open, `${subscriber.dropped} stream events dropped in total: this view could not keep up`);
  }

  function deliver(pluginId: string, channel: string, entry: Channel, subscriber: Subscriber): void {
    while (subscriber.active && !subscriber.pushing && subscriber.queue.length > 0) {
      const event = subscriber.queue.shift() as Json;
      let result: void | Promise<void>;
      try {
        result = subscriber.listener.push(event);
      } catch {
        end(pluginId, channel, entry, subscriber);
        return;
      }
      if (result && typeof (result as Promise<void>).then === 'function') {
        subscriber.pushing = true;
        (result as Promise<void>).then(() => {
          subscriber.pushing = false;
          if (subscriber.queue.length === 0 && subscriber.inBurst) {
            subscriber.inBurst = false;
            reportDrops(subscriber, entry.open);
          }
          deliver(pluginId, channel, entry, subscriber);
        }, () => end(pluginId, channel, entry, subscriber));
      }
    }
  }

  function end(pluginId: string, channel: string, entry: Channel, subscriber: Subscriber): void {
    subscriber.active = false;
    subscriber.queue.length = 0;
    entry.subscribers.delete(subscriber);
    collect(pluginId, channel);
  }

  function closeEntry(pluginId: string, channel: string, entry: Channel, reason?: string): void {
    if (!entry.open) return;
    entry.open = false;
    for (const subscriber of entry.subscribers) safeState(subscriber, false, reason);
    collect(pluginId, channel);
  }

  return {
    open(pluginId, channel) {
      checkChannel(channel);
      const entry = channelOf(pluginId, channel, true) as Channel;
      if (entry.open) return;
      entry.open = true;
      for (const subscriber of entry.subscribers) safeState(subscriber, true);
    },
    emit(pluginId, channel, event) {
      checkChannel(channel);
      const entry = channelOf(pluginId, channel, false);
      if (!entry?.open) {
        throw new PlinthError('NOT_FOUND', `Stream channel "${channel}" is not open: call ctx.streams.open("${channel}") before emitting`);
      }
      const bytes = eventBytes(event);
      if (bytes > MAX_STREAM_EVENT_BYTES) {
        throw new PlinthError('PAYLOAD_TOO_LARGE', `A stream event may be at most ${MAX_STREAM_EVENT_BYTES} bytes of JSON; this one is ${bytes}`);
      }
      for (const subscriber of [...entry.subscribers]) {
        subscriber.queue.push(event);
        if (subscriber.queue.length > queueLimit) {
          subscriber.queue.shift();
          subscriber.dropped++;
          // Tell the frame at the first loss of a burst; later losses are summed when it catches up.
          if (!subscriber.inBurst) {
            subscriber.inBurst = true;
            reportDrops(subscriber, true);
          }
        }
        deliver(pluginId, channel, entry, subscriber);
      }
    },
    close(pluginId, channel) {
      const entry = channelOf(pluginId, channel, false);
      if (entry) closeEntry(pluginId, channel, entry);
    },
    closeAll(pluginId, reason) {
      for (const [channel, entry] of [...(plugins.get(pluginId) ?? [])]) closeEntry(pluginId, channel, entry, reason);
    },
    subscribe(pluginId, channel, listener) {
      checkChannel(channel);
      const entry = channelOf(pluginId, channel, true) as Channel;
      const subscriber: Subscriber = { listener, queue: [], pushing: false, dropped: 0, reportedDropped: 0, inBurst: false, active: true };
      entry.subscribers.add(subscriber);
      safeState(subscriber, entry.open);
      return () => end(pluginId, channel, entry, subscriber);
    },
    hasOpenStreams(pluginId) {
      for (const entry of plugins.get(pluginId)?.values() ?? []) if (entry.open) return true;
      return false;
    },
  };
}
