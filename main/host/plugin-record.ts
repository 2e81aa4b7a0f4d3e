/**
 * A discovered plugin as the host keeps it in memory, and the catalog's core: the records by id
 * joined with their registry rows, and lifecycle events applied through the one state machine
 * (lifecycle.ts). The catalog's modules (plugin-discovery.ts, plugin-consent.ts,
 * plugin-activation.ts) share this core; plugin-catalog.ts puts them together.
 */
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import { isServing, transition, type LifecycleEvent } from './lifecycle.ts';
import type { Registry, RegistryEntry } from './registry.ts';

/** A discovered plugin folder as the host keeps it in memory. */
export interface PluginRecord {
  id: string;
  source: PluginSource;
  dir: string;
  realDir: string;
  displayName: string;
  version: string;
  description: string;
  manifest?: PluginManifest;
  problems: string[];
  warnings: string[];
}

/** The capabilities a plugin's manifest declares (approved or not). */
export const declared = (r: PluginRecord): string[] => (r.manifest?.plinth.capabilities ?? []) as string[];

/** The fields of a registry row a lifecycle event may change beside the state. */
export type EntryPatch = Partial<Omit<RegistryEntry, 'id' | 'installedAt' | 'updatedAt' | 'state'>>;

/** Creates the core over the registry. */
export function createCatalogCore(registry: Registry) {
  const plugins = new Map<string, PluginRecord>();

  /** The discovered plugin `pluginId`. @throws PlinthError `NOT_FOUND` */
  function record(pluginId: string): PluginRecord {
    const r = plugins.get(pluginId);
    if (!r) throw new PlinthError('NOT_FOUND', `No plugin "${pluginId}" is installed`);
    return r;
  }

  /** The registry row of `pluginId`, if any. */
  function entry(pluginId: string): RegistryEntry | undefined {
    return registry.get(pluginId);
  }

  /**
   * Applies a lifecycle event through the state machine and persists it with `patch`.
   * @throws PlinthError `NOT_FOUND` without a registry row; `CONFLICT` when the event is not allowed
   */
  function apply(pluginId: string, event: LifecycleEvent, patch: EntryPatch = {}): RegistryEntry {
    const current = entry(pluginId);
    if (!current) throw new PlinthError('NOT_FOUND', `No plugin "${pluginId}" is installed`);
    return registry.update(pluginId, { ...patch, state: transition(current.state, event) });
  }

  /** True when the plugin has a valid manifest, is enabled and serving (`ready` or `upgrade_pending`). */
  function isReady(pluginId: string): boolean {
    const e = entry(pluginId);
    return !!plugins.get(pluginId)?.manifest && !!e?.enabled && isServing(e.state);
  }

  return { plugins, record, entry, apply, isReady };
}

/** The catalog's core. */
export type CatalogCore = ReturnType<typeof createCatalogCore>;
