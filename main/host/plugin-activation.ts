/**
 * Activation: a ready plugin's worker is started when something needs it (a UI request, a
 * tool call, a job, an event) or at start-up for `onStartup` plugins (CONTRACT §6), with its
 * host API behind the capability guard and its sandbox; a failed `setup` puts the plugin in
 * `error` with a failure of kind `setup`, a worker the supervisor stopped restarting (a crash
 * loop) one of kind `crash_loop`.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UNSANDBOXED_CAPABILITY } from '@plinth/sdk/protocol/capabilities';
import { PlinthError, toWireError } from '@plinth/sdk/protocol/errors';
import { PROTOCOL_VERSION, type WorkerApi, type WorkerMethod } from '@plinth/sdk/protocol/rpc';
import { createHostApiImpl } from './host-api-impl.ts';
import type { HostEvents } from './host-events.ts';
import type { ServiceHostApi } from './host-api-impl.ts';
import { installLayout, pluginDataDirName } from './install/index.ts';
import { isServing } from './lifecycle.ts';
import type { LogStore } from './logs.ts';
import type { Permissions } from './permissions/permissions.ts';
import type { Consent } from './plugin-consent.ts';
import type { CatalogCore, PluginRecord } from './plugin-record.ts';
import type { RateLimits } from './rate-limits.ts';
import { guardHostApi } from './rpc/capability-guard.ts';
import type { StateService } from './services/state.ts';
import type { Supervisor } from './supervisor.ts';

/** The parts of the permissions module (main/host/permissions) activation uses. */
export type ActivationPermissions = Pick<Permissions, 'allowed' | 'request' | 'explainDenial'>;

/** What activation needs. */
export interface ActivationDeps {
  userDataDir: string;
  state: StateService;
  /** The part of `pluginId`'s host API the services serve (host-services.ts `hostApiFor`), asked at each activation. */
  serviceApiFor(pluginId: string): ServiceHostApi;
  supervisor: Supervisor;
  logs: LogStore;
  /** Rate of each worker's host calls. */
  rateLimits: RateLimits;
  /** Where activation says a plugin is gone (its setup failed, its worker crash-looped) and that its summary changed. */
  events: HostEvents;
  permissions: ActivationPermissions;
  core: CatalogCore;
  consent: Pick<Consent, 'granted' | 'grantedFromStart'>;
}

/** Creates activation over the catalog's core. */
export function createActivation(deps: ActivationDeps) {
  const { core, consent } = deps;
  /** Set once the host stops: no worker is started after that. */
  let stopped = false;

  /**
   * Starts the worker of a ready plugin; a failed `setup` puts the plugin in `error`.
   * @throws PlinthError `NOT_READY` once {@link stopActivating} was called (the plugin's state is unchanged)
   */
  async function activate(r: PluginRecord): Promise<void> {
    if (stopped) throw new PlinthError('NOT_READY', `The host is stopping: the worker of "${r.displayName}" is not started`);
    const e = core.entry(r.id);
    if (!r.manifest || r.problems.length > 0) throw new PlinthError('NOT_READY', `Plugin "${r.id}" has manifest errors; see Settings`);
    if (!e?.enabled || !isServing(e.state)) {
      throw new PlinthError('NOT_READY', `Plugin "${r.displayName}" is ${e?.state ?? 'not installed'}; enable it in Settings`);
    }
    const worker = r.manifest.plinth.worker;
    if (!worker) throw new PlinthError('NOT_FOUND', `Plugin "${r.displayName}" has no worker`);
    const dataDir = join(installLayout(deps.userDataDir).pluginDataDir, pluginDataDirName(r.id));
    mkdirSync(dataDir, { recursive: true });
    const { permissions } = deps;
    const impl = createHostApiImpl(r.id, {
      state: deps.state, logs: deps.logs, config: () => core.entry(r.id)?.config ?? {}, services: deps.serviceApiFor, dataDir,
      permissions: {
        request: (capabilities, reason) => permissions.request(r.id, capabilities, reason),
        list: () => permissions.allowed(r.id),
      },
    });
    // Read on every call, so an Allow or a Revoke counts from the worker's next call on.
    const held = () => consent.granted(core.plugins.get(r.id) ?? r);
    try {
      await deps.supervisor.ensureRunning({
        pluginId: r.id,
        entry: resolve(r.realDir, worker),
        init: { pluginId: r.id, version: r.version, dataDir, config: e.config, protocolVersion: PROTOCOL_VERSION },
        hostApi: guardHostApi(
          r.id, held, impl, (method) => deps.rateLimits.admit(r.id, 'worker', method), (c) => permissions.explainDenial(r.id, c),
        ),
        // Sandboxed unless the user granted full access at install (CONTRACT §4 system.unsandboxed; never optional).
        sandboxRoot: consent.grantedFromStart(r).includes(UNSANDBOXED_CAPABILITY) ? null : r.realDir,
        keepAlive: startsOnStartup(r),
        shouldRestart: () => core.isReady(r.id),
        onGiveUp: (reason) => crashLooped(r.id, reason),
      });
    } catch (error) {
      const message = `Setup failed: ${(error as Error).message}`;
      core.apply(r.id, 'fail', { lastError: { kind: 'setup', message } });
      deps.events.emit('plugin.gone', { pluginId: r.id });
      deps.events.emit('plugins.changed', { pluginId: r.id });
      // `data.cause` keeps the original code (PLUGIN_ERROR, TIMEOUT, CAPABILITY_DENIED, …) for tools such as the author CLI.
      const cause = toWireError(error, 'INTERNAL');
      throw new PlinthError('NOT_READY', message, { cause: { code: cause.code, message: cause.message } });
    }
  }

  /** The supervisor gave up restarting the worker: the plugin goes to `error` with a failure of kind `crash_loop`. */
  function crashLooped(pluginId: string, reason: string): void {
    const e = core.entry(pluginId);
    if (!e || e.state === 'error') return;
    core.apply(pluginId, 'fail', { lastError: { kind: 'crash_loop', message: reason } });
    deps.events.emit('plugin.gone', { pluginId });
    deps.events.emit('plugins.changed', { pluginId });
  }

  /** True when the plugin asks to run from start-up (`onStartup`, CONTRACT §6): never idle-stopped. */
  function startsOnStartup(r: PluginRecord): boolean {
    return r.manifest?.plinth.activationEvents?.includes('onStartup') ?? false;
  }

  /** Starts an `onStartup` plugin's worker in the background if it is ready; failures land in its state and log. */
  function activateIfOnStartup(r: PluginRecord): void {
    if (startsOnStartup(r) && core.isReady(r.id)) activate(r).catch(() => undefined);
  }

  /** Starts the worker when needed, then calls it. */
  async function callWorker<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    // Fast path: a running worker of a ready plugin needs no activation work (registry read, mkdir, guard rebuild).
    if (deps.supervisor.state(pluginId) !== 'running' || !core.isReady(pluginId)) await activate(core.record(pluginId));
    return deps.supervisor.call(pluginId, method, ...args);
  }

  /**
   * Refuses every later activation (the host is stopping), so that what is under way when the host
   * stops (a reload, a config save, an install restarting the worker) cannot start a worker once
   * the supervisor has stopped them all. Workers already starting are the supervisor's to stop.
   */
  function stopActivating(): void {
    stopped = true;
  }

  return { activate, activateIfOnStartup, callWorker, stopActivating };
}

/** Activation of one host. */
export type Activation = ReturnType<typeof createActivation>;
