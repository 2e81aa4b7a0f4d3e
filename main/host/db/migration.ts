/**
 * The shape of a schema migration, apart from the code that applies them (database.ts), so the
 * migrations and the database module do not import each other.
 */
import type Database from 'better-sqlite3';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** One schema change. `version` values are 1, 2, 3… with no gaps; never edit a released one. */
export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}
