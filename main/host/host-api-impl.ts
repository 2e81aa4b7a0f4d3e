/**
 * The worker → host API for one plugin, before the capability guard: each method maps to a
 * host service, always acting for the plugin id bound to the connection.
 */
import type { Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { JsonObject } from '@plinth/sdk/protocol/json';
import type { HostApi } from '@plinth/sdk/protocol/rpc';
import type { RpcHandlers } from '@plinth/sdk/rpc/types';
import type { LogStore } from './logs.ts';
import { createPluginFiles } from './services/files/plugin-files.ts';
import type { StateService } from './services/state.ts';

/** The methods served here from the state service, the log store and the registry's config. */
type BaseMethod = 'log' | 'config.get' | 'state.get' | 'state.set' | 'state.delete' | 'state.list'
  | 'files.read' | 'files.write' | 'files.list' | 'files.delete' | 'files.stat' | 'permissions.request' | 'permissions.list';

/** The methods the workspace and runtime services serve (host-services.ts `hostApiFor`). */
export type ServiceHostApi = Omit<RpcHandlers<HostApi>, BaseMethod>;

/** Services a plugin's host API is built from. */
export interface HostApiDeps {
  state: StateService;
  logs: LogStore;
  config(): JsonObject;
  /** The plugin's `ctx.dataDir` (absolute), which `files.*` is confined to. */
  dataDir: string;
  /**
   * Runtime permission requests (API 1.1) for this plugin (main/host/permissions); absent where
   * no user can be asked (`permissions.request` then answers `NOT_READY`, `list` nothing).
   */
  permissions?: {
    request(capabilities: readonly string[], reason: string): Promise<Capability[]> | Capability[];
    list(): Capability[];
  };
  /** Every other method, from the workspace and runtime services: exhaustive by type. */
  services: (pluginId: string) => ServiceHostApi;
}

/** Builds the unguarded HostApi of `pluginId`; wrap it with `guardHostApi` before serving it. */
export function createHostApiImpl(pluginId: string, deps: HostApiDeps): RpcHandlers<HostApi> {
  const files = createPluginFiles(deps.dataDir);
  return {
    ...deps.services(pluginId),
    'log': (level, message, data) => deps.logs.append(pluginId, { level, source: 'logger', message, ...(data === undefined ? {} : { data }) }),
    'config.get': () => deps.config(),
    'state.get': (key) => deps.state.get(pluginId, key),
    'state.set': (key, value) => deps.state.set(pluginId, key, value),
    'state.delete': (key) => deps.state.delete(pluginId, key),
    'state.list': (scope) => deps.state.list(pluginId, scope),
    'files.read': (path, options) => files.read(path, options),
    'files.write': (path, data, options) => files.write(path, data, options),
    'files.list': (path) => files.list(path),
    'files.delete': (path) => files.delete(path),
    'files.stat': (path) => files.stat(path),
    'permissions.request': (capabilities, reason) => {
      if (!deps.permissions) throw new PlinthError('NOT_READY', 'ctx.permissions.request: there is no user to ask here; declare the capability in plinth.capabilities instead');
      return deps.permissions.request(capabilities, reason);
    },
    'permissions.list': () => deps.permissions?.list() ?? [],
  };
}
