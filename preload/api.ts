/**
 * The renderer ⇄ main contract: the DTOs the shell sees and the methods `window.plinth`
 * exposes. Main validates every payload with one zod schema per method
 * (main/shell/ipc-handlers.ts). The renderer imports only types from this file.
 */
import type { SlotType } from '../sdk/protocol/capabilities.ts';
import type { ActivityEntry, Comment, Page, Project, Task, TaskPriority, TaskStatus } from '../sdk/protocol/entities.ts';
import type { Json, JsonObject } from '../sdk/protocol/json.ts';
import type { ConfigValidation, HealthResult, LogLevel } from '../sdk/protocol/rpc.ts';
import type { LifecycleState, PluginSource, RuntimeState } from '../sdk/protocol/lifecycle.ts';
import type { SlotDeclaration } from '../sdk/protocol/manifest.ts';

export type { LifecycleState, PluginSource, RuntimeState };

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
  runs: Array<{ runId: string; trigger: 'schedule' | 'manual'; scheduledAt: string; startedAt: string; finishedAt: string | null; status: 'running' | 'succeeded' | 'failed' | 'skipped'; error: string | null }>;
}

/** A declared webhook endpoint with its URL (null while the server is not listening). */
export interface PluginWebhookView { endpointKey: string; displayName: string; url: string | null }

/** MCP server status. `token` is shown for copying into an MCP client. */
export interface McpStatus { enabled: boolean; url: string | null; token: string | null; tools: string[] }

/** A slot contribution of an enabled plugin, ready for the shell to mount. */
export interface SlotContribution {
  pluginId: string;
  pluginDisplayName: string;
  slot: SlotDeclaration;
  /** URL of the plugin's UI module, served by the app protocol. */
  moduleUrl: string;
}

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

/** Renderer → main calls: name → (payload) → result. One zod schema each in main. */
export interface MainApi {
  'app.info': () => AppInfo;
  'plugins.list': () => PluginSummary[];
  'plugins.setEnabled': (args: { pluginId: string; enabled: boolean }) => PluginSummary;
  'slots.list': (args: { slotType: SlotType }) => SlotContribution[];
  'plugin.data': (args: { pluginId: string; key: string; params: Json }) => Json;
  'plugin.action': (args: { pluginId: string; key: string; params: Json }) => Json;
  'window.openSettings': () => void;
  // Plugin management
  'plugins.installFromFile': (args: { path: string; allowDowngrade?: boolean }) => InstallResult;
  'plugins.loadUnpacked': (args: { path: string }) => PluginSummary;
  /** Enabling with `approveCapabilities: true` records consent to the capabilities shown. */
  'plugins.enable': (args: { pluginId: string; approveCapabilities: boolean }) => PluginSummary;
  'plugins.approveUpgrade': (args: { pluginId: string }) => PluginSummary;
  'plugins.declineUpgrade': (args: { pluginId: string }) => PluginSummary;
  'plugins.uninstall': (args: { pluginId: string }) => void;
  'plugins.listUninstalled': () => UninstalledPlugin[];
  'plugins.restore': (args: { pluginId: string }) => PluginSummary;
  'plugins.purge': (args: { pluginId: string }) => void;
  'plugins.reload': (args: { pluginId: string }) => PluginSummary;
  'plugins.logs': (args: { pluginId: string; afterSeq?: number }) => PluginLogLine[];
  'plugins.running': () => RunningPluginRow[];
  'config.get': (args: { pluginId: string }) => PluginConfigView;
  /** Saves values; secret fields with a new non-empty string are stored encrypted, absent ones keep their stored value. */
  'config.save': (args: { pluginId: string; values: JsonObject }) => PluginConfigView;
  'config.test': (args: { pluginId: string; values: JsonObject }) => ConfigValidation;
  'preferences.get': () => PreferencesView;
  'preferences.set': (args: { patch: Partial<PreferencesView> }) => PreferencesView;
  /** Electron: opens a file or folder picker; `null` when cancelled. Not available in the browser harness. */
  'dialog.pick': (args: { kind: 'archive' | 'folder' }) => string | null;
  // Workspace and services
  'activity.list': (args: { pluginId?: string; limit?: number; cursor?: string }) => Page<ActivityEntry>;
  'jobs.list': (args: { pluginId: string }) => PluginJobView[];
  'jobs.runNow': (args: { pluginId: string; jobKey: string }) => PluginJobView['runs'][number];
  'webhooks.list': (args: { pluginId: string }) => PluginWebhookView[];
  'mcp.status': () => McpStatus;
  'mcp.setEnabled': (args: { enabled: boolean }) => McpStatus;
  /** The workspace shown in the main window: projects and their first tasks. */
  'workspace.overview': () => { projects: Array<Project & { tasks: Task[] }> };
  /**
   * The user's own changes (actor `{ user: true }`): each publishes its core event
   * (`project.created`, `task.updated`, …) to subscribed plugins; none is written to the
   * activity log, which records plugin writes. Bad input → `INVALID_INPUT` naming the field;
   * an unknown id → `NOT_FOUND`.
   */
  'workspace.createProject': (args: WorkspaceProjectInput) => Project;
  'workspace.updateProject': (args: { projectId: string; patch: WorkspaceProjectPatch }) => Project;
  /** Deletes the project with its tasks and their comments. */
  'workspace.deleteProject': (args: { projectId: string }) => void;
  'workspace.createTask': (args: WorkspaceTaskInput) => Task;
  'workspace.updateTask': (args: { taskId: string; patch: WorkspaceTaskPatch }) => Task;
  /** Deletes the task with its comments. */
  'workspace.deleteTask': (args: { taskId: string }) => void;
  /** A task's comments in thread order (oldest first); the newest 200 when there are more. */
  'workspace.listComments': (args: { taskId: string }) => Comment[];
  /** Adds a comment whose author is `"user"`. */
  'workspace.addComment': (args: { taskId: string; body: string }) => Comment;
  'workspace.deleteComment': (args: { commentId: string }) => void;
  /** Subscribes a plugin frame (bound by the shell) to a worker stream; events arrive as `stream.event`. */
  'streams.subscribe': (args: { pluginId: string; channel: string }) => { subscriptionId: string };
  'streams.unsubscribe': (args: { subscriptionId: string }) => void;
}
/** A renderer → main method name. */
export type MainMethod = keyof MainApi;
/** Main → renderer notifications. */
export interface MainEvents {
  /** `reload: true` after a hot reload: the shell remounts that plugin's frames. */
  'plugins.changed': { pluginId?: string; reload?: boolean };
  'stream.event': { subscriptionId: string; event: Json };
  'stream.state': { subscriptionId: string; connected: boolean; error?: string };
}

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
  installFromFile(path: string, allowDowngrade?: boolean): Promise<InstallResult>;
  loadUnpacked(path: string): Promise<PluginSummary>;
  enablePlugin(pluginId: string, approveCapabilities: boolean): Promise<PluginSummary>;
  approveUpgrade(pluginId: string): Promise<PluginSummary>;
  declineUpgrade(pluginId: string): Promise<PluginSummary>;
  uninstallPlugin(pluginId: string): Promise<void>;
  listUninstalled(): Promise<UninstalledPlugin[]>;
  restorePlugin(pluginId: string): Promise<PluginSummary>;
  purgePlugin(pluginId: string): Promise<void>;
  reloadPlugin(pluginId: string): Promise<PluginSummary>;
  pluginLogs(pluginId: string, afterSeq?: number): Promise<PluginLogLine[]>;
  runningPlugins(): Promise<RunningPluginRow[]>;
  getConfig(pluginId: string): Promise<PluginConfigView>;
  saveConfig(pluginId: string, values: JsonObject): Promise<PluginConfigView>;
  testConfig(pluginId: string, values: JsonObject): Promise<ConfigValidation>;
  getPreferences(): Promise<PreferencesView>;
  setPreferences(patch: Partial<PreferencesView>): Promise<PreferencesView>;
  pick(kind: 'archive' | 'folder'): Promise<string | null>;
  listActivity(query: { pluginId?: string; limit?: number; cursor?: string }): Promise<Page<ActivityEntry>>;
  listJobs(pluginId: string): Promise<PluginJobView[]>;
  runJobNow(pluginId: string, jobKey: string): Promise<PluginJobView['runs'][number]>;
  listWebhooks(pluginId: string): Promise<PluginWebhookView[]>;
  mcpStatus(): Promise<McpStatus>;
  setMcpEnabled(enabled: boolean): Promise<McpStatus>;
  workspaceOverview(): Promise<{ projects: Array<Project & { tasks: Task[] }> }>;
  createProject(input: WorkspaceProjectInput): Promise<Project>;
  updateProject(projectId: string, patch: WorkspaceProjectPatch): Promise<Project>;
  deleteProject(projectId: string): Promise<void>;
  createTask(input: WorkspaceTaskInput): Promise<Task>;
  updateTask(taskId: string, patch: WorkspaceTaskPatch): Promise<Task>;
  deleteTask(taskId: string): Promise<void>;
  listComments(taskId: string): Promise<Comment[]>;
  addComment(taskId: string, body: string): Promise<Comment>;
  deleteComment(commentId: string): Promise<void>;
  subscribeStream(pluginId: string, channel: string): Promise<{ subscriptionId: string }>;
  unsubscribeStream(subscriptionId: string): Promise<void>;
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
