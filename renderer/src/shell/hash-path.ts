/** Splitting a hash route into its path and its own query (pure, unit-tested in Node). */

/** `[path, search]` of a hash such as `#/a/b?x=1` → `['/a/b', 'x=1']`. */
export function splitHash(hash: string): [string, string] {
  const raw = hash.replace(/^#/, '');
  const at = raw.indexOf('?');
  const path = at === -1 ? raw : raw.slice(0, at);
  return [`/${path.replace(/^\/+/, '')}`, at === -1 ? '' : raw.slice(at + 1)];
}

