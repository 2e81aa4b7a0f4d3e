/**
 * The running host: what `Host.start` builds once the profile database is open. Every part that
 * keeps its facts in the database is created here, eagerly and from plain values, in the order
 * the parts depend on each other (registry → catalog → activation → services → config →
 * installer → discovery → what the shell uses → management → registry plugins); how they react
 * to each other is subscribed in one place below (host-events.ts). host.ts creates what needs no
 * database (logs, preferences, rate limits, events, the supervisor) and hands it in.
 */
import { join } from 'node:path';
import { PLUGIN_API_VERSION } from '@plinth/sdk/protocol/manifest';
import { createDatabaseBackups, type DatabaseBackups } from './db/backups.ts';
import type { Db } from './db/database.ts';
import type { ProfileDatabase } from './db/profile-database.ts';
import { createConfDashboardStore } from './dashboard-layout-store.ts';
import { createRegistryPlugins, type RegistryPlugins } from './catalog/registry-plugins.ts';
import { createUpdateScheduler } from './catalog/update-scheduler.ts';
import type { HostEvents } from './host-events.ts';
import { createHostOps, type HostOps } from './host-ops.ts';
import { createHostServices, type HostServices } from './host-services.ts';
import type { HostOptions, PluginsChangedEvent } from './host-types.ts';
import { createPluginInstaller } from './install/index.ts';
import { createPluginLogFile } from './log-file.ts';
import type { LogStore } from './logs.ts';
import { createPermissions, type Permissions } from './permissions/permissions.ts';
import { createPermissionStore } from './permissions/permission-store.ts';
import { createActivation } from './plugin-activation.ts';
import type { Catalog } from './plugin-catalog.ts';
import { createConfigManager, type ConfigManager } from './plugin-config.ts';
import { createConsent, heldFromStart } from './plugin-consent.ts';
import { createDiscovery } from './plugin-discovery.ts';
import { createManagement, type Management } from './plugin-management.ts';
import { createCatalogCore } from './plugin-record.ts';
import type { PreferencesStore } from './preferences.ts';
import type { RateLimits } from './rate-limits.ts';
import { createRegistry, invalidateRegistryCache } from './registry.ts';
import { createLocalKeySecretStore } from './services/secrets/secret-store.ts';
import { createStateService } from './services/state.ts';
import { createShellOps, type ShellOps } from './shell-ops.ts';
import type { Supervisor } from './supervisor.ts';
import { createUiRequests, type UiRequests } from './ui-requests.ts';

/** What the running host is built on: the parts `createHost` made before any database. */
export interface HostBase {
  options: HostOptions;
  logs: LogStore;
  rateLimits: RateLimits;
  preferences: PreferencesStore;
  events: HostEvents;
  supervisor: Supervisor;
  /** The folder of the database backups (`<profile>/backups`). */
  backupsDir: string;
  /** True while a window can show a permission request to the user. */
  canAskPermission(): boolean;
  /** Tells the windows that listen that a permission request appeared or went. */
  permissionRequestsChanged(): void;
}

/** The parts of a started host (see `Host` in host.ts for what each is). */
export interface StartedHost {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly permissions: Permissions;
  readonly config: ConfigManager;
  readonly services: HostServices;
  readonly ops: HostOps;
  readonly shellOps: ShellOps;
  readonly ui: UiRequests;
  readonly management: Management;
  readonly registryPlugins: RegistryPlugins;
  readonly backups: DatabaseBackups;
  /** Stops every worker (each gets its shutdown grace), the services and timers, and closes the database. */
  stop(): Promise<void>;
}

/**
 * Builds the running host over `profile` (open, migrated), then discovers the plugins and starts
 * the services; resolves without waiting for `onStartup` workers, which start right after, one
 * per turn of the event loop. A failure while discovering and starting services stops what was
 * started and closes the database before it is thrown; the caller closes `profile` when building
 * the parts fails before that.
 */
export async function startHost(base: HostBase, profile: ProfileDatabase): Promise<StartedHost> {
  const { options, logs, rateLimits, preferences, events, supervisor } = base;
  const { userDataDir } = options;
  const { db } = profile;
  const changed = (event: PluginsChangedEvent) => events.emit('plugins.changed', event);

  // What lives in the database, and the secrets' key.
  const registry = createRegistry(db);
  const permissionStore = createPermissionStore(db);
  const state = createStateService(db);
  const secretStore = options.secretStore ?? createLocalKeySecretStore(join(userDataDir, 'secrets.key'));

  // The catalog: records with their registry rows, the runtime permissions, consent, activation.
  const core = createCatalogCore(registry);
  const permissions = createPermissions({
    store: permissionStore,
    optionalOf: (id) => core.plugins.get(id)?.manifest?.plinth.optionalCapabilities ?? [],
    heldFromStart: (id) => { const r = core.plugins.get(id); return r ? heldFromStart(r, core.entry(id)) : []; },
    onChange: (id) => {
      base.permissionRequestsChanged();
      changed({ pluginId: id });
    },
    canAsk: base.canAskPermission,
  });
  const consent = createConsent({ core, permissions });
  // The one cycle of the host: the services call workers (jobs, webhooks, tools, events that
  // wake a worker) and serve each worker's host API. Activation asks the services for that API
  // when it starts a worker, which happens only once both exist.
  const activation = createActivation({
    userDataDir, state, serviceApiFor: (pluginId) => services.hostApiFor(pluginId),
    supervisor, logs, events, rateLimits, permissions, core, consent,
  });
  const services = createHostServices({
    db, userDataDir, logs, secretStore,
    developerMode: options.developerMode ?? (() => preferences.get().developerMode),
    webhookPort: options.webhookPort ?? preferences.get().webhookPort,
    manifestOf: (id) => core.plugins.get(id)?.manifest,
    capabilitiesOf: (id) => { const r = core.plugins.get(id); return r ? consent.granted(r) : []; },
    isReady: core.isReady,
    isRunning: (id) => supervisor.runtime(id).state === 'running',
    pluginIds: () => [...core.plugins.keys()],
    configOf: (id) => registry.get(id)?.config ?? null,
    callWorker: activation.callWorker,
    hold: (id) => supervisor.hold(id),
  });
  const config = createConfigManager({ catalog: { ...core, ...consent, ...activation }, services, supervisor, events });
  const installer = createPluginInstaller({
    userDataDir, registry, db,
    bundledIds: () => new Set([...core.plugins.values()].filter((r) => r.source === 'bundled').map((r) => r.id)),
  });
  const discovery = createDiscovery({
    userDataDir,
    roots: () => [
      { dir: options.bundledPluginsDir, source: 'bundled' },
      { dir: join(userDataDir, 'plugins'), source: 'user' },
      ...installer.unpackedRoots(),
      ...(options.extraPluginRoots ?? []),
    ],
    registry, logs, configProblem: config.problem, core, consent,
    transaction: (fn) => {
      try {
        db.transaction(fn)();
      } catch (error) {
        // The rolled-back rows may already be in the registry's memory: read them again from SQLite.
        invalidateRegistryCache(db);
        throw error;
      }
    },
  });
  const catalog: Catalog = { ...core, ...consent, ...activation, ...discovery };

  // What the shell and the tests use.
  const ops = createHostOps({ userDataDir, catalog, services, supervisor, logs, preferences, rateLimits });
  const shellOps = createShellOps({ services, layoutStore: createConfDashboardStore(userDataDir) });
  const ui = createUiRequests({ catalog, rateLimits, services });
  const management = createManagement({
    catalog, installer, config, supervisor, preferences, events,
    rediscover: discovery.discover,
    watch: options.watchUnpacked ?? true,
  });
  const registryPlugins = createRegistryPlugins({
    db, secretStore, preferences, registry, tempDir: installer.layout.tempDir, hostApiVersion: PLUGIN_API_VERSION,
    installFile: management.installArchive,
    ...(options.proxyFor ? { proxyFor: options.proxyFor } : {}),
    onOriginChanged: (id) => changed({ pluginId: id }),
  });
  const updates = createUpdateScheduler({
    intervalHours: () => preferences.get().updateCheckHours,
    check: async (startup) => {
      const report = await registryPlugins.checkForUpdates({ startup });
      for (const item of report.items.filter((i) => i.status === 'failed')) {
        logs.append('host', { level: 'warn', source: 'host', message: `Update check of ${item.id} failed: ${item.error ?? ''}` });
      }
    },
    onError: (error) => logs.append('host', { level: 'error', source: 'host', message: `Update check failed: ${error.message}` }),
    ...(options.updateCheckDelayMs !== undefined ? { startupDelayMs: options.updateCheckDelayMs } : {}),
  });
  const backups = createDatabaseBackups({
    db: () => db, dir: base.backupsDir,
    onError: (error) => logs.append('host', { level: 'error', source: 'host', message: error.message }),
  });
  const logFile = createPluginLogFile(join(userDataDir, 'logs'));

  // How the parts react to each other, in one place (host-events.ts); undone by `stop`.
  const reactions = [
    logs.onLine((pluginId, line) => logFile.write(pluginId, line)),
    events.on('plugin.ready', ({ pluginId }) => services.pluginReady(pluginId)),
    events.on('plugin.gone', ({ pluginId }) => services.pluginGone(pluginId)),
    events.on('worker.stopped', ({ pluginId }) => {
      services.workerStopped(pluginId);
      // Nobody is left to hear the answer; the plugin asks again when it runs next.
      permissions.cancel(pluginId);
    }),
    events.on('plugin.installedFromFile', ({ pluginId }) => registryPlugins.forget(pluginId)),
    events.on('upgrade.approved', ({ pluginId }) => registryPlugins.approved(pluginId)),
    events.on('upgrade.declined', ({ pluginId }) => registryPlugins.declined(pluginId)),
    // A purged plugin's answers go with it; a later install of the same id asks afresh.
    installer.onPurge((id) => permissionStore.removeAll(id)),
    preferences.onChange((_p, keys) => { if (keys.includes('updateCheckHours')) updates.rearm(); }),
  ];

  /** The pending turn of the background `onStartup` activations. */
  let startupActivation: NodeJS.Immediate | undefined;

  async function stop(): Promise<void> {
    if (startupActivation) clearImmediate(startupActivation);
    startupActivation = undefined;
    // First, so that nothing under way opens a folder watcher or starts a worker from now on.
    activation.stopActivating();
    await management.close();
    await updates.stop();
    await ops.stop();
    await services.stop();
    await supervisor.stopAll();
    for (const undo of reactions) undo();
    await logFile.close();
    await backups.stop();
    profile.close();
  }

  try {
    await installer.cleanupLeftovers();
    await installer.purgeExpired(preferences.get().uninstallGraceDays);
    await discovery.discover();
    for (const id of core.plugins.keys()) if (core.isReady(id)) services.pluginReady(id);
    await management.syncWatches();
    await ops.start();
  } catch (error) {
    await stop();
    throw error;
  }
  // `onStartup` workers are forked after start() resolves, one per turn of the event loop:
  // forking is synchronous work in this thread, and the window must not wait for it.
  const candidates = [...core.plugins.values()];
  const activateNext = () => {
    startupActivation = undefined;
    const r = candidates.shift();
    if (!r) return;
    activation.activateIfOnStartup(r);
    startupActivation = setImmediate(activateNext);
  };
  startupActivation = setImmediate(activateNext);
  backups.start();
  updates.start();
  changed({});

  return { db, catalog, permissions, config, services, ops, shellOps, ui, management, registryPlugins, backups, stop };
}
