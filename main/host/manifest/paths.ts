/**
 * File paths a manifest names (`worker`, `ui.entry`, `icon`) must be relative, exist, be files,
 * and stay inside the plugin folder after symbolic links are followed (CONTRACT §1, §2).
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { problem, type Problem } from './problem.ts';

/**
 * True when `child` is `parent` or lies below it. Both must be absolute and already resolved
 * the same way (both real paths, or both lexical).
 */
export function isPathInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

/**
 * Checks one relative path of the manifest against the plugin folder.
 * @param realDir the plugin folder's real path (symlinks resolved)
 * @returns `undefined` when the path is a file inside the folder, else the problem
 */
export async function checkRelativeFile(realDir: string, field: string, value: string): Promise<Problem | undefined> {
  if (path.isAbsolute(value) || path.win32.isAbsolute(value)) {
    return problem(field, 'must be a path relative to the plugin folder, not an absolute path', value);
  }
  if (value.includes('\\')) return problem(field, 'must use "/" to separate folders', value);
  const target = path.resolve(realDir, value);
  if (!isPathInside(realDir, target)) return problem(field, 'resolves outside the plugin folder', value);
  let info;
  try {
    info = await stat(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return problem(field, 'is a loop of symbolic links', value);
    return problem(field, code === 'ENOENT' || code === 'ENOTDIR' ? 'does not exist in the plugin folder' : `cannot be read (${code})`, value);
  }
  const real = await realpath(target);
  if (!isPathInside(realDir, real)) {
    return problem(field, `resolves outside the plugin folder (a symbolic link to ${real})`, value);
  }
  if (!info.isFile()) return problem(field, 'is not a file', value);
  return undefined;
}

/** Checks `plinth.worker`, `plinth.ui.entry` and `plinth.icon` of a raw manifest, where they are strings. */
export async function checkEntryPaths(realDir: string, raw: Record<string, unknown>): Promise<Problem[]> {
  const plinth = (typeof raw.plinth === 'object' && raw.plinth !== null ? raw.plinth : {}) as Record<string, unknown>;
  const ui = (typeof plinth.ui === 'object' && plinth.ui !== null ? plinth.ui : {}) as Record<string, unknown>;
  const fields: Array<[string, unknown]> = [['plinth.worker', plinth.worker], ['plinth.ui.entry', ui.entry], ['plinth.icon', plinth.icon]];
  const checks = fields
    .filter((f): f is [string, string] => typeof f[1] === 'string' && f[1].trim() !== '')
    .map(([field, value]) => checkRelativeFile(realDir, field, value));
  return (await Promise.all(checks)).filter((p): p is Problem => p !== undefined);
}
