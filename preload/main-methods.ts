/**
 * THE table of renderer → main methods: each row declares the method once (its name, the zod
 * schema main checks its payload against, its result type, and the `window.plinth` function
 * that sends it). Derived from it: the bridge's type (`PlinthBridge`, preload/api.ts), the bridge
 * itself (preload/bridge.ts) and the type of main's handler table (main/shell/ipc-handlers.ts).
 *
 * To add a method: add a row here and its handler in main/shell/ipc-handlers.ts (the compiler
 * asks for the handler). Nothing else changes: no channel list, no bridge code.
 *
 * A row: `'area.verb': method<Result>()({ bridge, schema, call })`, or `voidMethod()` when the
 * method answers nothing.
 * - `bridge`: the name of the `window.plinth` function;
 * - `schema`: `(f) => zodSchema`, the payload as main accepts it (strict objects, bounded
 *   strings: the shared fields `f` of preload/method-fields.ts, limits in sdk/protocol/limits.ts); a refused payload
 *   answers `INVALID_INPUT` naming the field. A function of main's zod, so the preload bundle
 *   carries no zod (it only sends);
 * - `call`: the bridge function's parameters, mapped to that payload (its parameter names and
 *   types are the bridge function's).
 *
 * Runs in the preload and in main, so it imports no Node module, nothing from main and zod as a
 * type only.
 */
import type { z } from 'zod';
import type { TASK_PRIORITIES } from '../sdk/protocol/entities.ts';
import type { ActivityEntry, Comment, Page, Project, Task } from '../sdk/protocol/entities.ts';
import type { Json, JsonObject } from '../sdk/protocol/json.ts';
import {
  MAX_ACTIVITY_PAGE, MAX_DASHBOARD_ENTRIES, MAX_KEY_LENGTH, MAX_PLUGIN_ID_LENGTH, MAX_QUALIFIED_TOOL_NAME, MAX_TITLE_LENGTH, MAX_VERSION_SPEC_LENGTH,
} from '../sdk/protocol/limits.ts';
import type { ConfigValidation, ToolResult } from '../sdk/protocol/rpc.ts';
import type {
  AppInfo, BackupInfo, BackupsView, InstallResult, McpStatus, PermissionPrompt, PluginToolView, PluginConfigView, PluginJobView, PluginLogLine, PluginSummary, PluginWebhookView,
  PreferencesView, RunningPluginRow, StartupNotice, UninstalledPlugin, WorkspaceProjectPatch, WorkspaceTaskPatch,
  DashboardLayout, UiContributions, WorkspaceTaskQuery,
  CatalogDetails, CatalogSearchResult, RegistryPreferencesView, UpdateCheckReport,
} from './api.ts';
import { method, sharedFields, voidMethod, type Fields, type Zod } from './method-fields.ts';

/** Most refusals one `plugin.refusedRequests` report may carry (far above a second's flood cap). */
export const MAX_REPORTED_REFUSALS = 1_000_000;

/** Longest backup file name accepted (`plinth-<ISO time>[-n].db` is about 40 characters). */
const MAX_BACKUP_NAME_LENGTH = 100;

/** Every renderer → main method. Add a row here and its handler in main/shell/ipc-handlers.ts. */
export const MAIN_METHODS = {
  'app.info': method<AppInfo>()({ bridge: 'appInfo', schema: (f) => f.noArgs, call: () => undefined }),
  'plugins.list': method<PluginSummary[]>()({ bridge: 'listPlugins', schema: (f) => f.noArgs, call: () => undefined }),
  'plugins.setEnabled': method<PluginSummary>()({
    bridge: 'setPluginEnabled',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, enabled: f.z.boolean() }),
    call: (pluginId: string, enabled: boolean) => ({ pluginId, enabled }),
  }),
  'plugin.data': method<Json>()({
    bridge: 'pluginData', schema: (f) => f.pluginCall,
    call: (pluginId: string, key: string, params: Json) => ({ pluginId, key, params }),
  }),
  'plugin.action': method<Json>()({
    bridge: 'pluginAction', schema: (f) => f.pluginCall,
    call: (pluginId: string, key: string, params: Json) => ({ pluginId, key, params }),
  }),
  /**
   * Requests the shell refused for a plugin's frames before sending them (a frame over its
   * in-flight cap), reported in batches so the Running view counts them. At most
   * {@link MAX_REPORTED_REFUSALS} per report.
   */
  'plugin.refusedRequests': voidMethod()({
    bridge: 'reportRefusedRequests',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, count: f.z.int().min(1).max(MAX_REPORTED_REFUSALS) }),
    call: (pluginId: string, count: number) => ({ pluginId, count }),
  }),
  'window.openSettings': voidMethod()({ bridge: 'openSettings', schema: (f) => f.noArgs, call: () => undefined }),

  // Plugin management
  'plugins.installFromFile': method<InstallResult>()({
    bridge: 'installFromFile',
    schema: (f) => f.z.strictObject({ path: f.filePath, allowDowngrade: f.z.boolean().optional() }),
    call: (path: string, allowDowngrade?: boolean) => (allowDowngrade === undefined ? { path } : { path, allowDowngrade }),
  }),
  'plugins.loadUnpacked': method<PluginSummary>()({
    bridge: 'loadUnpacked', schema: (f) => f.z.strictObject({ path: f.filePath }), call: (path: string) => ({ path }),
  }),
  /** Enabling with `approveCapabilities: true` records consent to the capabilities shown. */
  'plugins.enable': method<PluginSummary>()({
    bridge: 'enablePlugin',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, approveCapabilities: f.z.boolean() }),
    call: (pluginId: string, approveCapabilities: boolean) => ({ pluginId, approveCapabilities }),
  }),
  'plugins.approveUpgrade': method<PluginSummary>()({ bridge: 'approveUpgrade', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.declineUpgrade': method<PluginSummary>()({ bridge: 'declineUpgrade', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.uninstall': voidMethod()({ bridge: 'uninstallPlugin', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.listUninstalled': method<UninstalledPlugin[]>()({ bridge: 'listUninstalled', schema: (f) => f.noArgs, call: () => undefined }),
  'plugins.restore': method<PluginSummary>()({ bridge: 'restorePlugin', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.purge': voidMethod()({ bridge: 'purgePlugin', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.reload': method<PluginSummary>()({ bridge: 'reloadPlugin', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'plugins.logs': method<PluginLogLine[]>()({
    bridge: 'pluginLogs',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, afterSeq: f.z.number().int().min(0).optional() }),
    call: (pluginId: string, afterSeq?: number) => (afterSeq === undefined ? { pluginId } : { pluginId, afterSeq }),
  }),
  'plugins.running': method<RunningPluginRow[]>()({ bridge: 'runningPlugins', schema: (f) => f.noArgs, call: () => undefined }),
  // Runtime permission requests (API 1.1): the main window shows them; Settings lists the answers.
  /** Requests of plugins waiting for the user, oldest first; a window reads them on `permissions.changed`. */
  'permissions.pending': method<PermissionPrompt[]>()({ bridge: 'pendingPermissions', schema: (f) => f.noArgs, call: () => undefined }),
  /** The user's Allow (`allow: true`) or Deny of a waiting request, remembered for each of its capabilities. */
  'permissions.answer': voidMethod()({
    bridge: 'answerPermission',
    schema: (f) => f.z.strictObject({ requestId: f.token, allow: f.z.boolean() }),
    call: (requestId: string, allow: boolean) => ({ requestId, allow }),
  }),
  /** Revokes an allowed optional capability (at once), or forgets a denial so the plugin may ask again. */
  'permissions.revoke': method<PluginSummary>()({
    bridge: 'revokePermission',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, capability: f.z.string().min(1).max(MAX_KEY_LENGTH + 100) }),
    call: (pluginId: string, capability: string) => ({ pluginId, capability }),
  }),
  'config.get': method<PluginConfigView>()({ bridge: 'getConfig', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  /** Saves values; secret fields with a new non-empty string are stored encrypted, absent ones keep their stored value. */
  'config.save': method<PluginConfigView>()({
    bridge: 'saveConfig', schema: (f) => f.configCall, call: (pluginId: string, values: JsonObject) => ({ pluginId, values }),
  }),
  'config.test': method<ConfigValidation>()({
    bridge: 'testConfig', schema: (f) => f.configCall, call: (pluginId: string, values: JsonObject) => ({ pluginId, values }),
  }),
  'preferences.get': method<PreferencesView>()({ bridge: 'getPreferences', schema: (f) => f.noArgs, call: () => undefined }),
  'preferences.set': method<PreferencesView>()({
    bridge: 'setPreferences',
    schema: (f) => f.z.strictObject({ patch: f.preferencesPatch }),
    call: (patch: Partial<PreferencesView>) => ({ patch }),
  }),
  /** What the last start repaired or restored (damaged database or settings, a restored backup), to tell the user once. */
  'app.startupNotices': method<StartupNotice[]>()({ bridge: 'startupNotices', schema: (f) => f.noArgs, call: () => undefined }),
  /** The database backups, newest first, and the restore waiting for the next start. */
  'backups.list': method<BackupsView>()({ bridge: 'listBackups', schema: (f) => f.noArgs, call: () => undefined }),
  'backups.create': method<BackupInfo>()({ bridge: 'backupNow', schema: (f) => f.noArgs, call: () => undefined }),
  /** Restores a backup at the next start; the current database is kept beside it. Unknown → `NOT_FOUND`, damaged → `CONFLICT`. */
  'backups.restore': method<BackupsView>()({
    bridge: 'restoreBackup',
    schema: (f) => f.z.strictObject({ name: f.z.string().min(1).max(MAX_BACKUP_NAME_LENGTH) }),
    call: (name: string) => ({ name }),
  }),
  'backups.cancelRestore': method<BackupsView>()({ bridge: 'cancelRestore', schema: (f) => f.noArgs, call: () => undefined }),
  /** Electron: opens a file or folder picker; `null` when cancelled. Not available in the browser harness. */
  'dialog.pick': method<string | null>()({
    bridge: 'pick', schema: (f) => f.z.strictObject({ kind: f.z.enum(['archive', 'folder']) }), call: (kind: 'archive' | 'folder') => ({ kind }),
  }),

  // Workspace and services
  'activity.list': method<Page<ActivityEntry>>()({
    bridge: 'listActivity',
    schema: (f) => f.z.strictObject({
      pluginId: f.pluginId.optional(),
      limit: f.z.number().int().min(1).max(MAX_ACTIVITY_PAGE).optional(),
      cursor: f.token.optional(),
    }),
    call: (query: { pluginId?: string; limit?: number; cursor?: string }) => query,
  }),
  'jobs.list': method<PluginJobView[]>()({ bridge: 'listJobs', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  'jobs.runNow': method<PluginJobView['runs'][number]>()({
    bridge: 'runJobNow', schema: (f) => f.z.strictObject({ pluginId: f.pluginId, jobKey: f.key }), call: (pluginId: string, jobKey: string) => ({ pluginId, jobKey }),
  }),
  /** Retries a failed run (trigger `retry`) and answers the new run. Unknown run → `NOT_FOUND`; a run that did not fail → `CONFLICT`. */
  'jobs.retry': method<PluginJobView['runs'][number]>()({
    bridge: 'retryJobRun', schema: (f) => f.z.strictObject({ pluginId: f.pluginId, runId: f.token }), call: (pluginId: string, runId: string) => ({ pluginId, runId }),
  }),
  'webhooks.list': method<PluginWebhookView[]>()({ bridge: 'listWebhooks', schema: (f) => f.onePlugin, call: (pluginId: string) => ({ pluginId }) }),
  /** Agent tools of the ready plugins, sorted by qualified name (the command palette's). */
  'tools.list': method<PluginToolView[]>()({ bridge: 'listTools', schema: (f) => f.noArgs, call: () => undefined }),
  /**
   * Runs a tool as the user: `params` are checked against its `parametersSchema` first
   * (`INVALID_INPUT` listing the errors); an unknown name is `NOT_FOUND`; a handler that throws
   * rejects with its error. A result with `isError` is the tool's own failure, not a rejection.
   */
  'tools.call': method<ToolResult>()({
    bridge: 'callTool',
    schema: (f) => f.z.strictObject({ name: f.z.string().min(1).max(MAX_QUALIFIED_TOOL_NAME), params: f.jsonObject }),
    call: (name: string, params: JsonObject) => ({ name, params }),
  }),
  'mcp.status': method<McpStatus>()({ bridge: 'mcpStatus', schema: (f) => f.noArgs, call: () => undefined }),
  'mcp.setEnabled': method<McpStatus>()({
    bridge: 'setMcpEnabled', schema: (f) => f.z.strictObject({ enabled: f.z.boolean() }), call: (enabled: boolean) => ({ enabled }),
  }),
  /** The workspace shown in the main window: projects and their first tasks. */
  'workspace.overview': method<{ projects: Array<Project & { tasks: Task[] }> }>()({ bridge: 'workspaceOverview', schema: (f) => f.noArgs, call: () => undefined }),
  // The user's own changes (actor `{ user: true }`): each publishes its core event
  // (`project.created`, `task.updated`, …) to subscribed plugins; none is written to the
  // activity log, which records plugin writes. Bad input → `INVALID_INPUT` naming the field;
  // an unknown id → `NOT_FOUND`.
  'workspace.createProject': method<Project>()({
    bridge: 'createProject', schema: (f) => f.projectInput, call: (input: { name: string; description?: string }) => input,
  }),
  'workspace.updateProject': method<Project>()({
    bridge: 'updateProject',
    schema: (f) => f.z.strictObject({ projectId: f.entityId, patch: f.projectInput.partial() }),
    call: (projectId: string, patch: WorkspaceProjectPatch) => ({ projectId, patch }),
  }),
  /** Deletes the project with its tasks and their comments. */
  'workspace.deleteProject': voidMethod()({
    bridge: 'deleteProject', schema: (f) => f.z.strictObject({ projectId: f.entityId }), call: (projectId: string) => ({ projectId }),
  }),
  'workspace.createTask': method<Task>()({
    bridge: 'createTask', schema: (f) => f.taskInput,
    call: (input: { projectId: string; title: string; description?: string; priority?: (typeof TASK_PRIORITIES)[number] }) => input,
  }),
  'workspace.updateTask': method<Task>()({
    bridge: 'updateTask',
    schema: (f) => f.z.strictObject({ taskId: f.entityId, patch: f.taskPatch }),
    call: (taskId: string, patch: WorkspaceTaskPatch) => ({ taskId, patch }),
  }),
  /** Deletes the task with its comments. */
  'workspace.deleteTask': voidMethod()({
    bridge: 'deleteTask', schema: (f) => f.z.strictObject({ taskId: f.entityId }), call: (taskId: string) => ({ taskId }),
  }),
  /** A task's comments in thread order (oldest first); the newest 200 when there are more. */
  'workspace.listComments': method<Comment[]>()({
    bridge: 'listComments', schema: (f) => f.z.strictObject({ taskId: f.entityId }), call: (taskId: string) => ({ taskId }),
  }),
  /** Adds a comment whose author is `"user"`. */
  'workspace.addComment': method<Comment>()({
    bridge: 'addComment', schema: (f) => f.z.strictObject({ taskId: f.entityId, body: f.text }), call: (taskId: string, body: string) => ({ taskId, body }),
  }),
  'workspace.deleteComment': voidMethod()({
    bridge: 'deleteComment', schema: (f) => f.z.strictObject({ commentId: f.entityId }), call: (commentId: string) => ({ commentId }),
  }),
  /** Subscribes a plugin frame (bound by the shell) to a worker stream; events arrive as `stream.event`. */
  'streams.subscribe': method<{ subscriptionId: string }>()({
    bridge: 'subscribeStream', schema: (f) => f.z.strictObject({ pluginId: f.pluginId, channel: f.key }), call: (pluginId: string, channel: string) => ({ pluginId, channel }),
  }),
  'streams.unsubscribe': voidMethod()({
    bridge: 'unsubscribeStream', schema: (f) => f.z.strictObject({ subscriptionId: f.token }), call: (subscriptionId: string) => ({ subscriptionId }),
  }),
  // The workspace shell (main window)
  /** Opens an http(s) link in the system browser; the shell has asked the user first. */
  'shell.openExternal': voidMethod()({
    bridge: 'openExternal', schema: (f) => f.z.strictObject({ url: f.externalUrl }), call: (url: string) => ({ url }),
  }),
  /** Every slot and launcher of the enabled plugins whose `ui.*` capability is approved. */
  'ui.contributions': method<UiContributions>()({ bridge: 'uiContributions', schema: (f) => f.noArgs, call: () => undefined }),
  'workspace.getProject': method<Project>()({
    bridge: 'getProject', schema: (f) => f.z.strictObject({ projectId: f.entityId }), call: (projectId: string) => ({ projectId }),
  }),
  'workspace.getTask': method<Task>()({
    bridge: 'getTask', schema: (f) => f.z.strictObject({ taskId: f.entityId }), call: (taskId: string) => ({ taskId }),
  }),
  /** Tasks matching every given filter, oldest first, at most 500. */
  'workspace.listTasks': method<Task[]>()({
    bridge: 'listTasks',
    schema: (f) => f.z.strictObject({
      projectId: f.entityId.optional(), status: f.taskStatus.optional(), priority: f.taskPriority.optional(),
      titleContains: f.z.string().max(MAX_TITLE_LENGTH).optional(),
    }),
    call: (query: WorkspaceTaskQuery) => query,
  }),
  /** `null` until the user first arranges the dashboard. */
  'dashboard.getLayout': method<DashboardLayout | null>()({ bridge: 'getDashboardLayout', schema: (f) => f.noArgs, call: () => undefined }),
  'dashboard.setLayout': method<DashboardLayout>()({
    bridge: 'setDashboardLayout',
    schema: (f) => f.z.strictObject({ entries: f.z.array(f.widgetKey).max(MAX_DASHBOARD_ENTRIES), hidden: f.z.array(f.widgetKey).max(MAX_DASHBOARD_ENTRIES) }),
    call: (layout: DashboardLayout) => layout,
  }),

  // Plugins from npm registries (Settings → Plugins → Browse)
  /** Packages with the `plinth-plugin` keyword matching the words (empty: all). */
  'catalog.search': method<CatalogSearchResult>()({
    bridge: 'searchCatalog', schema: (f) => f.z.strictObject({ text: f.z.string().max(MAX_TITLE_LENGTH) }), call: (text: string) => ({ text }),
  }),
  /** A package's details before install: version Install takes, capabilities in words, engines, README. */
  'catalog.details': method<CatalogDetails>()({
    bridge: 'catalogDetails', schema: (f) => f.z.strictObject({ name: f.pluginId }), call: (name: string) => ({ name }),
  }),
  /** Installs `name[@version]` like a file (same consent); progress arrives as `catalog.progress` to the calling window. */
  'catalog.install': method<InstallResult>()({
    bridge: 'installFromRegistry',
    schema: (f) => f.z.strictObject({ spec: f.z.string().min(1).max(MAX_PLUGIN_ID_LENGTH + MAX_VERSION_SPEC_LENGTH), allowDowngrade: f.z.boolean().optional() }),
    call: (spec: string, allowDowngrade?: boolean) => (allowDowngrade === undefined ? { spec } : { spec, allowDowngrade }),
  }),
  'catalog.checkUpdates': method<UpdateCheckReport>()({ bridge: 'checkForUpdates', schema: (f) => f.noArgs, call: () => undefined }),
  /** Pins a registry plugin at `version` (installed first when another is installed), or unpins with `null`. */
  'catalog.pin': method<PluginSummary>()({
    bridge: 'pinPlugin',
    schema: (f) => f.z.strictObject({ pluginId: f.pluginId, version: f.z.string().min(1).max(MAX_VERSION_SPEC_LENGTH).nullable() }),
    call: (pluginId: string, version: string | null) => ({ pluginId, version }),
  }),
  'registry.getPreferences': method<RegistryPreferencesView>()({ bridge: 'getRegistryPreferences', schema: (f) => f.noArgs, call: () => undefined }),
  /** Saves URL and scopes; stores (or with `value: null` deletes) a registry's token in the secret store. */
  'registry.setPreferences': method<RegistryPreferencesView>()({
    bridge: 'setRegistryPreferences',
    schema: (f) => f.z.strictObject({
      url: f.externalUrl.optional(),
      scopes: f.z.record(f.z.string().regex(/^@[a-z0-9][a-z0-9._~-]*$/), f.externalUrl).optional(),
      token: f.z.strictObject({ registry: f.externalUrl, value: f.z.string().min(1).max(4_096).nullable() }).optional(),
    }),
    call: (patch: { url?: string; scopes?: Record<string, string>; token?: { registry: string; value: string | null } }) => patch,
  }),
} as const;

/** The method table's type. */
export type MainMethods = typeof MAIN_METHODS;
/** A renderer → main method name. */
export type MainMethod = keyof MainMethods;
/** The payload of a method as main's handler receives it (after its schema). */
export type MainArgs<M extends MainMethod> = z.output<ReturnType<MainMethods[M]['schema']>>;
/** What a method resolves with. */
export type MainResult<M extends MainMethod> = MainMethods[M]['result'];
/** Renderer → main calls as functions: name → (payload) → result. */
export type MainApi = { [M in MainMethod]: (args: MainArgs<M>) => MainResult<M> };
/** The `window.plinth` functions derived from the table: one per method, named by its `bridge`. */
export type BridgeMethods = {
  [M in MainMethod as MainMethods[M]['bridge']]: (...args: Parameters<MainMethods[M]['call']>) => Promise<MainResult<M>>;
};

/** Builds every method's payload schema with main's zod (main/shell/ipc-handlers.ts; the preload never does). */
export function mainMethodSchemas(zod: Zod): { [M in MainMethod]: ReturnType<MainMethods[M]['schema']> } {
  const f = sharedFields(zod);
  return Object.fromEntries(Object.entries(MAIN_METHODS).map(([name, row]) => [name, (row.schema as (f: Fields) => z.ZodType)(f)])) as never;
}
