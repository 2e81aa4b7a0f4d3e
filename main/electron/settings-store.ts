/**
 * The app preferences in Electron: the same store as `createConfPreferences`
 * (main/host/preferences.ts) over `electron-store`, in the profile folder. Only type-checked in
 * this build (no Electron binary); the logic it relies on is tested through `conf`, which
 * `electron-store` extends.
 */
import { app } from 'electron';
import Store from 'electron-store';
import { openPreferences, type PreferencesStore } from '../host/preferences.ts';

/**
 * Opens `<dir>/settings.json` (default: Electron's `userData` folder). A damaged file is repaired
 * and reported through `lastLoadWarning`, never thrown.
 * @throws PlinthError `INTERNAL` only when the file exists but cannot be read or rewritten.
 */
export function createElectronPreferences(dir: string = app.getPath('userData')): PreferencesStore {
  return openPreferences(dir, (cwd, name) => new Store<Record<string, unknown>>({ cwd, name }));
}
