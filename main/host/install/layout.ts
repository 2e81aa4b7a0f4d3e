/**
 * Where the installer keeps plugin files in the profile folder:
 *
 * ```
 * <userData>/plugins/<id>/             installed copies (`@acme/x` → plugins/@acme/x/, as discovery expects)
 * <userData>/staged/<id>/              a newer version awaiting capability approval
 * <userData>/uninstalled/<id>-<time>/  files moved out of use during the grace period
 * <userData>/plugin-data/<data-name>/  each plugin's private `ctx.dataDir`
 * <userData>/.install-tmp/             extraction and swap scratch space (same disk, so renames are atomic)
 * ```
 *
 * Ids are validated npm package names (CONTRACT §2), so they never hold `..` or a backslash;
 * every path built here is still checked to stay inside its folder before anything is moved.
 */
import path from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { isPathInside } from '../manifest/index.ts';

/** The folders of one profile the installer works in (absolute paths). */
export interface InstallLayout {
  /** Root of installed copies, a plugin root for discovery (source `user`). */
  pluginsDir: string;
  /** Root of staged upgrades; never a plugin root. */
  stagedDir: string;
  /** Root of uninstalled copies; never a plugin root. */
  uninstalledDir: string;
  /** Root of plugin data folders. */
  pluginDataDir: string;
  /** Scratch space, emptied at start-up by `cleanupLeftovers`. */
  tempDir: string;
}

/** The layout under `userDataDir`. */
export function installLayout(userDataDir: string): InstallLayout {
  const base = path.resolve(userDataDir);
  return {
    pluginsDir: path.join(base, 'plugins'),
    stagedDir: path.join(base, 'staged'),
    uninstalledDir: path.join(base, 'uninstalled'),
    pluginDataDir: path.join(base, 'plugin-data'),
    tempDir: path.join(base, '.install-tmp'),
  };
}

/** `root/<id>`, with a scoped id as two folders (`@acme/x` → `root/@acme/x`). */
export function idFolder(root: string, id: string): string {
  return inside(root, path.join(root, ...id.split('/')));
}

/**
 * The name of a plugin's data folder: `@acme/x` → `acme__x`. The host builds `ctx.dataDir` with
 * it (main/host/plugin-catalog.ts), so a purge deletes the folder the worker wrote.
 */
export function pluginDataDirName(id: string): string {
  return id.replace(/^@/, '').replace(/\//g, '__');
}

/** The folder an uninstalled copy moves to: `uninstalled/<id>-<time>` with `@acme/x` as `@acme__x`. */
export function uninstalledFolder(layout: InstallLayout, id: string, at: Date): string {
  // Colons are not allowed in Windows file names.
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  return inside(layout.uninstalledDir, path.join(layout.uninstalledDir, `${id.replace(/\//g, '__')}-${stamp}`));
}

/**
 * Returns `target` when it lies strictly inside `root`.
 * @throws PlinthError `INTERNAL` otherwise: the installer never moves or deletes outside its folders
 */
export function inside(root: string, target: string): string {
  if (!isPathInside(root, target) || path.resolve(root) === path.resolve(target)) {
    throw new PlinthError('INTERNAL', `Refusing to touch ${target}: it is not inside ${root}`);
  }
  return target;
}
