/**
 * The event bus: core events from the workspace and plugin events, fanned out to subscribers.
 * Each subscriber has its own bounded FIFO queue and one delivery in flight at a time (one
 * event, or every event waiting as one batch), so a slow, hung or throwing subscriber only
 * ever delays itself.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope, EventFilter } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json } from '@plinth/sdk/protocol/json';
import { assertEventPattern, assertPluginEventName, eventPatternMatches, PLUGIN_EVENT_ENTITY_TYPE } from '@plinth/sdk/protocol/event-names';

/** Events waiting per subscriber by default; past it the oldest is dropped (a hung worker cannot grow the host's heap). */
export const DEFAULT_EVENT_QUEUE_LIMIT = 1000;
/**
 * Most events in one `deliverBatch`. Bounds one delivery's size and how long one subscriber's
 * batch holds its worker; core envelopes are under 1 KiB, so a batch stays far below the RPC limit.
 */
export const MAX_EVENT_BATCH = 100;
/** Largest plugin event payload as JSON (bytes, UTF-8): events notify; bulk data belongs in state. */
export const MAX_PLUGIN_EVENT_PAYLOAD_BYTES = 256 * 1024;

/** One subscription, as the host registers it for a plugin's `ctx.events.on`. */
export interface EventSubscriber {
  /** The subscribing plugin. */
  pluginId: string;
  /** Chosen by the worker; unique per plugin. Subscribing again with the same id replaces the old one. */
  subscriptionId: string;
  /** An event name, or a prefix ending in `.*` (see `assertEventPattern`). */
  pattern: string;
  /** Only envelopes whose `projectId` equals `filter.projectId` (when given). */
  filter?: EventFilter;
  /**
   * Supplied by the host: may this plugin see this event (the read capability of its entity,
   * see `readCapabilityFor`)? Asked once per event, when it is published. Throwing counts as "no".
   */
  canReceive(event: EventEnvelope): boolean;
  /** Hands the event to the plugin; the next event waits until this settles. */
  deliver(event: EventEnvelope): Promise<void>;
  /**
   * Hands every event waiting for this subscriber (up to {@link MAX_EVENT_BATCH}, in order) to
   * the plugin at once: one message to a worker instead of one per event. Resolves with the
   * error of each event that failed, by index (`undefined` or absent: delivered); a rejection
   * fails the whole batch. When absent, or when a batch is refused as too large, `deliver` is
   * used one event at a time.
   */
  deliverBatch?(events: EventEnvelope[]): Promise<Array<Error | undefined>>;
}

/** Counters of one plugin, summed over its subscriptions. `delivered`, `failed`, `dropped` count since the bus started. */
export interface EventBusStats {
  /** Live subscriptions. */
  subscriptions: number;
  /** Events waiting in its queues (not counting ones being delivered). */
  queued: number;
  /** Deliveries that resolved. */
  delivered: number;
  /** Deliveries that rejected (the event is not retried). */
  failed: number;
  /** Events dropped because a queue was full (oldest first). */
  dropped: number;
}

/** Options of {@link createEventBus}. */
export interface EventBusOptions {
  /** Events waiting per subscriber before the oldest is dropped; integer ≥ 1, default {@link DEFAULT_EVENT_QUEUE_LIMIT}. */
  queueLimit?: number;
  /** Clock for `occurredAt` of plugin events; default the system clock. */
  now?: () => Date;
  /** Told about every rejected delivery (for the plugin's log); its own errors are ignored. */
  onDeliveryError?: (error: unknown, event: EventEnvelope, subscriber: { pluginId: string; subscriptionId: string }) => void;
}

/** The event bus of the host. */
export interface EventBus {
  /**
   * Queues `event` for every matching subscriber and returns at once; never throws. Delivery
   * starts on a microtask, so a burst published in one synchronous run (e.g. a project delete's
   * cascade) larger than `queueLimit` keeps only its newest `queueLimit` events per subscriber.
   */
  publish(event: EventEnvelope): void;
  /**
   * Adds a subscription and returns its unsubscribe function (idempotent). Events published
   * earlier are not replayed.
   * @throws PlinthError `INVALID_INPUT` for a bad pattern, filter or ids.
   */
  subscribe(subscriber: EventSubscriber): () => void;
  /** Removes one subscription; `false` when there was none. Its waiting events are discarded. */
  unsubscribe(pluginId: string, subscriptionId: string): boolean;
  /** Removes every subscription of a plugin (its worker stopped or it was disabled). */
  unsubscribeAll(pluginId: string): void;
  /** Counters of one plugin; all zero for a plugin that never subscribed. */
  stats(pluginId: string): EventBusStats;
  /**
   * Publishes a plugin's `ctx.events.emit(name, payload)` as `plugin.<pluginId>.<name>` with
   * `entityType: 'plugin'`, `entityId: pluginId`, no `projectId`, and a JSON copy of `payload`
   * (`undefined` becomes `null`). Returns the published envelope.
   * @throws PlinthError `INVALID_INPUT` for a bad name (see `assertPluginEventName`), a payload that
   *   is not JSON, or one over {@link MAX_PLUGIN_EVENT_PAYLOAD_BYTES}.
   */
  emitPluginEvent(pluginId: string, name: string, payload: Json): EventEnvelope;
}

interface Counters { delivered: number; failed: number; dropped: number }

interface Entry {
  subscriber: EventSubscriber;
  queue: EventEnvelope[];
  pumping: boolean;
  active: boolean;
  counters: Counters;
}

/** Creates an event bus. @throws PlinthError `INVALID_INPUT` for a `queueLimit` that is not an integer ≥ 1. */
export function createEventBus(options: EventBusOptions = {}): EventBus {
  const queueLimit = options.queueLimit ?? DEFAULT_EVENT_QUEUE_LIMIT;
  if (!Number.isSafeInteger(queueLimit) || queueLimit < 1) {
    throw new PlinthError('INVALID_INPUT', `queueLimit must be an integer ≥ 1, got ${String(queueLimit)}.`);
  }
  const now = options.now ?? (() => new Date());
  /** pluginId → subscriptionId → entry. */
  const plugins = new Map<string, Map<string, Entry>>();
  /** Kept after unsubscribing, so a restarted worker's history stays visible. */
  const counters = new Map<string, Counters>();

  function countersOf(pluginId: string): Counters {
    let value = counters.get(pluginId);
    if (!value) counters.set(pluginId, (value = { delivered: 0, failed: 0, dropped: 0 }));
    return value;
  }

  function reportError(error: unknown, event: EventEnvelope, subscriber: EventSubscriber): void {
    try {
      options.onDeliveryError?.(error, event, { pluginId: subscriber.pluginId, subscriptionId: subscriber.subscriptionId });
    } catch {
      // A broken reporter must not stop deliveries.
    }
  }

  async function deliverOne(entry: Entry, event: EventEnvelope): Promise<void> {
    try {
      await entry.subscriber.deliver(event);
      entry.counters.delivered += 1;
    } catch (error) {
      entry.counters.failed += 1;
      reportError(error, event, entry.subscriber);
    }
  }

  async function deliverBatch(entry: Entry, deliverMany: NonNullable<EventSubscriber['deliverBatch']>, batch: EventEnvelope[]): Promise<void> {
    let errors: Array<Error | undefined>;
    try {
      errors = await deliverMany(batch);
    } catch (error) {
      // Too large for one message (big plugin payloads): the same events, one at a time.
      if ((error as { code?: unknown } | null)?.code === 'PAYLOAD_TOO_LARGE') {
        for (const event of batch) if (entry.active) await deliverOne(entry, event);
        return;
      }
      errors = batch.map(() => error as Error);
    }
    batch.forEach((event, index) => {
      const error = errors[index];
      if (error === undefined) {
        entry.counters.delivered += 1;
      } else {
        entry.counters.failed += 1;
        reportError(error, event, entry.subscriber);
      }
    });
  }

  async function pump(entry: Entry): Promise<void> {
    const deliverMany = entry.subscriber.deliverBatch?.bind(entry.subscriber);
    try {
      while (entry.active && entry.queue.length > 0) {
        if (deliverMany) await deliverBatch(entry, deliverMany, entry.queue.splice(0, MAX_EVENT_BATCH));
        else await deliverOne(entry, entry.queue.shift()!);
      }
    } finally {
      entry.pumping = false;
    }
  }

  function enqueue(entry: Entry, event: EventEnvelope): void {
    if (entry.queue.length >= queueLimit) {
      entry.queue.shift();
      entry.counters.dropped += 1;
    }
    entry.queue.push(event);
    if (!entry.pumping) {
      entry.pumping = true;
      // Start on a microtask: publish() returns before any subscriber code runs.
      queueMicrotask(() => void pump(entry));
    }
  }

  function wants(entry: Entry, event: EventEnvelope): boolean {
    const { pattern, filter } = entry.subscriber;
    if (!eventPatternMatches(pattern, event.name)) return false;
    if (filter?.projectId !== undefined && filter.projectId !== event.projectId) return false;
    try {
      return entry.subscriber.canReceive(event) === true;
    } catch {
      return false;
    }
  }

  function publish(event: EventEnvelope): void {
    for (const entries of plugins.values()) {
      for (const entry of entries.values()) {
        if (wants(entry, event)) enqueue(entry, event);
      }
    }
  }

  function unsubscribe(pluginId: string, subscriptionId: string): boolean {
    const entries = plugins.get(pluginId);
    const entry = entries?.get(subscriptionId);
    if (!entries || !entry) return false;
    entry.active = false;
    entry.queue.length = 0;
    entries.delete(subscriptionId);
    if (entries.size === 0) plugins.delete(pluginId);
    return true;
  }

  function subscribe(subscriber: EventSubscriber): () => void {
    const { pluginId, subscriptionId, pattern, filter } = subscriber;
    if (typeof pluginId !== 'string' || pluginId.length === 0) throw new PlinthError('INVALID_INPUT', 'pluginId must be a non-empty string.');
    if (typeof subscriptionId !== 'string' || subscriptionId.length === 0) {
      throw new PlinthError('INVALID_INPUT', 'subscriptionId must be a non-empty string.');
    }
    assertEventPattern(pattern);
    assertFilter(filter);
    unsubscribe(pluginId, subscriptionId);
    const entry: Entry = { subscriber, queue: [], pumping: false, active: true, counters: countersOf(pluginId) };
    let entries = plugins.get(pluginId);
    if (!entries) plugins.set(pluginId, (entries = new Map()));
    entries.set(subscriptionId, entry);
    return () => {
      if (plugins.get(pluginId)?.get(subscriptionId) === entry) unsubscribe(pluginId, subscriptionId);
    };
  }

  function unsubscribeAll(pluginId: string): void {
    for (const subscriptionId of [...(plugins.get(pluginId)?.keys() ?? [])]) unsubscribe(pluginId, subscriptionId);
  }

  function stats(pluginId: string): EventBusStats {
    const entries = [...(plugins.get(pluginId)?.values() ?? [])];
    const { delivered, failed, dropped } = counters.get(pluginId) ?? { delivered: 0, failed: 0, dropped: 0 };
    return {
      subscriptions: entries.length,
      queued: entries.reduce((sum, entry) => sum + entry.queue.length, 0),
      delivered, failed, dropped,
    };
  }

  function emitPluginEvent(pluginId: string, name: string, payload: Json): EventEnvelope {
    if (typeof pluginId !== 'string' || pluginId.length === 0) throw new PlinthError('INVALID_INPUT', 'pluginId must be a non-empty string.');
    assertPluginEventName(name);
    const event: EventEnvelope = {
      eventId: randomUUID(),
      name: `plugin.${pluginId}.${name}`,
      occurredAt: now().toISOString(),
      entityType: PLUGIN_EVENT_ENTITY_TYPE,
      entityId: pluginId,
      payload: jsonCopy(payload, name),
    };
    publish(event);
    return event;
  }

  return { publish, subscribe, unsubscribe, unsubscribeAll, stats, emitPluginEvent };
}

function assertFilter(filter: unknown): void {
  if (filter === undefined) return;
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new PlinthError('INVALID_INPUT', 'Event filter must be an object such as { projectId: "…" }.');
  }
  for (const [key, value] of Object.entries(filter)) {
    if (key !== 'projectId') throw new PlinthError('INVALID_INPUT', `Event filter has an unknown field "${key}"; only "projectId" is supported.`);
    if (value !== undefined && (typeof value !== 'string' || value.length === 0)) {
      throw new PlinthError('INVALID_INPUT', 'Event filter projectId must be a non-empty string.');
    }
  }
}

/** A detached JSON copy of a plugin event payload, checked against {@link MAX_PLUGIN_EVENT_PAYLOAD_BYTES}. */
function jsonCopy(payload: unknown, name: string): Json {
  let text: string | undefined;
  try {
    text = JSON.stringify(payload === undefined ? null : payload);
  } catch (error) {
    throw new PlinthError('INVALID_INPUT', `Payload of event "${name}" is not JSON: ${(error as Error).message}.`);
  }
  if (text === undefined) throw new PlinthError('INVALID_INPUT', `Payload of event "${name}" is not a JSON value.`);
  const bytes = Buffer.byteLength(text);
  if (bytes > MAX_PLUGIN_EVENT_PAYLOAD_BYTES) {
    throw new PlinthError('INVALID_INPUT', `Payload of event "${name}" is ${bytes} bytes as JSON; at most ${MAX_PLUGIN_EVENT_PAYLOAD_BYTES} are allowed.`);
  }
  return JSON.parse(text) as Json;
}
