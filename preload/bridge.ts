/**
 * `window.plinth`: the typed bridge the shell calls (preload/api.ts). Pure and electron-free,
 * so the e2e harness installs this same code with a Playwright binding as its transport.
 * One function per main method; no generic channel is exposed to the renderer.
 */
import type { IpcResult, MainArgs, MainEvents, MainMethod, PlinthBridge } from './api.ts';

/** How the bridge reaches main. */
export interface BridgeTransport {
  /** Sends one call; resolves with main's {@link IpcResult} envelope. */
  invoke(method: MainMethod, payload: unknown): Promise<unknown>;
  /** Registers the single listener for main → renderer notifications. */
  subscribe(listener: (event: string, payload: unknown) => void): void;
}

/** An error from main, with the machine-readable code of sdk/protocol/errors.ts. */
export interface BridgeError extends Error { code: string }

function bridgeError(code: string, message: string): BridgeError {
  const error = new Error(message) as BridgeError;
  error.code = code;
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

  async function call<M extends MainMethod>(method: M, payload: MainArgs<M>): Promise<unknown> {
    let result: unknown;
    try {
      result = await transport.invoke(method, payload);
    } catch (error) {
      throw bridgeError('INTERNAL', `Call ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isIpcResult(result)) throw bridgeError('INTERNAL', `Call ${method} got a malformed answer from main`);
    if (!result.ok) throw bridgeError(result.error.code, result.error.message);
    return result.value;
  }

  const bridge: PlinthBridge = {
    appInfo: async () => (await call('app.info', undefined)) as Awaited<ReturnType<PlinthBridge['appInfo']>>,
    listPlugins: async () => (await call('plugins.list', undefined)) as Awaited<ReturnType<PlinthBridge['listPlugins']>>,
    setPluginEnabled: async (pluginId, enabled) =>
      (await call('plugins.setEnabled', { pluginId, enabled })) as Awaited<ReturnType<PlinthBridge['setPluginEnabled']>>,
    listSlots: async (slotType) => (await call('slots.list', { slotType })) as Awaited<ReturnType<PlinthBridge['listSlots']>>,
    pluginData: async (pluginId, key, params) =>
      (await call('plugin.data', { pluginId, key, params })) as Awaited<ReturnType<PlinthBridge['pluginData']>>,
    pluginAction: async (pluginId, key, params) =>
      (await call('plugin.action', { pluginId, key, params })) as Awaited<ReturnType<PlinthBridge['pluginAction']>>,
    openSettings: async () => {
      await call('window.openSettings', undefined);
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
