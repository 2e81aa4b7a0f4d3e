/**
 * Plugin management: install from a `.tgz`, load unpacked, consent on
 * enable, upgrades waiting for approval, uninstall with a grace period, restore, purge, reload
 * and hot reload of unpacked folders. File work is the installer's; this module keeps the
 * catalog, services and workers in step with it.
 */
import { capabilityWords } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { HostEvents } from './host-events.ts';
import type { InstallOptions, InstallOutcome, PluginInstaller, UninstalledPlugin } from './install/index.ts';
import type { ConfigManager } from './plugin-config.ts';
import { configFailure, isRuntimeFailure } from './lifecycle.ts';
import type { Catalog } from './plugin-catalog.ts';
import type { PreferencesStore } from './preferences.ts';
import type { Supervisor } from './supervisor.ts';
import { createPluginWatcher, type PluginWatcher } from './watch/plugin-watcher.ts';

/** What plugin management needs. */
export interface ManagementDeps {
  catalog: Catalog;
  installer: PluginInstaller;
  config: ConfigManager;
  supervisor: Supervisor;
  preferences: PreferencesStore;
  /**
   * Where management says a plugin became ready or gone, was installed from a file, had its
   * upgrade approved or declined, and that summaries changed.
   */
  events: HostEvents;
  /** Re-reads every plugin folder and reconciles the registry. */
  rediscover(): Promise<void>;
  /** Hot reload of unpacked folders; off in the CLI. */
  watch: boolean;
}

/** A version waiting for approval and the capabilities it adds (capability names). */
export interface PendingUpgradeInfo { version: string; addedCapabilities: string[] }

/** What an install did, and to which plugin. */
export interface InstallRef { outcome: InstallOutcome['outcome']; pluginId: string }

/** The refusal of an operation once the host is stopping. */
function stopped(): PlinthError {
  return new PlinthError('NOT_READY', 'The host is stopping: plugins cannot be changed now');
}

/** Creates plugin management. */
export function createManagement(deps: ManagementDeps) {
  const { catalog } = deps;
  let watcher: PluginWatcher | undefined;
  /** Set by `close`: no operation starts, and one under way watches no more folders. */
  let closed = false;
  /** Operations under way; `close` waits for them before closing the watcher they may have added to. */
  const inFlight = new Set<Promise<unknown>>();

  /**
   * Runs `op` as an operation `close` waits for.
   * @throws PlinthError `NOT_READY` when management is closed (the host is stopping)
   */
  function tracked<A extends unknown[], R>(op: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args) => {
      if (closed) return Promise.reject(stopped());
      const running = op(...args);
      inFlight.add(running);
      void running.catch(() => undefined).finally(() => inFlight.delete(running));
      return running;
    };
  }

  /** The waiting version and the capabilities it adds, for a plugin in `upgrade_pending`. */
  function pendingUpgrade(pluginId: string): PendingUpgradeInfo | undefined {
    const r = catalog.plugins.get(pluginId);
    const e = catalog.entry(pluginId);
    if (!r || e?.state !== 'upgrade_pending') return undefined;
    if (r.source === 'unpacked') return { version: r.version, addedCapabilities: catalog.unapproved(r) };
    const staged = deps.installer.pendingUpgrade(pluginId);
    return staged ? { version: staged.version, addedCapabilities: staged.addedCapabilities } : undefined;
  }

  /** Restarts a running worker so new code or capabilities take effect; frames reload too. */
  async function restartWorker(pluginId: string): Promise<void> {
    const wasRunning = deps.supervisor.runtime(pluginId).state !== 'stopped';
    await deps.supervisor.stop(pluginId); // the supervisor's change listener withdraws subscriptions and streams
    if (wasRunning && catalog.isReady(pluginId)) await catalog.activate(catalog.record(pluginId)).catch(() => undefined);
  }

  /**
   * Watches the unpacked plugins' folders and no others; once `close` was called it watches
   * nothing (what it watched would be left open). An operation under way that ends with it has
   * done its work by then (the install or uninstall is saved), so it resolves instead of failing.
   */
  async function syncWatches(): Promise<void> {
    if (!deps.watch || closed) return;
    watcher ??= createPluginWatcher({
      onChange: (dir) => {
        const r = [...catalog.plugins.values()].find((p) => p.dir === dir && p.source === 'unpacked');
        if (r) void trackedReload(r.id).catch(() => undefined);
      },
    });
    const wanted = new Set([...catalog.plugins.values()].filter((r) => r.source === 'unpacked').map((r) => r.dir));
    for (const dir of watcher.watched()) if (!wanted.has(dir)) await watcher.unwatch(dir);
    for (const dir of wanted) if (!watcher.watched().includes(dir)) await watcher.watch(dir);
  }

  async function enable(pluginId: string, opts: { approveCapabilities: boolean }): Promise<void> {
    const r = catalog.record(pluginId);
    if (r.problems.length > 0) {
      throw new PlinthError('INVALID_INPUT', `"${r.displayName}" cannot be enabled until its manifest is fixed: ${r.problems[0]}`);
    }
    const e = catalog.entry(pluginId)!;
    if (e.state === 'upgrade_pending') throw new PlinthError('CONFLICT', `Approve or decline the pending upgrade of "${r.displayName}" first`);
    const missing = catalog.unapproved(r);
    if (missing.length > 0 && !opts.approveCapabilities) {
      throw new PlinthError('CONFLICT', `"${r.displayName}" needs your consent before it runs. It asks to: ${capabilityWords(missing).map((c) => c.description).join('; ')}. Review and allow it in Settings.`);
    }
    const declared = (r.manifest?.plinth.capabilities ?? []) as string[];
    const patch = { enabled: true, lastError: null, ...(opts.approveCapabilities || missing.length > 0 ? { approvedCapabilities: declared } : {}) };
    deps.supervisor.resetCrashes(pluginId);
    const configProblem = deps.config.problem(pluginId);
    if (configProblem) {
      const lastError = configFailure(configProblem);
      if (e.state === 'installed') catalog.apply(pluginId, 'configure', { ...patch, lastError });
      else catalog.apply(pluginId, 'require_config', { ...patch, lastError });
    } else if (e.state === 'ready') {
      catalog.apply(pluginId, 'configure', patch);
    } else {
      catalog.apply(pluginId, 'enable', patch);
      deps.events.emit('plugin.ready', { pluginId: pluginId });
    }
    deps.events.emit('plugins.changed', { pluginId });
    catalog.activateIfOnStartup(r);
  }

  async function disable(pluginId: string): Promise<void> {
    const r = catalog.record(pluginId);
    const e = catalog.entry(pluginId);
    if (e && e.state !== 'disabled') catalog.apply(pluginId, 'disable', { enabled: false });
    else if (e) catalog.apply(pluginId, 'configure', { enabled: false });
    deps.events.emit('plugin.gone', { pluginId: pluginId });
    await deps.supervisor.stop(pluginId);
    deps.events.emit('plugins.changed', { pluginId: r.id });
  }

  async function reload(pluginId: string): Promise<void> {
    const e = catalog.entry(pluginId);
    if (e?.state === 'error' && isRuntimeFailure(e.lastError)) {
      // The author is iterating: give the worker a fresh try.
      catalog.apply(pluginId, 'recover', { lastError: null });
      catalog.apply(pluginId, e.enabled ? 'enable' : 'disable');
      deps.supervisor.resetCrashes(pluginId);
    }
    await deps.rediscover();
    if (catalog.isReady(pluginId)) deps.events.emit('plugin.ready', { pluginId: pluginId });
    else deps.events.emit('plugin.gone', { pluginId: pluginId });
    await restartWorker(pluginId);
    deps.events.emit('plugins.changed', { pluginId, reload: true });
  }

  /** Installs a `.tgz` made by `npm pack`. Refusals: engines, duplicate name, reserved prefix, downgrade. */
  async function installFromFile(path: string, opts: InstallOptions = {}): Promise<InstallRef> {
    const outcome = await deps.installer.installFromArchive(path, opts);
    await deps.rediscover();
    if (outcome.outcome === 'upgraded') {
      if (catalog.isReady(outcome.id)) deps.events.emit('plugin.ready', { pluginId: outcome.id });
      await restartWorker(outcome.id);
    }
    deps.events.emit('plugins.changed', { pluginId: outcome.id, reload: outcome.outcome === 'upgraded' });
    return { outcome: outcome.outcome, pluginId: outcome.id };
  }

  const trackedReload = tracked(reload);

  return {
    pendingUpgrade,
    syncWatches,
    enable: tracked(enable),
    disable: tracked(disable),
    /**
     * Disables at once (the worker stops), or enables without granting consent: a plugin whose
     * capabilities were never approved, or grew, is refused with `CONFLICT` (use `enable`).
     */
    setEnabled: tracked((pluginId: string, enabled: boolean): Promise<void> =>
      (enabled ? enable(pluginId, { approveCapabilities: false }) : disable(pluginId))),
    reload: trackedReload,
    /** What a registry install uses: the file install without forgetting the registry origin. */
    installArchive: tracked(installFromFile),
    /** Installs a `.tgz` chosen by the user: the plugin no longer comes from a registry. */
    installFromFile: tracked(async (path: string, opts: InstallOptions = {}): Promise<InstallRef> => {
      const result = await installFromFile(path, opts);
      deps.events.emit('plugin.installedFromFile', { pluginId: result.pluginId });
      return result;
    }),
    /** References a plugin folder in place (for authors); it is watched for hot reload. Resolves with the plugin's id. */
    loadUnpacked: tracked(async (dir: string): Promise<string> => {
      const result = await deps.installer.loadUnpacked(dir);
      await deps.rediscover();
      await syncWatches();
      deps.events.emit('plugins.changed', { pluginId: result.id });
      return result.id;
    }),
    approveUpgrade: tracked(async (pluginId: string): Promise<void> => {
      await deps.supervisor.stop(pluginId);
      await deps.installer.approveUpgrade(pluginId);
      await deps.rediscover();
      deps.events.emit('plugin.ready', { pluginId: pluginId });
      deps.events.emit('plugins.changed', { pluginId, reload: true });
      deps.events.emit('upgrade.approved', { pluginId });
    }),
    declineUpgrade: tracked(async (pluginId: string): Promise<void> => {
      const result = await deps.installer.declineUpgrade(pluginId);
      if (result.state !== 'ready') {
        deps.events.emit('plugin.gone', { pluginId: pluginId });
        await deps.supervisor.stop(pluginId);
      }
      deps.events.emit('plugins.changed', { pluginId });
      deps.events.emit('upgrade.declined', { pluginId });
    }),
    uninstall: tracked(async (pluginId: string): Promise<void> => {
      const r = catalog.record(pluginId);
      if (r.source === 'bundled') throw new PlinthError('CONFLICT', `"${r.displayName}" comes with Plinth: bundled plugins can be disabled, not uninstalled`);
      deps.events.emit('plugin.gone', { pluginId: pluginId });
      await deps.supervisor.stop(pluginId);
      try {
        await deps.installer.uninstall(pluginId);
      } catch (error) {
        // Refused or failed: the plugin stays as it was (its worker starts again on the next need).
        if (catalog.isReady(pluginId)) deps.events.emit('plugin.ready', { pluginId: pluginId });
        throw error;
      }
      await deps.rediscover();
      await syncWatches();
      deps.events.emit('plugins.changed', { pluginId });
    }),
    /** Plugins in their uninstall grace period. */
    listUninstalled(): UninstalledPlugin[] {
      return deps.installer.listUninstalled(deps.preferences.get().uninstallGraceDays);
    },
    restore: tracked(async (pluginId: string): Promise<void> => {
      await deps.installer.restore(pluginId);
      await deps.rediscover();
      await syncWatches();
      deps.events.emit('plugins.changed', { pluginId });
    }),
    purge: tracked(async (pluginId: string): Promise<void> => {
      await deps.installer.purge(pluginId);
      deps.events.emit('plugins.changed', { pluginId });
    }),
    /**
     * Closes management as the host stops: from now on every operation is refused with
     * `NOT_READY`; those under way are waited for (one about to watch a folder gives up with
     * `NOT_READY` instead), then the folder watcher is closed.
     */
    async close(): Promise<void> {
      closed = true;
      await Promise.allSettled(inFlight);
      await watcher?.close();
      watcher = undefined;
    },
  };
}

/** Plugin management, as the shell and tests see it. */
export type Management = ReturnType<typeof createManagement>;
