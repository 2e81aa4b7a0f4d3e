/**
 * The e2e harness (ARCHITECTURE.md "How it is tested without an Electron binary"): the REAL
 * host core in this process with real worker processes, the built renderer served by the
 * app protocol's own handler, Debian Chromium via Playwright, and the real preload bridge
 * whose transport is bound to main's real IPC dispatch. Only Electron's few glue lines are
 * outside this loop.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page, Request } from 'playwright-core';
import { createHost, type Host, type HostOptions } from '../../../main/host/host.ts';
import { createNodeLauncher } from '../../../main/host/workers/node-launcher.ts';
import '../../support/worker-runtime.ts';
import { createIpcHandlers } from '../../../main/shell/ipc-handlers.ts';
import type { IpcPushTarget } from '../../../main/shell/stream-subscriptions.ts';
import type { PluginSource } from '../../../preload/api.ts';
import { PLUGIN_API_VERSION } from '../../../sdk/protocol/manifest.ts';
import { startAppServer } from './app-server.ts';
import { EMIT_FUNCTION, FILE_PATHS_GLOBAL, INVOKE_BINDING, bridgeInitScript } from './bridge-script.ts';
import { isolationArgs, launchChromium } from './chromium.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The built renderer; `node scripts/build.ts` makes it. */
export const RENDERER_DIR = path.join(REPO, 'out', 'renderer');
const BUNDLED_PLUGINS_DIR = path.join(REPO, 'plugins');
/** Window size of both pages (px): the app's default main window size. */
const VIEWPORT = { width: 1100, height: 760 };
/** The settings window's default size (px), as main/electron/windows.ts opens it: for layout checks at that width. */
export const SETTINGS_VIEWPORT = { width: 880, height: 720 };

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  /** Reuse a profile folder (to test restarts); the harness then leaves it in place on close. */
  profileDir?: string;
  /** More plugin roots, e.g. temp folders with purpose-built test plugins. */
  extraPluginRoots?: Array<{ dir: string; source: PluginSource }>;
  /** Folder of bundled plugins; defaults to the repo's `plugins/`. */
  bundledPluginsDir?: string;
  /**
   * Plugins to switch on before the main window opens, as a user would in settings (plugins
   * that are not bundled start `installed` and off until the user enables them).
   */
  enablePlugins?: string[];
  /** Colour scheme the pages see (`prefers-color-scheme`). */
  colorScheme?: 'light' | 'dark';
  /** Supervision limits for tests, e.g. `{ restart: { baseDelayMs: 20 } }` so a crash loop takes milliseconds. */
  supervisorOptions?: HostOptions['supervisorOptions'];
  /** README image fetcher seams, e.g. a local https image server on loopback and its CA (default: none, as in the app). */
  readmeImageSeams?: HostOptions['readmeImageSeams'];
  /** Built renderer to serve instead of out/renderer (the benchmarks' host-card variant of the shell). */
  rendererDir?: string;
  /** Window size of the pages (px); defaults to the app's main window size. */
  viewport?: { width: number; height: number };
}

/** A running harness. */
export interface Harness {
  host: Host;
  /** The main window, loaded and with its plugin list fetched. */
  page: Page;
  /** Opens (or returns) the settings window, loaded and with its plugin list fetched. */
  openSettings(): Promise<Page>;
  profileDir: string;
  /** The app origin, `http://127.0.0.1:<port>`. */
  url: string;
  /** Uncaught errors of shell pages (not of plugin frames), for tests that assert a clean run. */
  pageErrors: string[];
  /** Links the app handed to the system browser (`shell.openExternal`), in order. */
  openedUrls: string[];
  /** Closes the browser, stops the host and its workers, removes a temp profile. */
  close(): Promise<void>;
}

/** Waits until a shell window has fetched its first plugin list (its `data-plugins-loaded` signal). */
export async function waitForPluginsLoaded(page: Page): Promise<void> {
  await page.locator('[data-plugins-loaded="true"]').waitFor();
}

function assertBuilt(): void {
  for (const file of ['index.html', 'settings.html', 'frame/bootstrap.js']) {
    if (!existsSync(path.join(RENDERER_DIR, file))) {
      throw new Error(`out/renderer/${file} is missing: run \`node scripts/build.ts\` before the e2e tests`);
    }
  }
}

/** Pushes a main → renderer notification into `page` through the bridge's emit hook. */
function emitTo(page: Page, event: string, payload: unknown): Promise<void> {
  return page.evaluate(([fn, name, data]) => {
    (globalThis as unknown as Record<string, (e: string, p: unknown) => void>)[fn]?.(name, data);
  }, [EMIT_FUNCTION, event, payload] as const);
}

const pageTargets = new WeakMap<Page, IpcPushTarget>();
let nextPageId = 1;

/** The page as a push target, as Electron's `event.sender` is for a window: streams go to it alone. */
function pushTargetOf(page: Page): IpcPushTarget {
  let target = pageTargets.get(page);
  if (!target) {
    target = {
      id: `page:${nextPageId++}`,
      // A page that is navigating or closing misses the push, as a closed window would.
      push: (event, payload) => emitTo(page, event, payload).catch(() => undefined),
      onGone(listener) {
        let done = false;
        const gone = () => {
          if (done) return;
          done = true;
          page.off('close', gone);
          page.off('request', navigated);
          listener();
        };
        // A new document is a navigation request of the main frame; a hash route changes the URL
        // without one and keeps the window's subscriptions (Electron: did-start-navigation, not same-document).
        const navigated = (request: Request) => {
          if (request.isNavigationRequest() && request.frame() === page.mainFrame()) gone();
        };
        page.on('close', gone);
        page.on('request', navigated);
      },
    };
    pageTargets.set(page, target);
  }
  return target;
}

/**
 * Makes the bridge's `pathForFile` report `filePath` for a dropped file named `fileName` in
 * `page` (Electron reads the real path with `webUtils.getPathForFile`; a browser has none).
 */
export async function setDroppedFilePath(page: Page, fileName: string, filePath: string): Promise<void> {
  await page.evaluate(([global, name, value]) => {
    const holder = globalThis as unknown as Record<string, Record<string, string> | undefined>;
    holder[global] = { ...(holder[global] ?? {}), [name]: value };
  }, [FILE_PATHS_GLOBAL, fileName, filePath] as const);
}

/** Starts host, app server and browser, and opens the main window. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  assertBuilt();
  const ownsProfile = !options.profileDir;
  const profileDir = options.profileDir ?? mkdtempSync(path.join(tmpdir(), 'plinth-e2e-'));
  const appVersion = (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  const host = createHost({
    userDataDir: profileDir,
    bundledPluginsDir: options.bundledPluginsDir ?? BUNDLED_PLUGINS_DIR,
    extraPluginRoots: options.extraPluginRoots ?? [],
    launcher: createNodeLauncher(),
    appVersion,
    ...(options.supervisorOptions ? { supervisorOptions: options.supervisorOptions } : {}),
    ...(options.readmeImageSeams ? { readmeImageSeams: options.readmeImageSeams } : {}),
  });
  const cleanups: Array<() => Promise<void> | void> = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        console.error('harness cleanup failed', error);
      }
    }
    if (ownsProfile) rmSync(profileDir, { recursive: true, force: true });
  };
  try {
    await host.start();
    cleanups.push(() => host.stop());
    for (const pluginId of options.enablePlugins ?? []) await host.management.enable(pluginId, { approveCapabilities: true });
    const server = await startAppServer({ rendererDir: options.rendererDir ?? RENDERER_DIR, host });
    cleanups.push(() => server.close());
    const browser = await launchChromium(isolationArgs(server.port));
    cleanups.push(() => browser.close());
    // The theme preference wins over the OS scheme, as nativeTheme.themeSource does in Electron.
    const schemeOf = (theme: 'system' | 'light' | 'dark') => (theme === 'system' ? options.colorScheme ?? 'light' : theme);
    let colorScheme = schemeOf(host.ops.getPreferences().theme);
    const context: BrowserContext = await browser.newContext({ colorScheme, viewport: options.viewport ?? VIEWPORT });
    const pageErrors: string[] = [];
    const openedUrls: string[] = [];

    let settingsPage: Page | undefined;
    const openSettingsPage = async (): Promise<Page> => {
      if (settingsPage && !settingsPage.isClosed()) {
        await settingsPage.bringToFront();
        return settingsPage;
      }
      const opened = await context.newPage();
      settingsPage = opened;
      await opened.goto(`${server.origin}/settings.html`);
      await waitForPluginsLoaded(opened);
      return opened;
    };

    // No `pick`: there is no OS picker here, so `dialog.pick` answers NOT_READY and the shell shows a path field.
    const { dispatch, streams } = createIpcHandlers({
      host,
      appInfo: { version: appVersion, pluginApiVersion: PLUGIN_API_VERSION, platform: process.platform },
      pluginOrigin: server.origins.pluginOrigin,
      openSettings: () => void openSettingsPage().catch((error: unknown) => pageErrors.push(`openSettings: ${String(error)}`)),
      // Electron calls shell.openExternal; here the link is recorded for the test to check.
      openExternal: (url) => {
        openedUrls.push(url);
      },
      // As Electron: every page is told (and follows the theme itself), and nativeTheme.themeSource
      // has its stand-in here, every page's prefers-color-scheme following the preference.
      onPreferencesChanged: (preferences) => {
        for (const p of context.pages()) emitTo(p, 'preferences.changed', preferences).catch(() => undefined);
        const next = schemeOf(preferences.theme);
        if (next === colorScheme) return; // emulating again would disturb the pages for nothing
        colorScheme = next;
        for (const p of context.pages()) p.emulateMedia({ colorScheme }).catch(() => undefined);
      },
    });
    cleanups.push(() => streams.closeAll());
    // The same dispatch Electron's ipcMain.handle calls, with the sender Electron would report.
    await context.exposeBinding(INVOKE_BINDING, (source, method: string, payload: unknown) =>
      dispatch(method, payload, { url: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame(), target: pushTargetOf(source.page) }, server.origin));
    await context.addInitScript({ content: await bridgeInitScript() });
    context.on('page', (p) => {
      p.on('pageerror', (error) => pageErrors.push(`${p.url()}: ${error.message}`));
      p.emulateMedia({ colorScheme }).catch(() => undefined);
    });

    const unsubscribe = host.onPluginsChanged((event) => {
      // A page that is navigating or closing misses the event, as a closed window would.
      for (const p of context.pages()) emitTo(p, 'plugins.changed', event).catch(() => undefined);
    });
    cleanups.push(unsubscribe);
    cleanups.push(host.onPermissionRequests(() => {
      for (const p of context.pages()) emitTo(p, 'permissions.changed', {}).catch(() => undefined);
    }));

    const page = await context.newPage();
    await page.goto(`${server.origin}/index.html`);
    await waitForPluginsLoaded(page);
    return { host, page, openSettings: openSettingsPage, profileDir, url: server.origin, pageErrors, openedUrls, close };
  } catch (error) {
    await close();
    throw error;
  }
}
