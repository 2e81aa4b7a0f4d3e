/**
 * Which files of a plugin folder go into its archive: exactly what `npm pack` would take,
 * decided by npm's own `npm-packlist` (the `files` field, `.npmignore` or else `.gitignore` at
 * every level, and npm's fixed rules: `package.json`, README and LICENSE always in;
 * `node_modules`, `.git`, `.npmrc`, lock files always out). On top of npm, archives never carry
 * links, and the entry files the manifest names must be in the list.
 */
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import packlist from 'npm-packlist';
import { isPathInside } from '@plinth/host/manifest';
import type { PluginManifest } from '../protocol/manifest.ts';

/** The manifest fields packing looks at: the entry files that must be in the archive. */
export interface PackedManifest { name: string; version: string; plinth?: Partial<Pick<PluginManifest['plinth'], 'worker' | 'ui' | 'icon'>> }

/** Files of a plugin folder to pack, as `/`-separated paths relative to it, sorted. */
export interface PackList {
  files: string[];
  totalBytes: number;
  /** Dot files npm packs (it leaves `.env` and the like in unless an ignore rule says otherwise). */
  dotFiles: string[];
}

/**
 * Lists the files to pack under `dir`. A symbolic link to a file inside the folder is packed as
 * that file; a link leaving the folder, a link to a folder, or anything but files is an error
 * naming the path.
 * @throws Error naming the offending path, or the manifest entry that `files` / `.npmignore` leaves out
 */
export async function listPackFiles(dir: string, manifest?: PackedManifest): Promise<PackList> {
  const root = await realpath(dir);
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  // npm-packlist reads the folder's package.json and its dependency edges from an arborist tree;
  // a plugin packs no dependencies, so a root node without edges is the whole tree.
  const listed = await packlist({ path: root, package: pkg, isProjectRoot: true, edgesOut: new Map() });
  // Earlier packs lying at the top are not part of the plugin (npm would pack them too).
  const files = [...new Set(listed.map((f) => f.replace(/\\/g, '/')))].filter((f) => !(f.endsWith('.tgz') && !f.includes('/'))).sort();
  let totalBytes = 0;
  for (const relPath of files) {
    const abs = path.join(root, relPath);
    const info = await lstat(abs);
    if (info.isFile()) {
      totalBytes += info.size;
    } else if (info.isSymbolicLink()) {
      const target = await realpath(abs).catch(() => undefined);
      if (!target || !isPathInside(root, target)) throw new Error(`${relPath} is a symbolic link that leaves the plugin folder`);
      const targetInfo = await stat(target);
      if (!targetInfo.isFile()) throw new Error(`${relPath} is a symbolic link to a folder; replace it with the folder itself`);
      totalBytes += targetInfo.size;
    } else {
      throw new Error(`${relPath} is not a file (a socket, FIFO or device); remove it before packing`);
    }
  }
  const entries: Array<[string, string | undefined]> = [
    ['plinth.worker', manifest?.plinth?.worker], ['plinth.ui.entry', manifest?.plinth?.ui?.entry], ['plinth.icon', manifest?.plinth?.icon],
  ];
  for (const [field, value] of entries) {
    if (value === undefined) continue;
    const rel = path.posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '');
    if (!files.includes(rel)) {
      throw new Error(`${field} "${value}" would be left out of the archive by the "files" field or an ignore file (.npmignore, .gitignore); include it`);
    }
  }
  return { files, totalBytes, dotFiles: files.filter((f) => f.split('/').some((part) => part.startsWith('.'))) };
}
