/**
 * The messages of the dev shell's bridge socket, JSON text frames both ways. The browser sends
 * one {@link CallMessage} per `window.plinth` call; the server answers each with a
 * {@link ResultMessage} carrying the same {@link IpcResult} envelope Electron's `ipcMain.handle`
 * returns, and pushes main → renderer notifications as {@link EventMessage}s.
 */
import type { IpcResult } from '../../preload/api.ts';
export { SHELL_DOCUMENTS } from '../shell/shell-documents.ts';

/** Path of the bridge socket on the shell's origin. */
export const BRIDGE_SOCKET_PATH = '/__plinth/bridge';
/** Path of the bridge script the dev server adds to every shell document. */
export const BRIDGE_SCRIPT_PATH = '/__plinth/dev-bridge.js';
/** Query parameter of the token, in the page URL the CLI opens and in the socket URL. */
export const TOKEN_PARAM = 'token';
/** Query parameter of the socket URL naming the shell document the bridge runs in. */
export const DOCUMENT_PARAM = 'document';

/** Browser → server: one call of the method table. */
export interface CallMessage { id: number; method: string; payload: unknown }
/** Server → browser: the answer to the call with the same `id`. */
export interface ResultMessage { id: number; result: IpcResult }
/** Server → browser: one `MainEvents` notification. */
export interface EventMessage { event: string; payload: unknown }

/** A call message, or `null` when `text` is not one (the server then closes the socket). */
export function parseCallMessage(text: string): CallMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { id, method, payload } = value as Partial<CallMessage>;
  if (!Number.isSafeInteger(id) || typeof method !== 'string') return null;
  return { id: id as number, method, payload };
}
