/**
 * The host core: discovers plugins, keeps their lifecycle in the registry, activates workers
 * on demand and serves the shell. Plain Node (ARCHITECTURE.md: transports are injected).
 */
import { mkdirSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { PluginSource, PluginSummary, SlotContribution } from '../../preload/api.ts';
import { describeCapability, type Capability, type SlotType } from '../../sdk/protocol/capabilities.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { Json } from '../../sdk/protocol/json.ts';
import type { PluginManifest } from '../../sdk/protocol/manifest.ts';
import { PROTOCOL_VERSION, type WorkerApi, type WorkerMethod } from '../../sdk/protocol/rpc.ts';
import { openDatabase, type Db } from './db/database.ts';
import { discoverPlugins } from './discovery.ts';
import { createHostApiImpl } from './host-api-impl.ts';
import { createHostServices, type HostServices } from './host-services.ts';
import type { PlinthHost, PluginsChangedEvent } from './host-types.ts';
import { formatProblem } from './manifest/index.ts';
import { createLogStore, type LogStore } from './logs.ts';
import { createRegistry, type Registry, type RegistryEntry } from './registry.ts';
import { guardHostApi } from './rpc/capability-guard.ts';
import { createStateService, type StateService } from './services/state.ts';
import { createSupervisor, type Supervisor } from './supervisor.ts';
import type { WorkerLauncher } from './workers/launcher.ts';

/** Options of {@link createHost}. */
export interface HostOptions {
  /** The profile folder: database, installed plugins, plugin data. */
  userDataDir: string;
  /** Plugins shipped with the app (may use the reserved `plinth-` prefix). */
  bundledPluginsDir: string;
  /** More plugin roots (tests, the CLI). */
  extraPluginRoots?: Array<{ dir: string; source: PluginSource }>;
  launcher: WorkerLauncher;
  appVersion: string;
  /** Injected for tests: activation budget of `setup` (ms). */
  setupBudgetMs?: number;
  /** Injected for tests: timeout of host → worker calls (ms). */
  callTimeoutMs?: number;
  /** Developer mode (plain HTTP to localhost for `ctx.http.fetch`). */
  developerMode?: () => boolean;
  /** Preferred webhook server port; 0 or absent takes any free port. */
  webhookPort?: number;
}

/** A discovered plugin folder as the host keeps it in memory. */
interface PluginRecord {
  id: string;
  source: PluginSource;
  dir: string;
  realDir: string;
  displayName: string;
  version: string;
  description: string;
  manifest?: PluginManifest;
  problems: string[];
  warnings: string[];
}

/** The running host plus internals the harness, the CLI and benchmarks use. */
export interface Host extends PlinthHost {
  readonly logs: LogStore;
  readonly supervisor: Supervisor;
  /** The open database (after `start`). */
  readonly db: Db;
  /** Workspace and runtime services (after `start`). */
  readonly services: HostServices;
}

function dataDirName(id: string): string {
  return id.replace(/^@/, '').replace(/\//g, '__');
}

/** Creates the host core. Nothing happens until `start()`. */
export function createHost(options: HostOptions): Host {
  const logs = createLogStore();
  const supervisor = createSupervisor({
    launcher: options.launcher, logs,
    ...(options.setupBudgetMs ? { setupBudgetMs: options.setupBudgetMs } : {}),
    ...(options.callTimeoutMs ? { callTimeoutMs: options.callTimeoutMs } : {}),
  });
  const listeners = new Set<(event: PluginsChangedEvent) => void>();
  const plugins = new Map<string, PluginRecord>();
  let db: Db | undefined;
  let registry: Registry | undefined;
  let state: StateService | undefined;
  let services: HostServices | undefined;

  const emit = (event: PluginsChangedEvent) => { for (const l of listeners) l(event); };
  supervisor.onChange((pluginId, exit) => {
    if (exit || supervisor.runtime(pluginId).state !== 'running') services?.workerStopped(pluginId);
    emit({ pluginId });
  });

  function reg(): Registry {
    if (!registry) throw new PlinthError('NOT_READY', 'The host has not started');
    return registry;
  }

  function record(pluginId: string): PluginRecord {
    const r = plugins.get(pluginId);
    if (!r) throw new PlinthError('NOT_FOUND', `No plugin "${pluginId}" is installed`);
    return r;
  }

  function summary(r: PluginRecord): PluginSummary {
    const entry = registry?.get(r.id);
    const runtime = supervisor.runtime(r.id);
    const capabilities = (r.manifest?.plinth.capabilities ?? []) as Capability[];
    const error = r.problems.length > 0 ? r.problems.join('\n') : entry?.lastError ?? undefined;
    return {
      id: r.id,
      displayName: r.displayName,
      version: r.version,
      description: r.description,
      source: r.source,
      state: r.problems.length > 0 ? 'error' : entry?.state ?? 'installed',
      runtime: runtime.state,
      enabled: entry?.enabled ?? false,
      capabilities: capabilities.map((capability) => ({ capability, description: describeCapability(capability) })),
      ...(error ? { error } : {}),
      warnings: r.warnings,
      ...(runtime.pid ? { pid: runtime.pid } : {}),
      path: r.dir,
    };
  }

  /** Aligns the registry row of a freshly discovered plugin with what is on disk. */
  function reconcile(r: PluginRecord): void {
    const existing = reg().get(r.id);
    const capabilities = (r.manifest?.plinth.capabilities ?? []) as string[];
    if (!existing) {
      // Bundled plugins ship enabled; anything else waits for the user (CONTRACT §9 `installed`).
      const enabled = r.source === 'bundled' && r.problems.length === 0;
      reg().put({
        id: r.id, source: r.source, path: r.dir, version: r.version, enabled,
        state: r.problems.length > 0 ? 'error' : enabled ? 'ready' : 'installed',
        lastError: r.problems.length > 0 ? r.problems.join('\n') : null,
        capabilities, approvedCapabilities: enabled ? capabilities : null, config: {},
      });
      return;
    }
    const state = r.problems.length > 0 ? 'error' : existing.enabled ? 'ready' : existing.state === 'installed' ? 'installed' : 'disabled';
    reg().update(r.id, {
      source: r.source, path: r.dir, version: r.version, capabilities, state,
      lastError: r.problems.length > 0 ? r.problems.join('\n') : null,
    });
  }

  function hostApiFor(r: PluginRecord) {
    if (!state) throw new PlinthError('NOT_READY', 'The host has not started');
    const impl = createHostApiImpl(r.id, { state, logs, config: () => reg().get(r.id)?.config ?? {}, ...(services ? { extra: services.hostApiFor } : {}) });
    return guardHostApi(r.id, (r.manifest?.plinth.capabilities ?? []) as Capability[], impl);
  }

  /** Starts the worker of a ready plugin; a failed `setup` puts the plugin in `error`. */
  async function activate(r: PluginRecord): Promise<void> {
    const entry = reg().get(r.id);
    if (!r.manifest || r.problems.length > 0) throw new PlinthError('NOT_READY', `Plugin "${r.id}" has manifest errors; see Settings`);
    if (!entry?.enabled || entry.state !== 'ready') {
      throw new PlinthError('NOT_READY', `Plugin "${r.displayName}" is ${entry?.state ?? 'not installed'}; enable it in Settings`);
    }
    const worker = r.manifest.plinth.worker;
    if (!worker) throw new PlinthError('NOT_FOUND', `Plugin "${r.displayName}" has no worker`);
    const dataDir = join(options.userDataDir, 'plugin-data', dataDirName(r.id));
    mkdirSync(dataDir, { recursive: true });
    try {
      await supervisor.ensureRunning({
        pluginId: r.id,
        entry: resolve(r.realDir, worker),
        init: { pluginId: r.id, version: r.version, dataDir, config: entry.config, protocolVersion: PROTOCOL_VERSION },
        hostApi: hostApiFor(r),
      });
    } catch (error) {
      const message = `Setup failed: ${(error as Error).message}`;
      reg().update(r.id, { state: 'error', lastError: message });
      services?.pluginGone(r.id);
      emit({ pluginId: r.id });
      throw new PlinthError('NOT_READY', message);
    }
  }

  /** Starts the worker when needed, then calls it. */
  async function callWorker<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    await activate(record(pluginId));
    return supervisor.call(pluginId, method, ...args);
  }

  function isReady(pluginId: string): boolean {
    const entry = registry?.get(pluginId);
    return !!plugins.get(pluginId)?.manifest && !!entry?.enabled && entry.state === 'ready';
  }

  async function discover(): Promise<void> {
    const roots = [
      { dir: options.bundledPluginsDir, source: 'bundled' as const },
      { dir: join(options.userDataDir, 'plugins'), source: 'user' as const },
      ...(options.extraPluginRoots ?? []),
    ];
    const found = await discoverPlugins(roots);
    plugins.clear();
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
      // A second folder with an id already seen is listed under its path so both stay visible.
      const key = plugins.has(r.id) ? `${r.id} (${r.dir})` : r.id;
      plugins.set(key, { ...r, id: key });
      if (key === r.id) reconcile(r);
    }
  }

  function startupActivations(): void {
    for (const r of plugins.values()) {
      const entry = registry?.get(r.id);
      if (r.manifest?.plinth.activationEvents?.includes('onStartup') && entry?.enabled && entry.state === 'ready') {
        activate(r).catch(() => { /* the state and log carry the reason */ });
      }
    }
  }

  const host: Host = {
    logs,
    supervisor,
    get db() {
      if (!db) throw new PlinthError('NOT_READY', 'The host has not started');
      return db;
    },
    async start() {
      db = openDatabase(join(options.userDataDir, 'plinth.db'));
      registry = createRegistry(db);
      state = createStateService(db);
      services = createHostServices({
        db, userDataDir: options.userDataDir, logs,
        developerMode: options.developerMode ?? (() => false),
        ...(options.webhookPort !== undefined ? { webhookPort: options.webhookPort } : {}),
        manifestOf: (id) => plugins.get(id)?.manifest,
        isReady,
        isRunning: (id) => supervisor.runtime(id).state === 'running',
        pluginIds: () => [...plugins.keys()],
        configOf: (id) => registry?.get(id)?.config ?? null,
        callWorker,
      });
      await discover();
      for (const id of plugins.keys()) if (isReady(id)) services.pluginReady(id);
      startupActivations();
      emit({});
    },
    get services() {
      if (!services) throw new PlinthError('NOT_READY', 'The host has not started');
      return services;
    },
    async stop() {
      await services?.stop();
      await supervisor.stopAll();
      db?.close();
      db = undefined;
      registry = undefined;
      state = undefined;
      services = undefined;
    },
    listPlugins() {
      return [...plugins.values()].map(summary).sort((a, b) => a.displayName.localeCompare(b.displayName) || a.id.localeCompare(b.id));
    },
    getPlugin(pluginId) {
      return summary(record(pluginId));
    },
    async setEnabled(pluginId, enabled) {
      const r = record(pluginId);
      if (r.problems.length > 0) {
        throw new PlinthError('INVALID_INPUT', `Plugin "${r.displayName}" cannot be enabled until its manifest is fixed: ${r.problems[0]}`);
      }
      if (enabled) {
        const capabilities = (r.manifest?.plinth.capabilities ?? []) as string[];
        reg().update(r.id, { enabled: true, state: 'ready', lastError: null, approvedCapabilities: capabilities });
        services?.pluginReady(pluginId);
        emit({ pluginId });
        if (r.manifest?.plinth.activationEvents?.includes('onStartup')) activate(r).catch(() => undefined);
      } else {
        reg().update(r.id, { enabled: false, state: 'disabled' });
        services?.pluginGone(pluginId);
        await supervisor.stop(pluginId);
        emit({ pluginId });
      }
      return summary(r);
    },
    listSlots(slotType: SlotType) {
      const out: SlotContribution[] = [];
      for (const r of plugins.values()) {
        const entry = registry?.get(r.id);
        const ui = r.manifest?.plinth.ui;
        if (!ui || !entry?.enabled || entry.state !== 'ready') continue;
        for (const slot of ui.slots ?? []) {
          if (slot.type !== slotType) continue;
          out.push({
            pluginId: r.id, pluginDisplayName: r.displayName, slot,
            moduleUrl: `/plugins/${encodeURIComponent(r.id)}/${ui.entry.replace(/^\.\//, '')}`,
          });
        }
      }
      return out.sort((a, b) => (a.slot.order ?? 0) - (b.slot.order ?? 0) || a.pluginDisplayName.localeCompare(b.pluginDisplayName));
    },
    callData: (pluginId, key, params: Json) => callWorker(pluginId, 'data.get', key, params),
    performAction: (pluginId, key, params: Json) => callWorker(pluginId, 'action.perform', key, params),
    async resolvePluginAsset(pluginId, relativePath) {
      const r = plugins.get(pluginId);
      const entry = registry?.get(pluginId);
      if (!r?.manifest || !entry?.enabled || entry.state !== 'ready') return null;
      const candidate = resolve(r.realDir, relativePath);
      try {
        const real = await realpath(candidate);
        if (!real.startsWith(r.realDir + sep)) return null;
        return (await stat(real)).isFile() ? real : null;
      } catch {
        return null;
      }
    },
    workerPid: (pluginId) => supervisor.runtime(pluginId).pid,
    onPluginsChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return host;
}

export type { RegistryEntry };
