/**
 * The dev shell's preload: what preload/index.ts is in Electron, for a plain browser tab. The
 * dev server adds it to every shell document as a classic script, so it runs before the shell's
 * modules. It installs the real bridge (preload/bridge.ts) as `window.plinth`, over the
 * authenticated socket (main/dev/socket-transport.ts), with the token of the page's own URL.
 * Top-level documents only, as Electron runs the preload in the main frame only.
 */
import { createBridge } from '../../../preload/bridge.ts';
import type { PlinthBridge } from '../../../preload/api.ts';
import { BRIDGE_SOCKET_PATH, DOCUMENT_PARAM, SHELL_DOCUMENTS, TOKEN_PARAM } from '../socket-messages.ts';
import { createSocketTransport } from '../socket-transport.ts';

/** Name of the settings tab, so Settings focuses the one it opened before, as the app's settings window. */
const SETTINGS_TARGET = 'plinth-settings';

/** Shows that the dev server is gone: every call fails from now on, and the author should know why. */
function showDisconnected(): void {
  const banner = document.createElement('div');
  banner.setAttribute('role', 'alert');
  banner.dataset.testid = 'dev-disconnected';
  banner.textContent = 'plinth-plugin dev has stopped or refused this page: restart it and open the URL it prints.';
  banner.style.cssText = 'position:fixed;inset:0 0 auto 0;z-index:2147483647;padding:8px 12px;background:#b42318;color:#fff;font:14px system-ui,sans-serif';
  document.body.append(banner);
}

function install(): void {
  const token = new URLSearchParams(location.search).get(TOKEN_PARAM) ?? '';
  const documentPath = location.pathname === '/' ? '/index.html' : location.pathname;
  if (!SHELL_DOCUMENTS.includes(documentPath)) return;
  const query = new URLSearchParams({ [TOKEN_PARAM]: token, [DOCUMENT_PARAM]: documentPath });
  const transport = createSocketTransport(new WebSocket(`ws://${location.host}${BRIDGE_SOCKET_PATH}?${query}`));
  const bridge: PlinthBridge = {
    ...createBridge(transport),
    // A browser has no second window to open from main: the settings page opens in a tab of its own.
    openSettings: async () => {
      window.open(`/settings.html?${new URLSearchParams({ [TOKEN_PARAM]: token })}`, SETTINGS_TARGET);
    },
  };
  Object.defineProperty(window, 'plinth', { value: Object.freeze(bridge), enumerable: true });
  void transport.closed.then(() => {
    if (document.body) showDisconnected();
    else document.addEventListener('DOMContentLoaded', showDisconnected, { once: true });
  });
}

if (window === window.top) install();
