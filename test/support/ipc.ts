/** What the IPC handler tests share: the app origin, a main-window sender and reading a refusal. */
import assert from 'node:assert/strict';
import type { IpcResult } from '../../preload/api.ts';

/** The app origin the handlers are created for. */
export const ORIGIN = 'plinth://app';
/** A sender that is the main window's top-level document. */
export const MAIN = { url: 'plinth://app/index.html', isMainFrame: true };

/** The error of a refused call; fails the test when the call succeeded. */
export function errorOf(result: IpcResult): { code: string; message: string } {
  assert.equal(result.ok, false, 'expected a refusal');
  return (result as Extract<IpcResult, { ok: false }>).error;
}
