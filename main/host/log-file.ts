/**
 * Rotating log files, one set per plugin ("logs are kept in a bounded ring per
 * plugin and a rotating file"). One file per plugin, so a flooding plugin rotates away only its
 * own history and an author can open exactly their plugin's log. Lines are JSON (pino), one per
 * line: `{"level":"info","pluginId":"…","time":"…","seq":1,"source":"stdout","msg":"…"}`.
 *
 * Each line is appended synchronously (pino's SonicBoom destination in sync mode): a few µs per
 * line, bounded by the log store's rate limit (main/host/logs.ts, 500 lines/s per plugin), and
 * in exchange rotation is exact and no line is lost when the host itself crashes.
 */
import { existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import type { LogLine } from './logs.ts';

/** Largest log file (bytes): days of a chatty plugin, still small enough to open in an editor. */
export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;
/** Files kept per plugin, the current one included: at most 15 MiB of logs per plugin on disk. */
export const LOG_FILE_COUNT = 3;

/** Options of {@link createPluginLogFile}; the limits default to the named constants. */
export interface PluginLogFileOptions {
  /** Rotate before a write would take the current file past this size (bytes). */
  maxBytes?: number;
  /** Files kept per plugin, the current one included (≥ 1). */
  maxFiles?: number;
  /** A file that cannot be opened or written; later lines of that plugin are dropped. Never thrown. */
  onError?: (pluginId: string, error: Error) => void;
}

/** The log files of all plugins in one folder. */
export interface PluginLogFile {
  /** Appends `line` to the plugin's file, rotating first when it would pass `maxBytes`. Never throws. */
  write(pluginId: string, line: LogLine): void;
  /**
   * Path of a plugin's current file, `<dir>/<name>.log`; older files are `<name>.log.1` (newest)
   * up to `<name>.log.<maxFiles-1>`. `<name>` is the id with `@` dropped, `/` as `__` and any
   * other character outside `[A-Za-z0-9._-]` as `_`.
   */
  pathOf(pluginId: string): string;
  /** Flushes and closes every file; later writes are ignored. */
  close(): Promise<void>;
}

type Destination = ReturnType<typeof pino.destination>;

const LEVELS = new Set<string>(['debug', 'info', 'warn', 'error'] satisfies Array<LogLine['level']>);

interface OpenFile {
  logger: pino.Logger;
  /** The destination of the current file; `undefined` once the file failed. */
  destination: Destination | undefined;
  /** Size of the current file (bytes). */
  bytes: number;
}

/** The file name stem of a plugin id: no separators, nothing that leaves `dir`. */
function fileStem(pluginId: string): string {
  const stem = pluginId.replace(/^@/, '').replace(/\//g, '__').replace(/[^A-Za-z0-9._-]/g, '_');
  return stem === '' || /^\.+$/.test(stem) ? `_${stem}` : stem;
}

const ended = new WeakSet<Destination>();

/** Resolves when a destination has closed its file (nothing is buffered in sync mode). Once per destination. */
function closeDestination(destination: Destination): Promise<void> {
  if (ended.has(destination)) return Promise.resolve();
  ended.add(destination);
  return new Promise((resolve) => {
    destination.once('close', () => resolve());
    // A destination whose write failed may never close; its error ends the wait too.
    destination.once('error', () => resolve());
    destination.end();
  });
}

/**
 * Creates the log files in `dir` (created on first write). Files are opened lazily, one per
 * plugin, appending to what a previous run left.
 */
export function createPluginLogFile(dir: string, options: PluginLogFileOptions = {}): PluginLogFile {
  const maxBytes = options.maxBytes ?? LOG_FILE_MAX_BYTES;
  const maxFiles = Math.max(1, options.maxFiles ?? LOG_FILE_COUNT);
  const files = new Map<string, OpenFile>();
  const closing = new Set<Promise<void>>();
  let closed = false;

  const pathOf = (pluginId: string) => join(dir, `${fileStem(pluginId)}.log`);

  function fail(pluginId: string, file: OpenFile, error: Error): void {
    if (!file.destination) return;
    const destination = file.destination;
    file.destination = undefined;
    options.onError?.(pluginId, error);
    track(closeDestination(destination));
  }

  function track(done: Promise<void>): void {
    const tracked = done.finally(() => closing.delete(tracked));
    closing.add(tracked);
  }

  /**
   * Opens the plugin's current file ourselves, so a folder or file that cannot be opened is an
   * error here rather than inside SonicBoom (which would throw again at process exit).
   */
  function openCurrent(pluginId: string): { destination: Destination; bytes: number } {
    mkdirSync(dir, { recursive: true });
    const fd = openSync(pathOf(pluginId), 'a');
    const destination = pino.destination({ dest: fd, sync: true });
    // SonicBoom emits write errors (e.g. ENOSPC) as 'error'; without a listener they would take the host down.
    destination.on('error', (error: Error) => {
      const file = files.get(pluginId);
      if (file?.destination === destination) fail(pluginId, file, error);
    });
    return { destination, bytes: fstatSync(fd).size };
  }

  /** Moves `x.log` → `x.log.1` → … → `x.log.<maxFiles-1>`, dropping the oldest, and starts a new `x.log`. */
  function rotate(pluginId: string, file: OpenFile): void {
    const old = file.destination;
    if (!old) return;
    const base = pathOf(pluginId);
    try {
      if (maxFiles === 1) rmSync(base, { force: true });
      for (let i = maxFiles - 1; i >= 1; i--) {
        const from = i === 1 ? base : `${base}.${i - 1}`;
        if (existsSync(from)) renameSync(from, `${base}.${i}`);
      }
      const current = openCurrent(pluginId);
      file.destination = current.destination;
      file.bytes = current.bytes;
    } catch (error) {
      fail(pluginId, file, error as Error);
      return;
    }
    // Sync mode: everything the old destination got is on disk, now in `x.log.1`.
    track(closeDestination(old));
  }

  function open(pluginId: string): OpenFile {
    // pino formats each line and hands it to this stream, which rotates by size before writing.
    const stream = {
      write(chunk: string) {
        const size = Buffer.byteLength(chunk);
        if (file.bytes > 0 && file.bytes + size > maxBytes) rotate(pluginId, file);
        if (!file.destination) return;
        file.destination.write(chunk);
        file.bytes += size;
      },
    };
    const logger = pino({
      level: 'debug',
      base: { pluginId },
      timestamp: false,
      formatters: { level: (label) => ({ level: label }) },
    }, stream);
    const file: OpenFile = { logger, destination: undefined, bytes: 0 };
    files.set(pluginId, file);
    try {
      Object.assign(file, openCurrent(pluginId));
    } catch (error) {
      options.onError?.(pluginId, error as Error);
    }
    return file;
  }

  return {
    write(pluginId, line) {
      if (closed) return;
      const file = files.get(pluginId) ?? open(pluginId);
      if (!file.destination) return;
      const fields = { time: line.time, seq: line.seq, source: line.source, ...(line.data !== undefined ? { data: line.data } : {}) };
      // The level comes from plugin output; an unknown one is logged as info rather than thrown on.
      const level = LEVELS.has(line.level) ? line.level : 'info';
      file.logger[level](fields, String(line.message));
    },
    pathOf,
    async close() {
      closed = true;
      const all = [...files.values()];
      files.clear();
      await Promise.all([
        ...all.flatMap((f) => (f.destination ? [closeDestination(f.destination)] : [])),
        ...closing,
      ]);
    },
  };
}
