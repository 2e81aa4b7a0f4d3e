/**
 * The main-process side of the renderer ⇄ main contract (preload/api.ts): one zod schema and
 * one handler per `MainApi` method, and {@link IpcDispatch} which checks the sender and the
 * payload before calling the host. Electron binds it to `ipcMain.handle` (main/electron/ipc.ts);
 * the e2e harness binds the same function to `page.exposeBinding`.
 */
import { z } from 'zod';
import { SLOT_TYPES } from '../../sdk/protocol/capabilities.ts';
import { toWireError } from '../../sdk/protocol/errors.ts';
import type { AppInfo, IpcResult, MainApi, MainArgs, MainMethod } from '../../preload/api.ts';
import type { PlinthHost } from '../host/host-types.ts';

/** Longest plugin id: npm's package name limit. */
const MAX_PLUGIN_ID_LENGTH = 214;
/** Longest data/action key; keys are short identifiers chosen by the plugin author. */
const MAX_KEY_LENGTH = 200;
/** Shell documents allowed to call main (ARCHITECTURE.md: main validates the sender frame). */
const SHELL_PATHS = new Set(['/', '/index.html', '/settings.html']);

const noArgs = z.union([z.undefined(), z.null()]).transform(() => undefined);
const pluginId = z.string().min(1).max(MAX_PLUGIN_ID_LENGTH);
const pluginCall = z.strictObject({ pluginId, key: z.string().min(1).max(MAX_KEY_LENGTH), params: z.json() });

/** Where an IPC call came from, as the binding reports it. */
export interface IpcSender {
  /** URL of the calling frame. */
  url: string;
  /** True for a window's top-level frame; false for any iframe (such as a plugin frame). */
  isMainFrame: boolean;
}

/** What the handlers need. */
export interface IpcHandlerDeps {
  host: PlinthHost;
  /** Opens (or focuses) the settings window. */
  openSettings(): void;
  appInfo: AppInfo;
}

interface MethodHandler<M extends MainMethod> {
  schema: z.ZodType<MainArgs<M>, unknown>;
  run(args: MainArgs<M>): ReturnType<MainApi[M]> | Promise<ReturnType<MainApi[M]>>;
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
}

function refuse(code: string, message: string): IpcResult {
  return { ok: false, error: { code, message } };
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
  };
  const methods = Object.keys(table) as MainMethod[];

  async function call<M extends MainMethod>(method: M, payload: unknown): Promise<IpcResult> {
    const handler = table[method] as MethodHandler<M>;
    const parsed = handler.schema.safeParse(payload);
    if (!parsed.success) return refuse('INVALID_INPUT', `Invalid input for ${method}: ${describeIssues(parsed.error)}`);
    try {
      const value = await handler.run(parsed.data);
      return { ok: true, value: value ?? null };
    } catch (error) {
      const wire = toWireError(error, 'INTERNAL');
      return refuse(wire.code, wire.message);
    }
  }

  const dispatch: IpcDispatch = async (method, payload, sender, appOrigin) => {
    if (!Object.hasOwn(table, method)) return refuse('NOT_FOUND', `Unknown method "${method}"`);
    if (!isTrustedSender(sender, appOrigin)) {
      return refuse('CAPABILITY_DENIED', `Refused ${method}: only the app's own windows may call main (sender ${sender.url || 'unknown'}${sender.isMainFrame ? '' : ', a subframe'})`);
    }
    return call(method as MainMethod, payload);
  };
  return { methods, dispatch };
}
