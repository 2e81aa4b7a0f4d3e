/**
 * Wires the workspace and runtime services (CONTRACT §3–§5) to plugins: builds the part of
 * each plugin's host API they serve, keeps jobs, webhooks and tools in step with enablement,
 * and starts lazy workers for `onEvent:<name>` activation events (CONTRACT §6).
 */
import { join } from 'node:path';
import type { Capability } from '@plinth/sdk/protocol/capabilities';
import type { EventEnvelope } from '@plinth/sdk/protocol/entities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import type { PluginManifest } from '@plinth/sdk/protocol/manifest';
import type { WorkerApi, WorkerMethod } from '@plinth/sdk/protocol/rpc';
import type { ServiceHostApi } from './host-api-impl.ts';
import type { Db } from './db/database.ts';
import type { LogStore } from './logs.ts';
import { activationEventMatches, createEventBus, readCapabilityFor, type EventBus } from './services/events/index.ts';
import { createHttpService, type HttpService } from './services/http/http-service.ts';
import { createJobScheduler, type JobScheduler } from './services/jobs/job-scheduler.ts';
import { createLocalKeySecretStore, type SecretStore } from './services/secrets/secret-store.ts';
import { createSecretsService, type SecretsService } from './services/secrets/secrets-service.ts';
import { createStreamService, type StreamService } from './services/streams/stream-service.ts';
import { createToolRegistry, type ToolRegistry } from './services/tools/tool-registry.ts';
import { createWebhookServer, type WebhookServer } from './services/webhooks/webhook-server.ts';
import { createWorkspace, type Workspace } from './services/workspace/index.ts';

/** What the services need to know about plugins, supplied by the host. */
export interface HostServicesDeps {
  db: Db;
  userDataDir: string;
  logs: LogStore;
  /** Encrypts secrets at rest; default: a local-key store in the profile folder. */
  secretStore?: SecretStore;
  /** Developer mode: plain HTTP to localhost allowed. */
  developerMode(): boolean;
  webhookPort?: number;
  manifestOf(pluginId: string): PluginManifest | undefined;
  /** Capabilities the plugin holds: declared and approved by the user (default: declared). */
  capabilitiesOf?(pluginId: string): Capability[];
  /** Keeps the plugin's worker from idling while it has an open stream; returns the release. */
  hold?(pluginId: string): () => void;
  /** True while the plugin is enabled and `ready`. */
  isReady(pluginId: string): boolean;
  isRunning(pluginId: string): boolean;
  /** Ids of every known plugin. */
  pluginIds(): string[];
  configOf(pluginId: string): JsonObject | null;
  /** Starts the worker when needed, then calls it. */
  callWorker<M extends WorkerMethod>(pluginId: string, method: M, ...args: Parameters<WorkerApi[M]>): Promise<Awaited<ReturnType<WorkerApi[M]>>>;
}

/** The services of one host. */
export interface HostServices {
  workspace: Workspace;
  bus: EventBus;
  jobs: JobScheduler;
  webhooks: WebhookServer;
  /**
   * Publishes an event to every subscribed plugin, starting lazily activated workers whose
   * `onEvent:` activation event matches (the path every workspace change takes).
   */
  publish(event: EventEnvelope): void;
  http: HttpService;
  secrets: SecretsService;
  streams: StreamService;
  tools: ToolRegistry;
  /** The methods of `pluginId`'s host API these services serve (unguarded). */
  hostApiFor(pluginId: string): ServiceHostApi;
  /** The plugin became ready: schedule its jobs, open its webhooks, publish its tools. */
  pluginReady(pluginId: string): void;
  /** The plugin is no longer ready (disabled, error, uninstalled): withdraw all of that. */
  pluginGone(pluginId: string): void;
  /** Its worker stopped: drop subscriptions, close streams, forget tool registrations. */
  workerStopped(pluginId: string): void;
  stop(): Promise<void>;
}

/** Creates the services over the host database. */
export function createHostServices(deps: HostServicesDeps): HostServices {
  const capabilitiesOf = (pluginId: string): Capability[] =>
    deps.capabilitiesOf?.(pluginId) ?? ((deps.manifestOf(pluginId)?.plinth.capabilities ?? []) as Capability[]);
  const secretStore = deps.secretStore ?? createLocalKeySecretStore(join(deps.userDataDir, 'secrets.key'));
  /** Idle holds taken while a plugin has open streams. */
  const streamHolds = new Map<string, () => void>();
  const releaseStreamHold = (pluginId: string) => {
    if (streams.hasOpenStreams(pluginId)) return;
    streamHolds.get(pluginId)?.();
    streamHolds.delete(pluginId);
  };
  /** Events waiting for a lazily started worker to subscribe (CONTRACT §6 `onEvent:`). */
  const pending = new Map<string, EventEnvelope[]>();

  const canReceive = (pluginId: string) => (event: EventEnvelope): boolean => {
    try {
      const needed = readCapabilityFor(event.entityType);
      return needed === null || capabilitiesOf(pluginId).includes(needed);
    } catch {
      return false;
    }
  };

  const bus = createEventBus({
    onDeliveryError: (error, event, sub) => deps.logs.append(sub.pluginId, {
      level: 'error', source: 'host', message: `Event handler for ${event.name} failed: ${(error as Error).message}`,
    }),
  });

  function publish(event: EventEnvelope): void {
    bus.publish(event);
    for (const pluginId of deps.pluginIds()) {
      // The in-memory activation match first: most plugins declare no `onEvent:` for this name.
      const activation = deps.manifestOf(pluginId)?.plinth.activationEvents ?? [];
      if (!activationEventMatches(activation, event.name) || deps.isRunning(pluginId) || !deps.isReady(pluginId)) continue;
      if (!canReceive(pluginId)(event)) continue;
      const queue = pending.get(pluginId) ?? [];
      queue.push(event);
      pending.set(pluginId, queue);
      // `health` is the lightest call that starts the worker; its subscriptions then replay `pending`.
      deps.callWorker(pluginId, 'health').catch(() => undefined).finally(() => pending.delete(pluginId));
    }
  }

  const workspace = createWorkspace(deps.db, { publish });
  const jobs = createJobScheduler({
    db: deps.db,
    runJob: async (pluginId, run) => { await deps.callWorker(pluginId, 'job.run', run); },
    onError: (error) => deps.logs.append('host', { level: 'error', source: 'host', message: (error as Error).message }),
  });
  const webhooks = createWebhookServer({
    ...(deps.webhookPort !== undefined ? { port: deps.webhookPort } : {}),
    db: deps.db, secretStore,
    handle: (pluginId, input) => deps.callWorker(pluginId, 'webhook.handle', input),
    isReady: deps.isReady,
  });
  const http = createHttpService({ allowInsecureLocalhost: deps.developerMode });
  const secrets = createSecretsService({
    db: deps.db, store: secretStore, getConfig: deps.configOf,
    getSchema: (pluginId) => deps.manifestOf(pluginId)?.plinth.configSchema ?? null,
  });
  const streams = createStreamService();
  const tools = createToolRegistry({ callTool: (pluginId, name, params, run) => deps.callWorker(pluginId, 'tool.call', name, params, run) });

  function hostApiFor(pluginId: string): ServiceHostApi {
    const actor = { pluginId };
    return {
      'secrets.resolve': (ref) => secrets.resolve(pluginId, ref),
      'projects.list': (query) => workspace.projects.list(query),
      'projects.get': (id) => workspace.projects.get(id),
      'projects.create': (input) => workspace.projects.create(actor, input),
      'projects.update': (id, patch) => workspace.projects.update(actor, id, patch),
      'projects.delete': (id) => workspace.projects.delete(actor, id),
      'tasks.list': (query) => workspace.tasks.list(query),
      'tasks.get': (id) => workspace.tasks.get(id),
      'tasks.create': (input) => workspace.tasks.create(actor, input),
      'tasks.update': (id, patch) => workspace.tasks.update(actor, id, patch),
      'tasks.delete': (id) => workspace.tasks.delete(actor, id),
      'comments.list': (query) => workspace.comments.list(query),
      'comments.create': (input) => workspace.comments.create(actor, input),
      'comments.delete': (id) => workspace.comments.delete(actor, id),
      'activity.list': (query) => workspace.activity.list(query),
      'events.subscribe': (subscriptionId, pattern, filter) => {
        const deliver = async (event: EventEnvelope) => { await deps.callWorker(pluginId, 'event.deliver', subscriptionId, event); };
        const deliverBatch = async (events: EventEnvelope[]) => {
          const { failed } = await deps.callWorker(pluginId, 'event.deliverBatch', subscriptionId, events);
          const errors: Array<Error | undefined> = [];
          // What the worker reports is the plugin's word: a plugin error, whatever it claims.
          for (const { index, message } of Array.isArray(failed) ? failed : []) {
            if (Number.isSafeInteger(index) && index >= 0 && index < events.length) errors[index] = new PlinthError('PLUGIN_ERROR', String(message));
          }
          return errors;
        };
        bus.subscribe({ pluginId, subscriptionId, pattern, ...(filter ? { filter } : {}), canReceive: canReceive(pluginId), deliver, deliverBatch });
        // Replay the events that woke this worker up to the subscription that matches them.
        // One at a time and in order, as the bus delivers; failures are logged like the bus's.
        const backlog = (pending.get(pluginId) ?? []).filter((event) =>
          activationEventMatches([`onEvent:${pattern}`], event.name) && (!filter?.projectId || filter.projectId === event.projectId));
        void backlog.reduce<Promise<void>>((chain, event) => chain.then(() => deliver(event).catch((error: Error) =>
          deps.logs.append(pluginId, { level: 'error', source: 'host', message: `Event handler for ${event.name} failed: ${error.message}` }))), Promise.resolve());
      },
      'events.unsubscribe': (subscriptionId) => { bus.unsubscribe(pluginId, subscriptionId); },
      'events.emit': (name, payload) => { bus.emitPluginEvent(pluginId, name, payload); },
      'jobs.register': (jobKey) => {
        if (!(deps.manifestOf(pluginId)?.plinth.jobs ?? []).some((job) => job.jobKey === jobKey)) {
          throw new PlinthError('INVALID_INPUT', `Job "${jobKey}" is not declared in plinth.jobs of package.json`);
        }
      },
      'tools.register': (name) => tools.markRegistered(pluginId, name),
      'http.fetch': (request) => http.fetch(pluginId, capabilitiesOf(pluginId), request),
      'streams.open': (channel) => {
        streams.open(pluginId, channel);
        // An open stream keeps the worker from idling (CONTRACT §6).
        if (!streamHolds.has(pluginId) && deps.hold) streamHolds.set(pluginId, deps.hold(pluginId));
      },
      'streams.emit': (channel, event) => streams.emit(pluginId, channel, event),
      'streams.close': (channel) => {
        streams.close(pluginId, channel);
        releaseStreamHold(pluginId);
      },
    };
  }

  function report(pluginId: string, what: string, error: unknown): void {
    deps.logs.append(pluginId, { level: 'error', source: 'host', message: `${what}: ${(error as Error).message}` });
  }

  return {
    workspace, bus, jobs, webhooks, publish, http, secrets, streams, tools, hostApiFor,
    pluginReady(pluginId) {
      const manifest = deps.manifestOf(pluginId);
      if (!manifest) return;
      try { jobs.schedule(pluginId, manifest.plinth.jobs ?? []); } catch (error) { report(pluginId, 'Jobs not scheduled', error); }
      try { webhooks.setEndpoints(pluginId, manifest.plinth.webhooks ?? []); } catch (error) { report(pluginId, 'Webhooks not opened', error); }
      try { tools.setPluginTools(pluginId, manifest.plinth.displayName, manifest.plinth.tools ?? []); } catch (error) { report(pluginId, 'Tools not published', error); }
    },
    pluginGone(pluginId) {
      jobs.unschedule(pluginId);
      webhooks.removePlugin(pluginId);
      tools.removePlugin(pluginId);
      this.workerStopped(pluginId);
    },
    workerStopped(pluginId) {
      bus.unsubscribeAll(pluginId);
      streams.closeAll(pluginId, 'The plugin worker stopped');
      releaseStreamHold(pluginId);
      tools.clearRegistrations(pluginId);
    },
    async stop() {
      jobs.stop();
      await webhooks.stop();
    },
  };
}
