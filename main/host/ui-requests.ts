/**
 * Requests from a plugin's UI (its frames, through the shell): `usePluginData` → `data`,
 * `usePluginAction` → `action`, `usePluginStream` → `subscribeStream`. Each is counted against
 * the plugin's UI rate limit, then served by its worker (started on first need).
 */
import type { Json } from '@plinth/sdk/protocol/json';
import type { HostServices } from './host-services.ts';
import type { Catalog } from './plugin-catalog.ts';
import type { RateLimits } from './rate-limits.ts';

/** What the UI requests need. */
export interface UiRequestsDeps {
  catalog: Catalog;
  rateLimits: RateLimits;
  services: HostServices;
}

/** A stream listener of {@link UiRequests.subscribeStream}. */
export interface StreamListener { push(event: Json): void | Promise<void>; state(connected: boolean, error?: string): void }

/** Creates the UI request entry points. */
export function createUiRequests(deps: UiRequestsDeps) {
  return {
    /** Serves `usePluginData`: the worker's data handler for `key` (CONTRACT §7). */
    async data(pluginId: string, key: string, params: Json): Promise<Json> {
      deps.rateLimits.admit(pluginId, 'ui', `data "${key}"`);
      return deps.catalog.callWorker(pluginId, 'data.get', key, params);
    },
    /** Serves `usePluginAction`: the worker's action handler for `key`. */
    async action(pluginId: string, key: string, params: Json): Promise<Json> {
      deps.rateLimits.admit(pluginId, 'ui', `action "${key}"`);
      return deps.catalog.callWorker(pluginId, 'action.perform', key, params);
    },
    /** Subscribes to a plugin's stream channel on behalf of one of its frames; returns the unsubscribe function. */
    subscribeStream(pluginId: string, channel: string, listener: StreamListener): () => void {
      deps.catalog.record(pluginId);
      deps.rateLimits.admit(pluginId, 'ui', `stream "${channel}"`);
      return deps.services.streams.subscribe(pluginId, channel, listener);
    },
  };
}

/** The UI request entry points. */
export type UiRequests = ReturnType<typeof createUiRequests>;
