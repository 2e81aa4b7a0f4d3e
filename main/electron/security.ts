/**
 * Hardening of every web contents and the session (ARCHITECTURE.md "Processes and trust"):
 * no new windows, no navigation away from the app, no permission grants, no webviews.
 */
import type { App, Session } from 'electron';
import { APP_ORIGIN } from './app-protocol.ts';

/** The only document a subframe may load: the plugin frame document. */
const FRAME_DOCUMENT_URL = `${APP_ORIGIN}/frame.html`;

/** True for the plugin frame document (query and hash ignored). */
export function isFrameDocument(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}` === FRAME_DOCUMENT_URL;
  } catch {
    return false;
  }
}

/** Denies every permission request and check (camera, notifications, clipboard, …). */
export function denyPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Applies the window rules to every web contents the app creates. */
export function hardenWebContents(app: App): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    // Shell windows never navigate; the app loads them with loadURL, which this event does not see.
    contents.on('will-navigate', (event) => event.preventDefault());
    // Subframes may load only the plugin frame document (plugin code cannot swap in another page).
    contents.on('will-frame-navigate', (event) => {
      if (event.isMainFrame || !isFrameDocument(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
