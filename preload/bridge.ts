/**
 * `window.plinth`: the typed bridge the shell calls (preload/api.ts). Pure and electron-free,
 * so the e2e harness installs this same code with a Playwright binding as its transport.
 * One function per row of the method table (preload/main-methods.ts); no generic channel is
 * exposed to the renderer.
 */
import type { Json } from '../sdk/protocol/json.ts';
import type { IpcResult, MainEvents, PlinthBridge } from './api.ts';
import { MAIN_METHODS, type BridgeMethods, type MainMethod, type MainMethods, type MainResult } from './main-methods.ts';

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

  async function call<M extends MainMethod>(method: M, payload: unknown): Promise<MainResult<M>> {
    let result: unknown;
    try {
      result = await transport.invoke(method, payload);
    } catch (error) {
      throw bridgeError('INTERNAL', `Call ${method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (!isIpcResult(result)) throw bridgeError('INTERNAL', `Call ${method} got a malformed answer from main`);
    if (!result.ok) throw bridgeError(result.error.code, result.error.message, result.error.data);
    return (MAIN_METHODS[method].noResult ? undefined : result.value) as MainResult<M>;
  }

  // One function per row of the method table, named by its `bridge`: never a generic channel.
  const methods: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [method, row] of Object.entries(MAIN_METHODS) as Array<[MainMethod, MainMethods[MainMethod]]>) {
    const toPayload = row.call as (...args: unknown[]) => unknown;
    methods[row.bridge] = (...args: unknown[]) => call(method, toPayload(...args));
  }

  const bridge: PlinthBridge = {
    ...(methods as unknown as BridgeMethods),
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
