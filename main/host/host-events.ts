/**
 * The host's events: how its parts react to each other without calling each other back. The
 * module that learns a fact emits it; the reactions are subscribed once, in started-host.ts, in
 * one place a reader can follow (a ready plugin's jobs, webhooks and tools open; a gone plugin's
 * close; a stopped worker's subscriptions and permission requests end; a plugin's registry
 * origin follows what the user installed or approved; the windows refresh).
 * Node's own EventEmitter, typed by {@link HostEventMap}; listeners run synchronously in
 * subscription order, and one that throws throws to the emitter.
 */
import { EventEmitter } from 'node:events';
import type { PluginsChangedEvent } from './host-types.ts';

/** Every host event with its payload. */
export interface HostEventMap {
  /** The plugin became ready (enabled, approved, configured): its declared jobs, webhooks and tools may serve. */
  'plugin.ready': { pluginId: string };
  /** The plugin is no longer ready (disabled, failed, uninstalled, replaced): withdraw what it served. */
  'plugin.gone': { pluginId: string };
  /** Its worker process is not running any more (stopped, crashed, or waiting to restart). */
  'worker.stopped': { pluginId: string };
  /** The user installed the plugin from a `.tgz` file: it no longer comes from a registry. */
  'plugin.installedFromFile': { pluginId: string };
  /** The user approved the plugin's waiting upgrade: its staged version is the installed one now. */
  'upgrade.approved': { pluginId: string };
  /** The user declined the plugin's waiting upgrade: the installed version stays. */
  'upgrade.declined': { pluginId: string };
  /** Some plugin's summary changed (state, runtime, enablement); `{}` when any may have. */
  'plugins.changed': PluginsChangedEvent;
}

/** The host's typed event emitter. */
export interface HostEvents {
  /** Tells every listener of `name`, in subscription order. */
  emit<K extends keyof HostEventMap>(name: K, payload: HostEventMap[K]): void;
  /** Subscribes to `name`; returns the unsubscribe function (calling it twice is harmless). */
  on<K extends keyof HostEventMap>(name: K, listener: (payload: HostEventMap[K]) => void): () => void;
}

type EmitterMap = { [K in keyof HostEventMap]: [HostEventMap[K]] };

/** Creates an emitter with no listener limit (every open window listens to `plugins.changed`). */
export function createHostEvents(): HostEvents {
  const emitter = new EventEmitter<EmitterMap>();
  emitter.setMaxListeners(0);
  return {
    emit(name, payload) {
      emitter.emit(name, ...([payload] as never));
    },
    on(name, listener) {
      emitter.on(name, listener as never);
      return () => { emitter.off(name, listener as never); };
    },
  };
}
