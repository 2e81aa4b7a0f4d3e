/**
 * One update check of the plugins installed from registries. For each (not pinned, still
 * installed from a file-like source):
 * - no newer fitting version → `current` (a yanked or unpublished installed version is noted);
 * - a newer version that does not qualify (deprecated, or needs another plugin API) is never
 *   installed: it is reported as `skipped` with the reason, on the item and the plugin's origin;
 * - a newer one asking for capabilities beyond the approved set, while the plugin serves →
 *   installed now, which stages it in `upgrade_pending` (the old version keeps running);
 * - otherwise installed now (`mode: 'immediately'`, and every start-up check) or remembered as
 *   available for the next start (`mode: 'next-start'`).
 * A failure for one plugin (offline, auth, integrity) is recorded on it and the others go on.
 */
import { capabilityWords } from '@plinth/sdk/protocol/capabilities';
import type { UpdateCheckItem, UpdateCheckReport } from '@plinth/sdk/protocol/registry-catalog';
import { isServing } from '../lifecycle.ts';
import type { Registry } from '../registry.ts';
import type { PluginOrigins } from './origins.ts';
import type { RegistryClient } from './registry-client.ts';
import { selectUpdate } from './select-version.ts';

/** What a check needs. */
export interface UpdateCheckDeps {
  origins: PluginOrigins;
  client: RegistryClient;
  registry: Registry;
  hostApiVersion: string;
  now(): Date;
  mode: 'immediately' | 'next-start';
  install(spec: string): Promise<{ outcome: 'installed' | 'upgraded' | 'upgrade_pending' }>;
  /** Updates found but left for the next start (id → version); kept by the caller. */
  available: Map<string, string>;
  /** Installed versions yanked since (id → why). */
  yanked: Map<string, string>;
  /** Newer versions passed over by the last check (id → version and why). */
  skipped: Map<string, { version: string; reason: string }>;
}

/** Runs one check; never throws for one plugin's failure (it is in the report). */
export async function checkForUpdates(deps: UpdateCheckDeps): Promise<UpdateCheckReport> {
  const items: UpdateCheckItem[] = [];
  for (const origin of deps.origins.all()) {
    const entry = deps.registry.get(origin.id);
    if (!entry || entry.state === 'uninstalled' || entry.source !== 'user' || !origin.integrity) continue;
    const base = { id: origin.id, from: entry.version, to: null, addedCapabilities: [] };
    if (origin.pinnedVersion) {
      items.push({ ...base, status: 'pinned' });
      continue;
    }
    try {
      const choice = selectUpdate(await deps.client.packument(origin.id), entry.version, deps.hostApiVersion);
      if (choice.installedYanked) deps.yanked.set(origin.id, choice.installedYanked);
      else deps.yanked.delete(origin.id);
      if (choice.skipped) deps.skipped.set(origin.id, choice.skipped);
      else deps.skipped.delete(origin.id);
      const skipped = choice.skipped ? { skipped: choice.skipped } : {};
      const next = choice.next;
      if (!next || next.version === origin.staged?.version) {
        items.push({ ...base, status: 'current', ...skipped });
      } else {
        const declared = Array.isArray(next.plinth?.capabilities) ? (next.plinth.capabilities as string[]) : [];
        const approved = entry.approvedCapabilities ?? entry.capabilities;
        const added = declared.filter((c) => !approved.includes(c));
        const item = { ...base, to: next.version, addedCapabilities: capabilityWords(added), ...skipped };
        if ((added.length > 0 && isServing(entry.state)) || deps.mode === 'immediately') {
          const { outcome } = await deps.install(`${origin.id}@${next.version}`);
          items.push({ ...item, status: outcome === 'upgrade_pending' ? 'upgrade_pending' : 'upgraded' });
        } else {
          deps.available.set(origin.id, next.version);
          items.push({ ...item, status: 'available' });
        }
      }
      deps.origins.recordCheck(origin.id, deps.now(), null);
    } catch (error) {
      const message = (error as Error).message;
      deps.origins.recordCheck(origin.id, deps.now(), message);
      items.push({ ...base, status: 'failed', error: message });
    }
  }
  return { checkedAt: deps.now().toISOString(), items };
}
