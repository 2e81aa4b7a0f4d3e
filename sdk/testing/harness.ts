/**
 * `createTestHarness`: one plugin, in-process, against the host's real pieces. Only three
 * things differ from the app, each on purpose: the database is in memory, the worker runs in
 * the test's process over a memory channel (every message still crosses as JSON text), and
 * `ctx.http.fetch` reaches stubs instead of the network (after the same checks).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '@plinth/host/db/database';
import { createHostApiImpl } from '@plinth/host/host-api-impl';
import { createHostServices } from '@plinth/host/host-services';
import { createLogStore } from '@plinth/host/logs';
import { createPermissionStore } from '@plinth/host/permissions/permission-store';
import { createPermissions } from '@plinth/host/permissions/permissions';
import { guardHostApi } from '@plinth/host/rpc/capability-guard';
import { createHttpService } from '@plinth/host/services/http/http-service';
import { createStateService } from '@plinth/host/services/state';
import { qualifyToolName } from '@plinth/host/services/tools/tool-names';
import type { Capability } from '../protocol/capabilities.ts';
import type { EventEnvelope } from '../protocol/entities.ts';
import { PlinthError } from '../protocol/errors.ts';
import type { JsonObject } from '../protocol/json.ts';
import {
  CALL_TIMEOUT_MS, PROTOCOL_VERSION, SETUP_BUDGET_MS, SHUTDOWN_GRACE_MS,
  type HostApi, type WorkerApi, type WorkerMethod, type WorkerReady,
} from '../protocol/rpc.ts';
import { connectRpc, type RpcConnection } from '../rpc/connect.ts';
import { createMemoryEndpointPair, type RawEndpoint } from '../rpc/endpoint.ts';
import { importPluginEntry } from '../worker/import-entry.ts';
import { serveWorker } from '../worker/serve.ts';
import type { PluginDefinition } from '../worker/types.ts';
import { buildEventEnvelope } from './harness-events.ts';
import { createHttpStubs } from './http-stubs.ts';
import { loadHarnessManifest } from './manifest-input.ts';
import { seedFixtures } from './fixtures.ts';
import { sealHarnessConfig } from './harness-config.ts';
import type { EmittedEvent, TestHarness, TestHarnessOptions } from './types.ts';

/** The running in-process worker: both ends of its memory channel. */
interface InProcessWorker {
  host: RpcConnection<WorkerApi>;
  worker: RpcConnection<HostApi>;
  ends: [RawEndpoint, RawEndpoint];
}

/** Rejects with `TIMEOUT` naming `what` when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PlinthError('TIMEOUT', `${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Creates a harness for one plugin. Nothing of the plugin runs until `harness.setup()`.
 * Close it when done (`t.after(() => harness.close())`).
 *
 * @throws PlinthError `INVALID_INPUT` when the manifest is invalid; the message and
 *   `data.problems` list every problem, as `plinth-plugin validate` does.
 */
export async function createTestHarness(options: TestHarnessOptions): Promise<TestHarness> {
  const { manifest, warnings, pluginDir } = await loadHarnessManifest(options.manifest, options.pluginDir, options.source ?? 'unpacked');
  const pluginId = manifest.name;
  // Like the app, the worker holds what is declared AND granted; `withoutCapabilities` plays a user who withheld some.
  const withheld = new Set(options.withoutCapabilities ?? []);
  const capabilities = ((manifest.plinth.capabilities ?? []) as Capability[]).filter((c) => !withheld.has(c));
  let config: JsonObject = structuredClone(options.config ?? {});
  const callTimeoutMs = options.callTimeoutMs ?? CALL_TIMEOUT_MS;
  const profileDir = await mkdtemp(path.join(tmpdir(), 'plinth-harness-'));
  const dataDir = path.join(profileDir, 'plugin-data');
  await mkdir(dataDir);

  let running: InProcessWorker | undefined;
  /** What the last `setup()` ran, so a config change without `onConfigChanged` restarts the same plugin. */
  let definitionUsed: PluginDefinition | (() => Promise<PluginDefinition>) | undefined;
  /** Every event the plugin emitted, oldest first. */
  const emitted: EmittedEvent[] = [];
  let setupDone = false;
  let closed = false;
  /** Event deliveries in flight, so `settled()` can wait for the plugin's handlers. */
  const deliveries = new Set<Promise<unknown>>();

  /** The running worker. @throws PlinthError `NOT_READY` before `setup()` succeeded or after `close()`. */
  function setUpWorker(): InProcessWorker {
    if (closed) throw new PlinthError('NOT_READY', 'The harness is closed');
    if (!running || !setupDone) throw new PlinthError('NOT_READY', `The plugin "${pluginId}" has not been set up; call harness.setup() first`);
    return running;
  }

  async function callWorker<M extends WorkerMethod>(_id: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>> {
    const worker = setUpWorker();
    const call = (worker.host.call as (m: M, ...a: unknown[]) => Promise<Awaited<ReturnType<WorkerApi[M]>>>)(method, ...args);
    const timed = within(call, callTimeoutMs, `The plugin's ${method}`);
    if (method === 'event.deliver' || method === 'event.deliverBatch') {
      deliveries.add(timed);
      void timed.then(() => deliveries.delete(timed), () => deliveries.delete(timed));
    }
    return timed;
  }

  const db = openDatabase(':memory:');
  const logs = createLogStore();
  const state = createStateService(db);
  // Runtime permission requests, answered by `answerPermission` in place of the app's prompt.
  const permissionStore = createPermissionStore(db);
  const permissions = createPermissions({
    store: permissionStore,
    optionalOf: (id) => (id === pluginId ? manifest.plinth.optionalCapabilities ?? [] : []),
    heldFromStart: (id) => (id === pluginId ? capabilities : []),
    canAsk: () => options.answerPermission !== undefined,
    onChange: () => {
      for (const request of permissions.pending()) {
        permissions.answer(request.requestId, options.answerPermission?.({ capabilities: [...request.capabilities], reason: request.reason }) === true);
      }
    },
  });
  /** What the worker holds now: declared and not withheld, plus optional capabilities allowed. */
  const held = (): Capability[] => [...capabilities, ...permissions.allowed(pluginId)];
  const stubs = createHttpStubs();
  const http = createHttpService({ allowInsecureLocalhost: () => options.developerMode === true, fetchImpl: stubs.fetch });
  const services = createHostServices({
    db, userDataDir: profileDir, logs,
    developerMode: () => options.developerMode === true,
    manifestOf: (id) => (id === pluginId ? manifest : undefined),
    capabilitiesOf: (id) => (id === pluginId ? held() : []),
    // Ready once set up: before that a webhook gets the 503 of a plugin that cannot take it.
    isReady: (id) => id === pluginId && setupDone && !closed,
    isRunning: (id) => id === pluginId && setupDone && !closed,
    pluginIds: () => [pluginId],
    configOf: (id) => (id === pluginId ? config : null),
    callWorker,
  });
  try {
    config = sealHarnessConfig(services.secrets, pluginId, manifest, config, options.secrets ?? {});
  } catch (error) {
    await services.stop();
    db.close();
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }
  // As the host does for an enabled plugin: jobs scheduled, webhooks open, tools published.
  services.pluginReady(pluginId);
  try {
    await services.webhooks.start();
  } catch (error) {
    await services.stop();
    db.close();
    await rm(profileDir, { recursive: true, force: true });
    throw error;
  }

  /** The plugin's host API exactly as `host.ts` builds it, with the network swapped for stubs. */
  const hostApi = guardHostApi(pluginId, held, createHostApiImpl(pluginId, {
    state, logs, config: () => config, dataDir,
    permissions: {
      request: (requested, reason) => permissions.request(pluginId, requested, reason),
      list: () => permissions.allowed(pluginId),
    },
    services: (id) => {
      const base = services.hostApiFor(id);
      return {
        ...base,
        'http.fetch': (request) => http.fetch(id, held(), request),
        'events.emit': (name, payload) => {
          base['events.emit'](name, payload);
          emitted.push({ name, deliveredAs: `plugin.${id}.${name}`, payload: structuredClone(payload) });
        },
      };
    },
  }), undefined, (capability) => permissions.explainDenial(pluginId, capability));

  function stopWorker(): void {
    if (!running) return;
    running.host.close();
    running.worker.close();
    for (const end of running.ends) end.close?.();
    running = undefined;
    setupDone = false;
    services.workerStopped(pluginId);
  }

  async function settled(): Promise<void> {
    for (;;) {
      // One macrotask lets queued microtasks and memory-channel hops run before looking.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (deliveries.size === 0 && services.bus.stats(pluginId).queued === 0) return;
      await Promise.allSettled([...deliveries]);
    }
  }

  async function resolveDefinition(plugin: PluginDefinition | string | undefined): Promise<PluginDefinition | (() => Promise<PluginDefinition>)> {
    if (plugin !== undefined && typeof plugin !== 'string') return plugin;
    if (typeof plugin === 'string') {
      const entry = path.resolve(pluginDir ?? process.cwd(), plugin);
      return () => importPluginEntry(entry);
    }
    const worker = manifest.plinth.worker;
    if (!worker) throw new PlinthError('NOT_FOUND', `Plugin "${pluginId}" declares no plinth.worker; pass a definition or a module path to harness.setup()`);
    if (!pluginDir) throw new PlinthError('NOT_FOUND', 'harness.setup() without an argument needs pluginDir (or a manifest path) to find plinth.worker');
    const entry = path.resolve(pluginDir, worker);
    return () => importPluginEntry(entry);
  }

  function webhookUrl(endpointKey: string): string {
    if (!(manifest.plinth.webhooks ?? []).some((w) => w.endpointKey === endpointKey)) {
      throw new PlinthError('NOT_FOUND', `Webhook "${endpointKey}" is not declared in plinth.webhooks of "${pluginId}"`);
    }
    const url = services.webhooks.urlFor(pluginId, endpointKey);
    if (!url) throw new PlinthError('NOT_READY', 'The webhook server is not listening (the harness is closed?)');
    return url;
  }

  async function startWorker(definition: PluginDefinition | (() => Promise<PluginDefinition>)): Promise<WorkerReady> {
    definitionUsed = definition;
    const ends = createMemoryEndpointPair();
    running = {
      ends,
      host: connectRpc<HostApi, WorkerApi>(ends[0], 'host', hostApi),
      worker: serveWorker(ends[1], { definition }),
    };
    try {
      const ready: WorkerReady = await within(
        running.host.call('init', { pluginId, version: manifest.version, dataDir, config, protocolVersion: PROTOCOL_VERSION }),
        SETUP_BUDGET_MS, `setup of plugin "${pluginId}" (SETUP_BUDGET_MS)`);
      setupDone = true;
      return ready;
    } catch (error) {
      stopWorker();
      throw error;
    }
  }

  const harness: TestHarness = {
    pluginId, manifest, warnings, dataDir,
    async setup(plugin) {
      if (closed) throw new PlinthError('NOT_READY', 'The harness is closed');
      if (running) throw new PlinthError('CONFLICT', 'harness.setup() was already called; create a new harness to set up again');
      return startWorker(await resolveDefinition(plugin));
    },
    get config() {
      return structuredClone(config);
    },
    async setConfig(next) {
      const sealed = sealHarnessConfig(services.secrets, pluginId, manifest, next, {});
      config = sealed;
      if (!running || !setupDone) return { applied: 'stored' };
      const handled = await callWorker(pluginId, 'config.changed', sealed);
      if (handled) return { applied: 'onConfigChanged' };
      // As the host does for a plugin without onConfigChanged: a fresh worker with the new config.
      const definition = definitionUsed as PluginDefinition | (() => Promise<PluginDefinition>);
      if (setupDone) await within(setUpWorker().host.call('shutdown'), SHUTDOWN_GRACE_MS, 'onShutdown').catch(() => undefined);
      stopWorker();
      await startWorker(definition);
      return { applied: 'restarted' };
    },
    get emitted() {
      return emitted;
    },
    seed: {
      async fixtures(document) {
        const seeded = seedFixtures(services.workspace, state, pluginId, document);
        await settled();
        return seeded;
      },
      async project(input) {
        const project = services.workspace.projects.create({ user: true }, input);
        await settled();
        return project;
      },
      async task(input) {
        const task = services.workspace.tasks.create({ user: true }, input);
        await settled();
        return task;
      },
      async comment(input) {
        const comment = services.workspace.comments.create({ user: true }, input);
        await settled();
        return comment;
      },
    },
    workspace: services.workspace,
    async emit(name, payload = null, eventOptions = {}) {
      const event: EventEnvelope = buildEventEnvelope(randomUUID(), name, payload, eventOptions);
      services.bus.publish(event);
      await settled();
      return event;
    },
    settled,
    data: (key, params = null) => callWorker(pluginId, 'data.get', key, params) as never,
    action: (key, params = null) => callWorker(pluginId, 'action.perform', key, params) as never,
    async tool(name, params) {
      if (!(manifest.plinth.tools ?? []).some((tool) => tool.name === name)) {
        throw new PlinthError('NOT_FOUND', `Tool "${name}" is not declared in plinth.tools of "${pluginId}"`);
      }
      return services.tools.call(qualifyToolName(pluginId, name), params, { agent: 'test-harness' });
    },
    async runJob(jobKey) {
      setUpWorker();
      return services.jobs.runNow(pluginId, jobKey);
    },
    async webhook(endpointKey, request = {}) {
      const url = new URL(webhookUrl(endpointKey));
      for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.append(name, value);
      const headers = new Headers(request.headers);
      let body: string | undefined;
      if (typeof request.body === 'string') {
        body = request.body;
      } else if (request.body !== undefined) {
        body = JSON.stringify(request.body);
        if (!headers.has('content-type')) headers.set('content-type', 'application/json');
      }
      const response = await fetch(url, { method: request.method ?? 'POST', headers, ...(body === undefined ? {} : { body }) });
      const received: Record<string, string> = {};
      response.headers.forEach((value, name) => { received[name] = value; });
      return { status: response.status, body: await response.text(), headers: received };
    },
    health: () => callWorker(pluginId, 'health'),
    state: {
      get: (key) => state.get(pluginId, key),
      set: (key, value) => state.set(pluginId, key, value),
      list: (scope) => state.list(pluginId, scope),
    },
    activity: (query = {}) => services.workspace.activity.list({ ...query, pluginId }).items,
    get logs() {
      return logs.lines(pluginId);
    },
    http: stubs,
    async close() {
      if (closed) return;
      if (running && setupDone) await within(running.host.call('shutdown'), SHUTDOWN_GRACE_MS, 'onShutdown').catch(() => undefined);
      closed = true;
      stopWorker();
      await services.stop();
      db.close();
      await rm(profileDir, { recursive: true, force: true });
    },
  };
  return harness;
}
