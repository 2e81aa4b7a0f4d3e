/**
 * The worker → host API for one plugin, before the capability guard: each method maps to a
 * host service, always acting for the plugin id bound to the connection.
 */
import { PlinthError } from '../../sdk/protocol/errors.ts';
import type { JsonObject } from '../../sdk/protocol/json.ts';
import type { HostApi, HostMethod } from '../../sdk/protocol/rpc.ts';
import type { RpcHandlers } from '../../sdk/rpc/types.ts';
import type { LogStore } from './logs.ts';
import type { StateService } from './services/state.ts';

/** Services a plugin's host API is built from. Optional ones are wired when the host has them. */
export interface HostApiDeps {
  state: StateService;
  logs: LogStore;
  config(): JsonObject;
  /** Implementations of the remaining methods, supplied by the workspace and runtime services. */
  extra?: (pluginId: string) => Partial<RpcHandlers<HostApi>>;
}

/** Builds the unguarded HostApi of `pluginId`; wrap it with `guardHostApi` before serving it. */
export function createHostApiImpl(pluginId: string, deps: HostApiDeps): RpcHandlers<HostApi> {
  const base: Pick<RpcHandlers<HostApi>, 'log' | 'config.get' | 'state.get' | 'state.set' | 'state.delete' | 'state.list'> = {
    'log': (level, message, data) => deps.logs.append(pluginId, { level, source: 'logger', message, ...(data === undefined ? {} : { data }) }),
    'config.get': () => deps.config(),
    'state.get': (key) => deps.state.get(pluginId, key),
    'state.set': (key, value) => deps.state.set(pluginId, key, value),
    'state.delete': (key) => deps.state.delete(pluginId, key),
    'state.list': (scope) => deps.state.list(pluginId, scope),
  };
  const extra = deps.extra?.(pluginId) ?? {};
  return new Proxy({ ...extra, ...base } as RpcHandlers<HostApi>, {
    get(target, prop: string) {
      const value = target[prop as HostMethod];
      if (value !== undefined) return value;
      return () => {
        throw new PlinthError('NOT_FOUND', `The host does not serve ${prop} in this build`);
      };
    },
  });
}
