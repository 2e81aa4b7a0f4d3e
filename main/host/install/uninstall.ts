/**
 * Uninstall, restore and purge (CONTRACT §9). Uninstalling moves an installed
 * copy to `<userData>/uninstalled/<id>-<time>/` (an unpacked plugin's folder is never touched:
 * only the reference goes) and keeps config, consent, state, job runs, webhook endpoints and
 * secrets for the grace period. Restoring brings the plugin back `disabled`, so no code runs
 * until the user enables it. Purging deletes the files, the data folder and every row.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LifecycleState } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { transition } from '../lifecycle.ts';
import { exists, type InstallerContext } from './context.ts';
import { idFolder, inside, pluginDataDirName, uninstalledFolder } from './layout.ts';
import type { UninstallRecord } from './uninstall-records.ts';

/** One day (ms), for grace periods counted in days. */
const DAY_MS = 24 * 60 * 60 * 1000;

/** The result of {@link uninstall}. */
export interface UninstallResult {
  id: string;
  source: 'user' | 'unpacked';
  /** ISO 8601 UTC. */
  uninstalledAt: string;
  /** Where the files went; `null` for an unpacked plugin (its folder stays where it is). */
  movedTo: string | null;
}

/**
 * One entry of the "Recently uninstalled" list (the bridge DTO plus `source`). Times are ISO
 * 8601 UTC; `purgeAfter` is when `purgeExpired` deletes it: `uninstalledAt` + the grace period.
 */
export interface UninstalledPlugin {
  id: string;
  displayName: string;
  version: string;
  uninstalledAt: string;
  purgeAfter: string;
  source: 'user' | 'unpacked';
}

/** The result of {@link restore}. */
export interface RestoreResult {
  id: string;
  /** Always `disabled` (CONTRACT §9 via lifecycle `restore`): the user enables it again. */
  state: LifecycleState;
  dir: string;
}

/** The result of {@link purgeExpired}: ids purged, and those that failed with the reason. */
export interface PurgeExpiredResult { purged: string[]; failed: Array<{ id: string; error: string }> }

/** A listener told after a plugin was purged, to drop what the host keeps in memory. */
export type PurgeListener = (id: string) => void | Promise<void>;

/** The display name in a plugin folder's package.json, if it can be read. */
async function readDisplayName(dir: string): Promise<string | undefined> {
  try {
    const raw = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { plinth?: { displayName?: unknown } };
    return typeof raw.plinth?.displayName === 'string' ? raw.plinth.displayName : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Uninstalls `id`: lifecycle `uninstalled`, disabled, files moved out of use (an installed copy)
 * or the reference dropped (unpacked), a staged upgrade deleted. Config, consent and every row
 * the plugin owns are kept until {@link purge}. The host stops the worker and withdraws slots.
 * @throws PlinthError `NOT_FOUND` unknown plugin; `CONFLICT` a bundled plugin ("bundled plugins
 *   can be disabled, not uninstalled") or one already uninstalled
 */
export async function uninstall(ctx: InstallerContext, id: string): Promise<UninstallResult> {
  const entry = ctx.registry.get(id);
  if (entry?.source === 'bundled' || ctx.bundledIds().has(id)) {
    throw new PlinthError('CONFLICT', `"${id}" ships with Plinth: bundled plugins can be disabled, not uninstalled.`, { id, source: 'bundled' });
  }
  if (!entry) throw new PlinthError('NOT_FOUND', `No plugin "${id}" is installed`, { id });
  const state = transition(entry.state, 'uninstall');
  const at = ctx.now();
  const displayName = (await readDisplayName(entry.path)) ?? id;
  let movedTo: string | null = null;
  if (entry.source === 'user') {
    const from = inside(ctx.layout.pluginsDir, entry.path);
    if (await exists(from)) {
      movedTo = uninstalledFolder(ctx.layout, id, at);
      await mkdir(ctx.layout.uninstalledDir, { recursive: true });
      await rename(from, movedTo);
    }
    await rm(idFolder(ctx.layout.stagedDir, id), { recursive: true, force: true });
  }
  const record: UninstallRecord = {
    id, displayName, version: entry.version, source: entry.source, originalPath: entry.path,
    trashPath: movedTo, uninstalledAt: at.toISOString(),
  };
  try {
    ctx.records.transaction(() => {
      ctx.records.put(record);
      ctx.registry.update(id, { state, enabled: false });
    });
  } catch (error) {
    if (movedTo) await rename(movedTo, entry.path);
    throw error;
  }
  return { id, source: entry.source, uninstalledAt: record.uninstalledAt, movedTo };
}

/** Checks a grace period in days. @throws PlinthError `INVALID_INPUT` unless a finite number ≥ 0 */
function checkGraceDays(graceDays: number): number {
  if (!Number.isFinite(graceDays) || graceDays < 0) {
    throw new PlinthError('INVALID_INPUT', `The grace period must be a number of days ≥ 0, got ${String(graceDays)}`);
  }
  return graceDays;
}

const purgeAfter = (record: UninstallRecord, graceDays: number): number => Date.parse(record.uninstalledAt) + graceDays * DAY_MS;

/** The "Recently uninstalled" list, oldest first, with each entry's purge date for `graceDays`. */
export function listUninstalled(ctx: InstallerContext, graceDays: number): UninstalledPlugin[] {
  checkGraceDays(graceDays);
  return ctx.records.all().map((r) => ({
    id: r.id, displayName: r.displayName, version: r.version, source: r.source,
    uninstalledAt: r.uninstalledAt, purgeAfter: new Date(purgeAfter(r, graceDays)).toISOString(),
  }));
}

/**
 * Restores an uninstalled plugin: its files move back to `<userData>/plugins/<id>/` (or the
 * unpacked reference comes back), lifecycle `disabled`, with config, consent and state as they
 * were. The user enables it again.
 * @throws PlinthError `NOT_FOUND` nothing to restore (never uninstalled, purged, or its files or
 *   unpacked folder are gone); `CONFLICT` the name is now taken (a bundled plugin, or a folder
 *   at the install path)
 */
export async function restore(ctx: InstallerContext, id: string): Promise<RestoreResult> {
  const record = ctx.records.get(id);
  const entry = ctx.registry.get(id);
  if (!record || !entry) throw new PlinthError('NOT_FOUND', `No uninstalled plugin "${id}" to restore; it may have been purged`, { id });
  const state = transition(entry.state, 'restore');
  if (ctx.bundledIds().has(id)) {
    throw new PlinthError('CONFLICT', `Cannot restore "${id}": a bundled plugin now has that name. Purge the uninstalled one.`, { id });
  }
  let dir = record.originalPath;
  let moved: { from: string; to: string } | undefined;
  if (record.source === 'user') {
    if (!record.trashPath || !(await exists(record.trashPath))) {
      throw new PlinthError('NOT_FOUND', `The files of "${id}" are gone${record.trashPath ? ` from ${record.trashPath}` : ''}; purge it and install it again.`, { id });
    }
    dir = idFolder(ctx.layout.pluginsDir, id);
    if (await exists(dir)) throw new PlinthError('CONFLICT', `Cannot restore "${id}": ${dir} already exists. Move it away and try again.`, { id, path: dir });
    await mkdir(path.dirname(dir), { recursive: true });
    moved = { from: inside(ctx.layout.uninstalledDir, record.trashPath), to: dir };
    await rename(moved.from, moved.to);
  } else if (!(await exists(path.join(dir, 'package.json')))) {
    throw new PlinthError('NOT_FOUND', `Cannot restore "${id}": its folder ${dir} no longer holds a package.json. Load the folder unpacked again or purge it.`, { id, path: dir });
  }
  try {
    ctx.records.transaction(() => {
      ctx.registry.update(id, { state, enabled: false, path: dir });
      ctx.records.remove(id);
    });
  } catch (error) {
    if (moved) await rename(moved.to, moved.from);
    throw error;
  }
  return { id, state, dir };
}

/**
 * Purges an uninstalled plugin now: deletes its moved files and its data folder
 * (`<userData>/plugin-data/<name>/`), then every row it owns (registry, plugin state, job runs,
 * webhook endpoints, secrets, the uninstall record), then calls `listeners`. An unpacked
 * plugin's folder is never touched. Files go first, so a failure leaves a purge to retry.
 * @throws PlinthError `NOT_FOUND` unknown plugin; `CONFLICT` the plugin is not uninstalled
 *   ("uninstall it first"); `INTERNAL` a listener failed (the purge itself is done then)
 */
export async function purge(ctx: InstallerContext, listeners: Iterable<PurgeListener>, id: string): Promise<{ id: string }> {
  const record = ctx.records.get(id);
  const entry = ctx.registry.get(id);
  if (!record && !entry) throw new PlinthError('NOT_FOUND', `No plugin "${id}" to purge`, { id });
  if (!record && entry?.state !== 'uninstalled') {
    throw new PlinthError('CONFLICT', `"${id}" is ${entry?.state ?? 'installed'}: uninstall it first, then purge it.`, { id });
  }
  if (record?.trashPath) await rm(inside(ctx.layout.uninstalledDir, record.trashPath), { recursive: true, force: true });
  await rm(inside(ctx.layout.pluginDataDir, path.join(ctx.layout.pluginDataDir, pluginDataDirName(id))), { recursive: true, force: true });
  ctx.records.deleteAllRowsOf(id);
  const failures: string[] = [];
  for (const listener of listeners) {
    try {
      await listener(id);
    } catch (error) {
      failures.push(error instanceof Error ? error.message : String(error));
    }
  }
  if (failures.length > 0) {
    throw new PlinthError('INTERNAL', `"${id}" was purged, but a clean-up step failed: ${failures.join('; ')}`, { id });
  }
  return { id };
}

/**
 * Purges every uninstalled plugin whose grace period is over (`uninstalledAt` + `graceDays`
 * days ≤ now). Called at start-up; one failure does not stop the others.
 * @throws PlinthError `INVALID_INPUT` when `graceDays` is not a number ≥ 0
 */
export async function purgeExpired(ctx: InstallerContext, listeners: Iterable<PurgeListener>, graceDays: number): Promise<PurgeExpiredResult> {
  checkGraceDays(graceDays);
  const now = ctx.now().getTime();
  const result: PurgeExpiredResult = { purged: [], failed: [] };
  for (const record of ctx.records.all()) {
    if (purgeAfter(record, graceDays) > now) continue;
    try {
      await purge(ctx, listeners, record.id);
      result.purged.push(record.id);
    } catch (error) {
      result.failed.push({ id: record.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
