/** The OS colour scheme as the shell's theme; plugin frames get it in their context. */
import { useSyncExternalStore } from 'react';

const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(listener: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

function current(): 'light' | 'dark' {
  return window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/** `'light'` or `'dark'`, following `prefers-color-scheme`; re-renders when it changes. */
export function useTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, current);
}
