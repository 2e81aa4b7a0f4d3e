/**
 * What every installer operation shares: the profile layout, the registry, the uninstall
 * records, and the two checks every way in passes (a valid manifest; a name not held by another
 * source). Messages follow CONTRACT §2: they name the field, both versions, or the other source.
 */
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import { formatProblem, validatePluginFolder } from '../manifest/index.ts';
import type { Registry, RegistryEntry } from '../registry.ts';
import { inside, type InstallLayout } from './layout.ts';
import type { UninstallRecords } from './uninstall-records.ts';

/** Dependencies and state shared by the installer's modules. */
export interface InstallerContext {
  layout: InstallLayout;
  registry: Registry;
  records: UninstallRecords;
  hostApiVersion: string | undefined;
  bundledIds(): Set<string>;
  now(): Date;
}

/** A validated plugin folder. */
export interface ValidFolder {
  manifest: PluginManifest;
  realDir: string;
  /** Manifest warnings, one line each (`field: message`). */
  warnings: string[];
}

/**
 * Validates a plugin folder as coming from `source`.
 * @param what how the message names the folder, e.g. `The plugin in kanban-1.0.0.tgz`
 * @throws PlinthError `INVALID_INPUT` "<what> is not valid:" followed by one problem per line
 *   (the validator's words: unsatisfied `engines.plinth` with both versions, reserved `plinth-`
 *   name, …); `data.problems` holds the same lines
 */
export async function validateOrThrow(dir: string, source: PluginSource, ctx: InstallerContext, what: string): Promise<ValidFolder> {
  const result = await validatePluginFolder(dir, { source, ...(ctx.hostApiVersion ? { hostApiVersion: ctx.hostApiVersion } : {}) });
  if (!result.ok) {
    const problems = result.problems.map(formatProblem);
    throw new PlinthError('INVALID_INPUT', `${what} is not valid:\n${problems.map((p) => `- ${p}`).join('\n')}`, { problems });
  }
  return { manifest: result.manifest, realDir: result.realDir, warnings: result.warnings.map(formatProblem) };
}

const SOURCE_WORDS: Record<PluginSource, string> = {
  bundled: 'as a bundled plugin',
  user: 'from a file',
  unpacked: 'unpacked',
};

/** The registry row of a plugin that is present (not uninstalled), if any. */
export function presentEntry(ctx: InstallerContext, id: string): RegistryEntry | undefined {
  const entry = ctx.registry.get(id);
  return entry && entry.state !== 'uninstalled' ? entry : undefined;
}

/**
 * Refuses a plugin name already held by another source, or by another unpacked folder
 * (CONTRACT §2: two plugins with one name cannot both be installed).
 * @throws PlinthError `CONFLICT` naming the other source and its path
 */
export function refuseOtherSource(ctx: InstallerContext, id: string, source: 'user' | 'unpacked', dir?: string): void {
  const entry = presentEntry(ctx, id);
  if (ctx.bundledIds().has(id) || entry?.source === 'bundled') {
    const at = entry?.source === 'bundled' ? ` at ${entry.path}` : '';
    throw new PlinthError('CONFLICT', `"${id}" is already installed as a bundled plugin${at}. Bundled plugins cannot be replaced; give your plugin another name.`, { id, source: 'bundled' });
  }
  if (!entry) return;
  if (entry.source !== source) {
    throw new PlinthError('CONFLICT',
      `"${id}" is already installed ${SOURCE_WORDS[entry.source]} at ${entry.path}. A plugin name can be installed once: uninstall that one first.`,
      { id, source: entry.source, path: entry.path });
  }
  if (source === 'unpacked' && dir !== undefined && entry.path !== dir) {
    throw new PlinthError('CONFLICT',
      `"${id}" is already loaded unpacked from ${entry.path}. Uninstall that reference first to load ${dir}.`,
      { id, source: entry.source, path: entry.path });
  }
}

/**
 * Registers a plugin that was not present: an `installed`, disabled row with no consent yet,
 * loaded from `dir`. An earlier uninstalled copy of the same name is discarded in the same
 * transaction (its uninstall record goes; its config and state rows are kept, as for a restore).
 * @returns that copy's moved files, for the caller to delete once the row is written, else `null`
 */
export function registerInstalled(ctx: InstallerContext, manifest: PluginManifest, source: 'user' | 'unpacked', dir: string): string | null {
  const id = manifest.name;
  const previous = ctx.registry.get(id);
  const gone = ctx.records.get(id);
  const trash = gone?.trashPath ? inside(ctx.layout.uninstalledDir, gone.trashPath) : null;
  ctx.records.transaction(() => {
    ctx.registry.put({
      id, source, path: dir, version: manifest.version, state: 'installed', enabled: false,
      lastError: null, capabilities: manifest.plinth.capabilities ?? [], approvedCapabilities: null,
      config: previous?.config ?? {}, installedAt: ctx.now().toISOString(),
    });
    if (gone) ctx.records.remove(id);
  });
  return trash;
}

/** True when `p` exists (following symbolic links: a broken link counts as missing). */
export async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Replaces the folder `target` with `incoming` (both on the profile's disk): the old folder is
 * renamed into `scratch`, the new one into place, then the old one deleted. If the second rename
 * fails the old folder is put back, so `target` is always either the old or the new version.
 * `previous` is where the old version lives when it is not `target` (a folder with another name).
 */
export async function swapFolder(incoming: string, target: string, scratch: string, previous: string = target): Promise<void> {
  const aside = `${scratch}.old`;
  await mkdir(path.dirname(target), { recursive: true });
  const hadOld = await exists(previous);
  if (hadOld) await rename(previous, aside);
  try {
    await rename(incoming, target);
  } catch (error) {
    if (hadOld) await rename(aside, previous);
    throw error;
  }
  if (hadOld) await rm(aside, { recursive: true, force: true });
}
