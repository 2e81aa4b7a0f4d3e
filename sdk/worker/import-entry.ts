/**
 * Loads a plugin's worker entry inside the current process, without a worker process: what
 * `@plinth/sdk/testing` uses to run a plugin's `setup` in a test. The definition is found the
 * way the worker bootstrap finds it: the one handed to `runWorker(plugin, import.meta.url)`,
 * else the module's default export.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { PlinthError } from '../protocol/errors.ts';
import { PROTOCOL_VERSION } from '../protocol/rpc.ts';
import { importEntryModule, pickDefinition } from './define.ts';
import { getWorkerRuntime, setWorkerRuntime } from './runtime-global.ts';
import { registerSdkSpecifier } from './sdk-specifier.ts';
import type { PluginDefinition } from './types.ts';

/** Query parameter that makes each load of an entry a fresh module instance. */
const INSTANCE_PARAM = 'plinth-instance';

interface Loading { definition?: unknown; protocolVersion?: number }

/** Entries being imported right now, by module URL; `runWorker` registers into them. */
const loading = new Map<string, Loading>();
let instances = 0;
let installed: 'in-process' | 'foreign' | undefined;

/**
 * Maps `@plinth/sdk` to this SDK (plain-ESM plugin folders have no `node_modules`, docs/plugin-api.md §1)
 * and publishes a runtime global that routes `runWorker` to the entry being imported. Once per
 * process; inside a real worker process the bootstrap's global stays and only default exports count.
 */
function install(): void {
  if (installed) return;
  registerSdkSpecifier();
  if (getWorkerRuntime()) {
    installed = 'foreign';
    return;
  }
  // `runWorker` calls `isEntry` then, synchronously, `register`: the match is remembered in between.
  let matched: Loading | undefined;
  setWorkerRuntime({
    protocolVersion: PROTOCOL_VERSION,
    isEntry(moduleUrl) {
      matched = loading.get(moduleUrl);
      return matched !== undefined;
    },
    register(definition, protocolVersion) {
      if (matched && matched.definition === undefined) Object.assign(matched, { definition, protocolVersion });
      matched = undefined;
    },
  });
  installed = 'in-process';
}

/**
 * Imports the worker entry at `entryPath` in this process and returns its plugin definition.
 * Every call evaluates a fresh instance of the entry module (its URL gets a unique
 * `?plinth-instance=<n>`), so module-level state of one test never leaks into the next;
 * modules the entry imports are shared as usual.
 *
 * @param entryPath path of the entry module (absolute, or relative to the working directory).
 * @throws PlinthError `PLUGIN_ERROR` when the file cannot be read or fails to load, when it
 *   defines no plugin, or when it bundles an SDK of another protocol major; the message says which.
 */
export async function importPluginEntry(entryPath: string): Promise<PluginDefinition> {
  install();
  let url: URL;
  try {
    url = pathToFileURL(realpathSync(entryPath));
  } catch (error) {
    throw new PlinthError('PLUGIN_ERROR', `The worker entry ${entryPath} cannot be read: ${(error as Error).message}`);
  }
  url.searchParams.set(INSTANCE_PARAM, String(++instances));
  const slot: Loading = {};
  loading.set(url.href, slot);
  try {
    const module = await importEntryModule(url.href, entryPath);
    return pickDefinition(entryPath, module, slot);
  } finally {
    loading.delete(url.href);
  }
}
