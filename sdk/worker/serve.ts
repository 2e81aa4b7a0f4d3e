/**
 * The worker runtime: serves `WorkerApi` over a raw endpoint. `init` loads the plugin's
 * worker entry, finds its definition (registered by `runWorker` through any SDK copy, else
 * the module's default export), runs `setup(ctx)` and reports what it registered; every
 * other method dispatches to a registered handler or hook. Transport-free, so it also runs
 * in-process over a memory endpoint pair.
 */
import { realpathSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { PlinthError } from '../protocol/errors.ts';
import type { Json } from '../protocol/json.ts';
import { PROTOCOL_VERSION, WORKER_API_METHODS, type HostApi, type WorkerApi, type WorkerInit, type WorkerReady } from '../protocol/rpc.ts';
import { connectRpc, type RpcConnection } from '../rpc/connect.ts';
import type { RawEndpoint } from '../rpc/endpoint.ts';
import type { RpcHandlers } from '../rpc/types.ts';
import { createHandlerRegistry, createPluginContext } from './context.ts';
import { importEntryModule, isPluginDefinition, pickDefinition } from './define.ts';
import { getWorkerRuntime, setWorkerRuntime } from './runtime-global.ts';
import { createLogLimiter } from './log-limiter.ts';
import { registeredSdkUrl } from './sdk-specifier.ts';
import type { PluginDefinition } from './types.ts';
import type { ConsoleSink } from './sandbox/globals.ts';

/**
 * Options of {@link serveWorker}: either the worker entry to load at `init` (a worker process:
 * publishes the runtime global `runWorker` looks for, one per process), or a plugin definition
 * already in hand (in-process use such as `@plinth/sdk/testing`; no global, any number per process).
 */
export type ServeWorkerOptions =
  | {
    /** Absolute path of the plugin's worker entry module. */
    entryPath: string;
    /**
     * Runs the plugin in the sandbox confined to `root` (its folder): entered at `init`,
     * before the entry loads (docs/plugin-api.md §5, API 1.1). Omitted: an unsandboxed worker.
     */
    sandbox?: { root: string };
  }
  | {
    /** The plugin to serve, or a loader run at `init` (its rejection fails `init`, as a broken entry does). */
    definition: PluginDefinition | (() => Promise<PluginDefinition>);
  };

/** Where `console` lines of sandboxed plugin code go; set by {@link serveWorker} once its connection exists. */
let sandboxConsole: ConsoleSink | undefined;
const consoleRelay: ConsoleSink = (level, message) => sandboxConsole?.(level, message);

/**
 * Hardens this process ahead of its plugin (a spare worker, started before the host knows
 * which plugin it will run): SES lockdown and the reduced globals, the part of the sandbox
 * that does not depend on the plugin. A later {@link serveWorker} with `sandbox` then only
 * confines module loading to the plugin's folder. Irreversible; only for a sandboxed plugin.
 */
export async function prepareSandbox(): Promise<void> {
  const { hardenRealm } = await import('./sandbox/index.ts');
  hardenRealm(consoleRelay);
}

const notFound = (what: string, key: string, fix: string) =>
  new PlinthError('NOT_FOUND', `No ${what} "${key}" is registered; ${fix}`);

/**
 * Serves a plugin over `raw`: the one whose entry is `options.entryPath` (publishing the
 * runtime global `runWorker` looks for; one per process), or `options.definition`.
 *
 * @returns the connection (its `call` reaches the host).
 * @throws PlinthError `CONFLICT` for `entryPath` when a worker runtime already runs in this process.
 */
export function serveWorker(raw: RawEndpoint, options: ServeWorkerOptions): RpcConnection<HostApi> {
  let load: () => Promise<PluginDefinition>;
  /** Rewrites an error of plugin code before it crosses to the host (the sandbox adds its explanations). */
  let explain = (error: unknown): unknown => error;
  if ('entryPath' in options) {
    if (getWorkerRuntime()) throw new PlinthError('CONFLICT', 'A Plinth worker runtime already runs in this process');
    let entryUrl: string | undefined;
    let registered: { definition: unknown; protocolVersion: number } | undefined;
    setWorkerRuntime({
      protocolVersion: PROTOCOL_VERSION,
      isEntry: (moduleUrl) => entryUrl !== undefined && sameUrl(moduleUrl, entryUrl),
      register: (definition, protocolVersion) => {
        registered ??= { definition, protocolVersion };
      },
    });
    const loadEntry = () => loadDefinition(options.entryPath, (url) => (entryUrl = url), () => registered);
    const sandbox = options.sandbox;
    load = sandbox === undefined ? loadEntry : async () => {
      // Loaded only here, so an unsandboxed worker and in-process hosts never load SES.
      const { enterSandbox, explainSandboxError } = await import('./sandbox/index.ts');
      // console lines are plugin log lines, under the same rate limit as ctx.logger.
      const consoleLimiter = createLogLimiter({ send: (level, message, data) => connection.call('log', level, message, data) });
      sandboxConsole = (level, message) => consoleLimiter.admit(() => connection.call('log', level, message).catch((error: unknown) => {
        process.stderr.write(`[${level}] ${message} (not logged: ${(error as Error).message})\n`);
      }));
      enterSandbox({
        root: sandbox.root,
        allowedUrls: [registeredSdkUrl()].filter((url): url is string => url !== undefined),
        console: consoleRelay,
      });
      explain = explainSandboxError;
      return loadEntry();
    };
  } else {
    const given = options.definition;
    load = async () => {
      const definition = typeof given === 'function' ? await given() : given;
      if (!isPluginDefinition(definition)) throw new PlinthError('PLUGIN_ERROR', 'serveWorker was given something that is not a plugin definition; pass the result of definePlugin({...})');
      return definition;
    };
  }

  const registry = createHandlerRegistry();
  let plugin: PluginDefinition | undefined;
  let phase: 'new' | 'setup' | 'running' = 'new';
  const setupCalls: Array<Promise<unknown>> = [];
  const track = (call: Promise<unknown>) => {
    if (phase === 'setup') setupCalls.push(call);
    else call.catch((error: unknown) => process.stderr.write(`[plinth] The host refused a registration: ${(error as Error).message}\n`));
  };
  const running = (): PluginDefinition => {
    if (!plugin || phase !== 'running') throw new PlinthError('NOT_READY', 'The worker has not finished init');
    return plugin;
  };

  async function init(initData: WorkerInit): Promise<WorkerReady> {
    if (phase !== 'new') throw new PlinthError('CONFLICT', 'init was already called for this worker');
    if (initData.protocolVersion !== PROTOCOL_VERSION) {
      throw new PlinthError('INVALID_INPUT', `The host speaks worker protocol ${initData.protocolVersion}, this SDK ${PROTOCOL_VERSION}`);
    }
    phase = 'setup';
    const definition = await load();
    const ctx = createPluginContext(initData, connection, registry, track);
    try {
      await definition.setup?.(ctx);
    } catch (error) {
      for (const call of setupCalls) call.catch(() => undefined); // the setup error is the one reported
      throw error;
    }
    await Promise.all(setupCalls);
    plugin = definition;
    phase = 'running';
    return {
      data: [...registry.data.keys()], actions: [...registry.actions.keys()],
      tools: [...registry.tools.keys()], jobs: [...registry.jobs.keys()],
      hooks: {
        health: typeof definition.onHealth === 'function',
        validateConfig: typeof definition.onValidateConfig === 'function',
        configChanged: typeof definition.onConfigChanged === 'function',
        webhook: typeof definition.onWebhook === 'function',
        shutdown: typeof definition.onShutdown === 'function',
      },
    };
  }

  const workerApi: RpcHandlers<WorkerApi> = {
    init,
    'data.get': async (key, params) => {
      running();
      const handler = registry.data.get(key);
      if (!handler) throw notFound('data handler', key, `register it with ctx.data.register("${key}", handler) in setup`);
      return toJson(await handler(params as never));
    },
    'action.perform': async (key, params) => {
      running();
      const handler = registry.actions.get(key);
      if (!handler) throw notFound('action handler', key, `register it with ctx.actions.register("${key}", handler) in setup`);
      return toJson(await handler(params as never));
    },
    'tool.call': async (name, params, run) => {
      running();
      const handler = registry.tools.get(name);
      if (!handler) throw notFound('tool handler', name, `register it with ctx.tools.register("${name}", handler) in setup`);
      return handler(params as never, run);
    },
    'job.run': async (job) => {
      running();
      const handler = registry.jobs.get(job.jobKey);
      if (!handler) throw notFound('job handler', job.jobKey, `register it with ctx.jobs.register("${job.jobKey}", handler) in setup`);
      await handler(job);
    },
    'event.deliver': async (subscriptionId, event) => {
      running();
      const handler = registry.events.get(subscriptionId);
      if (!handler) throw notFound('event subscription', subscriptionId, 'it was unsubscribed');
      await handler(event);
    },
    'event.deliverBatch': async (subscriptionId, events) => {
      running();
      const handler = registry.events.get(subscriptionId);
      if (!handler) throw notFound('event subscription', subscriptionId, 'it was unsubscribed');
      const failed: Array<{ index: number; message: string }> = [];
      for (const [index, event] of (Array.isArray(events) ? events : []).entries()) {
        try {
          await handler(event);
        } catch (error) {
          failed.push({ index, message: error instanceof Error ? error.message : String(error) });
        }
      }
      return { failed };
    },
    'webhook.handle': async (input) => {
      const p = running();
      if (!p.onWebhook) throw new PlinthError('NOT_FOUND', 'The plugin has no onWebhook hook; add one to definePlugin');
      return p.onWebhook(input);
    },
    'health': async () => {
      const p = running();
      return p.onHealth ? p.onHealth() : { status: 'ok' as const };
    },
    'config.validate': async (config) => {
      const p = running();
      return p.onValidateConfig ? p.onValidateConfig(config) : { ok: true, warnings: [], errors: [] };
    },
    'config.changed': async (config) => {
      const p = running();
      if (!p.onConfigChanged) return false;
      await p.onConfigChanged(config);
      return true;
    },
    'ping': () => Date.now(),
    'shutdown': async () => {
      await plugin?.onShutdown?.();
    },
  };

  const missing = WORKER_API_METHODS.filter((method) => typeof (workerApi as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) throw new Error(`This worker runtime does not serve ${missing.join(', ')}: it cannot run plugins for this host`);
  // Every error leaving plugin code passes `explain` (a sandbox refusal gets its hint).
  const connection = connectRpc<WorkerApi, HostApi>(raw, 'worker', workerApi, { explainError: (error) => explain(error) });
  return connection;
}

/** A handler result as JSON: `undefined` becomes `null`. */
function toJson(value: unknown): Json {
  return (value === undefined ? null : value) as Json;
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** Imports the entry and picks its plugin definition. */
async function loadDefinition(
  entryPath: string, setEntryUrl: (url: string) => void,
  registered: () => { definition: unknown; protocolVersion: number } | undefined,
): Promise<PluginDefinition> {
  let url: string;
  try {
    // Node's loader resolves symlinks, so import.meta.url of the entry is its real path.
    url = pathToFileURL(realpathSync(entryPath)).href;
  } catch (error) {
    throw new PlinthError('PLUGIN_ERROR', `The worker entry ${entryPath} cannot be read: ${(error as Error).message}`);
  }
  setEntryUrl(url);
  const module = await importEntryModule(url, entryPath);
  return pickDefinition(entryPath, module, registered());
}
