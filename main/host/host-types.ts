/**
 * The host core facade: what the IPC handler table (main/shell), the e2e harness and the
 * author CLI call. Plain Node, no Electron.
 */
import type { SlotType } from '@plinth/sdk/protocol/capabilities';
import type { Json, JsonObject } from '@plinth/sdk/protocol/json';
import type {
  InstallResult, McpStatus, PluginConfigView, PluginJobView, PluginLogLine, PluginSummary, PluginWebhookView,
  BackupInfo, BackupsView, CatalogDetails, CatalogSearchResult, InstallProgress, RegistryPreferencesView, UpdateCheckReport, PreferencesView, RunningPluginRow, StartupNotice, SlotContribution, UninstalledPlugin,
  WorkspaceProjectInput, WorkspaceProjectPatch, WorkspaceTaskInput, WorkspaceTaskPatch,
  DashboardLayout, UiContributions, WorkspaceTaskQuery,
} from '../../preload/api.ts';
import type { ActivityEntry, Comment, Page, Project, Task } from '@plinth/sdk/protocol/entities';
import type { ConfigValidation, HealthResult } from '@plinth/sdk/protocol/rpc';

/** Notification that some plugin's summary changed (state, runtime, enablement). */
export interface PluginsChangedEvent { pluginId?: string; /** The plugin's code changed: frames must reload. */ reload?: boolean }

/** The running host core. Every method is safe to call with bad input: it rejects with a `PlinthError`. */
export interface PlinthHost {
  /** Opens the database and discovers plugins; resolves without waiting for `onStartup` workers, which start right after, one per turn of the event loop. */
  start(): Promise<void>;
  /** Stops every worker (each gets its shutdown grace) and closes the database. */
  stop(): Promise<void>;
  /** Every discovered plugin, sorted by display name. */
  listPlugins(): PluginSummary[];
  /** One plugin; throws `NOT_FOUND`. */
  getPlugin(pluginId: string): PluginSummary;
  /**
   * Disables at once (the worker stops), or enables without granting consent: a plugin whose
   * capabilities were never approved, or grew, is refused with `CONFLICT` (use `enable`).
   */
  setEnabled(pluginId: string, enabled: boolean): Promise<PluginSummary>;
  /** Slot contributions of enabled plugins of one slot type, in `order`. */
  listSlots(slotType: SlotType): SlotContribution[];
  /** Serves `usePluginData`: calls the worker's data handler (starting it if needed). */
  callData(pluginId: string, key: string, params: Json): Promise<Json>;
  /** Asks the plugin's worker for its `onHealth` now, starting the worker when needed. */
  checkHealth(pluginId: string): Promise<HealthResult>;
  /** Serves `usePluginAction`. */
  performAction(pluginId: string, key: string, params: Json): Promise<Json>;
  /**
   * Resolves a file a plugin may serve to its UI (`ui.entry`'s folder, `assets/`), or `null`
   * when the path leaves the plugin folder (after symlinks) or the plugin is not enabled.
   */
  resolvePluginAsset(pluginId: string, relativePath: string): Promise<string | null>;
  /** Worker pid while running. */
  workerPid(pluginId: string): number | undefined;
  /** What the last `start` repaired or restored (damaged database or settings, a restored backup), for the shell to tell the user. */
  startupNotices(): StartupNotice[];
  /** The database backups (made daily, the newest 7 kept) and a restore waiting for the next start. */
  listBackups(): BackupsView;
  /** Backs the database up now. @throws PlinthError `INTERNAL` when the copy fails (disk full…). */
  backupNow(): Promise<BackupInfo>;
  /**
   * Restores a backup at the next start (the current database is kept beside it).
   * @throws PlinthError `NOT_FOUND` for an unknown backup, `CONFLICT` for a damaged one.
   */
  restoreBackup(name: string): BackupsView;
  /** Withdraws a restore chosen with `restoreBackup`. */
  cancelRestore(): BackupsView;
  /** Subscribes to summary changes; returns the unsubscribe function. */
  onPluginsChanged(listener: (event: PluginsChangedEvent) => void): () => void;

  // Plugin management. Each rejects with a PlinthError whose message says what to do.
  /** Installs a `.tgz` made by `npm pack`. Refusals: engines, duplicate name, reserved prefix, downgrade. */
  installFromFile(path: string, opts?: { allowDowngrade?: boolean }): Promise<InstallResult>;
  /**
   * Installs `name[@version|range|tag]` from its npm registry: the version is chosen by
   * `selectForInstall` (never a yanked one), downloaded and checked against `dist.integrity`,
   * then installed exactly as a file would be. `onProgress` hears each phase and the bytes.
   * Refusals as `installFromFile`, plus `NETWORK_ERROR` offline, `NOT_READY` auth, `NOT_FOUND`,
   * `INVALID_INPUT` integrity mismatch (nothing was unpacked).
   */
  installFromRegistry(spec: string, opts?: { allowDowngrade?: boolean; onProgress?(progress: InstallProgress): void }): Promise<InstallResult>;
  /** Searches the default registry for packages with the `plinth-plugin` keyword. */
  searchCatalog(text: string): Promise<CatalogSearchResult>;
  /** A package's details before install (chosen version, capabilities in words, engines, README). */
  catalogDetails(name: string): Promise<CatalogDetails>;
  /** Checks registry plugins for updates now (as the scheduled check does). */
  checkForUpdates(): Promise<UpdateCheckReport>;
  /** Pins a registry plugin at `version` (installed first if needed), or unpins with `null`. */
  pinPlugin(pluginId: string, version: string | null): Promise<PluginSummary>;
  /** The registry URL, per-scope registries and which registries have a token. */
  getRegistryPreferences(): RegistryPreferencesView;
  /** Saves registry URL and scopes; stores or deletes (`value: null`) a registry's token in the secret store. */
  setRegistryPreferences(patch: { url?: string; scopes?: Record<string, string>; token?: { registry: string; value: string | null } }): RegistryPreferencesView;
  /** References a plugin folder in place (for authors); it is watched for hot reload. */
  loadUnpacked(dir: string): Promise<PluginSummary>;
  /** Enables; the first time (or after capabilities grew) `approveCapabilities` must be true, else `CONFLICT` asking for consent. */
  enable(pluginId: string, opts: { approveCapabilities: boolean }): Promise<PluginSummary>;
  approveUpgrade(pluginId: string): Promise<PluginSummary>;
  declineUpgrade(pluginId: string): Promise<PluginSummary>;
  uninstall(pluginId: string): Promise<void>;
  listUninstalled(): UninstalledPlugin[];
  restore(pluginId: string): Promise<PluginSummary>;
  purge(pluginId: string): Promise<void>;
  /** Re-validates the manifest, restarts the worker and asks the shell to reload the plugin's frames. */
  reload(pluginId: string): Promise<PluginSummary>;
  pluginLogs(pluginId: string, afterSeq?: number): PluginLogLine[];
  runningPlugins(): Promise<RunningPluginRow[]>;
  getConfig(pluginId: string): PluginConfigView;
  saveConfig(pluginId: string, values: JsonObject): Promise<PluginConfigView>;
  testConfig(pluginId: string, values: JsonObject): Promise<ConfigValidation>;
  getPreferences(): PreferencesView;
  setPreferences(patch: Partial<PreferencesView>): Promise<PreferencesView>;

  // Workspace and services
  listActivity(query: { pluginId?: string; limit?: number; cursor?: string }): Page<ActivityEntry>;
  listJobs(pluginId: string): PluginJobView[];
  runJobNow(pluginId: string, jobKey: string): Promise<PluginJobView['runs'][number]>;
  listWebhooks(pluginId: string): PluginWebhookView[];
  mcpStatus(): McpStatus;
  setMcpEnabled(enabled: boolean): Promise<McpStatus>;
  workspaceOverview(): { projects: Array<Project & { tasks: Task[] }> };

  // The user's workspace changes (main window). Actor `{ user: true }`: each publishes its core
  // event to subscribed plugins (CONTRACT §3) and none is written to the activity log. Bad input
  // rejects with `INVALID_INPUT` naming the field (limits: services/workspace/workspace-input.ts);
  // an unknown id with `NOT_FOUND`.
  /** Creates a project (`description` default `""`). Publishes `project.created`. */
  createProject(input: WorkspaceProjectInput): Project;
  /** Renames or re-describes a project; a patch that changes nothing publishes nothing. */
  updateProject(projectId: string, patch: WorkspaceProjectPatch): Project;
  /** Deletes the project with its tasks and their comments, publishing each deletion. */
  deleteProject(projectId: string): void;
  /** Creates a task with status `todo` (`priority` default `medium`). Publishes `task.created`. */
  createTask(input: WorkspaceTaskInput): Task;
  /** Changes title, description, status or priority. Publishes `task.updated` when something changed. */
  updateTask(taskId: string, patch: WorkspaceTaskPatch): Task;
  /** Deletes the task with its comments. */
  deleteTask(taskId: string): void;
  /** The task's comments in thread order (oldest first); the newest 200 when there are more. `NOT_FOUND` for an unknown task. */
  listComments(taskId: string): Comment[];
  /** Adds a comment with author `"user"`. Publishes `comment.created`. */
  addComment(taskId: string, body: string): Comment;
  /** Deletes one comment. Publishes `comment.deleted`. */
  deleteComment(commentId: string): void;
  // The workspace shell (main window)
  /** Every slot and launcher of enabled plugins whose `ui.*` capability is approved, in `order` then name. */
  listContributions(): UiContributions;
  /** One project. @throws PlinthError `NOT_FOUND`. */
  getProject(projectId: string): Project;
  /** One task. @throws PlinthError `NOT_FOUND`. */
  getTask(taskId: string): Task;
  /** Tasks matching every given filter, oldest first, at most 500. */
  listTasks(query: WorkspaceTaskQuery): Task[];
  /** The dashboard as the user arranged it, kept in the profile; `null` before the first arrangement. */
  getDashboardLayout(): DashboardLayout | null;
  /** Saves the arrangement. @throws PlinthError `INVALID_INPUT` past 200 widgets. */
  setDashboardLayout(layout: DashboardLayout): DashboardLayout;
  /** Subscribes to a plugin's stream channel on behalf of one of its frames; returns the unsubscribe function. */
  subscribeStream(pluginId: string, channel: string, listener: { push(event: Json): void | Promise<void>; state(connected: boolean, error?: string): void }): () => void;
}
