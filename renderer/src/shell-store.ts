/**
 * The shell's state (zustand): the plugin list for the settings window and the dashboard
 * widgets for the main window. Both re-fetch on `plugins.changed`, so a toggle in settings
 * shows in the main window at once. Responses that arrive out of order are dropped.
 */
import { createStore } from 'zustand/vanilla';
import type { PlinthBridge, PluginSummary, SlotContribution } from '../../preload/api.ts';

/** What the windows read. */
export interface ShellState {
  plugins: PluginSummary[];
  widgets: SlotContribution[];
  /** True after the first successful plugin list. */
  pluginsLoaded: boolean;
  /** True after the first successful widget list. */
  widgetsLoaded: boolean;
  /** Why the last load failed, shown instead of stale content. */
  loadError: string | null;
  /** Plugin ids whose enable toggle is in flight. */
  pending: Record<string, boolean>;
  /** Last toggle error per plugin id. */
  toggleErrors: Record<string, string>;
  refreshPlugins(): Promise<void>;
  refreshWidgets(): Promise<void>;
  setEnabled(pluginId: string, enabled: boolean): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates the store over a bridge (window.plinth in the app). */
export function createShellStore(bridge: PlinthBridge) {
  let pluginsSeq = 0;
  let widgetsSeq = 0;
  return createStore<ShellState>()((set, get) => ({
    plugins: [],
    widgets: [],
    pluginsLoaded: false,
    widgetsLoaded: false,
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
    async refreshWidgets() {
      const seq = ++widgetsSeq;
      try {
        const widgets = await bridge.listSlots('dashboardWidget');
        if (seq === widgetsSeq) set({ widgets, widgetsLoaded: true, loadError: null });
      } catch (error) {
        if (seq === widgetsSeq) set({ loadError: `Could not load the dashboard: ${message(error)}` });
      }
    },
    async setEnabled(pluginId, enabled) {
      set({ pending: { ...get().pending, [pluginId]: true }, toggleErrors: { ...get().toggleErrors, [pluginId]: '' } });
      try {
        const updated = await bridge.setPluginEnabled(pluginId, enabled);
        set({ plugins: get().plugins.map((p) => (p.id === pluginId ? updated : p)) });
      } catch (error) {
        set({ toggleErrors: { ...get().toggleErrors, [pluginId]: message(error) } });
      } finally {
        set({ pending: { ...get().pending, [pluginId]: false } });
      }
      // The host also sends plugins.changed; asking again covers a host that does not.
      await get().refreshPlugins();
    },
  }));
}

/** The store type. */
export type ShellStore = ReturnType<typeof createShellStore>;
