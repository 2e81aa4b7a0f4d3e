/**
 * The user's answer to an `upgrade_pending` plugin: approving swaps the
 * staged files in and records the new consent; declining drops the staged files and the old
 * version keeps running. Unpacked plugins have no staged copy (their folder is the author's),
 * so approving accepts the folder as it is and declining disables the plugin.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LifecycleState } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { transition } from '../lifecycle.ts';
import type { RegistryEntry } from '../registry.ts';
import { exists, presentEntry, swapFolder, validateOrThrow, type InstallerContext } from './context.ts';
import { idFolder, inside } from './layout.ts';

/** The result of {@link approveUpgrade}. */
export interface ApproveResult {
  id: string;
  /** The version now in use. */
  version: string;
  /** The folder it is loaded from. */
  dir: string;
  /** The capabilities the user approved (every capability the version declares). */
  approvedCapabilities: string[];
  state: LifecycleState;
}

/** The result of {@link declineUpgrade}. */
export interface DeclineResult {
  id: string;
  /** `ready` (the old version keeps running), or `disabled` for an unpacked plugin. */
  state: LifecycleState;
}

/** A pending upgrade as the settings window shows it. */
export interface PendingUpgrade {
  /** The waiting version (unpacked: the folder's current version). */
  version: string;
  /** Capabilities it declares beyond the approved set, in manifest order. */
  addedCapabilities: string[];
}

/**
 * The pending upgrade of `id`, or `null` when the plugin is not `upgrade_pending`. Synchronous
 * (for the host's plugin summaries): reads the staged `package.json` (a small file, bounded by
 * the validator's manifest limit); `null` too when the staged files are gone or unreadable.
 */
export function pendingUpgrade(ctx: InstallerContext, id: string): PendingUpgrade | null {
  const entry = presentEntry(ctx, id);
  if (entry?.state !== 'upgrade_pending') return null;
  const approved = entry.approvedCapabilities ?? [];
  const added = (capabilities: string[]) => capabilities.filter((c) => !approved.includes(c));
  if (entry.source === 'unpacked') return { version: entry.version, addedCapabilities: added(entry.capabilities) };
  try {
    const raw = JSON.parse(readFileSync(path.join(idFolder(ctx.layout.stagedDir, id), 'package.json'), 'utf8')) as
      { version?: unknown; plinth?: { capabilities?: unknown } };
    const declared = Array.isArray(raw.plinth?.capabilities) ? raw.plinth.capabilities.filter((c): c is string => typeof c === 'string') : [];
    return { version: typeof raw.version === 'string' ? raw.version : '?', addedCapabilities: added(declared) };
  } catch {
    return null;
  }
}

function present(ctx: InstallerContext, id: string): RegistryEntry {
  const entry = presentEntry(ctx, id);
  if (!entry) throw new PlinthError('NOT_FOUND', `No plugin "${id}" is installed`, { id });
  return entry;
}

/**
 * Approves the pending upgrade of `id`: the staged version replaces the installed files (data,
 * config and state kept) and its capabilities become the approved set; state `ready`.
 * For an unpacked plugin the folder's current capabilities are approved.
 * @throws PlinthError `NOT_FOUND` unknown plugin or staged files missing; `CONFLICT` the plugin
 *   is not `upgrade_pending` ("Cannot approve an upgrade of a plugin that is ready");
 *   `INVALID_INPUT` the staged version (or unpacked folder) no longer validates (e.g. the host
 *   API changed meanwhile): nothing is changed then
 */
export async function approveUpgrade(ctx: InstallerContext, id: string): Promise<ApproveResult> {
  const entry = present(ctx, id);
  const state = transition(entry.state, 'approve_upgrade');
  if (entry.source === 'unpacked') {
    const { manifest } = await validateOrThrow(entry.path, 'unpacked', ctx, `The unpacked plugin at ${entry.path}`);
    const capabilities = manifest.plinth.capabilities ?? [];
    ctx.registry.update(id, { state, version: manifest.version, capabilities, approvedCapabilities: capabilities, lastError: null });
    return { id, version: manifest.version, dir: entry.path, approvedCapabilities: capabilities, state };
  }
  const staged = idFolder(ctx.layout.stagedDir, id);
  if (!(await exists(staged))) {
    throw new PlinthError('NOT_FOUND', `The staged version of "${id}" is missing from ${staged}; decline the upgrade and install the archive again.`, { id });
  }
  const { manifest } = await validateOrThrow(staged, 'user', ctx, `The staged version of "${id}"`);
  if (manifest.name !== id) throw new PlinthError('INTERNAL', `The staged folder ${staged} holds "${manifest.name}", not "${id}"`);
  const target = idFolder(ctx.layout.pluginsDir, id);
  await mkdir(ctx.layout.tempDir, { recursive: true });
  const scratch = await mkdtemp(path.join(ctx.layout.tempDir, 'approve-'));
  try {
    await swapFolder(staged, target, path.join(scratch, 'swap'), inside(ctx.layout.pluginsDir, entry.path));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const capabilities = manifest.plinth.capabilities ?? [];
  ctx.registry.update(id, {
    state, version: manifest.version, path: target, capabilities, approvedCapabilities: capabilities, lastError: null,
  });
  return { id, version: manifest.version, dir: target, approvedCapabilities: capabilities, state };
}

/**
 * Declines the pending upgrade of `id`: the staged files are deleted and the old version keeps
 * running (`ready`, consent unchanged). An unpacked plugin cannot go back to its old files, so
 * it is disabled instead; enabling it again asks consent for what its folder then declares.
 * @throws PlinthError `NOT_FOUND` unknown plugin; `CONFLICT` the plugin is not `upgrade_pending`
 */
export async function declineUpgrade(ctx: InstallerContext, id: string): Promise<DeclineResult> {
  const entry = present(ctx, id);
  if (entry.source === 'unpacked') {
    transition(entry.state, 'decline_upgrade'); // same refusal wording when nothing is pending
    const state = transition(entry.state, 'disable');
    ctx.registry.update(id, { state, enabled: false });
    return { id, state };
  }
  const state = transition(entry.state, 'decline_upgrade');
  await rm(idFolder(ctx.layout.stagedDir, id), { recursive: true, force: true });
  ctx.registry.update(id, { state });
  return { id, state };
}
