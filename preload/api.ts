/**
 * The renderer ⇄ main contract: the DTOs the shell sees and the methods `window.plinth`
 * exposes. Main validates every payload with one zod schema per method
 * (main/shell/ipc-handlers.ts). The renderer imports only types from this file.
 */
import type { SlotType } from '../sdk/protocol/capabilities.ts';
import type { Json } from '../sdk/protocol/json.ts';
import type { SlotDeclaration } from '../sdk/protocol/manifest.ts';

/** Lifecycle states of CONTRACT §9. */
export type LifecycleState = 'installed' | 'ready' | 'disabled' | 'error' | 'upgrade_pending' | 'uninstalled';
/** Runtime state of a plugin's worker process. */
export type RuntimeState = 'stopped' | 'starting' | 'running' | 'backoff' | 'crashed';
/** Where a plugin comes from. */
export type PluginSource = 'bundled' | 'user' | 'unpacked';

/** One plugin as the settings window shows it. */
export interface PluginSummary {
  id: string;
  displayName: string;
  version: string;
  description: string;
  source: PluginSource;
  state: LifecycleState;
  runtime: RuntimeState;
  enabled: boolean;
  /** Declared capabilities with their plain-words description. */
  capabilities: Array<{ capability: string; description: string }>;
  /** Why the plugin is in `error`, or the last worker error. */
  error?: string;
  /** Non-fatal manifest problems (unknown keys). */
  warnings: string[];
  /** Worker process id while running. */
  pid?: number;
  /** Folder the plugin is loaded from. */
  path: string;
}

/** A slot contribution of an enabled plugin, ready for the shell to mount. */
export interface SlotContribution {
  pluginId: string;
  pluginDisplayName: string;
  slot: SlotDeclaration;
  /** URL of the plugin's UI module, served by the app protocol. */
  moduleUrl: string;
}

/** Facts about the running app. */
export interface AppInfo { version: string; pluginApiVersion: string; platform: string }

/** Renderer → main calls: name → (payload) → result. One zod schema each in main. */
export interface MainApi {
  'app.info': () => AppInfo;
  'plugins.list': () => PluginSummary[];
  'plugins.setEnabled': (args: { pluginId: string; enabled: boolean }) => PluginSummary;
  'slots.list': (args: { slotType: SlotType }) => SlotContribution[];
  'plugin.data': (args: { pluginId: string; key: string; params: Json }) => Json;
  'plugin.action': (args: { pluginId: string; key: string; params: Json }) => Json;
  'window.openSettings': () => void;
}
/** A renderer → main method name. */
export type MainMethod = keyof MainApi;
/** Main → renderer notifications. */
export interface MainEvents { 'plugins.changed': { pluginId?: string } }

/** The payload type of a main method (its single argument, or `undefined`). */
export type MainArgs<M extends MainMethod> = Parameters<MainApi[M]> extends [infer A] ? A : undefined;

/**
 * `window.plinth`: a narrow typed API, one function per main method, never a generic channel.
 * Every call resolves with the result or rejects with an `Error` carrying `code`.
 */
export interface PlinthBridge {
  appInfo(): Promise<AppInfo>;
  listPlugins(): Promise<PluginSummary[]>;
  setPluginEnabled(pluginId: string, enabled: boolean): Promise<PluginSummary>;
  listSlots(slotType: SlotType): Promise<SlotContribution[]>;
  pluginData(pluginId: string, key: string, params: Json): Promise<Json>;
  pluginAction(pluginId: string, key: string, params: Json): Promise<Json>;
  openSettings(): Promise<void>;
  /** Subscribes to a main → renderer notification; returns the unsubscribe function. */
  on<E extends keyof MainEvents>(event: E, listener: (payload: MainEvents[E]) => void): () => void;
}

/**
 * What one renderer → main call returns over the wire. Errors travel as data because
 * Electron's `ipcRenderer.invoke` drops every property of a thrown error except its message;
 * the bridge turns `ok: false` back into an `Error` carrying `code`.
 */
export type IpcResult =
  | { ok: true; value: unknown }
  | { ok: false; error: { code: string; message: string } };
