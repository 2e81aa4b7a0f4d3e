/**
 * Which files of a plugin folder go into its archive: everything except `node_modules`, dot
 * files and folders (`.git`, `.env`, …) and `.tgz` files at the top (earlier packs).
 */
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isPathInside } from '@plinth/host/manifest';

/** Files of a plugin folder to pack, as `/`-separated paths relative to it, sorted. */
export interface PackList { files: string[]; totalBytes: number }

function excluded(name: string, atTop: boolean): boolean {
  return name.startsWith('.') || name === 'node_modules' || (atTop && name.endsWith('.tgz'));
}

/**
 * Lists the files to pack under `dir`. A symbolic link to a file inside the folder is packed as
 * that file; a link leaving the folder, a link to a folder, or anything but files and folders is
 * an error naming the path (archives never carry links).
 * @throws Error naming the offending path
 */
export async function listPackFiles(dir: string): Promise<PackList> {
  const root = await realpath(dir);
  const files: string[] = [];
  let totalBytes = 0;

  async function walk(rel: string): Promise<void> {
    const names = (await readdir(path.join(root, rel))).sort();
    for (const name of names) {
      if (excluded(name, rel === '')) continue;
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const abs = path.join(root, relPath);
      const info = await lstat(abs);
      if (info.isDirectory()) {
        await walk(relPath);
      } else if (info.isFile()) {
        files.push(relPath);
        totalBytes += info.size;
      } else if (info.isSymbolicLink()) {
        const target = await realpath(abs).catch(() => undefined);
        if (!target || !isPathInside(root, target)) throw new Error(`${relPath} is a symbolic link that leaves the plugin folder`);
        const targetInfo = await stat(target);
        if (!targetInfo.isFile()) throw new Error(`${relPath} is a symbolic link to a folder; replace it with the folder itself`);
        files.push(relPath);
        totalBytes += targetInfo.size;
      } else {
        throw new Error(`${relPath} is not a file or folder (a socket, FIFO or device); remove it before packing`);
      }
    }
  }

  await walk('');
  return { files, totalBytes };
}
