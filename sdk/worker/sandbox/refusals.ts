/**
 * The words of every sandbox refusal (docs/plugin-api.md §5, API 1.1): what was refused and which
 * capability or API to use instead, so a plugin author who hits one knows the fix.
 */
import { PlinthError } from '../../protocol/errors.ts';

/** The way out named at the end of every refusal. */
export const UNSANDBOXED_HINT = 'or declare system.unsandboxed in plinth.capabilities (the user is asked for full access to the computer)';

/** What to use instead of a Node builtin module, by module name (without `node:`). */
const BUILTIN_ALTERNATIVES: Record<string, string> = {
  'fs': 'use ctx.dataDir through ctx.files',
  'fs/promises': 'use ctx.dataDir through ctx.files',
  'path': 'use URL, or plain relative paths with ctx.files',
  'http': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'https': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'http2': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'net': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'tls': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'dns': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'dgram': 'use ctx.http.fetch with an http.outbound:<host> capability',
  'crypto': 'use the Web Crypto API (globalThis.crypto)',
  'buffer': 'use Uint8Array, TextEncoder and TextDecoder',
  'timers': 'use the global setTimeout and setInterval',
  'timers/promises': 'use the global setTimeout and setInterval',
  'events': 'use EventTarget',
  'process': 'use ctx.pluginId, ctx.config.get() and ctx.dataDir',
  'url': 'use the global URL and URLSearchParams',
  'util': 'use JSON.stringify for formatting and console for logging',
};

/** What to use instead of a Node global that the sandbox does not have. */
const GLOBAL_ALTERNATIVES: Record<string, string> = {
  process: 'use ctx.pluginId, ctx.config.get() and ctx.dataDir',
  require: 'use import with a relative path inside the plugin folder, or @plinth/sdk',
  module: 'use ES module exports',
  exports: 'use ES module exports',
  __dirname: 'use import.meta.url',
  __filename: 'use import.meta.url',
  Buffer: 'use Uint8Array, TextEncoder and TextDecoder',
  fetch: 'use ctx.http.fetch with an http.outbound:<host> capability',
  WebSocket: 'use ctx.http.fetch with an http.outbound:<host> capability',
  EventSource: 'use ctx.http.fetch with an http.outbound:<host> capability',
  XMLHttpRequest: 'use ctx.http.fetch with an http.outbound:<host> capability',
  global: 'use globalThis',
  performance: 'use Date.now()',
  navigator: 'nothing: the sandbox does not describe the machine',
};

/** Node-only names whose "is not defined" errors get the sandbox explanation. */
export const EXPLAINED_GLOBALS: readonly string[] = Object.keys(GLOBAL_ALTERNATIVES);

/** The refusal of a Node builtin module, e.g. `node:fs`. */
export function builtinRefusal(specifier: string): PlinthError {
  const name = specifier.replace(/^node:/, '');
  const instead = BUILTIN_ALTERNATIVES[name] ?? 'nothing in the sandbox replaces it';
  return new PlinthError('PLUGIN_ERROR', `\`node:${name}\` is not available to sandboxed plugins: ${instead}, ${UNSANDBOXED_HINT}`);
}

/** The refusal of a module that resolved outside the plugin folder. */
export function outsideRefusal(specifier: string, where: string): PlinthError {
  return new PlinthError(
    'PLUGIN_ERROR',
    `"${specifier}" resolves to ${where}, outside the plugin folder (after symlinks); sandboxed plugins import only @plinth/sdk and files inside their folder: copy or bundle it into the folder, ${UNSANDBOXED_HINT}`,
  );
}

/** The refusal of a module that is not an ES module or JSON (CommonJS, addons…). */
export function formatRefusal(url: string, format: string): PlinthError {
  const what = format === 'commonjs' || format === 'commonjs-typescript' ? 'a CommonJS module' : `a module of format "${format}"`;
  return new PlinthError(
    'PLUGIN_ERROR',
    `${url} is ${what}; sandboxed plugins load only ES modules and JSON: use an ES module build of it or bundle it with esbuild, ${UNSANDBOXED_HINT}`,
  );
}

const NOT_DEFINED = new RegExp(`\\b(${EXPLAINED_GLOBALS.join('|')}) is not defined\\b`);

/**
 * Adds the sandbox's explanation to a `ReferenceError` for a Node-only global (`process is
 * not defined` → "... process is not available to sandboxed plugins: use ctx.pluginId ...").
 * The name stays undefined (so `typeof process` keeps working for feature checks); only the
 * message of the error a plugin author sees changes. Other errors are returned as they are.
 */
export function explainSandboxError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const match = NOT_DEFINED.exec(error.message);
  if (!match) return error;
  const name = match[1]!;
  const explained = `${error.message.slice(0, match.index + match[0].length)}: ${name} is not available to sandboxed plugins: ${GLOBAL_ALTERNATIVES[name]}, ${UNSANDBOXED_HINT}${error.message.slice(match.index + match[0].length)}`;
  try {
    error.message = explained;
    return error;
  } catch {
    // A frozen error object: hand over a fresh one with the same code.
    return new PlinthError('PLUGIN_ERROR', explained);
  }
}
