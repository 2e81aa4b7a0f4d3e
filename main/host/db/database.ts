/**
 * The host's SQLite database: one file per profile, WAL, foreign keys on, versioned
 * migrations applied in order inside one transaction each.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { Db, Migration } from './migration.ts';
import { MIGRATIONS } from './migrations/index.ts';

export type { Db, Migration };

/** How long a writer waits for a lock before `SQLITE_BUSY` (ms); covers a second app instance's short writes. */
const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if needed) the database at `file` (`':memory:'` allowed) and migrates it.
 * @throws PlinthError `INTERNAL` when the file is not a SQLite database or is newer than this app
 *   (the message says which, and that the file was left untouched); SQLite's error is its `cause`.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    if (error instanceof PlinthError) throw error;
    const wrapped = new PlinthError('INTERNAL', `Cannot open the database ${file}: ${(error as Error).message}. The file was left as it is; move it away to start with a fresh one.`);
    // SQLite's own code (SQLITE_NOTADB, SQLITE_CORRUPT…) tells the profile opener the file is damaged.
    wrapped.cause = error;
    throw wrapped;
  }
}

/** Applies every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new PlinthError('INTERNAL', `The database is at schema version ${current}, newer than this app knows (${latest}). Update Plinth; the file was not changed.`);
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}
