/**
 * The rules every entry of a plugin archive must pass before anything is written: only files and
 * folders, all under `package/`, no path leaving it, and bounded size and count.
 */
import type { ReadEntry } from 'tar';
import { ARCHIVE_ROOT, MAX_PLUGIN_ARCHIVE_ENTRIES, formatSize } from './limits.ts';

/** Entry types that are plain files or folders; everything else (links, devices, FIFOs) is refused. */
const FILE_TYPES = new Set(['File', 'OldFile', 'ContiguousFile']);
const DIRECTORY_TYPE = 'Directory';

const TYPE_WORDS: Record<string, string> = {
  SymbolicLink: 'a symbolic link (links could point outside the plugin folder)',
  Link: 'a hard link (links could point outside the plugin folder)',
  CharacterDevice: 'a character device',
  BlockDevice: 'a block device',
  FIFO: 'a FIFO (named pipe)',
};

/** Tracks entries of one pass over an archive; `inspect` returns why an entry is refused, if it is. */
export interface EntryInspector {
  inspect(entry: ReadEntry): string | undefined;
  /** True once `package/package.json` was seen as a file. */
  readonly sawManifest: boolean;
}

/** A creator of {@link EntryInspector}s, one per pass. `maxBytes` bounds the sum of file sizes. */
export function createEntryInspector(maxBytes: number): EntryInspector {
  let totalBytes = 0;
  let count = 0;
  let sawManifest = false;
  return {
    get sawManifest() { return sawManifest; },
    inspect(entry) {
      const raw = String(entry.path);
      const quoted = JSON.stringify(raw);
      count += 1;
      if (count > MAX_PLUGIN_ARCHIVE_ENTRIES) return `it has more than ${MAX_PLUGIN_ARCHIVE_ENTRIES} entries`;
      const isFile = FILE_TYPES.has(entry.type);
      if (!isFile && entry.type !== DIRECTORY_TYPE) {
        return `entry ${quoted} is ${TYPE_WORDS[entry.type] ?? `of type ${entry.type}`}; only files and folders are allowed`;
      }
      // Backslashes separate folders on Windows; check them as separators everywhere.
      const p = raw.replace(/\\/g, '/');
      if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return `entry ${quoted} is an absolute path`;
      const parts = p.replace(/\/+$/, '').split('/'); // a folder entry may end in "/"
      if (parts.includes('..')) return `entry ${quoted} escapes the plugin folder ("..")`;
      // tar strips "package/" as the first segment, whatever it is: it must be exactly that.
      if (parts.includes('')) return `entry ${quoted} has an empty path segment ("//")`;
      if (parts[0] !== ARCHIVE_ROOT) {
        return `entry ${quoted} is not under "${ARCHIVE_ROOT}/" (make the archive with npm pack or plinth-plugin pack)`;
      }
      if (isFile) {
        totalBytes += entry.size;
        if (totalBytes > maxBytes) return `it unpacks to more than ${formatSize(maxBytes)}`;
        if (parts.length === 2 && parts[1] === 'package.json') sawManifest = true;
      }
      return undefined;
    },
  };
}

/**
 * Plain permissions for an extracted entry: no setuid/setgid/sticky bits, owner-writable,
 * world-readable, executable only if the archive said so.
 */
export function normalizeMode(entry: ReadEntry): void {
  const mode = typeof entry.mode === 'number' ? entry.mode : 0;
  entry.mode = entry.type === DIRECTORY_TYPE || (mode & 0o111) !== 0 ? 0o755 : 0o644;
}
