/**
 * Plugin management: install from a `.tgz`, load unpacked, consent on
 * enable, upgrades waiting for approval, uninstall with a grace period, restore, purge, reload
 * and hot reload of unpacked folders. File work is the installer's; this module keeps the
 * catalog, services and workers in step with it.
 */
import type { InstallResult, PluginSummary, UninstalledPlugin } from '../../preload/api.ts';
import { describeCapability, type Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { HostServices } from './host-services.ts';
import type { PluginsChangedEvent } from './host-types.ts';
import type { InstallOptions, PluginInstaller } from './install/index.ts';
import type { ConfigManager } from './plugin-config.ts';
import { isRuntimeFailure, type Catalog } from './plugin-catalog.ts';
import type { PreferencesStore } from './preferences.ts';
import type { Supervisor } from './supervisor.ts';
import { createPluginWatcher, type PluginWatcher } from './watch/plugin-watcher.ts';

/** What plugin management needs. */
export interface ManagementDeps {
  catalog: Catalog;
  installer: PluginInstaller;
  config: ConfigManager;
  services(): HostServices;
  supervisor: Supervisor;
  preferences: PreferencesStore;
  emit(event: PluginsChangedEvent): void;
  /** Re-reads every plugin folder and reconciles the registry. */
  rediscover(): Promise<void>;
  /** Hot reload of unpacked folders; off in the CLI. */
  watch: boolean;
}

const withWords = (capabilities: string[]) =>
  capabilities.map((capability) => ({ capability, description: describeCapability(capability as Capability) }));

/** Creates plugin management. */
export function createManagement(deps: ManagementDeps) {
  const { catalog } = deps;
  let watcher: PluginWatcher | undefined;

  function summaryOf(pluginId: string): PluginSummary {
    return catalog.summary(catalog.record(pluginId));
  }

  /** The waiting version and what it adds, for a plugin in `upgrade_pending`. */
  function pendingUpgrade(pluginId: string): PluginSummary['pendingUpgrade'] {
    const r = catalog.plugins.get(pluginId);
    const e = catalog.entry(pluginId);
    if (!r || e?.state !== 'upgrade_pending') return undefined;
    if (r.source === 'unpacked') return { version: r.version, addedCapabilities: withWords(catalog.unapproved(r)) };
    const staged = deps.installer.pendingUpgrade(pluginId);
    return staged ? { version: staged.version, addedCapabilities: withWords(staged.addedCapabilities) } : undefined;
  }

  /** Restarts a running worker so new code or capabilities take effect; frames reload too. */
  async function restartWorker(pluginId: string): Promise<void> {
    const wasRunning = deps.supervisor.runtime(pluginId).state !== 'stopped';
    await deps.supervisor.stop(pluginId); // the supervisor's change listener withdraws subscriptions and streams
    if (wasRunning && catalog.isReady(pluginId)) await catalog.activate(catalog.record(pluginId)).catch(() => undefined);
  }

  async function syncWatches(): Promise<void> {
    if (!deps.watch) return;
    watcher ??= createPluginWatcher({
      onChange: (dir) => {
        const r = [...catalog.plugins.values()].find((p) => p.dir === dir && p.source === 'unpacked');
        if (r) void reload(r.id).catch(() => undefined);
      },
    });
    const wanted = new Set([...catalog.plugins.values()].filter((r) => r.source === 'unpacked').map((r) => r.dir));
    for (const dir of watcher.watched()) if (!wanted.has(dir)) await watcher.unwatch(dir);
    for (const dir of wanted) if (!watcher.watched().includes(dir)) await watcher.watch(dir);
  }

  async function enable(pluginId: string, opts: { approveCapabilities: boolean }): Promise<PluginSummary> {
    const r = catalog.record(pluginId);
    if (r.problems.length > 0) {
      throw new PlinthError('INVALID_INPUT', `"${r.displayName}" cannot be enabled until its manifest is fixed: ${r.problems[0]}`);
    }
    const e = catalog.entry(pluginId)!;
    if (e.state === 'upgrade_pending') throw new PlinthError('CONFLICT', `Approve or decline the pending upgrade of "${r.displayName}" first`);
    const missing = catalog.unapproved(r);
    if (missing.length > 0 && !opts.approveCapabilities) {
      throw new PlinthError('CONFLICT', `"${r.displayName}" needs your consent before it runs. It asks to: ${withWords(missing).map((c) => c.description).join('; ')}. Review and allow it in Settings.`);
    }
    const declared = (r.manifest?.plinth.capabilities ?? []) as string[];
    const patch = { enabled: true, lastError: null, ...(opts.approveCapabilities || missing.length > 0 ? { approvedCapabilities: declared } : {}) };
    deps.supervisor.resetCrashes(pluginId);
    const configProblem = deps.config.problem(pluginId);
    if (configProblem) {
      const lastError = `Needs configuration: ${configProblem}`;
      if (e.state === 'installed') catalog.apply(pluginId, 'configure', { ...patch, lastError });
      else catalog.apply(pluginId, 'require_config', { ...patch, lastError });
    } else if (e.state === 'ready') {
      catalog.apply(pluginId, 'configure', patch);
    } else {
      catalog.apply(pluginId, 'enable', patch);
      deps.services().pluginReady(pluginId);
    }
    deps.emit({ pluginId });
    catalog.activateIfOnStartup(r);
    return summaryOf(pluginId);
  }

  async function disable(pluginId: string): Promise<PluginSummary> {
    const r = catalog.record(pluginId);
    const e = catalog.entry(pluginId);
    if (e && e.state !== 'disabled') catalog.apply(pluginId, 'disable', { enabled: false });
    else if (e) catalog.apply(pluginId, 'configure', { enabled: false });
    deps.services().pluginGone(pluginId);
    await deps.supervisor.stop(pluginId);
    deps.emit({ pluginId: r.id });
    return summaryOf(pluginId);
  }

  async function reload(pluginId: string): Promise<PluginSummary> {
    const e = catalog.entry(pluginId);
    if (e?.state === 'error' && isRuntimeFailure(e.lastError)) {
      // The author is iterating: give the worker a fresh try.
      catalog.apply(pluginId, 'recover', { lastError: null });
      catalog.apply(pluginId, e.enabled ? 'enable' : 'disable');
      deps.supervisor.resetCrashes(pluginId);
    }
    await deps.rediscover();
    if (catalog.isReady(pluginId)) deps.services().pluginReady(pluginId);
    else deps.services().pluginGone(pluginId);
    await restartWorker(pluginId);
    deps.emit({ pluginId, reload: true });
    return summaryOf(pluginId);
  }

  return {
    pendingUpgrade,
    syncWatches,
    enable,
    disable,
    reload,
    async installFromFile(path: string, opts: InstallOptions = {}): Promise<InstallResult> {
      const outcome = await deps.installer.installFromArchive(path, opts);
      await deps.rediscover();
      if (outcome.outcome === 'upgraded') {
        if (catalog.isReady(outcome.id)) deps.services().pluginReady(outcome.id);
        await restartWorker(outcome.id);
      }
      deps.emit({ pluginId: outcome.id, reload: outcome.outcome === 'upgraded' });
      return { outcome: outcome.outcome, plugin: summaryOf(outcome.id) };
    },
    async loadUnpacked(dir: string): Promise<PluginSummary> {
      const result = await deps.installer.loadUnpacked(dir);
      await deps.rediscover();
      await syncWatches();
      deps.emit({ pluginId: result.id });
      return summaryOf(result.id);
    },
    async approveUpgrade(pluginId: string): Promise<PluginSummary> {
      await deps.supervisor.stop(pluginId);
      await deps.installer.approveUpgrade(pluginId);
      await deps.rediscover();
      deps.services().pluginReady(pluginId);
      deps.emit({ pluginId, reload: true });
      return summaryOf(pluginId);
    },
    async declineUpgrade(pluginId: string): Promise<PluginSummary> {
      const result = await deps.installer.declineUpgrade(pluginId);
      if (result.state !== 'ready') {
        deps.services().pluginGone(pluginId);
        await deps.supervisor.stop(pluginId);
      }
      deps.emit({ pluginId });
      return summaryOf(pluginId);
    },
    async uninstall(pluginId: string): Promise<void> {
      const r = catalog.record(pluginId);
      if (r.source === 'bundled') throw new PlinthError('CONFLICT', `"${r.displayName}" comes with Plinth: bundled plugins can be disabled, not uninstalled`);
      deps.services().pluginGone(pluginId);
      await deps.supervisor.stop(pluginId);
      try {
        await deps.installer.uninstall(pluginId);
      } catch (error) {
        // Refused or failed: the plugin stays as it was (its worker starts again on the next need).
        if (catalog.isReady(pluginId)) deps.services().pluginReady(pluginId);
        throw error;
      }
      await deps.rediscover();
      await syncWatches();
      deps.emit({ pluginId });
    },
    listUninstalled(): UninstalledPlugin[] {
      return deps.installer.listUninstalled(deps.preferences.get().uninstallGraceDays)
        .map(({ id, displayName, version, uninstalledAt, purgeAfter }) => ({ id, displayName, version, uninstalledAt, purgeAfter }));
    },
    async restore(pluginId: string): Promise<PluginSummary> {
      await deps.installer.restore(pluginId);
      await deps.rediscover();
      await syncWatches();
      deps.emit({ pluginId });
      return summaryOf(pluginId);
    },
    async purge(pluginId: string): Promise<void> {
      await deps.installer.purge(pluginId);
      deps.emit({ pluginId });
    },
    async close(): Promise<void> {
      await watcher?.close();
      watcher = undefined;
    },
  };
}
