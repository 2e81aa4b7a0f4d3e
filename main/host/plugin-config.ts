/**
 * Plugin configuration: values checked against the plugin's `configSchema`
 * (JSON Schema 2020-12, CONTRACT §2) with ajv, secret fields (`"format": "secret"`) stored
 * encrypted and never sent back, a plugin the user enabled kept `installed` until its config is
 * valid, and the worker told of a change (`onConfigChanged`) or restarted when it has no hook.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json, JsonObject } from '@plinth/sdk/protocol/json';
import type { ConfigValidation } from '@plinth/sdk/protocol/rpc';
import type { Catalog } from './plugin-catalog.ts';
import type { HostServices } from './host-services.ts';
import type { HostEvents } from './host-events.ts';
import { compileDetached, jsonSchemaAjv } from './manifest/index.ts';
import { isSecretRef, secretFieldPaths, valueAt } from './services/secrets/secrets-service.ts';
import type { Supervisor } from './supervisor.ts';

/** Longest serialised config accepted (256 KiB): config is settings, not data. */
export const MAX_CONFIG_BYTES = 256 * 1024;

type ConfigError = { path: string; message: string };

/** The configuration form of one plugin. Secret values never leave the host. */
export interface PluginConfigView {
  /** The plugin's `configSchema` (JSON Schema 2020-12), or `null` when it has none. */
  schema: JsonObject | null;
  /** Current values with every secret field removed. */
  values: JsonObject;
  /** Secret fields (dot paths) and whether a value is stored ("set"). */
  secrets: Array<{ path: string; set: boolean }>;
  /** Schema problems of the current values, e.g. a required field missing. */
  errors: ConfigError[];
}


function describe(errors: ErrorObject[] | null | undefined): ConfigError[] {
  return (errors ?? []).map((e) => {
    const missing = e.keyword === 'required' ? `/${(e.params as { missingProperty: string }).missingProperty}` : '';
    const path = `${e.instancePath}${missing}`.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    return { path, message: e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid' };
  });
}

function setAt(obj: JsonObject, path: string[], value: Json | undefined): void {
  let node: JsonObject = obj;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as JsonObject;
  }
  const last = path.at(-1)!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}

/** What the config manager needs. */
export interface ConfigDeps {
  /** The catalog without discovery (which asks the config manager whether a config is valid). */
  catalog: Omit<Catalog, 'discover'>;
  services: HostServices;
  supervisor: Supervisor;
  /** Where the config manager says a plugin became ready and that its summary changed. */
  events: HostEvents;
}

/** Creates the config manager. */
export function createConfigManager(deps: ConfigDeps) {
  const compiled = new Map<string, ValidateFunction>();

  function schemaOf(pluginId: string): JsonObject | null {
    return deps.catalog.plugins.get(pluginId)?.manifest?.plinth.configSchema ?? null;
  }

  function validate(pluginId: string, config: JsonObject): ConfigError[] {
    const schema = schemaOf(pluginId);
    if (!schema) return [];
    const key = `${pluginId}@${deps.catalog.plugins.get(pluginId)?.version}`;
    const fn = compiled.get(key) ?? compileDetached(jsonSchemaAjv(), schema);
    compiled.set(key, fn);
    return fn(config) ? [] : describe(fn.errors);
  }

  /** Why the plugin's current config cannot make it ready, or null. */
  function problem(pluginId: string): string | null {
    const config = deps.catalog.entry(pluginId)?.config ?? {};
    const errors = validate(pluginId, config);
    return errors.length === 0 ? null : errors.map((e) => `${e.path} ${e.message}`).join('; ');
  }

  function view(pluginId: string): PluginConfigView {
    deps.catalog.record(pluginId);
    const schema = schemaOf(pluginId);
    const config = deps.catalog.entry(pluginId)?.config ?? {};
    const values = structuredClone(config);
    const secrets = secretFieldPaths(schema).map((path) => {
      const set = isSecretRef(valueAt(config, path));
      setAt(values, path, undefined);
      return { path: path.join('.'), set };
    });
    return { schema, values, secrets, errors: validate(pluginId, config) };
  }

  /** Candidate config: the user's values, with secret fields left empty keeping their stored refs. */
  function merge(pluginId: string, values: JsonObject): JsonObject {
    if (!values || typeof values !== 'object' || Array.isArray(values)) {
      throw new PlinthError('INVALID_INPUT', 'Config values must be a JSON object');
    }
    if (Buffer.byteLength(JSON.stringify(values)) > MAX_CONFIG_BYTES) {
      throw new PlinthError('PAYLOAD_TOO_LARGE', `Config is larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    const current = deps.catalog.entry(pluginId)?.config ?? {};
    const merged = structuredClone(values);
    for (const path of secretFieldPaths(schemaOf(pluginId))) {
      const typed = valueAt(values, path);
      if (typeof typed === 'string' && typed !== '' && !isSecretRef(typed)) continue;
      setAt(merged, path, valueAt(current, path));
    }
    return merged;
  }

  async function save(pluginId: string, values: JsonObject): Promise<PluginConfigView> {
    const r = deps.catalog.record(pluginId);
    if (!schemaOf(pluginId)) throw new PlinthError('INVALID_INPUT', `Plugin "${r.displayName}" has no settings (no configSchema)`);
    const merged = merge(pluginId, values);
    const errors = validate(pluginId, merged);
    if (errors.length > 0) {
      throw new PlinthError('INVALID_INPUT', `Settings not saved: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, { errors });
    }
    const services = deps.services;
    const sealed = services.secrets.sealConfig(pluginId, merged);
    const entry = deps.catalog.apply(pluginId, 'configure', { config: sealed });
    services.secrets.prune(pluginId);
    if (entry.enabled && entry.state === 'installed' && !deps.catalog.unapproved(r).length) {
      // The user enabled it earlier; the missing config was all that kept it from running.
      deps.catalog.apply(pluginId, 'enable', { lastError: null });
      deps.events.emit('plugin.ready', { pluginId });
    }
    if (deps.supervisor.runtime(pluginId).state === 'running') {
      const handled = await deps.supervisor.call(pluginId, 'config.changed', sealed).catch(() => false);
      if (!handled) {
        await deps.supervisor.stop(pluginId);
        await deps.catalog.activate(r).catch(() => undefined);
      }
    }
    deps.events.emit('plugins.changed', { pluginId });
    return view(pluginId);
  }

  async function test(pluginId: string, values: JsonObject): Promise<ConfigValidation> {
    const r = deps.catalog.record(pluginId);
    const candidate = merge(pluginId, values);
    const errors = validate(pluginId, candidate);
    if (errors.length > 0) return { ok: false, warnings: [], errors: errors.map((e) => `${e.path} ${e.message}`) };
    if (!r.manifest?.plinth.worker) return { ok: true, warnings: ['This plugin has no worker to test the settings with'], errors: [] };
    if (!deps.catalog.isReady(pluginId)) {
      return { ok: false, warnings: [], errors: ['Enable the plugin first: Test connection runs its own check in its worker'] };
    }
    // New secret values go to the plugin's check as typed; nothing is stored until Save.
    const result = await deps.catalog.callWorker(pluginId, 'config.validate', candidate);
    return { ok: !!result.ok, warnings: result.warnings ?? [], errors: result.errors ?? [] };
  }

  return { schemaOf, validate, problem, view, save, test };
}

/** The config manager, as other host modules see it. */
export type ConfigManager = ReturnType<typeof createConfigManager>;
