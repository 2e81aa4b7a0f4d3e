/**
 * The two shell windows: the main window and a single settings window. Both are sandboxed,
 * context-isolated, without Node, with the bundled preload as their only bridge.
 */
import { BrowserWindow } from 'electron';
import { APP_ORIGIN } from './app-protocol.ts';

/** Default size of the main window (px). */
const MAIN_SIZE = { width: 1100, height: 760 };
/** Default size of the settings window (px). */
const SETTINGS_SIZE = { width: 880, height: 720 };

/** Opens and tracks the app's windows. */
export interface WindowManager {
  openMain(): BrowserWindow;
  /** Opens the settings window, or focuses it when already open. */
  openSettings(): BrowserWindow;
  /** Every open window, for broadcasts. */
  all(): BrowserWindow[];
}

/** @param preloadPath absolute path of `out/preload/index.cjs`. */
export function createWindowManager(preloadPath: string): WindowManager {
  let main: BrowserWindow | undefined;
  let settings: BrowserWindow | undefined;

  function create(size: { width: number; height: number }, title: string, page: string): BrowserWindow {
    const window = new BrowserWindow({
      ...size,
      minWidth: 480,
      minHeight: 360,
      title,
      show: false,
      webPreferences: {
        preload: preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        webviewTag: false,
        spellcheck: false,
      },
    });
    window.once('ready-to-show', () => window.show());
    void window.loadURL(`${APP_ORIGIN}/${page}`);
    return window;
  }

  return {
    openMain() {
      if (main && !main.isDestroyed()) return main;
      main = create(MAIN_SIZE, 'Plinth', 'index.html');
      return main;
    },
    openSettings() {
      if (settings && !settings.isDestroyed()) {
        settings.focus();
        return settings;
      }
      settings = create(SETTINGS_SIZE, 'Plinth Settings', 'settings.html');
      return settings;
    },
    all: () => BrowserWindow.getAllWindows(),
  };
}
