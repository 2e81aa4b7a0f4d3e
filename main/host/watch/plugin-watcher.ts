/**
 * Watches unpacked plugin folders for hot reload: a change re-validates the
 * manifest, restarts the worker and reloads the plugin's iframes within 1 s. Edits are debounced
 * per plugin folder, so a burst (an editor's save, a bundler's rebuild) is one reload.
 */
import { relative, resolve, sep } from 'node:path';
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';

/**
 * Quiet time that ends a burst of edits (ms). An editor's save is one write, or a temp file
 * renamed over the original, arriving within a few ms; esbuild's and tsc's watch rebuilds write
 * their outputs within ~10–20 ms of each other. 50 ms covers those bursts, and keeps the whole
 * reload (notice, re-validation, worker restart) within the 200 ms hot-reload budget that
 * `npm run bench` measures.
 */
export const WATCH_DEBOUNCE_MS = 50;
/**
 * Longest a batch waits while edits keep coming, so a folder written to without pause (a build in
 * watch mode) still reloads within the 1 s hot-reload budget, with room for the reload itself.
 */
export const WATCH_MAX_WAIT_MS = 600;
/** Folder names never watched: dependencies and VCS data are not plugin code the author edits. */
export const IGNORED_NAMES: readonly string[] = ['node_modules', '.git'];

/** Options of {@link createPluginWatcher}. */
export interface PluginWatcherOptions {
  /**
   * One call per burst of edits in a watched folder. `dir` is the absolute form of the path
   * given to `watch`; `files` are the changed (added, changed or removed) paths relative to it,
   * with `/` separators, sorted and without duplicates.
   */
  onChange(dir: string, files: string[]): void;
  /** Quiet time that ends a burst (ms, default {@link WATCH_DEBOUNCE_MS}). */
  debounceMs?: number;
  /** Longest wait while edits keep coming (ms, default {@link WATCH_MAX_WAIT_MS}). */
  maxWaitMs?: number;
  /** Watch errors (e.g. a folder that became unreadable); ignored when absent. Never thrown. */
  onError?(dir: string, error: Error): void;
}

/** Watches plugin folders. */
export interface PluginWatcher {
  /**
   * Starts watching `dir` and its subfolders, except `node_modules`, `.git` and dotfiles.
   * Resolves once the folder is being watched (edits before that may be missed); callers that
   * do not need that may ignore the promise. Watching a watched folder again does nothing.
   */
  watch(dir: string): Promise<void>;
  /** Stops watching `dir`; no callback for it is made after this call, even for a pending batch. */
  unwatch(dir: string): Promise<void>;
  /** The absolute folders being watched. */
  watched(): string[];
  /** Stops everything; pending batches are dropped. */
  close(): Promise<void>;
}

interface Watched {
  watcher: FSWatcher;
  ready: Promise<void>;
  files: Set<string>;
  timer?: NodeJS.Timeout;
  batchStartedAt?: number;
}

/** True for paths under `root` that are not plugin code: dotfiles, dot-folders, `node_modules`. */
function isIgnored(root: string, path: string): boolean {
  const rel = relative(root, path);
  if (rel === '') return false;
  return rel.split(sep).some((segment) => segment.startsWith('.') || IGNORED_NAMES.includes(segment));
}

/** Creates a watcher; nothing is watched until `watch(dir)`. Uses chokidar (native fs events). */
export function createPluginWatcher(options: PluginWatcherOptions): PluginWatcher {
  const debounceMs = options.debounceMs ?? WATCH_DEBOUNCE_MS;
  const maxWaitMs = options.maxWaitMs ?? WATCH_MAX_WAIT_MS;
  const folders = new Map<string, Watched>();

  function flush(root: string, w: Watched): void {
    w.timer = undefined;
    w.batchStartedAt = undefined;
    const files = [...w.files].sort();
    w.files.clear();
    if (folders.get(root) !== w || files.length === 0) return;
    options.onChange(root, files);
  }

  function record(root: string, w: Watched, path: string): void {
    if (folders.get(root) !== w) return;
    w.files.add(relative(root, path).split(sep).join('/'));
    const now = performance.now();
    w.batchStartedAt ??= now;
    clearTimeout(w.timer);
    const wait = Math.max(0, Math.min(debounceMs, maxWaitMs - (now - w.batchStartedAt)));
    w.timer = setTimeout(() => flush(root, w), wait);
  }

  function stop(root: string, w: Watched): Promise<void> {
    folders.delete(root);
    clearTimeout(w.timer);
    w.files.clear();
    return w.watcher.close();
  }

  return {
    watch(dir) {
      const root = resolve(dir);
      const existing = folders.get(root);
      if (existing) return existing.ready;
      const watcher = chokidarWatch(root, { ignoreInitial: true, ignored: (path: string) => isIgnored(root, path) });
      const ready = new Promise<void>((done) => watcher.once('ready', () => done()));
      const w: Watched = { watcher, ready, files: new Set() };
      folders.set(root, w);
      watcher.on('all', (event, path) => {
        if (event === 'add' || event === 'change' || event === 'unlink' || event === 'unlinkDir') record(root, w, path);
      });
      // chokidar emits 'error' as an EventEmitter error: without a listener it would throw and take the host down.
      watcher.on('error', (error) => options.onError?.(root, error instanceof Error ? error : new Error(String(error))));
      return ready;
    },
    async unwatch(dir) {
      const root = resolve(dir);
      const w = folders.get(root);
      if (w) await stop(root, w);
    },
    watched: () => [...folders.keys()],
    async close() {
      await Promise.all([...folders].map(([root, w]) => stop(root, w)));
    },
  };
}
