/**
 * The main-process side of the renderer ⇄ main contract: one handler per row of the method
 * table (preload/main-methods.ts, which holds each method's zod schema), and {@link IpcDispatch}
 * which checks the sender and the payload before calling the host. Electron binds it to `ipcMain.handle` (main/electron/ipc.ts);
 * the e2e harness binds the same function to `page.exposeBinding`.
 */
import { z } from 'zod';
import { PlinthError, toWireError } from '../../sdk/protocol/errors.ts';
import type { AppInfo, IpcResult, PreferencesView } from '../../preload/api.ts';
import { mainMethodSchemas, type MainArgs, type MainMethod, type MainResult } from '../../preload/main-methods.ts';
import type { Host } from '../host/host.ts';
import { validatePreferencesPatch } from '../host/preferences.ts';
import { createPluginViews, type PluginViews } from './plugin-views.ts';
import { createStreamSubscriptions, type IpcPushTarget, type StreamSubscriptions } from './stream-subscriptions.ts';

/** Shell documents allowed to call main (ARCHITECTURE.md: main validates the sender frame). */
const SHELL_PATHS = new Set(['/', '/index.html', '/settings.html']);
/** Every method's payload schema, from the method table. */
const SCHEMAS = mainMethodSchemas(z);

/** Where an IPC call came from, as the binding reports it. */
export interface IpcSender {
  /** URL of the calling frame. */
  url: string;
  /** True for a window's top-level frame; false for any iframe (such as a plugin frame). */
  isMainFrame: boolean;
  /** The calling window, for methods that push notifications back to it (streams); absent where a binding cannot push. */
  target?: IpcPushTarget;
}

/** What the handlers need. */
export interface IpcHandlerDeps {
  /** The host core; handlers call its modules directly. */
  host: Host;
  /** The shell's view models of the host; default: built from `host`. */
  views?: PluginViews;
  /** Opens (or focuses) the settings window. */
  openSettings(): void;
  appInfo: AppInfo;
  /**
   * Shows the OS file or folder picker; resolves with the chosen path or `null` when cancelled.
   * Electron only: without it `dialog.pick` answers `NOT_READY` and the shell shows a path field.
   */
  pick?: (kind: 'archive' | 'folder') => Promise<string | null>;
  /** The origin of a plugin's frames (main/shell/plugin-origins.ts); without it slots carry no `frameUrl`. */
  pluginOrigin?: (pluginId: string) => string;
  /**
   * Told after each saved change of the preferences, whichever method or host module made it
   * (the preferences store's `onChange`), e.g. to apply `theme` and send every window
   * `preferences.changed`.
   */
  onPreferencesChanged?: (preferences: PreferencesView) => void;
  /**
   * Opens an http(s) URL in the system browser (Electron: `shell.openExternal`). The shell asks
   * the user before it calls this. Without it `shell.openExternal` answers `NOT_READY`.
   */
  openExternal?: (url: string) => Promise<void> | void;
}

/**
 * One handler per row of the method table (preload/main-methods.ts), called with the payload
 * its schema accepted. A method without a handler is a compile error here.
 */
type HandlerTable = { [M in MainMethod]: (args: MainArgs<M>, sender: IpcSender) => MainResult<M> | Promise<MainResult<M>> };

/**
 * Checks sender and payload, then calls the host.
 * @param method a `MainMethod` name; anything else is refused with `NOT_FOUND`.
 * @param appOrigin `scheme://host[:port]` the shell is served from (`plinth://app`).
 * @returns never rejects: `{ ok: false, error: { code, message } }` with `CAPABILITY_DENIED`
 *   for a foreign sender, `INVALID_INPUT` naming the field for a bad payload, or the host's code.
 */
export type IpcDispatch = (method: string, payload: unknown, sender: IpcSender, appOrigin: string) => Promise<IpcResult>;

/** The handler table and its dispatcher. */
export interface IpcHandlers {
  /** Every method name, for bindings that register one channel per method. */
  methods: readonly MainMethod[];
  dispatch: IpcDispatch;
  /** The windows' stream subscriptions (closed by the bindings when a window goes away). */
  streams: StreamSubscriptions;
}

function refuse(code: string, message: string, data?: IpcErrorData): IpcResult {
  return { ok: false, error: { code, message, ...(data !== undefined ? { data } : {}) } };
}
type IpcErrorData = Extract<IpcResult, { ok: false }>['error']['data'];

function targetOf(sender: IpcSender): IpcPushTarget {
  if (!sender.target) throw new PlinthError('NOT_READY', 'This window cannot receive stream events');
  return sender.target;
}

/** True when `sender` is the top-level frame of a shell document on `appOrigin`. */
export function isTrustedSender(sender: IpcSender, appOrigin: string): boolean {
  if (!sender.isMainFrame) return false;
  let url: URL;
  try {
    url = new URL(sender.url);
  } catch {
    return false;
  }
  // WHATWG URL gives "null" as the origin of non-special schemes such as plinth:, so compare by parts.
  return `${url.protocol}//${url.host}` === appOrigin && SHELL_PATHS.has(url.pathname);
}

/**
 * The preferences patch checked by the preferences module's own rules before it reaches the
 * host (one rule set; its messages name the field and range), refused as the schema would.
 */
function checkedPreferencesPatch(patch: unknown): Partial<PreferencesView> {
  try {
    return validatePreferencesPatch(patch);
  } catch (error) {
    throw new PlinthError('INVALID_INPUT', `Invalid input for preferences.set: patch: ${(error as Error).message}`);
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}

/** Drops the keys zod left `undefined`, so optional filters stay absent (exactOptionalPropertyTypes). */
function definedOnly<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

/** Builds the handler table for one host. */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { host } = deps;
  const views = deps.views ?? createPluginViews(host);
  const streams = createStreamSubscriptions(host.ui);
  const { onPreferencesChanged } = deps;
  if (onPreferencesChanged) host.preferences.onChange((preferences) => onPreferencesChanged(preferences));
  /** Points a contribution's frames at its plugin's own origin (main/shell/plugin-origins.ts). */
  const withFrameUrl = <C extends { pluginId: string }>(c: C): C & { frameUrl?: string } =>
    (deps.pluginOrigin ? { ...c, frameUrl: `${deps.pluginOrigin(c.pluginId)}/frame.html` } : c);
  const table: HandlerTable = {
    'app.info': () => deps.appInfo,
    'plugins.list': () => views.summaries(),
    'plugins.setEnabled': async (args) => {
      await host.management.setEnabled(args.pluginId, args.enabled);
      return views.summary(args.pluginId);
    },
    'plugin.data': (args) => host.ui.data(args.pluginId, args.key, args.params),
    'plugin.action': (args) => host.ui.action(args.pluginId, args.key, args.params),
    'plugin.refusedRequests': (args) => host.rateLimits.recordRefused(args.pluginId, 'ui', args.count),
    'window.openSettings': () => deps.openSettings(),
    // Plugin management
    'plugins.installFromFile': async (args) =>
      views.installResult(await host.management.installFromFile(args.path, { allowDowngrade: args.allowDowngrade === true })),
    'plugins.loadUnpacked': async (args) => views.summary(await host.management.loadUnpacked(args.path)),
    'plugins.enable': async (args) => {
      await host.management.enable(args.pluginId, { approveCapabilities: args.approveCapabilities });
      return views.summary(args.pluginId);
    },
    'plugins.approveUpgrade': async (args) => {
      await host.management.approveUpgrade(args.pluginId);
      return views.summary(args.pluginId);
    },
    'plugins.declineUpgrade': async (args) => {
      await host.management.declineUpgrade(args.pluginId);
      return views.summary(args.pluginId);
    },
    'plugins.uninstall': (args) => host.management.uninstall(args.pluginId),
    'plugins.listUninstalled': () => views.uninstalled(),
    'plugins.restore': async (args) => {
      await host.management.restore(args.pluginId);
      return views.summary(args.pluginId);
    },
    'plugins.purge': (args) => host.management.purge(args.pluginId),
    'plugins.reload': async (args) => {
      await host.management.reload(args.pluginId);
      return views.summary(args.pluginId);
    },
    'plugins.logs': (args) => host.ops.logs(args.pluginId, args.afterSeq),
    'plugins.running': () => views.running(),
    'permissions.pending': () => views.permissionPrompts(),
    'permissions.answer': (args) => host.permissions.answer(args.requestId, args.allow),
    'permissions.revoke': (args) => {
      host.permissions.revoke(args.pluginId, args.capability);
      return views.summary(args.pluginId);
    },
    'config.get': (args) => host.config.view(args.pluginId),
    'config.save': (args) => host.config.save(args.pluginId, args.values),
    'config.test': (args) => host.config.test(args.pluginId, args.values),
    'preferences.get': () => host.ops.getPreferences(),
    'app.startupNotices': () => host.startupNotices(),
    'backups.list': () => host.backups.view(),
    'backups.create': () => host.backups.backupNow(),
    'backups.restore': (args) => host.backups.requestRestore(args.name),
    'backups.cancelRestore': () => host.backups.cancelRestore(),
    'preferences.set': (args) => host.ops.setPreferences(checkedPreferencesPatch(args.patch)),
    'dialog.pick': (args) => {
      if (!deps.pick) throw new PlinthError('NOT_READY', 'A file picker is not available here: type the path instead');
      return deps.pick(args.kind);
    },
    // Workspace and services
    'activity.list': (args) => host.ops.listActivity(args),
    'jobs.list': (args) => views.jobs(args.pluginId),
    'jobs.runNow': (args) => host.ops.runJobNow(args.pluginId, args.jobKey),
    'jobs.retry': (args) => host.ops.retryJobRun(args.pluginId, args.runId),
    'webhooks.list': (args) => views.webhooks(args.pluginId),
    'tools.list': () => views.tools(),
    'tools.call': (args) => host.services.tools.call(args.name, args.params),
    'mcp.status': () => views.mcpStatus(),
    'mcp.setEnabled': async (args) => {
      await host.ops.setMcpEnabled(args.enabled);
      return views.mcpStatus();
    },
    'workspace.overview': () => host.ops.workspaceOverview(),
    'workspace.createProject': (args) => host.ops.createProject(args),
    'workspace.updateProject': (args) => host.ops.updateProject(args.projectId, args.patch),
    'workspace.deleteProject': (args) => host.ops.deleteProject(args.projectId),
    'workspace.createTask': (args) => host.ops.createTask(args),
    'workspace.updateTask': (args) => host.ops.updateTask(args.taskId, args.patch),
    'workspace.deleteTask': (args) => host.ops.deleteTask(args.taskId),
    'workspace.listComments': (args) => host.ops.listComments(args.taskId),
    'workspace.addComment': (args) => host.ops.addComment(args.taskId, args.body),
    'workspace.deleteComment': (args) => host.ops.deleteComment(args.commentId),
    'streams.subscribe': (args, sender) => streams.subscribe(targetOf(sender), args.pluginId, args.channel),
    'streams.unsubscribe': (args, sender) => streams.unsubscribe(targetOf(sender), args.subscriptionId),
    'shell.openExternal': async (args) => {
      if (!deps.openExternal) throw new PlinthError('NOT_READY', 'Opening links in the system browser is not available here');
      await deps.openExternal(args.url);
    },
    'ui.contributions': () => {
      const contributions = views.contributions();
      if (!deps.pluginOrigin) return contributions;
      return { slots: contributions.slots.map(withFrameUrl), launchers: contributions.launchers.map(withFrameUrl) };
    },
    'workspace.getProject': (args) => host.shellOps.getProject(args.projectId),
    'workspace.getTask': (args) => host.shellOps.getTask(args.taskId),
    'workspace.listTasks': (args) => host.shellOps.listTasks(definedOnly(args)),
    'dashboard.getLayout': () => host.shellOps.getDashboardLayout(),
    'dashboard.setLayout': (args) => host.shellOps.setDashboardLayout(args),
    'catalog.search': (args) => host.registryPlugins.search(args.text),
    'catalog.details': (args) => host.registryPlugins.details(args.name),
    'catalog.install': async (args, sender) => views.installResult(await host.registryPlugins.install(args.spec, {
      ...(args.allowDowngrade ? { allowDowngrade: true } : {}),
      onProgress: (progress) => { void sender.target?.push('catalog.progress', progress); },
    })),
    'catalog.checkUpdates': () => host.registryPlugins.checkForUpdates(),
    'catalog.pin': async (args) => {
      await host.registryPlugins.pin(args.pluginId, args.version);
      return views.summary(args.pluginId);
    },
    'registry.getPreferences': () => host.registryPlugins.registryPreferences(),
    'registry.setPreferences': (args) => host.registryPlugins.setRegistryPreferences(definedOnly(args)),
  };
  const methods = Object.keys(table) as MainMethod[];

  async function call<M extends MainMethod>(method: M, payload: unknown, sender: IpcSender): Promise<IpcResult> {
    const parsed = (SCHEMAS[method] as z.ZodType).safeParse(payload);
    if (!parsed.success) return refuse('INVALID_INPUT', `Invalid input for ${method}: ${describeIssues(parsed.error)}`);
    try {
      const handler = table[method] as (args: unknown, sender: IpcSender) => unknown;
      const value = await handler(parsed.data, sender);
      return { ok: true, value: value ?? null };
    } catch (error) {
      const wire = toWireError(error, 'INTERNAL');
      return refuse(wire.code, wire.message, wire.data);
    }
  }

  const dispatch: IpcDispatch = async (method, payload, sender, appOrigin) => {
    if (!Object.hasOwn(table, method)) return refuse('NOT_FOUND', `Unknown method "${method}"`);
    if (!isTrustedSender(sender, appOrigin)) {
      return refuse('CAPABILITY_DENIED', `Refused ${method}: only the app's own windows may call main (sender ${sender.url || 'unknown'}${sender.isMainFrame ? '' : ', a subframe'})`);
    }
    return call(method as MainMethod, payload, sender);
  };
  return { methods, dispatch, streams };
}
