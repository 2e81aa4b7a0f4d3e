/**
 * Routes in the URL hash, with the query inside the hash too (`#/search?q=docs`), so a deep
 * link is one string that survives a reload, back/forward work (each navigation is a history
 * entry), and a route's query never leaks into the next route. For wouter's `Router`
 * (`hook`, `searchHook`, `hrefs`): wouter's own hash hook keeps the query in `location.search`,
 * where it would outlive the route that set it.
 */
import { useSyncExternalStore } from 'react';
import { splitHash } from './hash-path.ts';

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
}

const pathNow = () => splitHash(window.location.hash)[0];
const searchNow = () => splitHash(window.location.hash)[1];

/** Goes to `to` (`/path?query`); `replace` changes the current history entry instead of adding one. */
export function navigateHash(to: string, options?: { replace?: boolean }): void {
  const target = `#${to.startsWith('/') ? to : `/${to}`}`;
  if (window.location.hash === target) return;
  if (options?.replace) {
    history.replaceState(history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

/** wouter `hook`: the current path and the navigate function. */
export function useHashPath(): [string, typeof navigateHash] {
  return [useSyncExternalStore(subscribe, pathNow), navigateHash];
}

/** wouter `searchHook`: the current query (without `?`). */
export function useHashSearch(): string {
  return useSyncExternalStore(subscribe, searchNow);
}

/** wouter `hrefs`: how a route is written in an `href`. */
export function hashHref(href: string): string {
  return `#${href}`;
}
