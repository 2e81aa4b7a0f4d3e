/**
 * The shell's theme: the Theme preference (`light`, `dark`, or `system`, which follows the OS
 * colour scheme). The window's `<html data-theme>` carries it for the stylesheets, and plugin
 * frames get it in their context. The window follows the preference itself (it hears of each
 * change as `preferences.changed`), so it works wherever the shell runs: in Electron, and in
 * the author's browser (`plinth-plugin dev`), where nothing sets `prefers-color-scheme` for it.
 */
import { useSyncExternalStore } from 'react';
import type { PreferencesView } from '../../preload/api.ts';

const DARK_QUERY = '(prefers-color-scheme: dark)';

let preference: PreferencesView['theme'] = 'system';
const listeners = new Set<() => void>();

function current(): 'light' | 'dark' {
  if (preference !== 'system') return preference;
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

function apply(): void {
  document.documentElement.dataset.theme = current();
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Makes this window follow the Theme preference: read once, then on every `preferences.changed`,
 * and the OS colour scheme while it is `system`. Called once per window, before it renders.
 */
export function followThemePreference(): void {
  let changed = false;
  window.plinth.on('preferences.changed', (preferences) => {
    changed = true;
    preference = preferences.theme;
    apply();
  });
  window.matchMedia(DARK_QUERY).addEventListener('change', apply);
  apply();
  // Until it answers, the OS colour scheme; a change heard meanwhile is newer than the answer.
  window.plinth.getPreferences().then((preferences) => {
    if (changed) return;
    preference = preferences.theme;
    apply();
  }, () => undefined);
}

/** `'light'` or `'dark'`, as {@link followThemePreference} decided; re-renders when it changes. */
export function useTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, current);
}
