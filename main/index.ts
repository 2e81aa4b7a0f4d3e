/**
 * Electron entry: wiring only. Registers the app scheme, starts the host core, opens the
 * windows and binds IPC. Everything with logic lives in main/host and main/shell, where it is
 * tested without Electron.
 */
import { watch } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, app, dialog, nativeTheme, session, shell } from 'electron';
import { PLUGIN_API_VERSION } from '../sdk/protocol/manifest.ts';
import { APP_ORIGIN, registerAppScheme, serveAppProtocol } from './electron/app-protocol.ts';
import { pickPath } from './electron/dialogs.ts';
import { bindIpc, broadcast } from './electron/ipc.ts';
import { createSafeStorageSecretStore } from './electron/safe-storage-secret-store.ts';
import { denyPermissions, hardenWebContents } from './electron/security.ts';
import { createElectronPreferences } from './electron/settings-store.ts';
import { createElectronLauncher } from './electron/utility-launcher.ts';
import { createWindowManager } from './electron/windows.ts';
import { createHost } from './host/host.ts';
import { createIpcHandlers } from './shell/ipc-handlers.ts';

/** out/main → out/ */
const OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Bundled plugins; in a packaged app they are unpacked beside the asar (electron-builder.yml asarUnpack). */
function bundledPluginsDir(): string {
  return path.join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'plugins');
}

/** Debounce of renderer rebuilds in `npm run dev` (ms): vite writes several files per rebuild. */
const DEV_RELOAD_DEBOUNCE_MS = 200;

/** `npm run dev`: reloads every window when vite rewrites out/renderer (hot reload of the renderer). */
function reloadOnRebuild(rendererDir: string, windows: () => BrowserWindow[]): void {
  let timer: NodeJS.Timeout | undefined;
  watch(rendererDir, { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(() => { for (const w of windows()) w.webContents.reloadIgnoringCache(); }, DEV_RELOAD_DEBOUNCE_MS);
  });
}

// Tests and side-by-side profiles point the app at another profile folder.
if (process.env.PLINTH_USER_DATA_DIR) app.setPath('userData', process.env.PLINTH_USER_DATA_DIR);
registerAppScheme();
hardenWebContents(app);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(async () => {
    const host = createHost({
      userDataDir: app.getPath('userData'),
      bundledPluginsDir: bundledPluginsDir(),
      launcher: createElectronLauncher(),
      appVersion: app.getVersion(),
      // electron-store for preferences and the OS keychain (safeStorage) for secrets (ARCHITECTURE.md).
      preferences: createElectronPreferences(app.getPath('userData')),
      secretStore: createSafeStorageSecretStore(),
    });
    await host.start();

    denyPermissions(session.defaultSession);
    serveAppProtocol(session.defaultSession, { rendererDir: path.join(OUT_DIR, 'renderer'), host });
    const windows = createWindowManager(path.join(OUT_DIR, 'preload', 'index.cjs'));
    const handlers = createIpcHandlers({
      host,
      openSettings: () => void windows.openSettings(),
      appInfo: { version: app.getVersion(), pluginApiVersion: PLUGIN_API_VERSION, platform: process.platform },
      // The picker is modal to the window that asked (the focused one).
      pick: (kind) => pickPath(kind, BrowserWindow.getFocusedWindow() ?? undefined),
      // prefers-color-scheme in every window and plugin frame follows the theme preference.
      onPreferencesChanged: (preferences) => {
        nativeTheme.themeSource = preferences.theme;
      },
      openExternal: (url) => shell.openExternal(url),
    });
    nativeTheme.themeSource = host.getPreferences().theme;
    bindIpc(handlers, APP_ORIGIN);
    host.onPluginsChanged((event) => broadcast(windows.all(), 'plugins.changed', event));

    windows.openMain();
    if (process.env.PLINTH_DEV === '1') reloadOnRebuild(path.join(OUT_DIR, 'renderer'), () => windows.all());
    app.on('second-instance', () => windows.openMain().focus());
    app.on('activate', () => windows.openMain());

    let stopping = false;
    app.on('before-quit', (event) => {
      if (stopping) return;
      // Workers get their shutdown grace; quit again once the host has stopped.
      event.preventDefault();
      stopping = true;
      handlers.streams.closeAll();
      host.stop().finally(() => app.quit());
    });
  }).catch((error: unknown) => {
    // Without a host there is nothing to show; say why, with the profile folder to look at, and exit non-zero.
    console.error('Plinth could not start:', error);
    dialog.showErrorBox('Plinth could not start',
      `${(error as Error)?.message ?? String(error)}\n\nYour profile folder is ${app.getPath('userData')}. Nothing in it was changed.`);
    app.exit(1);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
