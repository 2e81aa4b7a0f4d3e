/**
 * `definePlugin` and `runWorker`, the two calls of a plugin's worker entry (CONTRACT §5).
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
