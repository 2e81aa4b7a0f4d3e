/**
 * The sandbox's module loader rule (docs/plugin-api.md §5, API 1.1): once installed, every `import`,
 * `import()` and `import.meta.resolve` in the process resolves only to `@plinth/sdk` or to a
 * file whose real path (after symlinks) is inside the plugin folder, and loads only ES modules
 * and JSON. Node builtins, `data:`/`http:` URLs, files elsewhere (the app's own modules, a
 * parent folder's `node_modules`) and CommonJS (whose wrapper hands out `require` and `module`)
 * are refused with a message naming what to use instead.
 *
 * Installed after the worker runtime has loaded everything it needs, so from then on the only
 * modules that load are the plugin's. `module.registerHooks` runs in-thread and also covers
 * `require`, which is what makes the rule process-wide (Node ≥ 22.15).
 */
import { isBuiltin, registerHooks } from 'node:module';
import { realpathSync } from 'node:fs';
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SDK_SPECIFIER } from '../sdk-specifier.ts';
import { builtinRefusal, formatRefusal, outsideRefusal } from './refusals.ts';

/** Module formats a sandboxed plugin may load (Node's `load` hook formats). */
const ALLOWED_FORMATS: ReadonlySet<string> = new Set(['module', 'json', 'module-typescript']);

/** True when `path` is `root` or inside it; both are real paths. */
function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** The real path of a file URL, or the plain path when it does not exist (the loader then reports it missing). */
function realPathOf(url: URL): string {
  const path = fileURLToPath(new URL(url.pathname, 'file:'));
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Confines module loading of this process to `root` (an absolute folder) and `@plinth/sdk`.
 *
 * @param root the plugin folder; its real path is used.
 * @param allowedUrls module URLs that stay reachable although outside `root` (the SDK's own
 *   entry, which `@plinth/sdk` maps to).
 */
export function installModuleGuard(root: string, allowedUrls: readonly string[]): void {
  const realRoot = realpathSync(root);
  const allowed = new Set(allowedUrls);
  registerHooks({
    resolve(specifier, context, nextResolve) {
      if (specifier === SDK_SPECIFIER) return nextResolve(specifier, context);
      if (isBuiltin(specifier)) throw builtinRefusal(specifier);
      const result = nextResolve(specifier, context);
      if (allowed.has(result.url)) return result;
      const url = new URL(result.url);
      if (url.protocol === 'node:') throw builtinRefusal(url.pathname);
      if (url.protocol !== 'file:') throw outsideRefusal(specifier, `a ${url.protocol} URL`);
      const real = realPathOf(url);
      if (!inside(realRoot, real)) throw outsideRefusal(specifier, real);
      return result;
    },
    load(url, context, nextLoad) {
      const result = nextLoad(url, context);
      if (!allowed.has(url) && !ALLOWED_FORMATS.has(result.format ?? '')) throw formatRefusal(url, result.format ?? 'unknown');
      return result;
    },
  });
}
