/**
 * The plugin installer: install from `.tgz`, load unpacked, upgrade with
 * consent, uninstall, restore and purge. It owns the plugin files in the profile folder and the
 * registry rows those operations change; it never starts or stops workers. After each call the
 * host re-discovers, reconciles, stops or restarts workers and emits a change.
 *
 * Operations run one at a time (a queue), so two installs of one name cannot interleave their
 * renames.
 */
import { rm } from 'node:fs/promises';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import type { Db } from '../db/database.ts';
import type { PluginRoot } from '../discovery.ts';
import { DEFAULT_PREFERENCES } from '../preferences.ts';
import type { Registry } from '../registry.ts';
import {
  inspectArchive, installFromArchive, type ArchiveInspection, type InstallOptions, type InstallOutcome,
} from './archive-install.ts';
import type { InstallerContext } from './context.ts';
import { installLayout, type InstallLayout } from './layout.ts';
import {
  listUninstalled, purge, purgeExpired, restore, uninstall,
  type PurgeExpiredResult, type PurgeListener, type RestoreResult, type UninstalledPlugin, type UninstallResult,
} from './uninstall.ts';
import { createUninstallRecords } from './uninstall-records.ts';
import {
  detectCapabilityGrowth, loadUnpacked, requestUnpackedUpgrade, unpackedRoots, type LoadUnpackedResult,
} from './unpacked.ts';
import {
  approveUpgrade, declineUpgrade, pendingUpgrade, type ApproveResult, type DeclineResult, type PendingUpgrade,
} from './upgrade.ts';

/** Days an uninstalled plugin is kept when the caller gives none (the preference's default, CONTRACT §9). */
export const DEFAULT_UNINSTALL_GRACE_DAYS = DEFAULT_PREFERENCES.uninstallGraceDays;

/** Dependencies of {@link createPluginInstaller}. */
export interface PluginInstallerDeps {
  /** The profile folder (see `layout.ts` for what goes where). */
  userDataDir: string;
  /** The host's registry, over `db`. */
  registry: Registry;
  /** The host database (migration 004 applied): uninstall records and purges. */
  db: Db;
  /** Host plugin API version `engines.plinth` must satisfy; default `PLUGIN_API_VERSION`. */
  hostApiVersion?: string;
  /** Ids of the bundled plugins (never installable from elsewhere, never uninstallable). */
  bundledIds(): Set<string>;
  /** The clock (uninstall times, grace periods); injected by tests. */
  now?: () => Date;
}

/** Install, upgrade and uninstall operations. Every method may throw `PlinthError`. */
export interface PluginInstaller {
  /** The folders the installer uses. */
  readonly layout: InstallLayout;
  /** Reads an archive and says what installing it would do; writes nothing. See `inspectArchive`. */
  inspectArchive(tgzPath: string): Promise<ArchiveInspection>;
  /** Installs, upgrades in place, or stages an upgrade needing consent. See `installFromArchive`. */
  installFromArchive(tgzPath: string, options?: InstallOptions): Promise<InstallOutcome>;
  /** Swaps the staged version in and records consent; state `ready`. See `approveUpgrade`. */
  approveUpgrade(id: string): Promise<ApproveResult>;
  /** Drops the staged version; the old one keeps running (unpacked: disabled). See `declineUpgrade`. */
  declineUpgrade(id: string): Promise<DeclineResult>;
  /** The waiting version and added capabilities of an `upgrade_pending` plugin, else `null` (sync). */
  pendingUpgrade(id: string): PendingUpgrade | null;
  /** References a plugin folder in place, `installed`. See `loadUnpacked`. */
  loadUnpacked(dir: string): Promise<LoadUnpackedResult>;
  /** Capabilities `manifest` adds beyond the approved set of `id` (empty when none approved yet). */
  detectCapabilityGrowth(id: string, manifest: PluginManifest): string[];
  /** Moves a serving unpacked plugin whose manifest gained capabilities to `upgrade_pending`. */
  requestUnpackedUpgrade(id: string, manifest: PluginManifest): { addedCapabilities: string[] } | null;
  /** Unpacked references as discovery roots (`isPluginFolder: true`); append them to the host's roots. */
  unpackedRoots(): PluginRoot[];
  /** Moves files out of use (unpacked: only the reference), state `uninstalled`. See `uninstall`. */
  uninstall(id: string): Promise<UninstallResult>;
  /** The "Recently uninstalled" list; `graceDays` default {@link DEFAULT_UNINSTALL_GRACE_DAYS}. */
  listUninstalled(graceDays?: number): UninstalledPlugin[];
  /** Brings an uninstalled plugin back, `disabled`. See `restore`. */
  restore(id: string): Promise<RestoreResult>;
  /** Deletes an uninstalled plugin's files, data folder and rows, then calls the `onPurge` listeners. */
  purge(id: string): Promise<{ id: string }>;
  /** Purges those uninstalled more than `graceDays` (default {@link DEFAULT_UNINSTALL_GRACE_DAYS}) ago. */
  purgeExpired(graceDays?: number): Promise<PurgeExpiredResult>;
  /** Adds a listener called after each purge (e.g. the host drops schedules); returns its remover. */
  onPurge(listener: PurgeListener): () => void;
  /** Deletes scratch space left by an interrupted install (call at start-up, before discovery). */
  cleanupLeftovers(): Promise<void>;
}

/** Creates the installer over the host's registry and database. Nothing happens until a call. */
export function createPluginInstaller(deps: PluginInstallerDeps): PluginInstaller {
  const ctx: InstallerContext = {
    layout: installLayout(deps.userDataDir),
    registry: deps.registry,
    records: createUninstallRecords(deps.db),
    hostApiVersion: deps.hostApiVersion,
    bundledIds: deps.bundledIds,
    now: deps.now ?? (() => new Date()),
  };
  const listeners = new Set<PurgeListener>();
  let tail: Promise<unknown> = Promise.resolve();

  /** Runs `fn` after every earlier operation settled. */
  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  }

  return {
    layout: ctx.layout,
    inspectArchive: (tgzPath) => serial(() => inspectArchive(ctx, tgzPath)),
    installFromArchive: (tgzPath, options) => serial(() => installFromArchive(ctx, tgzPath, options)),
    approveUpgrade: (id) => serial(() => approveUpgrade(ctx, id)),
    declineUpgrade: (id) => serial(() => declineUpgrade(ctx, id)),
    pendingUpgrade: (id) => pendingUpgrade(ctx, id),
    loadUnpacked: (dir) => serial(() => loadUnpacked(ctx, dir)),
    detectCapabilityGrowth: (id, manifest) => detectCapabilityGrowth(ctx, id, manifest),
    requestUnpackedUpgrade: (id, manifest) => requestUnpackedUpgrade(ctx, id, manifest),
    unpackedRoots: () => unpackedRoots(ctx),
    uninstall: (id) => serial(() => uninstall(ctx, id)),
    listUninstalled: (graceDays = DEFAULT_UNINSTALL_GRACE_DAYS) => listUninstalled(ctx, graceDays),
    restore: (id) => serial(() => restore(ctx, id)),
    purge: (id) => serial(() => purge(ctx, listeners, id)),
    purgeExpired: (graceDays = DEFAULT_UNINSTALL_GRACE_DAYS) => serial(() => purgeExpired(ctx, listeners, graceDays)),
    onPurge(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    cleanupLeftovers: () => serial(() => rm(ctx.layout.tempDir, { recursive: true, force: true })),
  };
}
