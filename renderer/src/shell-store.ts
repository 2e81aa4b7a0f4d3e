/**
 * The shell's state (zustand): the plugin list, the Recently uninstalled list and the
 * preferences for the settings window. Lists re-fetch on `plugins.changed`, so a change in settings shows in the main window at once;
 * the preferences follow `preferences.changed` (see {@link ShellState.applyPreferences}), the one copy every part of the window reads.
 * Responses that arrive out of order are dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { PlinthBridge, PluginSummary, PreferencesView, UninstalledPlugin } from '../../preload/api.ts';

/** What the windows read. */
export interface ShellState {
  plugins: PluginSummary[];
  uninstalled: UninstalledPlugin[];
  /** `null` until the first successful fetch. */
  preferences: PreferencesView | null;
  /** True after the first successful plugin list. */
  pluginsLoaded: boolean;
  /** Why the last load failed, shown instead of stale content. */
  loadError: string | null;
  /** Plugin ids with an action (toggle, approve, uninstall, …) in flight. */
  pending: Record<string, boolean>;
  /** Last action error per plugin id (`''` once cleared). */
  toggleErrors: Record<string, string>;
  refreshPlugins(): Promise<void>;
  refreshUninstalled(): Promise<void>;
  refreshPreferences(): Promise<void>;
  /** Takes preferences main sent (`preferences.changed`) or answered a save with; a read still in flight is dropped. */
  applyPreferences(preferences: PreferencesView): void;
  /** Switches a plugin off, or on when it needs no consent. */
  setEnabled(pluginId: string, enabled: boolean): Promise<void>;
  /**
   * Runs one card action for `pluginId` (marks it pending, records its error on the card,
   * re-fetches the lists after). Resolves `true` when `action` succeeded.
   */
  runPluginAction(pluginId: string, action: () => Promise<unknown>): Promise<boolean>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the store over a bridge (window.plinth in the app). */
export function createShellStore(bridge: PlinthBridge) {
  let pluginsSeq = 0;
  let uninstalledSeq = 0;
  let preferencesSeq = 0;
  return createStore<ShellState>()((set, get) => ({
    plugins: [],
    uninstalled: [],
    preferences: null,
    pluginsLoaded: false,
    loadError: null,
    pending: {},
    toggleErrors: {},
    async refreshPlugins() {
      const seq = ++pluginsSeq;
      try {
        const plugins = await bridge.listPlugins();
        if (seq === pluginsSeq) set({ plugins, pluginsLoaded: true, loadError: null });
      } catch (error) {
        if (seq === pluginsSeq) set({ loadError: `Could not list plugins: ${message(error)}` });
      }
    },
    async refreshUninstalled() {
      const seq = ++uninstalledSeq;
      try {
        const uninstalled = await bridge.listUninstalled();
        if (seq === uninstalledSeq) set({ uninstalled });
      } catch (error) {
        if (seq === uninstalledSeq) set({ loadError: `Could not list recently uninstalled plugins: ${message(error)}` });
      }
    },
    async refreshPreferences() {
      const seq = ++preferencesSeq;
      try {
        const preferences = await bridge.getPreferences();
        if (seq === preferencesSeq) set({ preferences });
      } catch (error) {
        if (seq === preferencesSeq) set({ loadError: `Could not read preferences: ${message(error)}` });
      }
    },
    applyPreferences(preferences) {
      ++preferencesSeq;
      set({ preferences });
    },
    async runPluginAction(pluginId, action) {
      set({ pending: { ...get().pending, [pluginId]: true }, toggleErrors: { ...get().toggleErrors, [pluginId]: '' } });
      let ok = false;
      try {
        const result = await action();
        // Actions that answer with the plugin's new summary show it before the list re-fetch lands.
        const updated = result as PluginSummary | undefined;
        if (updated && typeof updated === 'object' && updated.id === pluginId && typeof updated.state === 'string') {
          set({ plugins: get().plugins.map((p) => (p.id === pluginId ? updated : p)) });
        }
        ok = true;
      } catch (error) {
        set({ toggleErrors: { ...get().toggleErrors, [pluginId]: message(error) } });
      } finally {
        set({ pending: { ...get().pending, [pluginId]: false } });
      }
      // The host also sends plugins.changed; asking again covers a host that does not.
      await Promise.all([get().refreshPlugins(), get().refreshUninstalled()]);
      return ok;
    },
    async setEnabled(pluginId, enabled) {
      await get().runPluginAction(pluginId, () => (enabled ? bridge.enablePlugin(pluginId, false) : bridge.setPluginEnabled(pluginId, false)));
    },
  }));
}

/** The store type. */
export type ShellStore = ReturnType<typeof createShellStore>;
