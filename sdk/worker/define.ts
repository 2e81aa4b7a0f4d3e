/**
 * `definePlugin` and `runWorker`, the two calls of a plugin's worker entry (docs/plugin-api.md §5).
 * Neither starts anything by itself: the worker bootstrap owns the process and the RPC loop.
 */
import { PlinthError } from '../protocol/errors.ts';
import { PROTOCOL_VERSION } from '../protocol/rpc.ts';
import { getWorkerRuntime } from './runtime-global.ts';
import { PLUGIN_HOOKS, type PluginDefinition } from './types.ts';

/**
 * Declares a plugin. Returns `definition` unchanged (typed), after checking that each hook
 * present is a function.
 *
 * @throws PlinthError `INVALID_INPUT` naming the member when the definition is malformed.
 */
export function definePlugin<T extends PluginDefinition>(definition: T): T {
  if (typeof definition !== 'object' || definition === null) {
    throw new PlinthError('INVALID_INPUT', 'definePlugin expects an object like { async setup(ctx) { ... } }');
  }
  for (const hook of PLUGIN_HOOKS) {
    const value = (definition as Record<string, unknown>)[hook];
    if (value !== undefined && typeof value !== 'function') {
      throw new PlinthError('INVALID_INPUT', `definePlugin: "${hook}" must be a function, got ${typeof value}`);
    }
  }
  return definition;
}

/**
 * Hands `plugin` to the worker runtime when the calling module is the worker entry being
 * loaded by the Plinth bootstrap; a no-op anywhere else (tests, other modules, the UI), so
 * the entry can also be imported safely. Works from a bundled copy of the SDK while its
 * protocol major matches the host's.
 *
 * @param plugin the result of {@link definePlugin}.
 * @param importMetaUrl the caller's `import.meta.url`.
 */
export function runWorker(plugin: PluginDefinition, importMetaUrl: string): void {
  const runtime = getWorkerRuntime();
  if (!runtime || !runtime.isEntry(importMetaUrl)) return;
  runtime.register(plugin, PROTOCOL_VERSION);
}

/** True when `value` looks like a plugin definition (an object whose hooks are functions). */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const present = PLUGIN_HOOKS.filter((hook) => record[hook] !== undefined);
  return present.length > 0 && present.every((hook) => typeof record[hook] === 'function');
}

/**
 * Loads a worker entry module, wrapping a load failure (syntax error, missing import) in a
 * `PLUGIN_ERROR` that keeps the original stack.
 */
export async function importEntryModule(url: string, entryPath: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    const failure = new PlinthError('PLUGIN_ERROR', `Loading the worker entry ${entryPath} failed: ${(error as Error)?.message ?? String(error)}`);
    if (error instanceof Error && error.stack) failure.stack = error.stack;
    throw failure;
  }
}

/**
 * Picks the plugin of a loaded entry: the one passed to `runWorker` (by any SDK copy of the
 * same protocol major), else the module's default export.
 * @throws PlinthError `PLUGIN_ERROR` for another protocol major, a non-definition, or no plugin at all.
 */
export function pickDefinition(
  entryPath: string, module: Record<string, unknown>,
  viaRunWorker: { definition?: unknown; protocolVersion?: number } | undefined,
): PluginDefinition {
  if (viaRunWorker && viaRunWorker.definition !== undefined) {
    if (viaRunWorker.protocolVersion !== PROTOCOL_VERSION) {
      throw new PlinthError('PLUGIN_ERROR', `The plugin bundles @plinth/sdk for worker protocol ${viaRunWorker.protocolVersion}; this SDK speaks ${PROTOCOL_VERSION}. Mark @plinth/sdk external or rebuild with a matching SDK`);
    }
    if (!isPluginDefinition(viaRunWorker.definition)) throw new PlinthError('PLUGIN_ERROR', 'runWorker was given something that is not a plugin definition; pass the result of definePlugin({...})');
    return viaRunWorker.definition;
  }
  if (isPluginDefinition(module.default)) return module.default;
  throw new PlinthError('PLUGIN_ERROR', `The worker entry ${entryPath} defines no plugin: export default definePlugin({ setup(ctx) {...} }) or call runWorker(plugin, import.meta.url)`);
}
