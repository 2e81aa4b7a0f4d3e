/**
 * What a plugin may use: the capabilities its manifest declares, those the user approved at
 * install or upgrade, and the optional ones the user allowed while it ran (API 1.1). Consent
 * is asked for by the shell; this module only answers what holds now.
 */
import type { Capability } from '@plinth/sdk/protocol/capabilities';
import type { Permissions } from './permissions/permissions.ts';
import { declared, type CatalogCore, type PluginRecord } from './plugin-record.ts';
import type { RegistryEntry } from './registry.ts';

/** What consent needs. */
export interface ConsentDeps {
  core: Pick<CatalogCore, 'entry'>;
  /** The runtime permissions: the optional capabilities the user allowed. */
  permissions: Pick<Permissions, 'allowed'>;
}

/**
 * What a plugin holds from the start: declared AND approved in its registry row `entry` (a grown
 * unpacked manifest gets nothing new until approved).
 */
export function heldFromStart(r: PluginRecord, entry: Pick<RegistryEntry, 'approvedCapabilities'> | undefined): Capability[] {
  const approved = entry?.approvedCapabilities ?? [];
  return declared(r).filter((c) => approved.includes(c)) as Capability[];
}

/** Creates the consent answers over the registry rows and the runtime permissions. */
export function createConsent(deps: ConsentDeps) {
  /**
   * {@link grantedFromStart} per record, kept while its row's approved list is the same array:
   * registry rows are frozen snapshots replaced on every change, so this is asked per event
   * subscriber and per host call without filtering the manifest's list each time.
   */
  const fromStartMemo = new WeakMap<PluginRecord, { approved: readonly string[] | null | undefined; held: Capability[] }>();

  /** Capabilities the plugin declares that the user has not approved. */
  function unapproved(r: PluginRecord): string[] {
    const approved = deps.core.entry(r.id)?.approvedCapabilities;
    if (!approved) return declared(r);
    return declared(r).filter((c) => !approved.includes(c));
  }

  /** What the plugin holds from the start: declared AND approved (a grown unpacked manifest gets nothing new until approved). */
  function grantedFromStart(r: PluginRecord): Capability[] {
    const entry = deps.core.entry(r.id);
    const memo = fromStartMemo.get(r);
    if (memo && memo.approved === entry?.approvedCapabilities) return memo.held;
    const held = Object.freeze(heldFromStart(r, entry)) as Capability[];
    fromStartMemo.set(r, { approved: entry?.approvedCapabilities, held });
    return held;
  }

  /** What the worker may use now: {@link grantedFromStart} and the optional capabilities the user allowed (API 1.1). */
  function granted(r: PluginRecord): Capability[] {
    const fromStart = grantedFromStart(r);
    const allowed = r.manifest?.plinth.optionalCapabilities?.length ? deps.permissions.allowed(r.id) : [];
    return allowed.length === 0 ? fromStart : [...new Set([...fromStart, ...allowed])];
  }

  return { unapproved, grantedFromStart, granted };
}

/** The consent answers. */
export type Consent = ReturnType<typeof createConsent>;
