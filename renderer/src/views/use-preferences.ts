/** The app preferences in a view of a window without the settings store (the main window's sidebar, the Preferences form). */
import { useEffect } from 'react';
import type { PreferencesView } from '../../../preload/api.ts';
import { useAsync, type AsyncState } from './use-async.ts';

/** Reads the preferences once, then takes each `preferences.changed` main sends, whichever window or process saved them. */
export function usePreferences(key: string): AsyncState<PreferencesView> {
  const preferences = useAsync(() => window.plinth.getPreferences(), key);
  const { setData } = preferences;
  useEffect(() => window.plinth.on('preferences.changed', setData), [setData]);
  return preferences;
}
