/**
 * The host's view of every plugin: discovered folders joined with their registry rows, the
 * lifecycle transitions applied to them (through the one state machine in lifecycle.ts),
 * consent and worker activation. The shell builds its summaries from it (main/shell/plugin-views.ts).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { LifecycleState, PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { UNSANDBOXED_CAPABILITY, type Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError, toWireError } from '@plinth/sdk/protocol/errors';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import { PROTOCOL_VERSION, type WorkerApi, type WorkerMethod } from '@plinth/sdk/protocol/rpc';
import { discoverPlugins, type PluginRoot } from './discovery.ts';
import { createManifestCache, type ManifestCache } from './manifest-cache.ts';
import { installLayout, pluginDataDirName } from './install/index.ts';
import { createHostApiImpl } from './host-api-impl.ts';
import type { HostServices } from './host-services.ts';
import type { HostEvents } from './host-events.ts';
import { configFailure, isRuntimeFailure, isServing, transition, type LifecycleEvent } from './lifecycle.ts';
import type { LogStore } from './logs.ts';
import { formatProblem } from './manifest/index.ts';
import type { Registry, RegistryEntry } from './registry.ts';
import type { RateLimits } from './rate-limits.ts';
import { guardHostApi } from './rpc/capability-guard.ts';
import type { StateService } from './services/state.ts';
import type { Supervisor } from './supervisor.ts';
import type { Permissions } from './permissions/permissions.ts';

/** A discovered plugin folder as the host keeps it in memory. */
export interface PluginRecord {
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

/** What the catalog needs from the host. */
export interface CatalogDeps {
  userDataDir: string;
  roots(): PluginRoot[];
  registry(): Registry;
  state(): StateService;
  services(): HostServices | undefined;
  supervisor: Supervisor;
  logs: LogStore;
  /** Rate of each worker's host calls. */
  rateLimits: RateLimits;
  /** Where the catalog says a plugin is gone (its setup failed) and that its summary changed. */
  events: HostEvents;
  /** The runtime permissions (API 1.1): what the user allowed, the request entry points, denial hints. */
  permissions(): CatalogPermissions;
  /** Why the plugin cannot become ready for lack of config, or null when its config is valid. */
  configProblem(pluginId: string): string | null;
}

/** The parts of the permissions module (main/host/permissions) the catalog uses. */
export type CatalogPermissions = Pick<Permissions, 'allowed' | 'request' | 'explainDenial'>;

/** The plugin catalog. */
export type Catalog = ReturnType<typeof createCatalog>;

/** File of the validated-manifest cache in the profile (manifest-cache.ts). */
export const MANIFEST_CACHE_FILE = 'manifest-cache.json';



/** The capabilities a plugin's manifest declares (approved or not). */
export const declared = (r: PluginRecord): string[] => (r.manifest?.plinth.capabilities ?? []) as string[];

/** Creates the catalog; `discover()` fills it. */
export function createCatalog(deps: CatalogDeps) {
  const plugins = new Map<string, PluginRecord>();
  let manifestCache: ManifestCache | undefined;

  function record(pluginId: string): PluginRecord {
    const r = plugins.get(pluginId);
    if (!r) throw new PlinthError('NOT_FOUND', `No plugin "${pluginId}" is installed`);
    return r;
  }

  function entry(pluginId: string): RegistryEntry | undefined {
    return deps.registry().get(pluginId);
  }

  /** Capabilities the plugin declares that the user has not approved. */
  function unapproved(r: PluginRecord): string[] {
    const approved = entry(r.id)?.approvedCapabilities;
    if (!approved) return declared(r);
    return declared(r).filter((c) => !approved.includes(c));
  }

  /** What the plugin holds from the start: declared AND approved (a grown unpacked manifest gets nothing new until approved). */
  function grantedFromStart(r: PluginRecord): Capability[] {
    const approved = entry(r.id)?.approvedCapabilities ?? [];
    return declared(r).filter((c) => approved.includes(c)) as Capability[];
  }

  /** What the worker may use now: {@link grantedFromStart} and the optional capabilities the user allowed (API 1.1). */
  function granted(r: PluginRecord): Capability[] {
    const fromStart = grantedFromStart(r);
    const allowed = r.manifest?.plinth.optionalCapabilities?.length ? deps.permissions().allowed(r.id) : [];
    return allowed.length === 0 ? fromStart : [...new Set([...fromStart, ...allowed])];
  }

  /** Applies a lifecycle event through the state machine and persists it. @throws CONFLICT when not allowed. */
  function apply(pluginId: string, event: LifecycleEvent, patch: Partial<Omit<RegistryEntry, 'id' | 'installedAt' | 'updatedAt' | 'state'>> = {}): RegistryEntry {
    const current = entry(pluginId);
    if (!current) throw new PlinthError('NOT_FOUND', `No plugin "${pluginId}" is installed`);
    return deps.registry().update(pluginId, { ...patch, state: transition(current.state, event) });
  }

  function isReady(pluginId: string): boolean {
    const e = entry(pluginId);
    return !!plugins.get(pluginId)?.manifest && !!e?.enabled && isServing(e.state);
  }

  /** Aligns the registry row of a freshly discovered plugin with what is on disk. */
  function reconcile(r: PluginRecord): void {
    const registry = deps.registry();
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
    registry.update(r.id, { source: r.source, path: r.dir, version: r.version, capabilities });
    if (problems) {
      if (existing.state !== 'error' || existing.lastError?.message !== problems) apply(r.id, 'fail', { lastError: { kind: 'manifest', message: problems } });
      return;
    }
    let state: LifecycleState = existing.state;
    if (state === 'error') {
      // A setup failure or crash loop stays until the user re-enables or reloads the plugin.
      if (isRuntimeFailure(existing.lastError)) return;
      // The manifest problem is gone: back to what the user chose.
      apply(r.id, 'recover', { lastError: null });
      if (existing.enabled) state = apply(r.id, 'enable').state;
      else state = apply(r.id, 'disable').state;
    }
    const configProblem = deps.configProblem(r.id);
    if (configProblem && (state === 'ready' || state === 'disabled')) {
      apply(r.id, 'require_config', { lastError: configFailure(configProblem) });
      return;
    }
    // An unpacked plugin whose package.json gained capabilities waits for approval.
    if (state === 'ready' && unapproved(r).length > 0 && existing.approvedCapabilities) apply(r.id, 'request_upgrade');
  }

  async function discover(): Promise<void> {
    manifestCache ??= createManifestCache(join(deps.userDataDir, MANIFEST_CACHE_FILE));
    const found = await discoverPlugins(deps.roots(), {
      cache: manifestCache,
      onRootError: (root, error) => deps.logs.append('host', { level: 'warn', source: 'host', message: `Plugin folder ${root.dir} cannot be read: ${error.message}` }),
    });
    await manifestCache.save();
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
      if (entry(r.id)?.state === 'uninstalled') continue;
      // A second folder with an id already seen is listed under its path so both stay visible.
      const key = plugins.has(r.id) ? `${r.id} (${r.dir})` : r.id;
      plugins.set(key, { ...r, id: key });
      if (key === r.id) reconcile(r);
    }
  }

  /** Starts the worker of a ready plugin; a failed `setup` puts the plugin in `error`. */
  async function activate(r: PluginRecord): Promise<void> {
    const e = entry(r.id);
    if (!r.manifest || r.problems.length > 0) throw new PlinthError('NOT_READY', `Plugin "${r.id}" has manifest errors; see Settings`);
    if (!e?.enabled || !isServing(e.state)) {
      throw new PlinthError('NOT_READY', `Plugin "${r.displayName}" is ${e?.state ?? 'not installed'}; enable it in Settings`);
    }
    const worker = r.manifest.plinth.worker;
    if (!worker) throw new PlinthError('NOT_FOUND', `Plugin "${r.displayName}" has no worker`);
    const dataDir = join(installLayout(deps.userDataDir).pluginDataDir, pluginDataDirName(r.id));
    mkdirSync(dataDir, { recursive: true });
    const services = deps.services();
    if (!services) throw new PlinthError('NOT_READY', 'The host has not started');
    const permissions = deps.permissions();
    const impl = createHostApiImpl(r.id, {
      state: deps.state(), logs: deps.logs, config: () => entry(r.id)?.config ?? {}, services: services.hostApiFor, dataDir,
      permissions: {
        request: (capabilities, reason) => permissions.request(r.id, capabilities, reason),
        list: () => permissions.allowed(r.id),
      },
    });
    // Read on every call, so an Allow or a Revoke counts from the worker's next call on.
    const held = () => granted(plugins.get(r.id) ?? r);
    try {
      await deps.supervisor.ensureRunning({
        pluginId: r.id,
        entry: resolve(r.realDir, worker),
        init: { pluginId: r.id, version: r.version, dataDir, config: e.config, protocolVersion: PROTOCOL_VERSION },
        hostApi: guardHostApi(
          r.id, held, impl, (method) => deps.rateLimits.admit(r.id, 'worker', method), (c) => permissions.explainDenial(r.id, c),
        ),
        // Sandboxed unless the user granted full access at install (CONTRACT §4 system.unsandboxed; never optional).
        sandboxRoot: grantedFromStart(r).includes(UNSANDBOXED_CAPABILITY) ? null : r.realDir,
        keepAlive: startsOnStartup(r),
      });
    } catch (error) {
      const message = `Setup failed: ${(error as Error).message}`;
      apply(r.id, 'fail', { lastError: { kind: 'setup', message } });
      deps.events.emit('plugin.gone', { pluginId: r.id });
      deps.events.emit('plugins.changed', { pluginId: r.id });
      // `data.cause` keeps the original code (PLUGIN_ERROR, TIMEOUT, CAPABILITY_DENIED, …) for tools such as the author CLI.
      const cause = toWireError(error, 'INTERNAL');
      throw new PlinthError('NOT_READY', message, { cause: { code: cause.code, message: cause.message } });
    }
  }

  /** True when the plugin asks to run from start-up (`onStartup`, CONTRACT §6): never idle-stopped. */
  function startsOnStartup(r: PluginRecord): boolean {
    return r.manifest?.plinth.activationEvents?.includes('onStartup') ?? false;
  }

  /** Starts an `onStartup` plugin's worker in the background if it is ready; failures land in its state and log. */
  function activateIfOnStartup(r: PluginRecord): void {
    if (startsOnStartup(r) && isReady(r.id)) activate(r).catch(() => undefined);
  }

  /** Starts the worker when needed, then calls it. */
  async function callWorker<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    // Fast path: a running worker of a ready plugin needs no activation work (registry read, mkdir, guard rebuild).
    if (deps.supervisor.state(pluginId) !== 'running' || !isReady(pluginId)) await activate(record(pluginId));
    return deps.supervisor.call(pluginId, method, ...args);
  }

  return { plugins, record, entry, apply, unapproved, granted, grantedFromStart, isReady, discover, activate, activateIfOnStartup, callWorker };
}
