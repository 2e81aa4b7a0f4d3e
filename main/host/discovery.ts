/**
 * Plugin discovery: lists the plugin folders of each plugin root and validates each one.
 * A bad folder is listed with its problems, never thrown; a missing root is simply empty.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { PluginSource } from '@plinth/sdk/protocol/lifecycle';
import { manifestIdentity, validatePluginFolder, type ManifestResult, type Problem } from './manifest/index.ts';
import type { ManifestCache } from './manifest-cache.ts';

/**
 * A folder that holds plugin folders (`name/` or `@scope/name/`), or, with `isPluginFolder`,
 * one plugin folder itself (an unpacked plugin referenced in place). A missing folder is empty.
 */
export interface PluginRoot { dir: string; source: PluginSource; isPluginFolder?: boolean }

/** One plugin folder found by {@link discoverPlugins}. */
export interface DiscoveredPlugin {
  /** The manifest `name`, else a best-effort id (see `manifestIdentity`). Not unique for broken folders: key by `dir`. */
  id: string;
  /** Absolute path of the plugin folder. */
  dir: string;
  source: PluginSource;
  /** The validation result; a duplicate name turns a valid result into a refused one. */
  result: ManifestResult;
}

/** Options of {@link discoverPlugins}. */
export interface DiscoverOptions {
  /** Host plugin API version to validate against (default: `PLUGIN_API_VERSION`). */
  hostApiVersion?: string;
  /** Told about a root that exists but cannot be read (it is then skipped). */
  onRootError?: (root: PluginRoot, error: Error) => void;
  /** Validated manifests of earlier passes and runs (see manifest-cache.ts). */
  cache?: ManifestCache;
}

/** Folder names that never hold a plugin: hidden or partial folders (installs in progress) and dependencies. */
function isSkipped(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules';
}

/** Byte-wise order, so the result does not depend on the machine's locale. */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory(); // follows symlinks: a linked plugin folder counts
  } catch {
    return false;
  }
}

/**
 * Folder names below `dir` (following symlinks), sorted. Synchronous: the entry types come with
 * the listing, so only a symbolic link (or an entry of unknown type) costs one more `stat`, and a
 * start with many plugins does not pay a thread-pool round trip per folder.
 */
function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => !isSkipped(d.name) && (d.isDirectory() || (!d.isFile() && isDirectory(path.join(dir, d.name)))))
    .map((d) => d.name)
    .sort(byName);
}

/** Plugin folders of one root, in order: `name` folders and the folders inside `@scope` folders. */
function pluginFolders(root: PluginRoot, options: DiscoverOptions): string[] {
  const base = path.resolve(root.dir);
  if (root.isPluginFolder) return isDirectory(base) ? [base] : [];
  let names: string[];
  try {
    names = subfolders(base);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') options.onRootError?.(root, error as Error);
    return [];
  }
  const out: string[] = [];
  for (const name of names) {
    if (!name.startsWith('@')) {
      out.push(path.join(base, name));
      continue;
    }
    try {
      for (const inner of subfolders(path.join(base, name))) out.push(path.join(base, name, inner));
    } catch (error) {
      options.onRootError?.(root, error as Error);
    }
  }
  return out;
}

/**
 * Lists and validates every plugin folder of `roots`. Order: roots in the order given, folders
 * by name within each root. When two folders declare the same `name`, the later one is refused
 * with a `name` problem, "is already installed from <source> at <path>" (CONTRACT §2: two
 * plugins with one name cannot both be installed). Never throws for a bad folder or root.
 */
export async function discoverPlugins(roots: PluginRoot[], options: DiscoverOptions = {}): Promise<DiscoveredPlugin[]> {
  const folders: Array<{ dir: string; source: PluginSource }> = [];
  for (const root of roots) {
    for (const dir of pluginFolders(root, options)) folders.push({ dir, source: root.source });
  }
  const { cache } = options;
  const results = await Promise.all(folders.map(async ({ dir, source }) => {
    const validate = () => validatePluginFolder(dir, {
      source,
      ...(options.hostApiVersion ? { hostApiVersion: options.hostApiVersion } : {}),
    });
    if (!cache) return { dir, source, result: await validate() };
    const salt = `${source}|${options.hostApiVersion ?? ''}`;
    const hit = cache.get(dir, salt);
    if (hit) return { dir, source, result: hit as ManifestResult };
    const stamp = cache.stamp(dir);
    const result = await validate();
    cache.set(dir, salt, stamp, result);
    return { dir, source, result };
  }));
  cache?.keepOnly(folders.map((f) => f.dir));

  const owners = new Map<string, { source: PluginSource; dir: string }>();
  return results.map(({ dir, source, result }) => {
    // Only a declared name claims an id: a folder-name fallback must not block a real plugin.
    const declared = result.ok ? result.manifest.name : result.id;
    const owner = declared === undefined ? undefined : owners.get(declared);
    if (declared !== undefined && !owner) owners.set(declared, { source, dir });
    const final = owner && declared !== undefined ? refuseDuplicate(result, declared, owner) : result;
    return { id: manifestIdentity(final).id, dir, source, result: final };
  });
}

/** The result of a folder whose name another folder already holds. */
function refuseDuplicate(result: ManifestResult, name: string, owner: { source: PluginSource; dir: string }): ManifestResult {
  const duplicate: Problem = { field: 'name', message: `is already installed from ${owner.source} at ${owner.dir}`, value: name };
  if (!result.ok) return { ...result, problems: [duplicate, ...result.problems] };
  const identity = manifestIdentity(result);
  return {
    ok: false, dir: result.dir, problems: [duplicate], warnings: result.warnings,
    id: identity.id, displayName: identity.displayName, version: identity.version,
  };
}
