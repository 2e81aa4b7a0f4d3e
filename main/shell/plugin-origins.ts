/**
 * Each plugin's UI has its own origin, apart from the shell's: `plinth-plugin://<key>` in the
 * app, `http://<key>.test:<port>` in the e2e harness. A separate site per plugin is what lets
 * Chromium put every plugin's frames in their own renderer process (site isolation, and the
 * isolation of sandboxed frames), so a frozen or crashing plugin UI takes neither the shell nor
 * another plugin's frames with it; and an origin serves only its own plugin's files.
 *
 * `<key>` is derived from the plugin id (a hash: ids such as `@acme/hello` are not host names).
 */
import { createHash } from 'node:crypto';

/** Hex digits of the id's SHA-256 in a key (128 bits: no two plugins share one). */
const KEY_HEX_DIGITS = 32;
/** A key: `p` and hex digits, a valid DNS label and custom-scheme host. */
const KEY_PATTERN = /^p[0-9a-f]{32}$/;

/** The origin key of a plugin id. */
export function pluginOriginKey(pluginId: string): string {
  return `p${createHash('sha256').update(pluginId, 'utf8').digest('hex').slice(0, KEY_HEX_DIGITS)}`;
}

/** True for a string shaped like a {@link pluginOriginKey}. */
export function isPluginOriginKey(value: string): boolean {
  return KEY_PATTERN.test(value);
}

/** The origins the app protocol serves. */
export interface AppOrigins {
  /** `scheme://host[:port]` of the shell windows. */
  readonly app: string;
  /** A CSP source expression matching every plugin origin, e.g. `plinth-plugin://*` (the shell's `frame-src`). */
  readonly pluginSource: string;
  /** The origin of `pluginId`'s frames. */
  pluginOrigin(pluginId: string): string;
  /** The plugin whose frames live on `origin`, or `undefined` for any other origin. */
  pluginOf(origin: string): string | undefined;
}

/**
 * Creates the origins.
 * @param app the shell origin, e.g. `plinth://app`.
 * @param pluginTemplate a plugin origin with `{key}` for the key, e.g. `plinth-plugin://{key}`.
 * @param pluginIds the ids of the plugins the host knows (looked up again when a key is new).
 */
export function createAppOrigins(app: string, pluginTemplate: string, pluginIds: () => Iterable<string>): AppOrigins {
  const [before, after] = pluginTemplate.split('{key}') as [string, string | undefined];
  if (after === undefined) throw new Error(`The plugin origin template ${pluginTemplate} has no {key}`);
  const byKey = new Map<string, string>();
  const keyOf = (origin: string): string | undefined => {
    if (!origin.startsWith(before) || !origin.endsWith(after)) return undefined;
    const key = origin.slice(before.length, origin.length - after.length);
    return isPluginOriginKey(key) ? key : undefined;
  };
  return {
    app,
    // CSP host-source wildcards: `scheme://*` or `scheme://*.suffix:port`.
    pluginSource: pluginTemplate.replace('{key}', '*'),
    pluginOrigin: (pluginId) => `${before}${pluginOriginKey(pluginId)}${after}`,
    pluginOf(origin) {
      const key = keyOf(origin);
      if (!key) return undefined;
      if (!byKey.has(key)) for (const id of pluginIds()) byKey.set(pluginOriginKey(id), id);
      return byKey.get(key);
    },
  };
}
