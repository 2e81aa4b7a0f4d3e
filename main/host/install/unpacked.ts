/**
 * Unpacked plugins: a folder under development referenced in place.
 * The registry row (source `unpacked`, `path` = the folder) is the reference; the installer
 * never writes, moves or deletes anything inside the author's folder.
 */
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import type { PluginRoot } from '../discovery.ts';
import { isServing, transition } from '../lifecycle.ts';
import { isPathInside } from '../manifest/index.ts';
import { presentEntry, refuseOtherSource, registerInstalled, validateOrThrow, type InstallerContext } from './context.ts';

/** The result of {@link loadUnpacked}. */
export interface LoadUnpackedResult {
  id: string;
  version: string;
  /** The referenced folder (absolute). */
  dir: string;
  /** Declared capabilities: enabling the plugin asks consent for them. */
  capabilities: string[];
  /** Manifest warnings, one line each. */
  warnings: string[];
  /** True when this folder was already loaded: nothing changed. */
  alreadyLoaded: boolean;
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * References the plugin folder `dir` in place: validated like an archive (as source
 * `unpacked`), then registered `installed` and disabled with no consent yet. Loading the same
 * folder again changes nothing. A previous uninstalled copy of the same name is discarded (its
 * files only; config and state rows are kept).
 * @throws PlinthError `NOT_FOUND` `dir` is not a folder; `INVALID_INPUT` the manifest has
 *   problems (listed one per line) or the folder lies inside the profile's own plugin folders;
 *   `CONFLICT` the name is installed from another source or loaded from another folder
 */
export async function loadUnpacked(ctx: InstallerContext, dir: string): Promise<LoadUnpackedResult> {
  const abs = path.resolve(dir);
  if (!(await isDirectory(abs))) throw new PlinthError('NOT_FOUND', `The folder ${abs} does not exist`, { dir: abs });
  for (const own of [ctx.layout.pluginsDir, ctx.layout.stagedDir, ctx.layout.uninstalledDir]) {
    if (isPathInside(own, abs)) {
      throw new PlinthError('INVALID_INPUT', `${abs} is inside Plinth's own folder ${own}; load a folder of your own instead.`, { dir: abs });
    }
  }
  const { manifest, warnings } = await validateOrThrow(abs, 'unpacked', ctx, `The plugin folder ${abs}`);
  const id = manifest.name;
  refuseOtherSource(ctx, id, 'unpacked', abs);
  const capabilities = manifest.plinth.capabilities ?? [];
  const existing = presentEntry(ctx, id);
  if (existing) return { id, version: existing.version, dir: abs, capabilities: existing.capabilities, warnings, alreadyLoaded: true };

  const trash = registerInstalled(ctx, manifest, 'unpacked', abs);
  if (trash) await rm(trash, { recursive: true, force: true });
  return { id, version: manifest.version, dir: abs, capabilities, warnings, alreadyLoaded: false };
}

/**
 * The capabilities `manifest` declares beyond the set the user approved for `id`, in manifest
 * order. Empty when nothing was approved yet (enabling asks consent for everything anyway), when
 * the plugin is unknown, or when nothing was added.
 */
export function detectCapabilityGrowth(ctx: InstallerContext, id: string, manifest: PluginManifest): string[] {
  const approved = presentEntry(ctx, id)?.approvedCapabilities;
  if (!approved) return [];
  return (manifest.plinth.capabilities ?? []).filter((c) => !approved.includes(c));
}

/**
 * For an unpacked plugin whose `package.json` changed on disk (hot reload): when it is serving
 * and now declares capabilities beyond the approved set, moves it to `upgrade_pending` and
 * returns them; otherwise changes nothing and returns `null`.
 */
export function requestUnpackedUpgrade(ctx: InstallerContext, id: string, manifest: PluginManifest): { addedCapabilities: string[] } | null {
  const entry = presentEntry(ctx, id);
  if (!entry || entry.source !== 'unpacked' || !isServing(entry.state)) return null;
  const added = detectCapabilityGrowth(ctx, id, manifest);
  if (added.length === 0) return null;
  ctx.registry.update(id, { state: transition(entry.state, 'request_upgrade') });
  return { addedCapabilities: added };
}

/**
 * The referenced unpacked folders, as discovery roots that are plugin folders themselves
 * (`isPluginFolder`), for `discoverPlugins`. Uninstalled references are left out.
 */
export function unpackedRoots(ctx: InstallerContext): PluginRoot[] {
  return ctx.registry.all()
    .filter((e) => e.source === 'unpacked' && e.state !== 'uninstalled')
    .map((e) => ({ dir: e.path, source: 'unpacked' as const, isPluginFolder: true }));
}
