/** The event bus and event-name rules (CONTRACT §3, §5, §6). */
export {
  createEventBus, DEFAULT_EVENT_QUEUE_LIMIT, MAX_EVENT_BATCH, MAX_PLUGIN_EVENT_PAYLOAD_BYTES,
  type EventBus, type EventBusOptions, type EventBusStats, type EventSubscriber,
} from './event-bus.ts';
export {
  activationEventMatches, assertEventPattern, assertPluginEventName, eventPatternMatches, readCapabilityFor,
  MAX_EVENT_PATTERN_LENGTH, MAX_PLUGIN_EVENT_NAME_LENGTH, ON_EVENT_ACTIVATION_PREFIX, PLUGIN_EVENT_ENTITY_TYPE,
} from '@plinth/sdk/protocol/event-names';
