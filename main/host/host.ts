/**
 * The host core: the supervisor and what needs no database are made by `createHost`; `start`
 * opens the database and builds the catalog, services, configuration, plugin management,
 * operations and UI requests over it (started-host.ts). The host exposes them as modules the
 * shell's handlers call directly. Plain Node (ARCHITECTURE.md: transports are injected).
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, join, posix, resolve } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { DatabaseBackups } from './db/backups.ts';
import { applyPendingRestore } from './db/backups.ts';
import type { Db } from './db/database.ts';
import { openProfileDatabase, type ProfileDatabase } from './db/profile-database.ts';
import { createReadmeImages, type ReadmeImages } from './catalog/readme-images.ts';
import type { RegistryPlugins } from './catalog/registry-plugins.ts';
import type { HostOps } from './host-ops.ts';
import { createHostEvents } from './host-events.ts';
import type { HostServices } from './host-services.ts';
import type { HostOptions, PluginsChangedEvent, StartupNotice } from './host-types.ts';
import { createLogStore, type LogStore } from './logs.ts';
import { isPathInside } from './manifest/index.ts';
import type { Permissions } from './permissions/permissions.ts';
import type { Catalog } from './plugin-catalog.ts';
import type { ConfigManager } from './plugin-config.ts';
import type { Management } from './plugin-management.ts';
import { createConfPreferences, type PreferencesStore } from './preferences.ts';
import { createRateLimits, type RateLimits } from './rate-limits.ts';
import type { ShellOps } from './shell-ops.ts';
import { startHost, type HostBase, type StartedHost } from './started-host.ts';
import { createSupervisor, type Supervisor } from './supervisor.ts';
import type { UiRequests } from './ui-requests.ts';

export type { HostOptions } from './host-types.ts';

/** The running host plus internals the harness, the CLI and benchmarks use. */
export interface Host {
  /** Opens the database, builds the parts over it and discovers plugins; resolves without waiting for `onStartup` workers, which start right after, one per turn of the event loop. */
  start(): Promise<void>;
  /**
   * Stops every worker (each gets its shutdown grace) and closes the database. A `start` under
   * way is waited for and what it built is stopped. From the call on no worker is started
   * (activation refuses with `NOT_READY`), and plugin operations under way are waited for: one
   * that would watch a folder watches nothing (plugin-management.ts `close`). A second `stop`
   * resolves when the first is done, and a `start` during a stop begins once it is done.
   */
  stop(): Promise<void>;
  readonly logs: LogStore;
  readonly supervisor: Supervisor;
  readonly preferences: PreferencesStore;
  readonly rateLimits: RateLimits;
  /** README images for Browse (the shell's `/readme-image` route), through the user's proxy, public addresses only. */
  readonly readmeImages: ReadmeImages;
  // The parts below live in the database: from `start` to `stop`; otherwise reading one throws `NOT_READY`.
  /** Every discovered plugin, its registry row and lifecycle state, consent and activation. */
  readonly catalog: Catalog;
  /** Install, enable/disable, upgrade, uninstall, restore, reload. */
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
  /** The open database. */
  readonly db: Db;
  /** Workspace and runtime services. */
  readonly services: HostServices;
  /** The database backups. */
  readonly backups: DatabaseBackups;
  /** Plugins from npm registries: search, details, install, update checks, registry preferences. */
  readonly registryPlugins: RegistryPlugins;
  /**
   * The keys of `catalog.plugins` (the discovered plugins' ids) while the host runs; none before
   * `start` and after `stop`, where reading `catalog` throws `NOT_READY`. For lookups that outlive
   * the host, such as the shell's plugin origins while the app quits.
   */
  pluginIds(): Iterable<string>;
  /**
   * Resolves a file a plugin may serve to its UI (`ui.entry`'s folder, `assets/`), or `null`
   * when the path leaves the plugin folder (after symlinks) or the plugin is not ready. The
   * manifest `icon`, when it is an image ({@link ICON_EXTENSIONS}), resolves for every plugin
   * with a valid manifest: the shell names plugins by it in lists, disabled ones too.
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

/** File extensions of a manifest `icon` served before its plugin is ready (images only, never code). */
export const ICON_EXTENSIONS: readonly string[] = ['.svg', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.avif', '.ico'];

/** Whether `relativePath` is the manifest's `icon` and that is an image file. */
function isImageIcon(icon: string | undefined, relativePath: string): boolean {
  if (!icon || posix.normalize(icon) !== posix.normalize(relativePath)) return false;
  return ICON_EXTENSIONS.includes(extname(icon).toLowerCase());
}

/**
 * Creates the host core: what needs no database (logs, preferences, rate limits, the events, the
 * supervisor, README images). `start()` opens the database and builds the rest (started-host.ts); until then,
 * and after `stop()`, the parts that live in the database throw `NOT_READY`.
 */
export function createHost(options: HostOptions): Host {
  const logs = createLogStore();
  const rateLimits = createRateLimits(options.rateLimits);
  const preferences = options.preferences ?? createConfPreferences(options.userDataDir);
  const events = createHostEvents();
  const supervisor = createSupervisor({
    launcher: options.launcher, logs,
    ...(options.setupBudgetMs ? { setupBudgetMs: options.setupBudgetMs } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
    idleTimeoutMs: () => preferences.get().idleTimeoutMs,
    ...options.supervisorOptions,
    heapMb: () => preferences.get().workerHeapMb,
  });
  supervisor.onChange((pluginId) => {
    const runtime = supervisor.runtime(pluginId).state;
    if (runtime === 'stopped' || runtime === 'crashed' || runtime === 'backoff') events.emit('worker.stopped', { pluginId });
    events.emit('plugins.changed', { pluginId });
  });
  const readmeImages = createReadmeImages({
    ...options.readmeImageSeams,
    ...(options.proxyFor ? { proxyFor: options.proxyFor } : {}),
  });
  const permissionListeners = new Set<() => void>();
  const notices: StartupNotice[] = [];
  const backupsDir = join(options.userDataDir, 'backups');
  const base: HostBase = {
    options, logs, rateLimits, preferences, events, supervisor, backupsDir,
    canAskPermission: () => permissionListeners.size > 0,
    permissionRequestsChanged: () => { for (const listener of [...permissionListeners]) listener(); },
  };
  /** The parts over the open database, from `start` to `stop`. */
  let running: StartedHost | undefined;
  /** The `start` under way, which a `stop` waits for so that it stops what the start builds. */
  let starting: Promise<void> | undefined;
  /** The `stop` under way, which a second `stop` and a new `start` wait for (one profile, one database open at a time). */
  let stopping: Promise<void> | undefined;
  const started = (): StartedHost => {
    if (!running) throw new PlinthError('NOT_READY', 'The host has not started');
    return running;
  };

  /** Opens the profile database, restoring a pending backup or replacing a damaged file first; notes what it repaired. */
  function openDatabase(): ProfileDatabase {
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
    const profile = openProfileDatabase(dbFile);
    if (profile.recovery) {
      const { reason, keptAs } = profile.recovery;
      notices.push({
        kind: 'database-recovered',
        message: `Plinth's database was damaged and could not be used (${reason}). It was moved aside and a fresh one was created, so plugin settings, plugin data and the workspace start empty. The damaged file is kept at ${keptAs}. To get your data back, restore a backup in Settings → Preferences.`,
        keptAs,
      });
    }
    for (const notice of notices) logs.append('host', { level: 'warn', source: 'host', message: notice.message });
    return profile;
  }

  return {
    logs, supervisor, preferences, rateLimits, readmeImages,
    get catalog() { return started().catalog; },
    get management() { return started().management; },
    get config() { return started().config; },
    get ops() { return started().ops; },
    get shellOps() { return started().shellOps; },
    get ui() { return started().ui; },
    get permissions() { return started().permissions; },
    get db() { return started().db; },
    get services() { return started().services; },
    get backups() { return started().backups; },
    get registryPlugins() { return started().registryPlugins; },
    async start() {
      if (stopping) await stopping;
      if (running || starting) throw new PlinthError('CONFLICT', 'The host has already started');
      const profile = openDatabase();
      starting = (async () => {
        try {
          running = await startHost(base, profile);
        } catch (error) {
          // A part that failed while being built (before startHost could stop what it started)
          // must not leave the database open; closing it twice is harmless.
          profile.close();
          throw error;
        }
      })().finally(() => { starting = undefined; });
      await starting;
    },
    stop() {
      stopping ??= (async () => {
        // A stop during `start` (the user quits while the host starts) lets it finish, then stops
        // what it opened (folder watchers, the database, timers) instead of leaving it running.
        if (starting) await starting.catch(() => undefined);
        const parts = running;
        running = undefined;
        await parts?.stop();
      })().finally(() => { stopping = undefined; });
      return stopping;
    },
    pluginIds: () => running?.catalog.plugins.keys() ?? [],
    async resolvePluginAsset(pluginId, relativePath) {
      if (!running) return null;
      const { catalog } = running;
      const r = catalog.plugins.get(pluginId);
      if (!r?.manifest) return null;
      const ready = catalog.isReady(pluginId);
      if (!ready && !isImageIcon(r.manifest.plinth.icon, relativePath)) return null;
      try {
        const real = await realpath(resolve(r.realDir, relativePath));
        if (!isPathInside(r.realDir, real)) return null;
        // The served type comes from the real file: an icon linked to code is not an image.
        if (!ready && !ICON_EXTENSIONS.includes(extname(real).toLowerCase())) return null;
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
}
