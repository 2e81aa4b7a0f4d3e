/**
 * Validated manifests kept between start-ups, so a start does not re-validate every installed
 * plugin (reading `package.json`, checking the files it names, the schema and the rules) when
 * nothing changed. Keyed by the folder's real path and its `package.json`'s size, mtime, ctime
 * and inode: tar keeps an archive's mtimes, but an extracted or rewritten file always gets a new
 * ctime, so an upgrade never hits an old entry. Only valid results of installed and bundled
 * plugins are kept: their folders change only through the installer. Unpacked folders change
 * under the author's hands at any time (a worker file added while the app was closed), so they
 * are always validated; while the app runs the watcher reloads them.
 *
 * Stored as JSON in the profile (`manifest-cache.json`); a missing or damaged file is an empty
 * cache, never an error.
 */
import { readFileSync } from 'node:fs';
import { mkdir, realpath, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ManifestResult } from './manifest/index.ts';

/** Bumped when the stored shape or the validation rules change, so old entries are ignored. */
const CACHE_VERSION = 1;

type ValidResult = Extract<ManifestResult, { ok: true }>;

interface Stored { version: number; entries: Record<string, { key: string; result: ValidResult }> }

/** The cache of one profile. */
export interface ManifestCache {
  /** The cache key of a plugin folder now, or `undefined` when it has no readable `package.json`. */
  keyOf(dir: string, salt: string): Promise<string | undefined>;
  /** The stored valid result of `dir` when its key still matches. */
  get(dir: string, key: string): ValidResult | undefined;
  /** Stores a result of `dir`; invalid results are not kept (and drop an old entry). */
  set(dir: string, key: string, result: ManifestResult): void;
  /** Forgets `dir` (its files changed). */
  invalidate(dir: string): void;
  /** Forgets every folder but these (the ones the last discovery found). */
  keepOnly(dirs: Iterable<string>): void;
  /** Writes the cache when it changed (atomically: a temp file renamed over it). Never throws. */
  save(): Promise<void>;
}

/** Opens the cache stored in `file` (read at once, synchronously; a few KB per plugin). */
export function createManifestCache(file: string): ManifestCache {
  let entries: Stored['entries'] = Object.create(null) as Stored['entries'];
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    if (stored.version === CACHE_VERSION && stored.entries && typeof stored.entries === 'object') {
      entries = Object.assign(Object.create(null) as Stored['entries'], stored.entries);
    }
  } catch {
    // Missing or damaged: start empty, the next save rewrites it.
  }
  let dirty = false;

  return {
    async keyOf(dir, salt) {
      try {
        const real = await realpath(dir);
        const s = await stat(path.join(real, 'package.json'));
        return [salt, real, s.size, s.mtimeMs, s.ctimeMs, s.ino].join('|');
      } catch {
        return undefined;
      }
    },
    get(dir, key) {
      const entry = entries[dir];
      return entry && entry.key === key ? entry.result : undefined;
    },
    set(dir, key, result) {
      if (!result.ok) {
        if (entries[dir]) this.invalidate(dir);
        return;
      }
      entries[dir] = { key, result };
      dirty = true;
    },
    invalidate(dir) {
      if (!entries[dir]) return;
      delete entries[dir];
      dirty = true;
    },
    keepOnly(dirs) {
      const kept = new Set(dirs);
      for (const dir of Object.keys(entries)) if (!kept.has(dir)) this.invalidate(dir);
    },
    async save() {
      if (!dirty) return;
      dirty = false;
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(tmp, JSON.stringify({ version: CACHE_VERSION, entries } satisfies Stored));
        await rename(tmp, file);
      } catch {
        // A read-only or full disk only costs the next start its re-validation.
        dirty = true;
      }
    },
  };
}
