/**
 * The main-process side of the renderer ⇄ main contract (preload/api.ts): one zod schema and
 * one handler per `MainApi` method, and {@link IpcDispatch} which checks the sender and the
 * payload before calling the host. Electron binds it to `ipcMain.handle` (main/electron/ipc.ts);
 * the e2e harness binds the same function to `page.exposeBinding`.
 */
import path from 'node:path';
import { z } from 'zod';
import { SLOT_TYPES } from '../../sdk/protocol/capabilities.ts';
import { TASK_PRIORITIES, TASK_STATUSES } from '../../sdk/protocol/entities.ts';
import { PlinthError, toWireError } from '../../sdk/protocol/errors.ts';
import type { AppInfo, IpcResult, MainApi, MainArgs, MainMethod, PreferencesView } from '../../preload/api.ts';
import { validatePreferencesPatch } from '../host/preferences.ts';
import type { PlinthHost } from '../host/host-types.ts';
import { MAX_ID_LENGTH, MAX_TEXT_BYTES, MAX_TITLE_LENGTH } from '../host/services/workspace/index.ts';
import { createStreamSubscriptions, type IpcPushTarget, type StreamSubscriptions } from './stream-subscriptions.ts';

/** Longest plugin id: npm's package name limit. */
const MAX_PLUGIN_ID_LENGTH = 214;
/** Longest data/action key; keys are short identifiers chosen by the plugin author. */
const MAX_KEY_LENGTH = 200;
/** Longest file-system path accepted (Linux PATH_MAX). */
const MAX_PATH_LENGTH = 4096;
/** Longest opaque id or cursor the shell sends back (subscription ids, activity cursors). */
const MAX_TOKEN_LENGTH = 1000;
/** Most activity entries one page may ask for. */
const MAX_ACTIVITY_PAGE = 500;
/** Shell documents allowed to call main (ARCHITECTURE.md: main validates the sender frame). */
const SHELL_PATHS = new Set(['/', '/index.html', '/settings.html']);

const noArgs = z.union([z.undefined(), z.null()]).transform(() => undefined);
const pluginId = z.string().min(1).max(MAX_PLUGIN_ID_LENGTH);
const key = z.string().min(1).max(MAX_KEY_LENGTH);
const pluginCall = z.strictObject({ pluginId, key, params: z.json() });
const onePlugin = z.strictObject({ pluginId });
const filePath = z.string().min(1).max(MAX_PATH_LENGTH)
  .refine((p) => !p.includes('\0'), 'must not contain a NUL character')
  .refine((p) => path.isAbsolute(p), 'must be an absolute path (a file or folder on this computer)');
const jsonObject = z.record(z.string(), z.json());
const configCall = z.strictObject({ pluginId, values: jsonObject });
/** A preferences patch, checked at the boundary by the preferences module's own rules (one rule set, its messages name the field and range). */
const preferencesPatch = z.unknown().transform((value, ctx) => {
  try {
    return validatePreferencesPatch(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

// Workspace payloads: bounded here with the workspace's own limits, so an oversized value never
// reaches the host; the workspace service still checks everything (emptiness, exact UTF-8 size).
const must = (kind: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${kind}`);
const entityId = z.string({ error: must('a string id') }).min(1, { error: 'must not be empty' })
  .max(MAX_ID_LENGTH, { error: `must be at most ${MAX_ID_LENGTH} characters` });
/** A name or title, trimmed as the workspace trims it. */
const title = z.string({ error: must('a string') }).trim()
  .max(MAX_TITLE_LENGTH, { error: `must be at most ${MAX_TITLE_LENGTH} characters` });
/** Free text. A UTF-16 code unit is at least one UTF-8 byte, so this length bound never refuses a text the service accepts. */
const text = z.string({ error: must('a string') })
  .max(MAX_TEXT_BYTES, { error: `must be at most ${MAX_TEXT_BYTES} bytes` });
const taskStatus = z.enum(TASK_STATUSES, { error: `must be one of ${TASK_STATUSES.join(', ')}` });
const taskPriority = z.enum(TASK_PRIORITIES, { error: `must be one of ${TASK_PRIORITIES.join(', ')}` });
const projectInput = z.strictObject({ name: title, description: text.optional() });
const taskInput = z.strictObject({ projectId: entityId, title, description: text.optional(), priority: taskPriority.optional() });
const taskPatch = z.strictObject({ title: title.optional(), description: text.optional(), status: taskStatus.optional(), priority: taskPriority.optional() });

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
  host: PlinthHost;
  /** Opens (or focuses) the settings window. */
  openSettings(): void;
  appInfo: AppInfo;
  /**
   * Shows the OS file or folder picker; resolves with the chosen path or `null` when cancelled.
   * Electron only: without it `dialog.pick` answers `NOT_READY` and the shell shows a path field.
   */
  pick?: (kind: 'archive' | 'folder') => Promise<string | null>;
  /** Told after the preferences changed, e.g. to apply `theme` to every window (Electron: `nativeTheme.themeSource`). */
  onPreferencesChanged?: (preferences: PreferencesView) => void;
}

interface MethodHandler<M extends MainMethod> {
  schema: z.ZodType<MainArgs<M>, unknown>;
  run(args: MainArgs<M>, sender: IpcSender): ReturnType<MainApi[M]> | Promise<ReturnType<MainApi[M]>>;
}
type HandlerTable = { [M in MainMethod]: MethodHandler<M> };

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

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}

/** Builds the handler table for one host. */
export function createIpcHandlers(deps: IpcHandlerDeps): IpcHandlers {
  const { host } = deps;
  const streams = createStreamSubscriptions(host);
  const table: HandlerTable = {
    'app.info': { schema: noArgs, run: () => deps.appInfo },
    'plugins.list': { schema: noArgs, run: () => host.listPlugins() },
    'plugins.setEnabled': {
      schema: z.strictObject({ pluginId, enabled: z.boolean() }),
      run: (args) => host.setEnabled(args.pluginId, args.enabled),
    },
    'slots.list': { schema: z.strictObject({ slotType: z.enum(SLOT_TYPES) }), run: (args) => host.listSlots(args.slotType) },
    'plugin.data': { schema: pluginCall, run: (args) => host.callData(args.pluginId, args.key, args.params) },
    'plugin.action': { schema: pluginCall, run: (args) => host.performAction(args.pluginId, args.key, args.params) },
    'window.openSettings': { schema: noArgs, run: () => deps.openSettings() },
    // Plugin management
    'plugins.installFromFile': {
      schema: z.strictObject({ path: filePath, allowDowngrade: z.boolean().optional() }),
      run: (args) => host.installFromFile(args.path, { allowDowngrade: args.allowDowngrade === true }),
    },
    'plugins.loadUnpacked': { schema: z.strictObject({ path: filePath }), run: (args) => host.loadUnpacked(args.path) },
    'plugins.enable': {
      schema: z.strictObject({ pluginId, approveCapabilities: z.boolean() }),
      run: (args) => host.enable(args.pluginId, { approveCapabilities: args.approveCapabilities }),
    },
    'plugins.approveUpgrade': { schema: onePlugin, run: (args) => host.approveUpgrade(args.pluginId) },
    'plugins.declineUpgrade': { schema: onePlugin, run: (args) => host.declineUpgrade(args.pluginId) },
    'plugins.uninstall': { schema: onePlugin, run: (args) => host.uninstall(args.pluginId) },
    'plugins.listUninstalled': { schema: noArgs, run: () => host.listUninstalled() },
    'plugins.restore': { schema: onePlugin, run: (args) => host.restore(args.pluginId) },
    'plugins.purge': { schema: onePlugin, run: (args) => host.purge(args.pluginId) },
    'plugins.reload': { schema: onePlugin, run: (args) => host.reload(args.pluginId) },
    'plugins.logs': {
      schema: z.strictObject({ pluginId, afterSeq: z.number().int().min(0).optional() }),
      run: (args) => host.pluginLogs(args.pluginId, args.afterSeq),
    },
    'plugins.running': { schema: noArgs, run: () => host.runningPlugins() },
    'config.get': { schema: onePlugin, run: (args) => host.getConfig(args.pluginId) },
    'config.save': { schema: configCall, run: (args) => host.saveConfig(args.pluginId, args.values) },
    'config.test': { schema: configCall, run: (args) => host.testConfig(args.pluginId, args.values) },
    'preferences.get': { schema: noArgs, run: () => host.getPreferences() },
    'preferences.set': {
      schema: z.strictObject({ patch: preferencesPatch }),
      run: async (args) => {
        const preferences = await host.setPreferences(args.patch);
        deps.onPreferencesChanged?.(preferences);
        return preferences;
      },
    },
    'dialog.pick': {
      schema: z.strictObject({ kind: z.enum(['archive', 'folder']) }),
      run: (args) => {
        if (!deps.pick) throw new PlinthError('NOT_READY', 'A file picker is not available here: type the path instead');
        return deps.pick(args.kind);
      },
    },
    // Workspace and services
    'activity.list': {
      schema: z.strictObject({
        pluginId: pluginId.optional(),
        limit: z.number().int().min(1).max(MAX_ACTIVITY_PAGE).optional(),
        cursor: z.string().min(1).max(MAX_TOKEN_LENGTH).optional(),
      }),
      run: (args) => host.listActivity(args),
    },
    'jobs.list': { schema: onePlugin, run: (args) => host.listJobs(args.pluginId) },
    'jobs.runNow': { schema: z.strictObject({ pluginId, jobKey: key }), run: (args) => host.runJobNow(args.pluginId, args.jobKey) },
    'webhooks.list': { schema: onePlugin, run: (args) => host.listWebhooks(args.pluginId) },
    'mcp.status': { schema: noArgs, run: () => host.mcpStatus() },
    'mcp.setEnabled': { schema: z.strictObject({ enabled: z.boolean() }), run: (args) => host.setMcpEnabled(args.enabled) },
    'workspace.overview': { schema: noArgs, run: () => host.workspaceOverview() },
    'workspace.createProject': { schema: projectInput, run: (args) => host.createProject(args) },
    'workspace.updateProject': {
      schema: z.strictObject({ projectId: entityId, patch: projectInput.partial() }),
      run: (args) => host.updateProject(args.projectId, args.patch),
    },
    'workspace.deleteProject': { schema: z.strictObject({ projectId: entityId }), run: (args) => host.deleteProject(args.projectId) },
    'workspace.createTask': { schema: taskInput, run: (args) => host.createTask(args) },
    'workspace.updateTask': {
      schema: z.strictObject({ taskId: entityId, patch: taskPatch }),
      run: (args) => host.updateTask(args.taskId, args.patch),
    },
    'workspace.deleteTask': { schema: z.strictObject({ taskId: entityId }), run: (args) => host.deleteTask(args.taskId) },
    'workspace.listComments': { schema: z.strictObject({ taskId: entityId }), run: (args) => host.listComments(args.taskId) },
    'workspace.addComment': {
      schema: z.strictObject({ taskId: entityId, body: text }),
      run: (args) => host.addComment(args.taskId, args.body),
    },
    'workspace.deleteComment': { schema: z.strictObject({ commentId: entityId }), run: (args) => host.deleteComment(args.commentId) },
    'streams.subscribe': {
      schema: z.strictObject({ pluginId, channel: key }),
      run: (args, sender) => streams.subscribe(targetOf(sender), args.pluginId, args.channel),
    },
    'streams.unsubscribe': {
      schema: z.strictObject({ subscriptionId: z.string().min(1).max(MAX_TOKEN_LENGTH) }),
      run: (args, sender) => streams.unsubscribe(targetOf(sender), args.subscriptionId),
    },
  };
  const methods = Object.keys(table) as MainMethod[];

  async function call<M extends MainMethod>(method: M, payload: unknown, sender: IpcSender): Promise<IpcResult> {
    const handler = table[method] as MethodHandler<M>;
    const parsed = handler.schema.safeParse(payload);
    if (!parsed.success) return refuse('INVALID_INPUT', `Invalid input for ${method}: ${describeIssues(parsed.error)}`);
    try {
      const value = await handler.run(parsed.data, sender);
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
