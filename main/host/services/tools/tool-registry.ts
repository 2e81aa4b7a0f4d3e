/**
 * Agent tools of plugins (`ctx.tools`, CONTRACT §2, §5). Tools come from manifests, so they
 * are listed (and a call starts the worker) before any worker runs; a worker's
 * `ctx.tools.register(name)` must name a declared tool. Parameters are checked against the
 * tool's `parametersSchema` (JSON Schema 2020-12, with ajv) before the worker sees them.
 */
import { randomUUID } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Json } from '@plinth/sdk/protocol/json';
import type { ToolDeclaration } from '@plinth/sdk/protocol/manifest';
import type { ToolResult, ToolRun } from '@plinth/sdk/protocol/rpc';
import { compileDetached, jsonSchemaAjv } from '../../manifest/json-schema.ts';
import { qualifyToolName } from './tool-names.ts';

export { qualifyToolName } from './tool-names.ts';

/** Validation errors listed in one INVALID_INPUT message; more are counted, not listed. */
const MAX_LISTED_ERRORS = 10;

/** One published tool. */
export interface ToolEntry {
  /** `<plugin>__<tool>`, see tool-names.ts. */
  qualifiedName: string;
  pluginId: string;
  pluginDisplayName: string;
  tool: ToolDeclaration;
  /** True once the running worker registered a handler for it (since its last start). */
  registered: boolean;
}

/** What the registry needs from the host. */
export interface ToolRegistryOptions {
  /** Calls the tool's handler in the plugin's worker (starting it if needed). */
  callTool(pluginId: string, name: string, params: Json, run: ToolRun): Promise<ToolResult>;
}

/** The tool registry, shared by all plugins. */
export interface ToolRegistry {
  /**
   * Publishes a plugin's declared tools (its manifest's `plinth.tools`), replacing earlier ones.
   * Checks them all first, so a bad one changes nothing.
   * @throws PlinthError `INVALID_INPUT` for a duplicate name or a `parametersSchema` that is
   *   not a valid JSON Schema of `"type": "object"`; `CONFLICT` when a published name is taken by another plugin.
   */
  setPluginTools(pluginId: string, displayName: string, tools: ToolDeclaration[]): void;
  /** Withdraws a plugin's tools (disable, uninstall). */
  removePlugin(pluginId: string): void;
  /**
   * Records the worker's `ctx.tools.register(name)`.
   * @throws PlinthError `INVALID_INPUT` when `name` is not declared in the plugin's manifest.
   */
  markRegistered(pluginId: string, name: string): void;
  /** Forgets registrations of a plugin whose worker stopped (its tools stay listed). */
  clearRegistrations(pluginId: string): void;
  /** Every published tool, sorted by qualified name. */
  list(): ToolEntry[];
  /** One published tool, or `undefined`. */
  get(qualifiedName: string): ToolEntry | undefined;
  /**
   * Calls a tool with `params` (`undefined` means `{}`).
   * @throws PlinthError `NOT_FOUND` for an unknown name; `INVALID_INPUT` listing the schema
   *   errors; whatever the worker call rejects with; `PLUGIN_ERROR` for a malformed result.
   */
  call(qualifiedName: string, params: Json | undefined, options?: { agent?: string }): Promise<ToolResult>;
}

interface Published extends ToolEntry { validate: ValidateFunction }

function describeErrors(validate: ValidateFunction): { text: string; errors: Json } {
  const errors = (validate.errors ?? []).map((error) => ({ path: error.instancePath || '/', message: error.message ?? 'is invalid' }));
  const listed = errors.slice(0, MAX_LISTED_ERRORS).map((error) => `${error.path} ${error.message}`);
  if (errors.length > MAX_LISTED_ERRORS) listed.push(`and ${errors.length - MAX_LISTED_ERRORS} more`);
  return { text: listed.join('; '), errors };
}

function checkResult(pluginId: string, name: string, result: unknown): ToolResult {
  const value = result as ToolResult | null;
  if (!value || typeof value !== 'object' || typeof value.content !== 'string'
    || (value.isError !== undefined && typeof value.isError !== 'boolean')) {
    throw new PlinthError('PLUGIN_ERROR', `Tool "${name}" of plugin ${pluginId} returned an invalid result: expected { content: string, data?, isError? }`);
  }
  return { content: value.content, ...(value.data !== undefined ? { data: value.data } : {}), ...(value.isError ? { isError: true } : {}) };
}

/** Creates the tool registry. */
export function createToolRegistry(options: ToolRegistryOptions): ToolRegistry {
  // The lenient shared instance: plugin schemas may carry annotations ajv does not know.
  const byName = new Map<string, Published>();
  const byPlugin = new Map<string, Map<string, Published>>();

  function removePlugin(pluginId: string): void {
    for (const entry of byPlugin.get(pluginId)?.values() ?? []) byName.delete(entry.qualifiedName);
    byPlugin.delete(pluginId);
  }

  return {
    setPluginTools(pluginId, displayName, tools) {
      if (!Array.isArray(tools)) throw new PlinthError('INVALID_INPUT', `Tools of plugin ${pluginId} must be an array`);
      const previous = byPlugin.get(pluginId);
      const next = new Map<string, Published>();
      const names = new Set<string>();
      for (const tool of tools) {
        const name: unknown = tool?.name;
        if (typeof name !== 'string' || name.length === 0) throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: every tool needs a name`);
        if (next.has(name)) throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: tool "${name}" is declared twice`);
        const schema = tool.parametersSchema;
        if (!schema || typeof schema !== 'object' || schema.type !== 'object') {
          throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: tool "${name}" needs a parametersSchema with "type": "object" (agents pass arguments as an object)`);
        }
        let validate: ValidateFunction;
        try {
          validate = compileDetached(jsonSchemaAjv(), schema);
        } catch (error) {
          throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: tool "${name}" has an invalid parametersSchema: ${(error as Error).message}`);
        }
        const qualifiedName = qualifyToolName(pluginId, name);
        const owner = byName.get(qualifiedName)?.pluginId;
        if ((owner !== undefined && owner !== pluginId) || names.has(qualifiedName)) {
          throw new PlinthError('CONFLICT', `Plugin ${pluginId}: tool "${name}" would be published as ${qualifiedName}, which ${owner && owner !== pluginId ? `plugin ${owner} already uses` : 'another of its tools maps to'}`);
        }
        names.add(qualifiedName);
        next.set(name, {
          qualifiedName, pluginId, pluginDisplayName: displayName, tool, validate,
          registered: previous?.get(name)?.registered ?? false,
        });
      }
      removePlugin(pluginId);
      if (next.size === 0) return;
      byPlugin.set(pluginId, next);
      for (const entry of next.values()) byName.set(entry.qualifiedName, entry);
    },
    removePlugin,
    markRegistered(pluginId, name) {
      const entry = byPlugin.get(pluginId)?.get(name);
      if (!entry) {
        throw new PlinthError('INVALID_INPUT', `Tool "${name}" is not declared in plugin ${pluginId}'s manifest: add it to "plinth.tools" in package.json`);
      }
      entry.registered = true;
    },
    clearRegistrations(pluginId) {
      for (const entry of byPlugin.get(pluginId)?.values() ?? []) entry.registered = false;
    },
    list() {
      return [...byName.values()]
        .sort((a, b) => (a.qualifiedName < b.qualifiedName ? -1 : 1))
        .map(({ validate: _validate, ...entry }) => entry);
    },
    get(qualifiedName) {
      const entry = byName.get(qualifiedName);
      if (!entry) return undefined;
      const { validate: _validate, ...rest } = entry;
      return rest;
    },
    async call(qualifiedName, params, callOptions = {}) {
      const entry = byName.get(qualifiedName);
      if (!entry) throw new PlinthError('NOT_FOUND', `No tool named ${qualifiedName}`);
      const args: Json = params === undefined ? {} : params;
      if (!entry.validate(args)) {
        const { text, errors } = describeErrors(entry.validate);
        throw new PlinthError('INVALID_INPUT', `Invalid parameters for tool ${qualifiedName}: ${text}`, { errors });
      }
      const run: ToolRun = { runId: randomUUID(), ...(callOptions.agent ? { agent: callOptions.agent } : {}) };
      const result = await options.callTool(entry.pluginId, entry.tool.name, args, run);
      return checkResult(entry.pluginId, entry.tool.name, result);
    },
  };
}
