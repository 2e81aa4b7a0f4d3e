/**
 * The renderer ⇄ main contract: the DTOs the shell sees and the methods `window.plinth`
 * exposes. Main validates every payload with one zod schema per method
 * (main/shell/ipc-handlers.ts). The renderer imports only types from this file.
 */
import type { TaskPriority, TaskStatus } from '../sdk/protocol/entities.ts';
import type { Json, JsonObject } from '../sdk/protocol/json.ts';
import type { HealthResult, LogLevel } from '../sdk/protocol/rpc.ts';
import type { LifecycleState, PluginSource, RuntimeState } from '../sdk/protocol/lifecycle.ts';
import type { LauncherDeclaration, SlotDeclaration } from '../sdk/protocol/manifest.ts';
import type { InstallProgress, PluginOriginView } from '../sdk/protocol/registry-catalog.ts';
import type { BridgeMethods } from './main-methods.ts';

export type { LifecycleState, PluginSource, RuntimeState };
export type * from '../sdk/protocol/registry-catalog.ts';

/** One plugin as the settings window shows it. */
export interface PluginSummary {
  id: string;
  displayName: string;
  /** URL of the manifest `icon`, served by the app protocol; absent when the plugin has none. */
  pluginIcon?: string;
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
  /**
   * True when enabling needs the user's consent first: never approved, or the manifest now
   * asks for capabilities beyond the approved ones.
   */
  needsConsent: boolean;
  /** While `upgrade_pending`: the waiting version and the capabilities it adds. */
  pendingUpgrade?: { version: string; addedCapabilities: Array<{ capability: string; description: string }> };
  /** True when the plugin declares a `configSchema`. */
  configurable: boolean;
  /** Latest `onHealth` result while the worker runs. */
  health?: HealthResult;
  /** Jobs the manifest declares (`plinth.jobs`); absent when the host does not count them. */
  jobCount?: number;
  /** Webhook endpoints the manifest declares (`plinth.webhooks`). */
  webhookCount?: number;
  /** Agent tools the manifest declares (`plinth.tools`). */
  toolCount?: number;
  /** Set for a plugin installed from an npm registry. */
  origin?: PluginOriginView;
  /** True when the plugin holds `system.unsandboxed`: full access to the computer (its card carries a badge). */
  unsandboxed: boolean;
  /** API 1.1: what `plinth.optionalCapabilities` lets it ask for at run time, in plain words. */
  optionalCapabilities: Array<{ capability: string; description: string }>;
  /** API 1.1: the user's remembered answers to its runtime requests, by capability. */
  permissions: PermissionAnswerView[];
}

/** One remembered answer to a runtime permission request (API 1.1). `decidedAt` is ISO 8601 UTC. */
export interface PermissionAnswerView {
  capability: string;
  /** The capability in plain words. */
  description: string;
  decision: 'allowed' | 'denied';
  decidedAt: string;
}

/** A plugin's runtime permission request waiting for the user (API 1.1), as the main window shows it. */
export interface PermissionPrompt {
  requestId: string;
  pluginId: string;
  pluginDisplayName: string;
  /** URL of the manifest `icon`, served by the app protocol; absent when the plugin has none. */
  pluginIcon?: string;
  /** Why the plugin asks, in its own words (1..300 characters). */
  reason: string;
  /** What it asks for, each in plain words. */
  capabilities: Array<{ capability: string; description: string }>;
  /** ISO 8601 UTC. */
  requestedAt: string;
}

/** Outcome of installing a `.tgz`. */
export interface InstallResult {
  outcome: 'installed' | 'upgraded' | 'upgrade_pending';
  plugin: PluginSummary;
}

/** A plugin in the Recently uninstalled list. Times are ISO 8601 UTC. */
export interface UninstalledPlugin { id: string; displayName: string; version: string; uninstalledAt: string; purgeAfter: string }

/** The configuration form of one plugin. Secret values never leave the main process. */
export interface PluginConfigView {
  /** The plugin's `configSchema` (JSON Schema 2020-12), or `null` when it has none. */
  schema: JsonObject | null;
  /** Current values with every secret field removed. */
  values: JsonObject;
  /** Secret fields (dot paths) and whether a value is stored ("set"). */
  secrets: Array<{ path: string; set: boolean }>;
  /** Schema problems of the current values, e.g. a required field missing. */
  errors: Array<{ path: string; message: string }>;
}

/** One log line of a plugin (worker stdout/stderr, `ctx.logger`, host notes). */
export interface PluginLogLine {
  seq: number; time: string; level: LogLevel; source: 'logger' | 'stdout' | 'stderr' | 'host'; message: string; data?: Json;
}

/** One row of the Running plugins view. */
export interface RunningPluginRow {
  pluginId: string; displayName: string; runtime: RuntimeState; pid?: number;
  /** Seconds since the worker finished setup. */
  uptimeS?: number;
  activationMs?: number; rssMb?: number; cpuPercent?: number;
  rpcCalls: number; p50LatencyMs?: number; restarts: number; lastError?: string;
  /** Events dropped from this plugin's subscriber queues. */
  eventsDropped: number;
  /** Requests refused by the rate limits since start: from the plugin's UI frames and from its worker. */
  rateLimited: { ui: number; worker: number };
}

/** App preferences shown in Settings. */
export interface PreferencesView {
  developerMode: boolean; idleTimeoutMs: number; uninstallGraceDays: number; webhookPort: number;
  mcpEnabled: boolean; mcpPort: number; workerHeapMb: number; theme: 'system' | 'light' | 'dark';
  /** Registry plugins come from (and per-scope registries); tokens are set through `setRegistryPreferences`. */
  registryUrl: string; registryScopes: Record<string, string>;
  /** Hours between update checks (0: off), and whether updates needing no new consent install at once or at the next start. */
  updateCheckHours: number; updateInstall: 'immediately' | 'next-start';
  /** READMEs in Browse may load remote images. */
  readmeRemoteImages: boolean;
}

/** One database backup in the profile's `backups` folder. */
export interface BackupInfo {
  /** File name, `plinth-<timestamp>.db`; the handle passed to restore. */
  name: string;
  /** ISO time the backup was made. */
  createdAt: string;
  sizeBytes: number;
}

/** The database backups and a restore waiting for the next start. */
export interface BackupsView {
  /** Absolute path of the backups folder. */
  dir: string;
  /** Newest first. */
  backups: BackupInfo[];
  /** Name of the backup the next start restores, when one was chosen. */
  pendingRestore?: string;
}

/** Something the app repaired or did at start that the user must hear about once. */
export interface StartupNotice {
  kind: 'database-recovered' | 'settings-recovered' | 'database-restored';
  /** What happened and what it means, in plain words. */
  message: string;
  /** Absolute path of the kept old file. */
  keptAs?: string;
}

/** A declared job with its schedule and recent runs. */
export interface PluginJobView {
  jobKey: string; displayName: string; schedule: string; nextRun: string | null;
  runs: Array<{
    runId: string; trigger: 'schedule' | 'manual' | 'retry'; scheduledAt: string; startedAt: string; finishedAt: string | null;
    status: 'running' | 'succeeded' | 'failed' | 'skipped'; error: string | null;
    /** The failed run this run retries (trigger `retry`), else `null`. */
    retryOf: string | null;
  }>;
}

/** A declared webhook endpoint with its URL (null while the server is not listening). */
export interface PluginWebhookView { endpointKey: string; displayName: string; url: string | null }

/**
 * An agent tool of a ready plugin (its manifest's `plinth.tools`), as the command palette lists it.
 * `qualifiedName` is the published `<plugin>__<tool>` name that `callTool` takes.
 */
export interface PluginToolView {
  qualifiedName: string;
  pluginId: string;
  pluginDisplayName: string;
  /** URL of the manifest `icon`, served by the app protocol; absent when the plugin has none. */
  pluginIcon?: string;
  name: string;
  displayName: string;
  description: string;
  /** JSON Schema 2020-12 of `"type": "object"`: the form the palette generates. */
  parametersSchema: JsonObject;
}

/** MCP server status. `token` is shown for copying into an MCP client. */
export interface McpStatus { enabled: boolean; url: string | null; token: string | null; tools: string[] }

/** A slot contribution of an enabled plugin, ready for the shell to mount. */
export interface SlotContribution {
  pluginId: string;
  pluginDisplayName: string;
  slot: SlotDeclaration;
  /** URL of the plugin's UI module, served by the app protocol. */
  moduleUrl: string;
  /** URL of the manifest `icon`, served by the app protocol; absent when the plugin has none. */
  pluginIcon?: string;
  /**
   * The frame document on the plugin's own origin (`plinth-plugin://<key>/frame.html`), so its
   * frames run in their own process and load only its files. Set by main for the shell.
   */
  frameUrl?: string;
}

/** A launcher of an enabled plugin (CONTRACT §8), ready for the shell to place. */
export interface LauncherContribution {
  pluginId: string;
  pluginDisplayName: string;
  launcher: LauncherDeclaration;
  moduleUrl: string;
  pluginIcon?: string;
  /** The frame document on the plugin's own origin, as for {@link SlotContribution}. Set by main for the shell. */
  frameUrl?: string;
}

/** Every UI contribution of the enabled plugins, each list in `order`, then name. */
export interface UiContributions { slots: SlotContribution[]; launchers: LauncherContribution[] }

/**
 * The dashboard as the user arranged it: the widgets shown, in order (`<pluginId>/<slotId>`),
 * and the ones the user removed, so a widget of a newly enabled plugin is on by default while a
 * removed one stays off.
 */
export interface DashboardLayout { entries: string[]; hidden: string[] }

/** Filters of the task search; they combine with AND. */
export interface WorkspaceTaskQuery { projectId?: string; status?: TaskStatus; priority?: TaskPriority; titleContains?: string }

/**
 * A project the user creates in the Workspace view. `name` is trimmed, 1..500 characters;
 * `description` at most 100 KiB (UTF-8), default `""` (limits: main/host/services/workspace).
 */
export interface WorkspaceProjectInput { name: string; description?: string }
/** The fields of a project the user changes; absent ones stay as they are. */
export type WorkspaceProjectPatch = Partial<WorkspaceProjectInput>;
/**
 * A task the user creates: `title` trimmed, 1..500 characters; `description` at most 100 KiB;
 * `priority` default `"medium"`. A new task's status is `"todo"`.
 */
export interface WorkspaceTaskInput { projectId: string; title: string; description?: string; priority?: TaskPriority }
/** The fields of a task the user changes; absent ones stay as they are. A task never moves to another project. */
export interface WorkspaceTaskPatch { title?: string; description?: string; status?: TaskStatus; priority?: TaskPriority }

/** Facts about the running app. */
export interface AppInfo { version: string; pluginApiVersion: string; platform: string }

export type { MainApi, MainArgs, MainMethod, MainResult } from './main-methods.ts';
/** Main → renderer notifications. */
export interface MainEvents {
  /** `reload: true` after a hot reload: the shell remounts that plugin's frames. */
  'plugins.changed': { pluginId?: string; reload?: boolean };
  'stream.event': { subscriptionId: string; event: Json };
  'stream.state': { subscriptionId: string; connected: boolean; error?: string };
  /** Progress of a `catalog.install` this window asked for. */
  'catalog.progress': InstallProgress;
  /** A runtime permission request appeared or went (read them with `pendingPermissions`). */
  'permissions.changed': Record<string, never>;
  /** The preferences after a change, from any window: each window follows them (its `theme`, Developer mode, Browse's settings). */
  'preferences.changed': PreferencesView;
}

/**
 * `window.plinth`: a narrow typed API, one function per main method, never a generic channel.
 * Every call resolves with the result or rejects with an `Error` carrying `code`. The method
 * functions are derived from the table in preload/main-methods.ts (add methods there).
 */
export interface PlinthBridge extends BridgeMethods {
  /**
   * The file-system path of a dropped `File` (Electron: `webUtils.getPathForFile`); `''` when the
   * file has no path (e.g. it came from another app's memory, not from disk).
   */
  pathForFile(file: File): string;
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
  | { ok: false; error: { code: string; message: string; /** The error's structured details, e.g. both versions of a refused downgrade. */ data?: Json } };
