/**
 * `window.plinth`: the typed bridge the shell calls (preload/api.ts). Pure and electron-free,
 * so the e2e harness installs this same code with a Playwright binding as its transport.
 * One function per main method; no generic channel is exposed to the renderer.
 */
import type { Json } from '../sdk/protocol/json.ts';
import type { IpcResult, MainApi, MainArgs, MainEvents, MainMethod, PlinthBridge } from './api.ts';

/** How the bridge reaches main. */
export interface BridgeTransport {
  /** Sends one call; resolves with main's {@link IpcResult} envelope. */
  invoke(method: MainMethod, payload: unknown): Promise<unknown>;
  /** Registers the single listener for main → renderer notifications. */
  subscribe(listener: (event: string, payload: unknown) => void): void;
  /** Path of a dropped file (Electron: `webUtils.getPathForFile`); absent → every file has no path (`''`). */
  pathForFile?(file: File): string;
}

/** An error from main, with the machine-readable code of sdk/protocol/errors.ts and its details, if any. */
export interface BridgeError extends Error { code: string; data?: Json }

function bridgeError(code: string, message: string, data?: Json): BridgeError {
  const error = new Error(message) as BridgeError;
  error.code = code;
  if (data !== undefined) error.data = data;
  return error;
}

function isIpcResult(value: unknown): value is IpcResult {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (v.ok === true) return 'value' in v;
  return v.ok === false && typeof v.error?.code === 'string' && typeof v.error.message === 'string';
}

/**
 * Builds the bridge over a transport.
 * Every method resolves with main's result or rejects with a {@link BridgeError}: main's own
 * code, or `INTERNAL` when the transport fails or answers something malformed.
 */
export function createBridge(transport: BridgeTransport): PlinthBridge {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  transport.subscribe((event, payload) => {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload as never);
      } catch (error) {
        // One broken listener must not stop the others from hearing the event.
        console.error(`plinth: a "${event}" listener threw`, error);
      }
    }
  });

  async function call<M extends MainMethod>(method: M, payload: MainArgs<M>): Promise<Awaited<ReturnType<MainApi[M]>>> {
    let result: unknown;
    try {
      result = await transport.invoke(method, payload);
    } catch (error) {
      throw bridgeError('INTERNAL', `Call ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isIpcResult(result)) throw bridgeError('INTERNAL', `Call ${method} got a malformed answer from main`);
    if (!result.ok) throw bridgeError(result.error.code, result.error.message, result.error.data);
    return result.value as Awaited<ReturnType<MainApi[M]>>;
  }

  const bridge: PlinthBridge = {
    appInfo: () => call('app.info', undefined),
    listPlugins: () => call('plugins.list', undefined),
    setPluginEnabled: (pluginId, enabled) => call('plugins.setEnabled', { pluginId, enabled }),
    listSlots: (slotType) => call('slots.list', { slotType }),
    pluginData: (pluginId, key, params) => call('plugin.data', { pluginId, key, params }),
    pluginAction: (pluginId, key, params) => call('plugin.action', { pluginId, key, params }),
    openSettings: async () => {
      await call('window.openSettings', undefined);
    },
    installFromFile: (path, allowDowngrade) => call('plugins.installFromFile', allowDowngrade === undefined ? { path } : { path, allowDowngrade }),
    loadUnpacked: (path) => call('plugins.loadUnpacked', { path }),
    enablePlugin: (pluginId, approveCapabilities) => call('plugins.enable', { pluginId, approveCapabilities }),
    approveUpgrade: (pluginId) => call('plugins.approveUpgrade', { pluginId }),
    declineUpgrade: (pluginId) => call('plugins.declineUpgrade', { pluginId }),
    uninstallPlugin: async (pluginId) => {
      await call('plugins.uninstall', { pluginId });
    },
    listUninstalled: () => call('plugins.listUninstalled', undefined),
    restorePlugin: (pluginId) => call('plugins.restore', { pluginId }),
    purgePlugin: async (pluginId) => {
      await call('plugins.purge', { pluginId });
    },
    reloadPlugin: (pluginId) => call('plugins.reload', { pluginId }),
    pluginLogs: (pluginId, afterSeq) => call('plugins.logs', afterSeq === undefined ? { pluginId } : { pluginId, afterSeq }),
    runningPlugins: () => call('plugins.running', undefined),
    getConfig: (pluginId) => call('config.get', { pluginId }),
    saveConfig: (pluginId, values) => call('config.save', { pluginId, values }),
    testConfig: (pluginId, values) => call('config.test', { pluginId, values }),
    getPreferences: () => call('preferences.get', undefined),
    setPreferences: (patch) => call('preferences.set', { patch }),
    pick: (kind) => call('dialog.pick', { kind }),
    listActivity: (query) => call('activity.list', query),
    listJobs: (pluginId) => call('jobs.list', { pluginId }),
    runJobNow: (pluginId, jobKey) => call('jobs.runNow', { pluginId, jobKey }),
    listWebhooks: (pluginId) => call('webhooks.list', { pluginId }),
    mcpStatus: () => call('mcp.status', undefined),
    setMcpEnabled: (enabled) => call('mcp.setEnabled', { enabled }),
    workspaceOverview: () => call('workspace.overview', undefined),
    createProject: (input) => call('workspace.createProject', input),
    updateProject: (projectId, patch) => call('workspace.updateProject', { projectId, patch }),
    deleteProject: async (projectId) => {
      await call('workspace.deleteProject', { projectId });
    },
    createTask: (input) => call('workspace.createTask', input),
    updateTask: (taskId, patch) => call('workspace.updateTask', { taskId, patch }),
    deleteTask: async (taskId) => {
      await call('workspace.deleteTask', { taskId });
    },
    listComments: (taskId) => call('workspace.listComments', { taskId }),
    addComment: (taskId, body) => call('workspace.addComment', { taskId, body }),
    deleteComment: async (commentId) => {
      await call('workspace.deleteComment', { commentId });
    },
    subscribeStream: (pluginId, channel) => call('streams.subscribe', { pluginId, channel }),
    unsubscribeStream: async (subscriptionId) => {
      await call('streams.unsubscribe', { subscriptionId });
    },
    pathForFile: (file) => {
      try {
        return transport.pathForFile?.(file) ?? '';
      } catch {
        // Electron throws for a File that is not backed by a file on disk: it has no path.
        return '';
      }
    },
    on<E extends keyof MainEvents>(event: E, listener: (payload: MainEvents[E]) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const entry = listener as (payload: never) => void;
      set.add(entry);
      return () => {
        set.delete(entry);
      };
    },
  };
  return Object.freeze(bridge);
}
