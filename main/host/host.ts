/**
 * The host core: builds the catalog, supervision, services, configuration, plugin management,
 * operations and UI requests, and exposes them as modules the shell's handlers call directly.
 * Plain Node (ARCHITECTURE.md: transports are injected).
 */
import { realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { applyPendingRestore, createDatabaseBackups, type DatabaseBackups } from './db/backups.ts';
import type { Db } from './db/database.ts';
import { openProfileDatabase, type ProfileDatabase } from './db/profile-database.ts';
import { createConfDashboardStore } from './dashboard-layout-store.ts';
import { createHostOps, type HostOps } from './host-ops.ts';
import { createShellOps, type ShellOps } from './shell-ops.ts';
import { createHostEvents } from './host-events.ts';
import { createHostServices, type HostServices } from './host-services.ts';
import type { PluginsChangedEvent, StartupNotice } from './host-types.ts';
import { createReadmeImages, type ReadmeImages, type ReadmeImagesOptions } from './catalog/readme-images.ts';
import { createRegistryPlugins, type RegistryPlugins } from './catalog/registry-plugins.ts';
import { createUpdateScheduler } from './catalog/update-scheduler.ts';
import { createPluginInstaller, type PluginInstaller } from './install/index.ts';
import { createPluginLogFile, type PluginLogFile } from './log-file.ts';
import { createLogStore, type LogStore } from './logs.ts';
import { createActivation } from './plugin-activation.ts';
import type { Catalog } from './plugin-catalog.ts';
import { createConsent, heldFromStart } from './plugin-consent.ts';
import { createDiscovery } from './plugin-discovery.ts';
import { createCatalogCore } from './plugin-record.ts';
import { createConfigManager, type ConfigManager } from './plugin-config.ts';
import { isPathInside } from './manifest/index.ts';
import { createManagement, type Management } from './plugin-management.ts';
import { createConfPreferences, type PreferencesStore } from './preferences.ts';
import { createRateLimits, type RateLimits, type RateLimitsOptions } from './rate-limits.ts';
import { createRegistry, invalidateRegistryCache, type Registry } from './registry.ts';
import { createLocalKeySecretStore, type SecretStore } from './services/secrets/secret-store.ts';
import { PLUGIN_API_VERSION } from '@plinth/sdk/protocol/manifest';
import { createStateService, type StateService } from './services/state.ts';
import { createPermissions, type Permissions } from './permissions/permissions.ts';
import { createPermissionStore, type PermissionStore } from './permissions/permission-store.ts';
import { createSupervisor, type Supervisor, type SupervisorOptions } from './supervisor.ts';
import { createUiRequests, type UiRequests } from './ui-requests.ts';
import type { WorkerLauncher } from './workers/launcher.ts';

/** Options of {@link createHost}. */
export interface HostOptions {
  /** The profile folder: database, installed plugins, plugin data, logs. */
  userDataDir: string;
  /** Plugins shipped with the app (may use the reserved `plinth-` prefix). */
  bundledPluginsDir: string;
  /** More plugin roots (tests, the CLI). */
  extraPluginRoots?: Array<{ dir: string; source: PluginSource; isPluginFolder?: boolean }>;
  launcher: WorkerLauncher;
  appVersion: string;
  /** App preferences; default: a `conf` file in the profile folder. Electron passes electron-store. */
  preferences?: PreferencesStore;
  /** Encrypts secrets at rest; default: a local-key store in the profile folder. Electron passes safeStorage. */
  secretStore?: SecretStore;
  /** Injected for tests: activation budget of `setup` (ms). */
  setupBudgetMs?: number;
  /** Injected for tests: timeout of host → worker calls (ms). */
  callTimeoutMs?: number;
  /** Injected for tests: restart backoff, heartbeat and health timings. */
  supervisorOptions?: Partial<Pick<SupervisorOptions, 'restart' | 'heartbeat' | 'healthIntervalMs' | 'idleTimeoutMs'>>;
  /** Overrides the Developer mode preference (tests: plain HTTP to localhost for `ctx.http.fetch`). */
  developerMode?: () => boolean;
  /** Watch unpacked folders for hot reload (default true). */
  watchUnpacked?: boolean;
  /** Injected for tests: the UI and worker request rates (default `UI_RATE`, `WORKER_RATE`). */
  rateLimits?: RateLimitsOptions;
  /** Preferred webhook server port; overrides the preference. */
  webhookPort?: number;
  /** The proxy for a registry URL (Electron: the session's resolved proxy); default: `HTTPS_PROXY` & co. */
  proxyFor?(url: string): Promise<string | null | undefined>;
  /** Delay of the start-up update check (ms); tests pass 0. */
  updateCheckDelayMs?: number;
  /** Test seams of the README image fetcher (a test image server on loopback, its CA); the app passes none. */
  readmeImageSeams?: Pick<ReadmeImagesOptions, 'allowLoopbackForTests' | 'ca' | 'lookup'>;
}

/** The running host plus internals the harness, the CLI and benchmarks use. */
export interface Host {
  /** Opens the database and discovers plugins; resolves without waiting for `onStartup` workers, which start right after, one per turn of the event loop. */
  start(): Promise<void>;
  /** Stops every worker (each gets its shutdown grace) and closes the database. */
  stop(): Promise<void>;
  readonly logs: LogStore;
  readonly supervisor: Supervisor;
  readonly preferences: PreferencesStore;
  readonly rateLimits: RateLimits;
  /** Every discovered plugin, its registry row and lifecycle state, consent and activation. */
  readonly catalog: Catalog;
  /** Install, enable/disable, upgrade, uninstall, restore, reload, pin. */
  readonly management: Management;
  /** Plugin configuration: the form's view, save, test. */
  readonly config: ConfigManager;
  /** Logs, preferences, activity, jobs, MCP, the user's workspace changes. */
  readonly ops: HostOps;
  /** What the workspace shell reads: projects, tasks, UI contributions, the dashboard layout. */
  readonly shellOps: ShellOps;
  /** Requests from plugin UIs: data, actions, streams. */
  readonly ui: UiRequests;
  /** Runtime permission requests (API 1.1): waiting requests, the user's answers, revoke. */
  readonly permissions: Permissions;
  /** The open database (after `start`). */
  readonly db: Db;
  /** Workspace and runtime services (after `start`). */
  readonly services: HostServices;
  /** The database backups (after `start`). */
  readonly backups: DatabaseBackups;
  /** Plugins from npm registries: search, details, install, update checks, registry preferences (after `start`). */
  readonly registryPlugins: RegistryPlugins;
  /** README images for Browse (the shell's `/readme-image` route), through the user's proxy, public addresses only. */
  readonly readmeImages: ReadmeImages;
  /**
   * Resolves a file a plugin may serve to its UI (`ui.entry`'s folder, `assets/`), or `null`
   * when the path leaves the plugin folder (after symlinks) or the plugin is not enabled.
   */
  resolvePluginAsset(pluginId: string, relativePath: string): Promise<string | null>;
  /** What the last `start` repaired or restored (damaged database or settings, a restored backup), for the shell to tell the user. */
  startupNotices(): StartupNotice[];
  /** Subscribes to plugin changes (state, runtime, enablement); returns the unsubscribe function. */
  onPluginsChanged(listener: (event: PluginsChangedEvent) => void): () => void;
  /**
   * Subscribes a window to permission requests appearing and going (read them with
   * `permissions.pending()`); returns the unsubscribe function. While no window listens, a
   * plugin's request is refused with `NOT_READY` instead of waiting for nobody.
   */
  onPermissionRequests(listener: () => void): () => void;
}

/** Creates the host core. Nothing happens until `start()`. */
export function createHost(options: HostOptions): Host {
  const logs = createLogStore();
  const rateLimits = createRateLimits(options.rateLimits);
  const preferences = options.preferences ?? createConfPreferences(options.userDataDir);
  const events = createHostEvents();
  const emit = (event: PluginsChangedEvent) => events.emit('plugins.changed', event);
  let db: Db | undefined;
  let profileDb: ProfileDatabase | undefined;
  let backups: DatabaseBackups | undefined;
  const notices: StartupNotice[] = [];
  const backupsDir = join(options.userDataDir, 'backups');
  let registry: Registry | undefined;
  let permissionStore: PermissionStore | undefined;
  const permissionListeners = new Set<() => void>();
  /** The pending turn of the background `onStartup` activations (see `start`). */
  let startupActivation: NodeJS.Immediate | undefined;
  let state: StateService | undefined;
  let services: HostServices | undefined;
  let installer: PluginInstaller | undefined;
  let registryPlugins: RegistryPlugins | undefined;
  const updates = createUpdateScheduler({
    intervalHours: () => preferences.get().updateCheckHours,
    check: async (startup) => {
      const report = await started(registryPlugins).checkForUpdates({ startup });
      for (const item of report.items.filter((i) => i.status === 'failed')) {
        logs.append('host', { level: 'warn', source: 'host', message: `Update check of ${item.id} failed: ${item.error ?? ''}` });
      }
    },
    onError: (error) => logs.append('host', { level: 'error', source: 'host', message: `Update check failed: ${error.message}` }),
    ...(options.updateCheckDelayMs !== undefined ? { startupDelayMs: options.updateCheckDelayMs } : {}),
  });
  preferences.onChange((_p, changed) => { if (changed.includes('updateCheckHours')) updates.rearm(); });
  let logFile: PluginLogFile | undefined;
  let stopLogFile: (() => void) | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new PlinthError('NOT_READY', 'The host has not started');
    return value;
  };

  // The parts, in the order they depend on each other. What lives in the database (registry,
  // state, services, installer, registry plugins, permission store) opens in `start`.
  const core = createCatalogCore(() => started(registry));
  const supervisor = createSupervisor({
    launcher: options.launcher, logs,
    ...(options.setupBudgetMs ? { setupBudgetMs: options.setupBudgetMs } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    idleTimeoutMs: () => preferences.get().idleTimeoutMs,
    ...options.supervisorOptions,
    heapMb: () => preferences.get().workerHeapMb,
    shouldRestart: core.isReady,
    onGiveUp: (id, reason) => {
      if (!core.entry(id) || core.entry(id)?.state === 'error') return;
      core.apply(id, 'fail', { lastError: { kind: 'crash_loop', message: reason } });
      events.emit('plugin.gone', { pluginId: id });
      emit({ pluginId: id });
    },
  });

  const permissions = createPermissions({
    store: () => started(permissionStore),
    optionalOf: (id) => core.plugins.get(id)?.manifest?.plinth.optionalCapabilities ?? [],
    heldFromStart: (id) => { const r = core.plugins.get(id); return r ? heldFromStart(r, core.entry(id)) : []; },
    onChange: (id) => {
      for (const listener of [...permissionListeners]) listener();
      emit({ pluginId: id });
    },
    canAsk: () => permissionListeners.size > 0,
  });

  const consent = createConsent({ core, permissions });
  const activation = createActivation({
    userDataDir: options.userDataDir, state: () => started(state), services: () => services,
    supervisor, logs, events, rateLimits, permissions, core, consent,
  });
  const config = createConfigManager({ catalog: { ...core, ...consent, ...activation }, services: () => started(services), supervisor, events });
  const discovery = createDiscovery({
    userDataDir: options.userDataDir,
    roots: () => [
      { dir: options.bundledPluginsDir, source: 'bundled' },
      { dir: join(options.userDataDir, 'plugins'), source: 'user' },
      ...(installer?.unpackedRoots() ?? []),
      ...(options.extraPluginRoots ?? []),
    ],
    registry: () => started(registry), logs, configProblem: config.problem, core, consent,
    transaction: (fn) => {
      const database = started(db);
      try {
        database.transaction(fn)();
      } catch (error) {
        // The rolled-back rows may already be in the registry's memory: read them again from SQLite.
        invalidateRegistryCache(database);
        throw error;
      }
    },
  });
  const catalog: Catalog = { ...core, ...consent, ...activation, ...discovery };
  const ops = createHostOps({ userDataDir: options.userDataDir, catalog, services: () => started(services), supervisor, logs, preferences, rateLimits });
  const shellOps = createShellOps({ services: () => started(services), layoutStore: createConfDashboardStore(options.userDataDir) });
  const management = createManagement({
    catalog, config, supervisor, preferences, events,
    get installer() { return started(installer); },
    rediscover: discovery.discover,
    registryPlugins: () => registryPlugins,
    watch: options.watchUnpacked ?? true,
  });

  supervisor.onChange((pluginId) => {
    const runtime = supervisor.runtime(pluginId).state;
    if (runtime === 'stopped' || runtime === 'crashed' || runtime === 'backoff') events.emit('worker.stopped', { pluginId });
    emit({ pluginId });
  });

  // How the parts react to each other, in one place (host-events.ts). The services exist from
  // `start` on; before that no plugin is ready and no worker runs, so there is nothing to withdraw.
  events.on('plugin.ready', ({ pluginId }) => services?.pluginReady(pluginId));
  events.on('plugin.gone', ({ pluginId }) => services?.pluginGone(pluginId));
  events.on('worker.stopped', ({ pluginId }) => {
    services?.workerStopped(pluginId);
    // Nobody is left to hear the answer; the plugin asks again when it runs next.
    permissions.cancel(pluginId);
  });

  const ui = createUiRequests({ catalog, rateLimits, services: () => started(services) });

  const readmeImages = createReadmeImages({
    ...options.readmeImageSeams,
    ...(options.proxyFor ? { proxyFor: options.proxyFor } : {}),
  });

  const host: Host = {
    logs, supervisor, preferences, rateLimits, catalog, management, config, ops, shellOps, ui, permissions, readmeImages,
    get db() { return started(db); },
    get services() { return started(services); },
    get backups() { return started(backups); },
    get registryPlugins() { return started(registryPlugins); },
    async start() {
      notices.length = 0;
      if (preferences.lastLoadWarning) {
        notices.push({ kind: 'settings-recovered', message: preferences.lastLoadWarning, ...(preferences.lastLoadKeptAs ? { keptAs: preferences.lastLoadKeptAs } : {}) });
      }
      const dbFile = join(options.userDataDir, 'plinth.db');
      const restored = applyPendingRestore(dbFile, backupsDir);
      if (restored) {
        notices.push({
          kind: 'database-restored',
          message: `The database was restored from the backup ${restored.backup}.${restored.keptAs ? ` The database as it was before is kept at ${restored.keptAs}.` : ''}`,
          ...(restored.keptAs ? { keptAs: restored.keptAs } : {}),
        });
      }
      profileDb = openProfileDatabase(dbFile);
      db = profileDb.db;
      if (profileDb.recovery) {
        const { reason, keptAs } = profileDb.recovery;
        notices.push({
          kind: 'database-recovered',
          message: `Plinth's database was damaged and could not be used (${reason}). It was moved aside and a fresh one was created, so plugin settings, plugin data and the workspace start empty. The damaged file is kept at ${keptAs}. To get your data back, restore a backup in Settings → Preferences.`,
          keptAs,
        });
      }
      for (const notice of notices) logs.append('host', { level: 'warn', source: 'host', message: notice.message });
      registry = createRegistry(db);
      permissionStore = createPermissionStore(db);
      state = createStateService(db);
      logFile = createPluginLogFile(join(options.userDataDir, 'logs'));
      const toFile = logFile;
      stopLogFile = logs.onLine((pluginId, line) => toFile.write(pluginId, line));
      installer = createPluginInstaller({
        userDataDir: options.userDataDir, registry, db,
        bundledIds: () => new Set([...catalog.plugins.values()].filter((r) => r.source === 'bundled').map((r) => r.id)),
      });
      // A purged plugin's answers go with it; a later install of the same id asks afresh.
      const answers = permissionStore;
      installer.onPurge((id) => answers.removeAll(id));
      const secretStore = options.secretStore ?? createLocalKeySecretStore(join(options.userDataDir, 'secrets.key'));
      registryPlugins = createRegistryPlugins({
        db, secretStore, preferences, registry, tempDir: installer.layout.tempDir, hostApiVersion: PLUGIN_API_VERSION,
        installFile: (file, opts) => management.installArchive(file, opts),
        ...(options.proxyFor ? { proxyFor: options.proxyFor } : {}),
        onChecked: (id) => emit({ pluginId: id }),
      });
      services = createHostServices({
        db, userDataDir: options.userDataDir, logs, secretStore,
        developerMode: options.developerMode ?? (() => preferences.get().developerMode),
        webhookPort: options.webhookPort ?? preferences.get().webhookPort,
        manifestOf: (id) => catalog.plugins.get(id)?.manifest,
        capabilitiesOf: (id) => { const r = catalog.plugins.get(id); return r ? catalog.granted(r) : []; },
        isReady: catalog.isReady,
        isRunning: (id) => supervisor.runtime(id).state === 'running',
        pluginIds: () => [...catalog.plugins.keys()],
        configOf: (id) => registry?.get(id)?.config ?? null,
        callWorker: catalog.callWorker,
        hold: (id) => supervisor.hold(id),
      });
      await installer.cleanupLeftovers();
      await installer.purgeExpired(preferences.get().uninstallGraceDays);
      await catalog.discover();
      for (const id of catalog.plugins.keys()) if (catalog.isReady(id)) services.pluginReady(id);
      await management.syncWatches();
      await ops.start();
      // `onStartup` workers are forked after start() resolves, one per turn of the event loop:
      // forking is synchronous work in this thread, and the window must not wait for it.
      const candidates = [...catalog.plugins.values()];
      const activateNext = () => {
        startupActivation = undefined;
        const r = candidates.shift();
        if (!r) return;
        catalog.activateIfOnStartup(r);
        startupActivation = setImmediate(activateNext);
      };
      startupActivation = setImmediate(activateNext);
      const openDb = db;
      backups = createDatabaseBackups({
        db: () => openDb, dir: backupsDir,
        onError: (error) => logs.append('host', { level: 'error', source: 'host', message: error.message }),
      });
      backups.start();
      updates.start();
      emit({});
    },
    async stop() {
      if (startupActivation) clearImmediate(startupActivation);
      startupActivation = undefined;
      await updates.stop();
      await management.close();
      await ops.stop();
      await services?.stop();
      await supervisor.stopAll();
      stopLogFile?.();
      await logFile?.close();
      await backups?.stop();
      profileDb?.close();
      backups = profileDb = undefined;
      db = registry = permissionStore = state = services = installer = logFile = registryPlugins = undefined;
    },
    async resolvePluginAsset(pluginId, relativePath) {
      const r = catalog.plugins.get(pluginId);
      if (!r?.manifest || !catalog.isReady(pluginId)) return null;
      try {
        const real = await realpath(resolve(r.realDir, relativePath));
        if (!isPathInside(r.realDir, real)) return null;
        return (await stat(real)).isFile() ? real : null;
      } catch {
        return null;
      }
    },
    startupNotices: () => notices.map((notice) => ({ ...notice })),
    onPluginsChanged(listener) {
      return events.on('plugins.changed', listener);
    },
    onPermissionRequests(listener) {
      permissionListeners.add(listener);
      return () => permissionListeners.delete(listener);
    },
  };
  return host;
}

