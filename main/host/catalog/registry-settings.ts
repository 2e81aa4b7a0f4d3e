/**
 * Which npm registry serves a package, and the options `npm-registry-fetch` needs to reach it:
 * the default registry, npm-style per-scope registries (`@acme:registry`, see
 * https://docs.npmjs.com/cli/v11/using-npm/scope#associating-a-scope-with-a-registry), a bearer
 * token per registry (npm's "nerf dart" keys, `//host/path/:_authToken`) and the proxy.
 */
import type { Options as FetchOptions } from 'npm-registry-fetch';
import { PlinthError } from '@plinth/sdk/protocol/errors';

/** The public npm registry, the default. */
export const DEFAULT_REGISTRY_URL = 'https://registry.npmjs.org/';

/** Where packages come from: a default registry and registries for some scopes. */
export interface RegistrySettings {
  /** The registry of unscoped packages and of scopes not in `scopes` (an http(s) URL). */
  url: string;
  /** `@scope` → registry URL, as `.npmrc`'s `@scope:registry=`. */
  scopes: Record<string, string>;
}

/** How requests reach the registries: tokens and the proxy. */
export interface RegistryAccess {
  /** The bearer token for `registryUrl` (normalised, with a trailing slash), if the user stored one. */
  token(registryUrl: string): string | undefined;
  /**
   * The proxy for `url` (`http://host:port`), `null` for a direct connection, or `undefined` to
   * let npm's agent read `HTTPS_PROXY` / `HTTP_PROXY` / `NO_PROXY` from the environment.
   */
  proxyFor?(url: string): Promise<string | null | undefined>;
}

/** Timeout of one registry request (ms): long enough for a slow mirror, short enough to say "offline". */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Retries of a failed request: one, quickly, so an offline registry is reported within seconds. */
const RETRIES = { retries: 1, minTimeout: 200, maxTimeout: 1_000 };

/**
 * Normalises a registry URL: http or https, with a trailing slash.
 * @throws PlinthError `INVALID_INPUT` for anything else, naming the value
 */
export function normaliseRegistryUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new PlinthError('INVALID_INPUT', `"${raw}" is not a registry URL; expected e.g. ${DEFAULT_REGISTRY_URL}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PlinthError('INVALID_INPUT', `A registry URL must start with https:// or http://, got "${raw}"`);
  }
  url.search = '';
  url.hash = '';
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

/** The scope of a package name (`@acme/x` → `@acme`), or `null` when unscoped. */
export function scopeOf(name: string): string | null {
  return name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : null;
}

/** The registry URL that serves `name` under `settings`. */
export function registryFor(settings: RegistrySettings, name: string): string {
  const scope = scopeOf(name);
  const scoped = scope ? settings.scopes[scope] : undefined;
  return normaliseRegistryUrl(scoped ?? settings.url);
}

/** npm's "nerf dart" of a registry URL: `https://r.example/npm/` → `//r.example/npm/`. */
export function nerfDart(registryUrl: string): string {
  const url = new URL(normaliseRegistryUrl(registryUrl));
  return `//${url.host}${url.pathname}`;
}

/**
 * The `npm-registry-fetch` options for requests about `name` (or a search, `name` undefined):
 * the registry, every scope mapping, the token of the registry used, the proxy, timeout and
 * retries. Never a cache: the app asks at most daily and must see yanked versions at once.
 */
export async function fetchOptions(settings: RegistrySettings, access: RegistryAccess, name?: string): Promise<FetchOptions> {
  const registry = name ? registryFor(settings, name) : normaliseRegistryUrl(settings.url);
  const options: Record<string, unknown> = {
    registry: normaliseRegistryUrl(settings.url),
    timeout: REQUEST_TIMEOUT_MS,
    retry: RETRIES,
    preferOnline: true,
  };
  for (const [scope, url] of Object.entries(settings.scopes)) options[`${scope}:registry`] = normaliseRegistryUrl(url);
  for (const url of new Set([registry, ...Object.values(settings.scopes).map(normaliseRegistryUrl)])) {
    const token = access.token(url);
    if (token) options[`${nerfDart(url)}:_authToken`] = token;
  }
  const proxy = await access.proxyFor?.(registry);
  if (proxy) options.proxy = proxy;
  else if (proxy === null) options.noProxy = new URL(registry).hostname;
  return options as FetchOptions;
}
