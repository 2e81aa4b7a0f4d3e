/**
 * The host core facade: what the IPC handler table (main/shell), the e2e harness and the
 * author CLI call. Plain Node, no Electron.
 */
import type { SlotType } from '../../sdk/protocol/capabilities.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import type { PluginSummary, SlotContribution } from '../../preload/api.ts';

/** Notification that some plugin's summary changed (state, runtime, enablement). */
export interface PluginsChangedEvent { pluginId?: string }

/** The running host core. Every method is safe to call with bad input: it rejects with a `PlinthError`. */
export interface PlinthHost {
  /** Opens the database, discovers plugins, starts `onStartup` workers. */
  start(): Promise<void>;
  /** Stops every worker (each gets its shutdown grace) and closes the database. */
  stop(): Promise<void>;
  /** Every discovered plugin, sorted by display name. */
  listPlugins(): PluginSummary[];
  /** One plugin; throws `NOT_FOUND`. */
  getPlugin(pluginId: string): PluginSummary;
  /** Enables or disables at once, no restart; disabling stops the worker process. */
  setEnabled(pluginId: string, enabled: boolean): Promise<PluginSummary>;
  /** Slot contributions of enabled plugins of one slot type, in `order`. */
  listSlots(slotType: SlotType): SlotContribution[];
  /** Serves `usePluginData`: calls the worker's data handler (starting it if needed). */
  callData(pluginId: string, key: string, params: Json): Promise<Json>;
  /** Serves `usePluginAction`. */
  performAction(pluginId: string, key: string, params: Json): Promise<Json>;
  /**
   * Resolves a file a plugin may serve to its UI (`ui.entry`'s folder, `assets/`), or `null`
   * when the path leaves the plugin folder (after symlinks) or the plugin is not enabled.
   */
  resolvePluginAsset(pluginId: string, relativePath: string): Promise<string | null>;
  /** Worker pid while running. */
  workerPid(pluginId: string): number | undefined;
  /** Subscribes to summary changes; returns the unsubscribe function. */
  onPluginsChanged(listener: (event: PluginsChangedEvent) => void): () => void;
}
