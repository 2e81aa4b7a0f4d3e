/**
 * Binds main/shell/ipc-handlers.ts to Electron IPC: one `ipcMain.handle` channel per
 * `MainMethod`, the sender frame as Electron reports it, and one push channel for events.
 */
import { ipcMain, type BrowserWindow, type WebContents } from 'electron';
import type { MainEvents } from '../../preload/api.ts';
import { EVENT_CHANNEL, IPC_CHANNEL_PREFIX } from '../../preload/channels.ts';
import type { IpcHandlers } from '../shell/ipc-handlers.ts';
import type { IpcPushTarget } from '../shell/stream-subscriptions.ts';

/** The window behind `contents` as a push target: notifications go to it alone. */
function pushTarget(contents: WebContents): IpcPushTarget {
  return {
    id: `webContents:${contents.id}`,
    push(event, payload) {
      if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, { event, payload });
    },
    onGone(listener) {
      // Closing destroys the contents; a reload or navigation replaces the document and its frames.
      const gone = () => {
        contents.off('destroyed', gone);
        contents.off('did-start-navigation', navigated);
        listener();
      };
      const navigated = (details: { isMainFrame: boolean; isSameDocument: boolean }) => {
        if (details.isMainFrame && !details.isSameDocument) gone();
      };
      contents.once('destroyed', gone);
      contents.on('did-start-navigation', navigated);
    },
  };
}

/** Registers every method's channel; `appOrigin` is the only origin allowed to call. */
export function bindIpc(handlers: IpcHandlers, appOrigin: string): void {
  for (const method of handlers.methods) {
    ipcMain.handle(IPC_CHANNEL_PREFIX + method, (event, payload: unknown) => {
      const frame = event.senderFrame;
      // A destroyed frame (null) is nobody: it fails the sender check.
      const sender = { url: frame?.url ?? '', isMainFrame: frame !== null && frame.parent === null, target: pushTarget(event.sender) };
      return handlers.dispatch(method, payload, sender, appOrigin);
    });
  }
}

/** Pushes a notification to every open window. */
export function broadcast<E extends keyof MainEvents>(windows: BrowserWindow[], event: E, payload: MainEvents[E]): void {
  for (const window of windows) {
    if (!window.isDestroyed()) window.webContents.send(EVENT_CHANNEL, { event, payload });
  }
}
