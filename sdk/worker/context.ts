/**
 * Builds the `ctx` of docs/plugin-api.md §5 over an RPC caller of `HostApi`. Each member is one host
 * call: the host checks capabilities and payloads, so nothing here is a security check.
 * Handler registrations are kept in a {@link HandlerRegistry} the worker runtime serves.
 */
import process from 'node:process';
import type { EventFilter } from '../protocol/entities.ts';
import { PlinthError } from '../protocol/errors.ts';
import type { Json } from '../protocol/json.ts';
import type { FileReadOptions, FileWriteOptions, HostApi, LogLevel, WorkerInit } from '../protocol/rpc.ts';
import type { RpcCaller } from '../rpc/types.ts';
import { createLogLimiter } from './log-limiter.ts';
import type { DataHandler, EventHandler, JobHandler, PluginContext, ToolHandler } from './types.ts';

/** Handlers registered through `ctx`, by key. */
export interface HandlerRegistry {
  data: Map<string, DataHandler<never>>;
  actions: Map<string, DataHandler<never>>;
  tools: Map<string, ToolHandler<never>>;
  jobs: Map<string, JobHandler>;
  /** Event handlers by worker-local subscription id. */
  events: Map<string, EventHandler>;
}

/** An empty registry. */
export function createHandlerRegistry(): HandlerRegistry {
  return { data: new Map(), actions: new Map(), tools: new Map(), jobs: new Map(), events: new Map() };
}

/**
 * Creates `ctx` for one worker.
 *
 * @param track receives the promise of every host call a sync registration makes
 *   (`events.on`, `jobs.register`, `tools.register`), so the runtime can fail `setup` when
 *   the host refuses one, or log the refusal afterwards.
 */
export function createPluginContext(
  init: WorkerInit, host: RpcCaller<HostApi>, registry: HandlerRegistry, track: (call: Promise<unknown>) => void,
): PluginContext {
  let nextSubscription = 0;

  const limiter = createLogLimiter({ send: (level, message, data) => host.call('log', level, message, data) });
  const log = (level: LogLevel) => (message: string, data?: Json) => {
    limiter.admit(() => {
      const text = typeof message === 'string' ? message : String(message);
      return host.call('log', level, text, ...(data === undefined ? [] : [data] as [Json])).catch((error: unknown) => {
        // The log itself failed (e.g. data too large): keep the line on stderr, which the host captures.
        process.stderr.write(`[${level}] ${text} (not logged: ${(error as Error).message})\n`);
      });
    });
  };

  const addHandler = <H>(map: Map<string, H>, kind: string, key: string, handler: H, how: string) => {
    if (typeof key !== 'string' || key === '') throw new PlinthError('INVALID_INPUT', `${how}: the ${kind} key must be a non-empty string`);
    if (typeof handler !== 'function') throw new PlinthError('INVALID_INPUT', `${how}("${key}", handler): handler must be a function`);
    if (map.has(key)) throw new PlinthError('CONFLICT', `${how}("${key}") was called twice; a ${kind} key has one handler`);
    map.set(key, handler);
  };

  function on(name: string, filterOrHandler: EventFilter | EventHandler, maybeHandler?: EventHandler) {
    const handler = typeof filterOrHandler === 'function' ? filterOrHandler : maybeHandler;
    const filter = typeof filterOrHandler === 'function' ? undefined : filterOrHandler;
    if (typeof handler !== 'function') throw new PlinthError('INVALID_INPUT', `ctx.events.on("${name}", ...): the last argument must be a handler function`);
    const id = `sub-${++nextSubscription}`;
    registry.events.set(id, handler);
    track(filter === undefined ? host.call('events.subscribe', id, name) : host.call('events.subscribe', id, name, filter));
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      registry.events.delete(id);
      track(host.call('events.unsubscribe', id));
    };
  }

  return freezeDeep({
    pluginId: init.pluginId,
    version: init.version,
    dataDir: init.dataDir,
    logger: Object.freeze({ debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }),
    config: { get: () => host.call('config.get') },
    secrets: { resolve: (ref) => host.call('secrets.resolve', ref) },
    state: {
      get: (key) => host.call('state.get', key),
      set: (key, value) => host.call('state.set', key, value),
      delete: (key) => host.call('state.delete', key),
      list: (scope) => host.call('state.list', scope),
    },
    projects: {
      list: (query) => host.call('projects.list', query),
      get: (id) => host.call('projects.get', id),
      create: (input) => host.call('projects.create', input),
      update: (id, patch) => host.call('projects.update', id, patch),
      delete: (id) => host.call('projects.delete', id),
    },
    tasks: {
      list: (query) => host.call('tasks.list', query),
      get: (id) => host.call('tasks.get', id),
      create: (input) => host.call('tasks.create', input),
      update: (id, patch) => host.call('tasks.update', id, patch),
      delete: (id) => host.call('tasks.delete', id),
    },
    comments: {
      list: (query) => host.call('comments.list', query),
      create: (input) => host.call('comments.create', input),
      delete: (id) => host.call('comments.delete', id),
    },
    activity: { list: (query) => host.call('activity.list', query) },
    events: { on: on as PluginContext['events']['on'], emit: (name, payload) => host.call('events.emit', name, payload) },
    jobs: {
      register: (jobKey, handler) => {
        addHandler(registry.jobs, 'job', jobKey, handler, 'ctx.jobs.register');
        track(host.call('jobs.register', jobKey));
      },
    },
    http: { fetch: (url, init) => host.call('http.fetch', { ...init, url }) },
    files: {
      read: (path, options) => host.call('files.read', path, ...(options === undefined ? [] : [options] as [FileReadOptions])),
      write: (path, data, options) => host.call('files.write', path, data, ...(options === undefined ? [] : [options] as [FileWriteOptions])),
      list: (path) => host.call('files.list', ...(path === undefined ? [] : [path] as [string])),
      delete: (path) => host.call('files.delete', path),
      stat: (path) => host.call('files.stat', path),
    },
    permissions: {
      request: (capabilities, reason) => host.call('permissions.request', capabilities, reason),
      list: () => host.call('permissions.list'),
    },
    streams: {
      open: (channel) => host.call('streams.open', channel),
      emit: (channel, event) => host.call('streams.emit', channel, event),
      close: (channel) => host.call('streams.close', channel),
    },
    tools: {
      register: (name, handler) => {
        addHandler(registry.tools, 'tool', name, handler as ToolHandler<never>, 'ctx.tools.register');
        track(host.call('tools.register', name));
      },
    },
    data: { register: (key, handler) => addHandler(registry.data, 'data', key, handler as DataHandler<never>, 'ctx.data.register') },
    actions: { register: (key, handler) => addHandler(registry.actions, 'action', key, handler as DataHandler<never>, 'ctx.actions.register') },
  } satisfies PluginContext);
}

/**
 * Freezes `value` and every object and function reachable through its own properties, so
 * plugin code cannot swap a method of `ctx` that another part of the plugin (or the runtime)
 * calls later. Prototypes are left alone: the sandbox's lockdown freezes the shared ones.
 */
function freezeDeep<T>(value: T): T {
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    if (Object.isFrozen(value)) return value;
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value as object)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor) freezeDeep(descriptor.value);
    }
  }
  return value;
}
