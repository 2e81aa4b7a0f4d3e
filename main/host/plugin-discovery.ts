/**
 * Discovery and reconcile: every plugin folder of the roots is read (through the validated
 * manifest cache), kept as a {@link PluginRecord}, and its registry row aligned with what is on
 * disk: a new plugin gets its row, a broken manifest puts it in `error`, a fixed one recovers,
 * a config that became invalid or capabilities that grew make it wait for the user.
 * (Reading one folder is discovery.ts; this module decides what the findings mean.)
 */
import { join } from 'node:path';
import type { LifecycleState } from '@plinth/sdk/protocol/lifecycle';
import { discoverPlugins, type PluginRoot } from './discovery.ts';
import { configFailure, isRuntimeFailure } from './lifecycle.ts';
import type { LogStore } from './logs.ts';
import { createManifestCache, type ManifestCache } from './manifest-cache.ts';
import { formatProblem } from './manifest/index.ts';
import type { Consent } from './plugin-consent.ts';
import { declared, type CatalogCore, type PluginRecord } from './plugin-record.ts';
import type { Registry } from './registry.ts';

/** File of the validated-manifest cache in the profile (manifest-cache.ts). */
export const MANIFEST_CACHE_FILE = 'manifest-cache.json';

/** What discovery needs. */
export interface DiscoveryDeps {
  userDataDir: string;
  roots(): PluginRoot[];
  registry: Registry;
  /**
   * Runs `fn` in one database transaction (better-sqlite3's `db.transaction`): the registry
   * writes of one discovery pass commit together, so a start with many changed plugins pays one
   * commit, not one per row.
   */
  transaction(fn: () => void): void;
  logs: LogStore;
  /** Why the plugin cannot become ready for lack of config, or null when its config is valid. */
  configProblem(pluginId: string): string | null;
  core: CatalogCore;
  consent: Pick<Consent, 'unapproved'>;
}

/** Creates discovery over the catalog's core. */
export function createDiscovery(deps: DiscoveryDeps) {
  const { core, consent } = deps;
  let manifestCache: ManifestCache | undefined;

  /** Aligns the registry row of a freshly discovered plugin with what is on disk. */
  function reconcile(r: PluginRecord): void {
    const { registry } = deps;
    const existing = registry.get(r.id);
    const capabilities = declared(r);
    const problems = r.problems.length > 0 ? r.problems.join('\n') : null;
    if (!existing) {
      // Bundled plugins ship enabled and approved; anything else waits for the user (CONTRACT §9 `installed`).
      const enabled = r.source === 'bundled' && !problems && !deps.configProblem(r.id);
      registry.put({
        id: r.id, source: r.source, path: r.dir, version: r.version, enabled,
        state: problems ? 'error' : enabled ? 'ready' : 'installed',
        lastError: problems ? { kind: 'manifest', message: problems } : null, capabilities, approvedCapabilities: r.source === 'bundled' ? capabilities : null, config: {},
      });
      return;
    }
    if (existing.state === 'uninstalled') return;
    // Most starts change nothing: the registry then writes nothing either.
    registry.update(r.id, { source: r.source, path: r.dir, version: r.version, capabilities });
    if (problems) {
      if (existing.state !== 'error' || existing.lastError?.message !== problems) core.apply(r.id, 'fail', { lastError: { kind: 'manifest', message: problems } });
      return;
    }
    let state: LifecycleState = existing.state;
    if (state === 'error') {
      // A setup failure or crash loop stays until the user re-enables or reloads the plugin.
      if (isRuntimeFailure(existing.lastError)) return;
      // The manifest problem is gone: back to what the user chose.
      core.apply(r.id, 'recover', { lastError: null });
      if (existing.enabled) state = core.apply(r.id, 'enable').state;
      else state = core.apply(r.id, 'disable').state;
    }
    const configProblem = deps.configProblem(r.id);
    if (configProblem && (state === 'ready' || state === 'disabled')) {
      core.apply(r.id, 'require_config', { lastError: configFailure(configProblem) });
      return;
    }
    // An unpacked plugin whose package.json gained capabilities waits for approval.
    if (state === 'ready' && consent.unapproved(r).length > 0 && existing.approvedCapabilities) core.apply(r.id, 'request_upgrade');
  }

  /** Reads every plugin folder of the roots again, replacing the records, and reconciles each. */
  async function discover(): Promise<void> {
    manifestCache ??= createManifestCache(join(deps.userDataDir, MANIFEST_CACHE_FILE));
    const found = await discoverPlugins(deps.roots(), {
      cache: manifestCache,
      onRootError: (root, error) => deps.logs.append('host', { level: 'warn', source: 'host', message: `Plugin folder ${root.dir} cannot be read: ${error.message}` }),
    });
    await manifestCache.save();
    const { plugins } = core;
    plugins.clear();
    deps.transaction(() => {
      for (const d of found) {
        const result = d.result;
        const r: PluginRecord = result.ok
          ? {
              id: result.manifest.name, source: d.source, dir: d.dir, realDir: result.realDir,
              displayName: result.manifest.plinth.displayName, version: result.manifest.version,
              description: result.manifest.description ?? '', manifest: result.manifest, problems: [],
              warnings: result.warnings.map(formatProblem),
            }
          : {
              id: d.id, source: d.source, dir: d.dir, realDir: d.dir,
              displayName: result.displayName ?? d.id, version: result.version ?? '?', description: '',
              problems: result.problems.map(formatProblem), warnings: result.warnings.map(formatProblem),
            };
        if (core.entry(r.id)?.state === 'uninstalled') continue;
        // A second folder with an id already seen is listed under its path so both stay visible.
        const key = plugins.has(r.id) ? `${r.id} (${r.dir})` : r.id;
        plugins.set(key, { ...r, id: key });
        if (key === r.id) reconcile(r);
      }
    });
  }

  return { discover };
}

/** Discovery of one host. */
export type Discovery = ReturnType<typeof createDiscovery>;
