/**
 * The profile's database as the host opens it at start: a damaged file never stops the app.
 *
 * - A file SQLite refuses (not a database, corrupt pages, a truncated or half-written file) is
 *   moved aside as `plinth.corrupt-<timestamp>.db` (with its `-wal`), a fresh database is
 *   created, and the caller gets a {@link DatabaseRecovery} to tell the user where the old file is.
 * - A marker file `<db>.running` exists while the database is open. Found at start, it means the
 *   previous run did not end cleanly (crash, power loss, SIGKILL), and the full
 *   `PRAGMA integrity_check` runs; otherwise the cheaper `PRAGMA quick_check` (no index
 *   cross-check; https://sqlite.org/pragma.html#pragma_quick_check) does.
 * - A database newer than this app is NOT damaged: it is refused as before and left untouched.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { openDatabase, type Db, type Migration } from './database.ts';
import { MIGRATIONS } from './migrations/index.ts';

/** What was wrong with the database at start and where the damaged file now is. */
export interface DatabaseRecovery {
  /** Why the file was moved aside (SQLite's own words). */
  reason: string;
  /** Absolute path of the kept damaged file. */
  keptAs: string;
  /** ISO time of the recovery. */
  at: string;
}

/** The result of {@link openProfileDatabase}. */
export interface ProfileDatabase {
  db: Db;
  /** Present when the file was damaged and replaced by a fresh one. */
  recovery?: DatabaseRecovery;
  /** Which check ran at open. */
  check: 'quick_check' | 'integrity_check';
  /** Closes the database and removes the running marker (a clean end). */
  close(): void;
}

/** Options of {@link openProfileDatabase}. */
export interface OpenProfileDatabaseOptions {
  migrations?: readonly Migration[];
  now?: () => Date;
}

/** SQLite result codes that mean the file itself is damaged (https://sqlite.org/rescode.html). */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

/** File-name-safe ISO time: `2025-01-02T03-04-05-678Z`. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Path of the marker that exists while the database at `file` is open. */
export function runningMarkerOf(file: string): string {
  return `${file}.running`;
}

/**
 * Moves `file` and its WAL aside as `<stem>.<label>-<stamp>.db` (a stale WAL must not be replayed
 * into the fresh file); the shared-memory index is derived data and removed.
 * @returns the absolute path of the moved database file.
 */
export function moveDatabaseAside(file: string, label: string, now: Date): string {
  const stem = basename(file).replace(/\.db$/, '');
  let target: string;
  for (let n = 0; ; n++) {
    target = join(dirname(file), `${stem}.${label}-${fileStamp(now)}${n > 0 ? `-${n}` : ''}.db`);
    if (!existsSync(target)) break;
  }
  renameSync(file, target);
  if (existsSync(`${file}-wal`)) renameSync(`${file}-wal`, `${target}-wal`);
  rmSync(`${file}-shm`, { force: true });
  return target;
}

/** First problem reported by `check`, or `undefined` when SQLite says `ok`. */
function checkProblem(db: Db, check: ProfileDatabase['check']): string | undefined {
  const rows = db.pragma(check) as Array<Record<string, unknown>>;
  const lines = rows.map((row) => String(Object.values(row)[0]));
  return lines.length === 1 && lines[0] === 'ok' ? undefined : lines.slice(0, 3).join('; ');
}

function isDamage(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  const cause = (error as { cause?: { code?: unknown } }).cause?.code;
  return [code, cause].some((c) => typeof c === 'string' && DAMAGE_CODES.test(c));
}

/** Opens and checks; throws a `{ damaged }` marker object for a damaged file, anything else as is. */
function openChecked(file: string, migrations: readonly Migration[], check: ProfileDatabase['check']): Db {
  let db: Db;
  try {
    db = openDatabase(file, migrations);
  } catch (error) {
    // SQLite's own words (the cause), not openDatabase's advice to move the file, which is done here.
    if (isDamage(error)) throw { damaged: ((error as { cause?: Error }).cause ?? (error as Error)).message };
    throw error;
  }
  let problem: string | undefined;
  try {
    problem = checkProblem(db, check);
  } catch (error) {
    if (!isDamage(error)) { db.close(); throw error; }
    problem = (error as Error).message;
  }
  if (problem === undefined) return db;
  db.close();
  throw { damaged: `${check} failed: ${problem}` };
}

/**
 * Opens the profile database at `file`, replacing a damaged one (see the module comment).
 * @throws PlinthError `INTERNAL` when the file is newer than this app, or cannot be opened for
 *   another reason than damage (permissions, disk full): the file is left as it is.
 */
export function openProfileDatabase(file: string, options: OpenProfileDatabaseOptions = {}): ProfileDatabase {
  const migrations = options.migrations ?? MIGRATIONS;
  const now = options.now ?? (() => new Date());
  const marker = runningMarkerOf(file);
  const check = existsSync(marker) ? 'integrity_check' : 'quick_check';
  let db: Db;
  let recovery: DatabaseRecovery | undefined;
  try {
    db = openChecked(file, migrations, check);
  } catch (error) {
    if (!(typeof error === 'object' && error !== null && 'damaged' in error)) throw error;
    const at = now();
    const reason = String((error as { damaged: unknown }).damaged);
    let keptAs: string;
    try {
      keptAs = moveDatabaseAside(file, 'corrupt', at);
    } catch (moveError) {
      throw new PlinthError('INTERNAL', `The database ${file} is damaged (${reason}) and could not be moved aside: ${(moveError as Error).message}`);
    }
    recovery = { reason, keptAs, at: at.toISOString() };
    db = openDatabase(file, migrations);
  }
  writeFileSync(marker, `${JSON.stringify({ pid: process.pid, openedAt: now().toISOString() })}\n`);
  return {
    db, check,
    ...(recovery ? { recovery } : {}),
    close() {
      db.close();
      rmSync(marker, { force: true });
    },
  };
}
