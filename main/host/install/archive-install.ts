/**
 * Installing from a `.tgz`: the archive is extracted into scratch space
 * and validated there; only a valid plugin whose name is free (or already ours) reaches
 * `<userData>/plugins/<id>/`, by rename, so a failure leaves nothing half-installed.
 * A newer version asking for more capabilities than the user approved waits in
 * `<userData>/staged/<id>/` while the old version keeps running.
 */
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import type { LifecycleState, PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { describeCapability, type Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import { extractPluginArchive } from '../archive/extract.ts';
import { isServing, transition } from '../lifecycle.ts';
import type { RegistryEntry } from '../registry.ts';
import { exists, presentEntry, refuseOtherSource, registerInstalled, swapFolder, validateOrThrow, type InstallerContext } from './context.ts';
import { idFolder, inside } from './layout.ts';

/** A capability with its plain-words description (for consent screens). */
export interface CapabilityInfo { capability: string; description: string }

/** What installing the archive would do, given what is installed now. */
export type InstallAction = 'install' | 'upgrade' | 'reinstall' | 'downgrade';

/** The result of {@link inspectArchive}: the archive's plugin and what installing it would do. */
export interface ArchiveInspection {
  id: string;
  displayName: string;
  version: string;
  description: string;
  manifest: PluginManifest;
  /** Declared capabilities, in manifest order, with plain words. */
  capabilities: CapabilityInfo[];
  /** Manifest warnings, one line each. */
  warnings: string[];
  /** The version installed now (`null` when the name is new). */
  installed: { version: string; source: PluginSource; path: string; state: LifecycleState } | null;
  /** `downgrade` is refused by `installFromArchive` unless `allowDowngrade` is set. */
  action: InstallAction;
  /** Capabilities the archive declares beyond those the user approved (empty for a new plugin). */
  addedCapabilities: CapabilityInfo[];
  /** True when installing would stage the files and wait for approval (`upgrade_pending`). */
  needsApproval: boolean;
}

/** Options of {@link installFromArchive}. */
export interface InstallOptions {
  /** Installs an older version over a newer one (the user confirmed the downgrade). */
  allowDowngrade?: boolean;
  /**
   * The name and version the archive must hold (a registry download): a tarball whose
   * `package.json` says otherwise is refused before anything is moved.
   */
  expect?: { name: string; version: string };
}

/**
 * The result of {@link installFromArchive}; the host then re-discovers and reconciles.
 * - `installed`: a new plugin in lifecycle `installed`, disabled: enabling it asks consent.
 * - `upgraded`: files replaced in place, data, config, state and consent kept; the host
 *   restarts a running worker. `addedCapabilities` is non-empty only for a plugin that was not
 *   serving (installed, disabled, error): enabling it asks consent for those.
 * - `upgrade_pending`: a serving plugin's new version asks for more: staged, old one running.
 */
export type InstallOutcome =
  | { outcome: 'installed'; id: string; version: string; dir: string; capabilities: string[]; warnings: string[] }
  | {
      outcome: 'upgraded'; id: string; fromVersion: string; version: string; dir: string;
      addedCapabilities: string[]; removedCapabilities: string[]; warnings: string[];
    }
  | { outcome: 'upgrade_pending'; id: string; fromVersion: string; version: string; stagedDir: string; addedCapabilities: string[]; warnings: string[] };

/** An archive unpacked and validated in scratch space; `cleanup` removes whatever is left of it. */
interface Prepared { scratch: string; dir: string; manifest: PluginManifest; warnings: string[] }

const describe = (capabilities: string[]): CapabilityInfo[] =>
  capabilities.map((capability) => ({ capability, description: describeCapability(capability as Capability) }));

async function prepare(ctx: InstallerContext, tgzPath: string): Promise<Prepared> {
  await mkdir(ctx.layout.tempDir, { recursive: true });
  const scratch = await mkdtemp(path.join(ctx.layout.tempDir, 'archive-'));
  try {
    const { dir } = await extractPluginArchive(tgzPath, path.join(scratch, 'plugin'));
    const valid = await validateOrThrow(dir, 'user', ctx, `The plugin in ${path.basename(tgzPath)}`);
    return { scratch, dir, manifest: valid.manifest, warnings: valid.warnings };
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

interface Plan {
  entry: RegistryEntry | undefined;
  action: InstallAction;
  added: string[];
  pending: boolean;
}

/** Decides what installing `manifest` does; refuses a name held by another source. */
function plan(ctx: InstallerContext, manifest: PluginManifest): Plan {
  refuseOtherSource(ctx, manifest.name, 'user');
  const entry = presentEntry(ctx, manifest.name);
  if (!entry) return { entry, action: 'install', added: [], pending: false };
  const order = semver.valid(entry.version) ? semver.compare(manifest.version, entry.version) : 1;
  const action: InstallAction = order > 0 ? 'upgrade' : order === 0 ? 'reinstall' : 'downgrade';
  const approved = entry.approvedCapabilities;
  const added = approved === null ? [] : (manifest.plinth.capabilities ?? []).filter((c) => !approved.includes(c));
  // Only a serving plugin keeps running an old version; any other gets consent when enabled.
  return { entry, action, added, pending: added.length > 0 && isServing(entry.state) };
}

/**
 * Reads a plugin archive without installing it: extracts it to scratch space, validates it,
 * and says what installing it would do. Nothing is left on disk.
 * @throws PlinthError as {@link installFromArchive}, except that a downgrade is reported as
 *   `action: 'downgrade'` rather than refused
 */
export async function inspectArchive(ctx: InstallerContext, tgzPath: string): Promise<ArchiveInspection> {
  const prepared = await prepare(ctx, tgzPath);
  try {
    const { manifest } = prepared;
    const p = plan(ctx, manifest);
    return {
      id: manifest.name, displayName: manifest.plinth.displayName, version: manifest.version,
      description: manifest.description ?? '', manifest,
      capabilities: describe(manifest.plinth.capabilities ?? []),
      warnings: prepared.warnings,
      installed: p.entry ? { version: p.entry.version, source: p.entry.source, path: p.entry.path, state: p.entry.state } : null,
      action: p.action, addedCapabilities: describe(p.added), needsApproval: p.pending,
    };
  } finally {
    await rm(prepared.scratch, { recursive: true, force: true });
  }
}

/**
 * Installs or upgrades a plugin from the `.tgz` at `tgzPath` (made by `npm pack` or
 * `plinth-plugin pack`). See {@link InstallOutcome} for the three results.
 * @throws PlinthError
 *   - `NOT_FOUND` the archive does not exist; `INVALID_INPUT` an unsafe or malformed archive
 *     (links, devices, paths escaping the folder, over 50 MB: see `extractPluginArchive`);
 *   - `INVALID_INPUT` "The plugin in <file> is not valid:" with one line per problem, including
 *     an `engines.plinth` range the host does not satisfy (both versions named) and a reserved
 *     `plinth-` name;
 *   - `CONFLICT` the name is installed from another source (bundled or unpacked), naming it and
 *     its path; or the archive is older than the installed version and `allowDowngrade` is not
 *     set (both versions named, `data: { installedVersion, archiveVersion }`).
 */
export async function installFromArchive(ctx: InstallerContext, tgzPath: string, options: InstallOptions = {}): Promise<InstallOutcome> {
  const prepared = await prepare(ctx, tgzPath);
  try {
    const { manifest, warnings } = prepared;
    const id = manifest.name;
    if (options.expect && (options.expect.name !== id || options.expect.version !== manifest.version)) {
      throw new PlinthError('INVALID_INPUT',
        `The registry's tarball of ${options.expect.name}@${options.expect.version} holds ${id}@${manifest.version}; it was not installed.`,
        { expected: options.expect, found: { name: id, version: manifest.version } });
    }
    const p = plan(ctx, manifest);
    const capabilities: string[] = manifest.plinth.capabilities ?? [];
    const target = idFolder(ctx.layout.pluginsDir, id);
    if (!p.entry) return await installNew(ctx, prepared, target);

    const fromVersion = p.entry.version;
    if (p.action === 'downgrade' && !options.allowDowngrade) {
      throw new PlinthError('CONFLICT',
        `"${id}" ${fromVersion} is installed and the archive holds the older version ${manifest.version}. ` +
        'Installing it would downgrade the plugin; confirm the downgrade (allowDowngrade) to install it anyway.',
        { id, installedVersion: fromVersion, archiveVersion: manifest.version });
    }
    const staged = idFolder(ctx.layout.stagedDir, id);
    if (p.pending) {
      const state = transition(p.entry.state, 'request_upgrade');
      await rm(staged, { recursive: true, force: true }); // a newer archive replaces an older staged one
      await mkdir(path.dirname(staged), { recursive: true });
      await rename(prepared.dir, staged);
      ctx.registry.update(id, { state });
      return { outcome: 'upgrade_pending', id, fromVersion, version: manifest.version, stagedDir: staged, addedCapabilities: p.added, warnings };
    }
    await swapFolder(prepared.dir, target, path.join(prepared.scratch, 'swap'), inside(ctx.layout.pluginsDir, p.entry.path));
    // An archive needing no new consent supersedes a staged one; the plugin keeps serving.
    await rm(staged, { recursive: true, force: true });
    ctx.registry.update(id, {
      version: manifest.version, capabilities, path: target, lastError: null,
      ...(p.entry.state === 'upgrade_pending' ? { state: transition(p.entry.state, 'decline_upgrade') } : {}),
    });
    const removed = p.entry.capabilities.filter((c) => !capabilities.includes(c));
    return { outcome: 'upgraded', id, fromVersion, version: manifest.version, dir: target, addedCapabilities: p.added, removedCapabilities: removed, warnings };
  } finally {
    await rm(prepared.scratch, { recursive: true, force: true });
  }
}

/**
 * A name not present: moves the files into place and writes an `installed`, disabled row with
 * no consent yet. A previous uninstalled copy of the same name is discarded (its files only:
 * config and state rows are kept, as for a restore).
 */
async function installNew(ctx: InstallerContext, prepared: Prepared, target: string): Promise<InstallOutcome> {
  const { manifest, warnings } = prepared;
  const id = manifest.name;
  if (await exists(target)) {
    throw new PlinthError('CONFLICT', `Cannot install "${id}": the folder ${target} already exists but is not a known plugin. Move it away and try again.`, { id, path: target });
  }
  await mkdir(path.dirname(target), { recursive: true });
  await rename(prepared.dir, target);
  let trash: string | null;
  try {
    trash = registerInstalled(ctx, manifest, 'user', target);
  } catch (error) {
    await rm(target, { recursive: true, force: true });
    throw error;
  }
  if (trash) await rm(trash, { recursive: true, force: true });
  return { outcome: 'installed', id, version: manifest.version, dir: target, capabilities: manifest.plinth.capabilities ?? [], warnings };
}
