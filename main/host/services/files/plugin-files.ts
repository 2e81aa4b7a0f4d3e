/**
 * `ctx.files` (CONTRACT §5, API 1.1): a plugin's own `ctx.dataDir`, the only files a sandboxed
 * worker can reach. Served by the host, so the confinement holds whatever the worker does:
 * every path is relative to the data folder and must stay inside it after symlinks; symlinks
 * themselves are never followed out; file size and the folder's total size are capped.
 */
import { lstat, mkdir, readdir, readFile, realpath, rm, stat, writeFile, appendFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { FileReadOptions, FileStat, FileWriteOptions } from '@plinth/sdk/protocol/rpc';

/** Largest file `ctx.files` reads or writes (4 MiB: base64 of it still fits one RPC message of 8 MiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Largest total size of one plugin's data folder (256 MiB), checked on every write. */
export const DATA_DIR_QUOTA_BYTES = 256 * 1024 * 1024;
/** Most entries `ctx.files.list` returns for one folder. */
export const MAX_LIST_ENTRIES = 10_000;

/** The `files.*` methods for one plugin's data folder. */
export interface PluginFiles {
  read(path: string, options?: FileReadOptions): Promise<string>;
  write(path: string, data: string, options?: FileWriteOptions): Promise<void>;
  list(path?: string): Promise<FileStat[]>;
  delete(path: string): Promise<void>;
  stat(path: string): Promise<FileStat | null>;
}

const invalid = (message: string) => new PlinthError('INVALID_INPUT', `ctx.files: ${message}`);
const mib = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;

function toStat(name: string, s: { isDirectory(): boolean; size: number; mtime: Date }): FileStat {
  return { name, type: s.isDirectory() ? 'directory' : 'file', size: s.isDirectory() ? 0 : s.size, modifiedAt: s.mtime.toISOString() };
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}

/**
 * Creates the files service of the data folder `dataDir` (created if missing).
 *
 * Errors (all `PlinthError`): `INVALID_INPUT` for an absolute path, one leaving the folder
 * (`..`, or a symlink pointing out), a symlink, or a write over {@link MAX_FILE_BYTES} or
 * {@link DATA_DIR_QUOTA_BYTES}; `NOT_FOUND` for a missing file on read or delete.
 */
export function createPluginFiles(dataDir: string): PluginFiles {
  let root: string | undefined;
  const rootDir = async () => {
    if (root) return root;
    await mkdir(dataDir, { recursive: true });
    root = await realpath(dataDir);
    return root;
  };

  /** The absolute path of `path` inside the data folder; its existing part must not leave the folder after symlinks. */
  async function locate(path: string, allowRoot = false): Promise<{ abs: string; rel: string; base: string }> {
    if (path.includes('\0')) throw invalid('a path cannot contain NUL characters');
    if (isAbsolute(path) || /^[A-Za-z]:/.test(path)) throw invalid(`"${path}" is absolute; paths are relative to ctx.dataDir`);
    const base = await rootDir();
    const abs = resolve(base, path);
    const rel = relative(base, abs);
    if (rel.startsWith('..') || isAbsolute(rel)) throw invalid(`"${path}" leaves ctx.dataDir`);
    if (rel === '' && !allowRoot) throw invalid('the path names ctx.dataDir itself; name a file inside it');
    // Every existing ancestor must really be inside the folder (a symlinked directory would lead out).
    let probe = abs;
    for (;;) {
      const real = await realpath(probe).catch(() => undefined);
      if (real !== undefined) {
        if (real !== base && !real.startsWith(base + sep)) throw invalid(`"${path}" leads outside ctx.dataDir through a symbolic link`);
        break;
      }
      probe = dirname(probe);
    }
    const own = await lstat(abs).catch(() => undefined);
    if (own?.isSymbolicLink()) throw invalid(`"${path}" is a symbolic link; ctx.files does not follow links`);
    return { abs, rel, base };
  }

  const missing = (path: string) => new PlinthError('NOT_FOUND', `ctx.files: "${path}" does not exist in ctx.dataDir`);

  return {
    async read(path, options = {}) {
      const { abs } = await locate(path);
      const s = await stat(abs).catch(() => undefined);
      if (!s) throw missing(path);
      if (s.isDirectory()) throw invalid(`"${path}" is a folder; use ctx.files.list`);
      if (s.size > MAX_FILE_BYTES) throw new PlinthError('PAYLOAD_TOO_LARGE', `ctx.files: "${path}" is ${mib(s.size)}, over the ${mib(MAX_FILE_BYTES)} a read returns`);
      const bytes = await readFile(abs);
      return options.encoding === 'base64' ? bytes.toString('base64') : bytes.toString('utf8');
    },
    async write(path, data, options = {}) {
      const { abs, base } = await locate(path);
      const bytes = options.encoding === 'base64' ? Buffer.from(data, 'base64') : Buffer.from(data, 'utf8');
      const existing = await stat(abs).catch(() => undefined);
      if (existing?.isDirectory()) throw invalid(`"${path}" is a folder`);
      const newSize = bytes.length + (options.append ? existing?.size ?? 0 : 0);
      if (newSize > MAX_FILE_BYTES) throw new PlinthError('PAYLOAD_TOO_LARGE', `ctx.files: "${path}" would be ${mib(newSize)}, over the ${mib(MAX_FILE_BYTES)} limit of one file`);
      const total = (await folderBytes(base)) - (existing?.size ?? 0) + newSize;
      if (total > DATA_DIR_QUOTA_BYTES) throw new PlinthError('PAYLOAD_TOO_LARGE', `ctx.files: ctx.dataDir would hold ${mib(total)}, over its ${mib(DATA_DIR_QUOTA_BYTES)} quota; delete files first`);
      await mkdir(dirname(abs), { recursive: true });
      await (options.append ? appendFile(abs, bytes) : writeFile(abs, bytes));
    },
    async list(path = '.') {
      const { abs } = await locate(path, true);
      const s = await stat(abs).catch(() => undefined);
      if (!s) throw missing(path);
      if (!s.isDirectory()) throw invalid(`"${path}" is a file; use ctx.files.stat`);
      const entries = (await readdir(abs, { withFileTypes: true })).filter((e) => e.isFile() || e.isDirectory()).slice(0, MAX_LIST_ENTRIES);
      const stats = await Promise.all(entries.map(async (e) => {
        const es = await lstat(join(abs, e.name)).catch(() => undefined);
        return es ? toStat(e.name, es) : undefined;
      }));
      return stats.filter((x): x is FileStat => x !== undefined).sort((a, b) => a.name.localeCompare(b.name));
    },
    async delete(path) {
      const { abs } = await locate(path);
      const s = await lstat(abs).catch(() => undefined);
      if (!s) throw missing(path);
      await rm(abs, { recursive: true, force: true });
    },
    async stat(path) {
      const { abs, rel } = await locate(path, true);
      const s = await stat(abs).catch(() => undefined);
      return s ? toStat(rel === '' ? '.' : rel.split(sep).pop()!, s) : null;
    },
  };
}
