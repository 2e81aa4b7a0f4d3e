/** Envelopes of the events a test publishes with `harness.emit` (docs/plugin-api.md §3). */
import { CORE_EVENTS, type EventEnvelope } from '../protocol/entities.ts';
import { PlinthError } from '../protocol/errors.ts';
import type { Json } from '../protocol/json.ts';
import type { HarnessEventOptions } from './types.ts';

/** Prefix of events emitted by plugins, as other plugins receive them (docs/plugin-api.md §3). */
const PLUGIN_EVENT_PREFIX = 'plugin.';

function field(payload: Json, key: string): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return undefined;
  const value = payload[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * The envelope of event `name`: a core event takes its entity type from the name's prefix
 * (`task.updated` → `task`) and `entityId`/`projectId` from the payload's `id`/`projectId`;
 * `plugin.<pluginId>.<name>` is a plugin event (entity type `plugin`, entity id the plugin id).
 * `occurredAt` is now.
 * @throws PlinthError `INVALID_INPUT` for any other name.
 */
export function buildEventEnvelope(eventId: string, name: string, payload: Json, options: HarnessEventOptions): EventEnvelope {
  const occurredAt = new Date().toISOString();
  if ((CORE_EVENTS as readonly string[]).includes(name)) {
    const projectId = options.projectId ?? field(payload, 'projectId') ?? (name.startsWith('project.') ? field(payload, 'id') : undefined);
    return {
      eventId, name, occurredAt, entityType: name.slice(0, name.indexOf('.')),
      entityId: options.entityId ?? field(payload, 'id') ?? '', ...(projectId ? { projectId } : {}), payload,
    };
  }
  const lastDot = name.lastIndexOf('.');
  if (name.startsWith(PLUGIN_EVENT_PREFIX) && lastDot > PLUGIN_EVENT_PREFIX.length) {
    const emitter = options.entityId ?? name.slice(PLUGIN_EVENT_PREFIX.length, lastDot);
    return {
      eventId, name, occurredAt, entityType: 'plugin', entityId: emitter,
      ...(options.projectId ? { projectId: options.projectId } : {}), payload,
    };
  }
  throw new PlinthError('INVALID_INPUT', `harness.emit: "${name}" is neither a core event (${CORE_EVENTS.join(', ')}) nor a plugin event "plugin.<pluginId>.<name>"`);
}
