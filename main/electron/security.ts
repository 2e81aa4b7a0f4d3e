/**
 * Hardening of every web contents and the session (ARCHITECTURE.md "Processes and trust"):
 * no new windows, no navigation away from the app, no permission grants, no webviews, no
 * WebRTC traffic and no network from any renderer.
 */
import type { App, Session } from 'electron';
import { isPluginOriginKey } from '../shell/plugin-origins.ts';
import { PLUGIN_SCHEME } from './app-protocol.ts';

/**
 * A proxy nothing listens on (the discard port): the session's only route to the network.
 * Renderers load nothing but the app's own schemes, which never use a proxy, so every other
 * request, WebSocket and WebRTC TCP/TURN connection fails, loopback included (`<-loopback>`).
 */
const NO_NETWORK_PROXY = { mode: 'fixed_servers' as const, proxyRules: 'socks5://127.0.0.1:9', proxyBypassRules: '<-loopback>' };

/** True for a plugin frame document, `plinth-plugin://<key>/frame.html` (query and hash ignored). */
export function isFrameDocument(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${PLUGIN_SCHEME}:` && isPluginOriginKey(u.hostname) && u.port === '' && u.pathname === '/frame.html';
  } catch {
    return false;
  }
}

/** Takes the network away from the session's renderers (see {@link NO_NETWORK_PROXY}). */
export async function cutRendererNetwork(session: Session): Promise<void> {
  await session.setProxy(NO_NETWORK_PROXY);
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
    // WebRTC: no UDP unless through a proxy (there is none that carries it), and TCP goes to the dead proxy.
    contents.setWebRTCIPHandlingPolicy('disable_non_proxied_udp');
    // Shell windows never navigate; the app loads them with loadURL, which this event does not see.
    contents.on('will-navigate', (event) => event.preventDefault());
    // Subframes may load only a plugin frame document (plugin code cannot navigate its frame to
    // another page, a data:/blob: URL or one of its own files).
    contents.on('will-frame-navigate', (event) => {
      if (event.isMainFrame || !isFrameDocument(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}
