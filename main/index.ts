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
import { APP_ORIGIN, PLUGIN_ORIGIN_TEMPLATE, registerAppScheme, serveAppProtocol } from './electron/app-protocol.ts';
import { pickPath } from './electron/dialogs.ts';
import { bindIpc, broadcast } from './electron/ipc.ts';
import { createSafeStorageSecretStore } from './electron/safe-storage-secret-store.ts';
import { cutRendererNetwork, denyPermissions, hardenWebContents } from './electron/security.ts';
import { createElectronPreferences } from './electron/settings-store.ts';
import { createElectronLauncher } from './electron/utility-launcher.ts';
import { createWindowManager } from './electron/windows.ts';
import { createHost } from './host/host.ts';
import { createIpcHandlers } from './shell/ipc-handlers.ts';
import { proxyUrl } from './shell/proxy-answer.ts';
import { launch } from './shell/plugin-commands/instance.ts';
import { printCommandResult, type CommandResult } from './shell/plugin-commands/relay.ts';
import { createAppOrigins } from './shell/plugin-origins.ts';

/** An in-memory session used only to resolve the system proxy for registry requests. */
const PROXY_LOOKUP_PARTITION = 'plinth-proxy-lookup';

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
// Each plugin origin is its own site: with a process per site, a frozen or exploding plugin UI
// cannot freeze or crash the shell or another plugin (Chromium's default; made explicit here).
app.commandLine.appendSwitch('site-per-process');

/** The host core on the user's profile, with the Electron transports. */
function makeHost() {
  return createHost({
    userDataDir: app.getPath('userData'),
    bundledPluginsDir: bundledPluginsDir(),
    launcher: createElectronLauncher(),
    appVersion: app.getVersion(),
    // electron-store for preferences and the OS keychain (safeStorage) for secrets (ARCHITECTURE.md).
    preferences: createElectronPreferences(app.getPath('userData')),
    secretStore: createSafeStorageSecretStore(),
    // Registry requests go where Chromium would send them (system or PAC proxy settings). Asked of
    // a session of its own: the windows' session has no network at all (cutRendererNetwork).
    proxyFor: async (url) => proxyUrl(await session.fromPartition(PROXY_LOOKUP_PARTITION).resolveProxy(url)),
  });
}

/** Prints a terminal command's result and exits with its code. */
function exitWith(result: CommandResult): void {
  printCommandResult(result, (line) => process.stdout.write(`${line}\n`), (line) => process.stderr.write(`${line}\n`));
  app.exit(result.exitCode);
}

// The lock, `plinth --list-plugins` and co. (forwarded to the running app, else run on the profile
// without a window) and a plain second launch are decided in main/shell/plugin-commands/instance.ts.
void launch({
  argv: process.argv,
  cwd: process.cwd(),
  tempDir: app.getPath('temp'),
  requestLock: (data) => app.requestSingleInstanceLock(data),
  whenReady: () => app.whenReady(),
  onSecondInstance: (listener) => app.on('second-instance', (_event, _argv, _cwd, data) => listener(data)),
  makeHost,
  exitWith,
  quit: () => app.quit(),
  startApp: async () => {
    const host = makeHost();
    await host.start();

    denyPermissions(session.defaultSession);
    await cutRendererNetwork(session.defaultSession);
    const origins = createAppOrigins(APP_ORIGIN, PLUGIN_ORIGIN_TEMPLATE, () => host.pluginIds());
    serveAppProtocol(session.defaultSession, { rendererDir: path.join(OUT_DIR, 'renderer'), host, origins });
    const windows = createWindowManager(path.join(OUT_DIR, 'preload', 'index.cjs'));
    // Runtime permission requests are shown by both windows: while one is open the host may ask;
    // with none open a plugin's request is refused (NOT_READY) instead of waiting for nobody.
    const asking = new WeakSet<BrowserWindow>();
    const showsPrompts = (window: BrowserWindow): BrowserWindow => {
      if (!asking.has(window)) {
        asking.add(window);
        const stop = host.onPermissionRequests(() => broadcast([window], 'permissions.changed', {}));
        window.once('closed', stop);
      }
      return window;
    };
    const openMain = (): BrowserWindow => showsPrompts(windows.openMain());
    const handlers = createIpcHandlers({
      host,
      openSettings: () => void showsPrompts(windows.openSettings()),
      pluginOrigin: origins.pluginOrigin,
      appInfo: { version: app.getVersion(), pluginApiVersion: PLUGIN_API_VERSION, platform: process.platform },
      // The picker is modal to the window that asked (the focused one).
      pick: (kind) => pickPath(kind, BrowserWindow.getFocusedWindow() ?? undefined),
      // Every window follows the theme preference (renderer/src/theme.ts); nativeTheme makes
      // the native parts (scrollbars, form controls, title bar) follow it too.
      onPreferencesChanged: (preferences) => {
        nativeTheme.themeSource = preferences.theme;
        broadcast(windows.all(), 'preferences.changed', preferences);
      },
      openExternal: (url) => shell.openExternal(url),
    });
    nativeTheme.themeSource = host.preferences.get().theme;
    bindIpc(handlers, APP_ORIGIN);
    host.onPluginsChanged((event) => broadcast(windows.all(), 'plugins.changed', event));
    openMain();
    if (process.env.PLINTH_DEV === '1') reloadOnRebuild(path.join(OUT_DIR, 'renderer'), () => windows.all());
    app.on('activate', () => openMain());
    app.on('window-all-closed', () => {
      if (process.platform !== 'darwin') app.quit();
    });

    let stopping = false;
    app.on('before-quit', (event) => {
      if (stopping) return;
      // Workers get their shutdown grace; quit again once the host has stopped.
      event.preventDefault();
      stopping = true;
      handlers.streams.closeAll();
      host.stop().finally(() => app.quit());
    });
    return { host, focusMain: () => openMain().focus() };
  },
}).catch((error: unknown) => {
  // Without a host there is nothing to show; say why, with the profile folder to look at, and exit non-zero.
  console.error('Plinth could not start:', error);
  dialog.showErrorBox('Plinth could not start',
    `${(error as Error)?.message ?? String(error)}\n\nYour profile folder is ${app.getPath('userData')}. Nothing in it was changed.`);
  app.exit(1);
});
