/**
 * Validated manifests kept between start-ups and discovery passes, so a start does not
 * re-validate every plugin (reading `package.json`, checking the files it names, the schema and
 * the rules) when nothing changed. An entry is used only while every file its validation read is
 * unchanged: the key holds the folder's real path, and the size, mtime, ctime and inode of its
 * `package.json` and of each file the manifest names (`plinth.worker`, `plinth.ui.entry`,
 * `plinth.icon`, followed through symbolic links). An extracted or rewritten file always gets a
 * new ctime, so an upgrade from an archive that keeps mtimes never hits an old entry, and an
 * author's edit, a removed worker file or a redirected link is seen on the next pass. This holds
 * for unpacked folders too, so they are cached like installed ones.
 *
 * Stored as JSON in the profile (`manifest-cache.json`); a missing or damaged file is an empty
 * cache, never an error. Files are looked at synchronously: a few `stat`s per plugin cost less
 * than the round trips to the thread pool that the asynchronous calls make.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ManifestResult } from './manifest/index.ts';

/** Bumped when the stored shape or the validation rules change, so old entries are ignored. */
const CACHE_VERSION = 2;

type ValidResult = Extract<ManifestResult, { ok: true }>;

interface Stored { version: number; entries: Record<string, { key: string; result: ValidResult }> }

/** A file's identity for the key: changes whenever it is rewritten, replaced or (un)linked. */
function fileStamp(file: string): string {
  const s = statSync(file);
  return `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
}

/** The files a valid manifest names, relative to the plugin folder (what `checkEntryPaths` looks at). */
function namedFiles(result: ValidResult): string[] {
  const { worker, ui, icon } = result.manifest.plinth;
  return [worker, ui?.entry, icon].filter((f): f is string => typeof f === 'string' && f.trim() !== '');
}

/** The cache of one profile. */
export interface ManifestCache {
  /**
   * The stamp of `dir`'s `package.json` now (`undefined` when unreadable): taken before
   * validating the folder and handed to {@link ManifestCache.set}, so a file changed while it was
   * being validated is not stored under its new stamp.
   */
  stamp(dir: string): string | undefined;
  /** The stored valid result of `dir` (validated with `salt`) when no file its validation read changed. */
  get(dir: string, salt: string): ValidResult | undefined;
  /** Stores a result of `dir` validated after `stamp`; invalid results are not kept (and drop an old entry). */
  set(dir: string, salt: string, stamp: string | undefined, result: ManifestResult): void;
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

  /** The key of `dir` for `result` now, or `undefined` when a file it names cannot be read. */
  function keyOf(dir: string, salt: string, result: ValidResult, manifestStamp?: string): string | undefined {
    try {
      const real = realpathSync.native(dir);
      const manifest = fileStamp(path.join(real, 'package.json'));
      if (manifestStamp !== undefined && manifest !== manifestStamp) return undefined;
      return [salt, real, manifest, ...namedFiles(result).map((f) => fileStamp(path.resolve(real, f)))].join('|');
    } catch {
      return undefined;
    }
  }

  return {
    stamp(dir) {
      try {
        return fileStamp(path.join(dir, 'package.json'));
      } catch {
        return undefined;
      }
    },
    get(dir, salt) {
      const entry = entries[dir];
      return entry && keyOf(dir, salt, entry.result) === entry.key ? entry.result : undefined;
    },
    set(dir, salt, stamp, result) {
      const key = result.ok && stamp !== undefined ? keyOf(dir, salt, result, stamp) : undefined;
      if (!result.ok || key === undefined) {
        this.invalidate(dir);
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
