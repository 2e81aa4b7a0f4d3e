/**
 * Daily backups of the profile database with SQLite's online backup API (better-sqlite3
 * `db.backup`, https://sqlite.org/backup.html: a consistent copy while the app keeps writing),
 * the newest {@link DEFAULT_KEEP_BACKUPS} kept, and restore from one of them.
 *
 * A restore replaces the open database, which every service holds prepared statements on, so it
 * is applied at the next start, before the database opens: the current file is moved aside as
 * `plinth.before-restore-<timestamp>.db` (kept, like a damaged file) and the backup copied in.
 */
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Db } from './database.ts';
import { fileStamp, moveDatabaseAside } from './profile-database.ts';

/** One database backup in the profile's `backups` folder. */
export interface BackupInfo {
  /** File name, `plinth-<timestamp>.db`; the handle passed to restore. */
  name: string;
  /** ISO time the backup was made. */
  createdAt: string;
  sizeBytes: number;
}

/** The database backups and a restore waiting for the next start. */
export interface BackupsView {
  /** Absolute path of the backups folder. */
  dir: string;
  /** Newest first. */
  backups: BackupInfo[];
  /** Name of the backup the next start restores, when one was chosen. */
  pendingRestore?: string;
}

/** Backups kept; older ones are deleted after each new backup. A week of daily copies. */
export const DEFAULT_KEEP_BACKUPS = 7;
/** Age of the newest backup after which a new one is made (ms): daily. */
export const BACKUP_INTERVAL_MS = 24 * 60 * 60_000;
/** How often a running app checks whether a backup is due (ms); hourly, so a laptop that slept still backs up. */
const BACKUP_CHECK_MS = 60 * 60_000;
/** Name of the file that asks the next start to restore a backup. */
const RESTORE_REQUEST = 'restore-pending.json';
/** Backup file names this module writes; nothing else in the folder is listed or restored. */
const BACKUP_NAME = /^plinth-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)(-\d+)?\.db$/;

/** What a restore at start did. */
export interface AppliedRestore {
  /** The backup's file name. */
  backup: string;
  /** Absolute path the database as it was before the restore was kept at. */
  keptAs: string;
}

/** Options of {@link createDatabaseBackups}. */
export interface DatabaseBackupsOptions {
  /** The open database (read at each backup). */
  db: () => Db;
  /** The backups folder (`<profile>/backups`). */
  dir: string;
  keep?: number;
  intervalMs?: number;
  now?: () => Date;
  /** Told when a scheduled backup fails (disk full…); the app keeps running. */
  onError?: (error: Error) => void;
}

/** Backups of one profile. */
export interface DatabaseBackups {
  /** Backups newest first, and the restore waiting for the next start. */
  view(): BackupsView;
  /** Backs up now and prunes old backups; resolves with the new backup. @throws PlinthError `INTERNAL` when the copy fails. */
  backupNow(): Promise<BackupInfo>;
  /** Backs up when the newest backup is older than the interval (or there is none). */
  backupIfDue(): Promise<BackupInfo | undefined>;
  /**
   * Checks the backup (`quick_check` on a read-only open) and asks the next start to restore it.
   * @throws PlinthError `NOT_FOUND` for a name that is not a backup here, `CONFLICT` when the backup itself is damaged.
   */
  requestRestore(name: string): BackupsView;
  /** Withdraws a requested restore. */
  cancelRestore(): BackupsView;
  /** Starts the periodic check (an unref'd timer; the first check runs at once). */
  start(): void;
  /** Stops the periodic check and waits for a backup in progress. */
  stop(): Promise<void>;
}

function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: BackupInfo[] = [];
  for (const name of names) {
    const match = BACKUP_NAME.exec(name);
    if (!match) continue;
    const [date, time] = match[1]!.split('T') as [string, string];
    const [h, m, s, ms] = time.replace('Z', '').split('-');
    try {
      out.push({ name, createdAt: `${date}T${h}:${m}:${s}.${ms}Z`, sizeBytes: statSync(join(dir, name)).size });
    } catch {
      // Deleted between readdir and stat: not a backup any more.
    }
  }
  return out.sort((a, b) => b.name.localeCompare(a.name));
}

function pendingRestore(dir: string): string | undefined {
  try {
    const value = (JSON.parse(readFileSync(join(dir, RESTORE_REQUEST), 'utf8')) as { backup?: unknown }).backup;
    return typeof value === 'string' && BACKUP_NAME.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Creates the backups of the database `db()` into `dir`. */
export function createDatabaseBackups(options: DatabaseBackupsOptions): DatabaseBackups {
  const keep = options.keep ?? DEFAULT_KEEP_BACKUPS;
  const intervalMs = options.intervalMs ?? BACKUP_INTERVAL_MS;
  const now = options.now ?? (() => new Date());
  let timer: NodeJS.Timeout | undefined;
  // Backups run one after another; each starts after the previous one ended, so "Back up now" copies the state of the moment it runs.
  let queue: Promise<unknown> = Promise.resolve();

  const view = (): BackupsView => {
    const pending = pendingRestore(options.dir);
    return { dir: options.dir, backups: listBackups(options.dir), ...(pending ? { pendingRestore: pending } : {}) };
  };

  async function copy(): Promise<BackupInfo> {
    mkdirSync(options.dir, { recursive: true });
    let name: string;
    for (let n = 0; ; n++) {
      name = `plinth-${fileStamp(now())}${n > 0 ? `-${n}` : ''}.db`;
      if (!existsSync(join(options.dir, name))) break;
    }
    const target = join(options.dir, name);
    try {
      await options.db().backup(target);
    } catch (error) {
      rmSync(target, { force: true });
      throw new PlinthError('INTERNAL', `Backing up the database to ${target} failed: ${(error as Error).message}`);
    }
    const pending = pendingRestore(options.dir);
    for (const old of listBackups(options.dir).slice(keep)) if (old.name !== pending) rmSync(join(options.dir, old.name), { force: true });
    return listBackups(options.dir).find((b) => b.name === name) ?? { name, createdAt: now().toISOString(), sizeBytes: statSync(target).size };
  }

  const backupNow = (): Promise<BackupInfo> => {
    const next = queue.then(copy, copy);
    queue = next.catch(() => undefined);
    return next;
  };

  async function backupIfDue(): Promise<BackupInfo | undefined> {
    const newest = listBackups(options.dir)[0];
    if (newest && now().getTime() - Date.parse(newest.createdAt) < intervalMs) return undefined;
    return backupNow();
  }

  const check = () => {
    backupIfDue().catch((error: unknown) => options.onError?.(error as Error));
  };

  return {
    view,
    backupNow,
    backupIfDue,
    requestRestore(name) {
      if (!BACKUP_NAME.test(name) || !listBackups(options.dir).some((b) => b.name === name)) {
        throw new PlinthError('NOT_FOUND', `There is no backup named "${name}" in ${options.dir}`);
      }
      let problem: string | undefined;
      try {
        const db = new Database(join(options.dir, name), { readonly: true, fileMustExist: true });
        try {
          const rows = db.pragma('quick_check') as Array<Record<string, unknown>>;
          if (rows.length !== 1 || Object.values(rows[0]!)[0] !== 'ok') problem = String(Object.values(rows[0] ?? {})[0]);
        } finally {
          db.close();
        }
      } catch (error) {
        problem = (error as Error).message;
      }
      if (problem) throw new PlinthError('CONFLICT', `The backup ${name} is damaged (${problem}); choose another one`);
      writeFileSync(join(options.dir, RESTORE_REQUEST), `${JSON.stringify({ backup: name, requestedAt: now().toISOString() })}\n`);
      return view();
    },
    cancelRestore() {
      rmSync(join(options.dir, RESTORE_REQUEST), { force: true });
      return view();
    },
    start() {
      if (timer) return;
      check();
      timer = setInterval(check, BACKUP_CHECK_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await queue;
    },
  };
}

/**
 * Applies a restore requested by {@link DatabaseBackups.requestRestore}, before the database at
 * `file` opens. A request naming a missing backup is dropped (nothing changes).
 * @returns what was done, or `undefined` when no restore was waiting.
 */
export function applyPendingRestore(file: string, dir: string, now: Date = new Date()): AppliedRestore | undefined {
  const backup = pendingRestore(dir);
  rmSync(join(dir, RESTORE_REQUEST), { force: true });
  if (!backup || !existsSync(join(dir, backup))) return undefined;
  const keptAs = existsSync(file) ? moveDatabaseAside(file, 'before-restore', now) : '';
  copyFileSync(join(dir, backup), file);
  return { backup, keptAs };
}
