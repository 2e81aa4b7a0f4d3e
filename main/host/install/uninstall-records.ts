/**
 * The `plugin_uninstalls` table (migration 004): one row per uninstalled plugin in its grace
 * period, and the one statement that deletes every row a plugin owns (purge).
 */
import type { Db } from '../db/database.ts';
import { invalidateRegistryCache } from '../registry.ts';

/** An uninstalled plugin as recorded at uninstall time. Times are ISO 8601 UTC strings. */
export interface UninstallRecord {
  id: string;
  displayName: string;
  version: string;
  /** Only `user` and `unpacked` plugins can be uninstalled (bundled ones are refused). */
  source: 'user' | 'unpacked';
  /** Where the plugin was loaded from before the uninstall. */
  originalPath: string;
  /** Where its files were moved; `null` for unpacked plugins (their folder is never touched) or a missing folder. */
  trashPath: string | null;
  uninstalledAt: string;
}

interface Row {
  plugin_id: string; display_name: string; version: string; source: string;
  original_path: string; trash_path: string | null; uninstalled_at: string;
}

const fromRow = (row: Row): UninstallRecord => ({
  id: row.plugin_id, displayName: row.display_name, version: row.version,
  source: row.source as UninstallRecord['source'], originalPath: row.original_path,
  trashPath: row.trash_path, uninstalledAt: row.uninstalled_at,
});

/**
 * Tables holding rows keyed by plugin id (migrations 001, 003, 004, 005) and their id column. The
 * `activity` log is left out on purpose: it outlives what it describes (migration 002).
 */
export const PLUGIN_OWNED_TABLES: ReadonlyArray<{ table: string; column: string }> = [
  { table: 'plugin_state', column: 'plugin_id' },
  { table: 'job_runs', column: 'plugin_id' },
  { table: 'webhook_endpoints', column: 'plugin_id' },
  { table: 'plugin_secrets', column: 'plugin_id' },
  { table: 'plugin_uninstalls', column: 'plugin_id' },
  { table: 'plugin_origins', column: 'plugin_id' },
  { table: 'plugins', column: 'id' },
];

/** Typed access to `plugin_uninstalls`. */
export interface UninstallRecords {
  get(id: string): UninstallRecord | undefined;
  /** Every record, oldest uninstall first. */
  all(): UninstallRecord[];
  put(record: UninstallRecord): void;
  remove(id: string): void;
  /** Deletes every row of {@link PLUGIN_OWNED_TABLES} for `id`, in one transaction. */
  deleteAllRowsOf(id: string): void;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: () => T): T;
}

/** Creates the accessor over the host database (after migration 004). */
export function createUninstallRecords(db: Db): UninstallRecords {
  const getStmt = db.prepare<[string], Row>('SELECT * FROM plugin_uninstalls WHERE plugin_id = ?');
  const allStmt = db.prepare<[], Row>('SELECT * FROM plugin_uninstalls ORDER BY uninstalled_at, plugin_id');
  const putStmt = db.prepare(`INSERT OR REPLACE INTO plugin_uninstalls
    (plugin_id, display_name, version, source, original_path, trash_path, uninstalled_at)
    VALUES (@plugin_id, @display_name, @version, @source, @original_path, @trash_path, @uninstalled_at)`);
  const removeStmt = db.prepare('DELETE FROM plugin_uninstalls WHERE plugin_id = ?');
  const deleteStmts = PLUGIN_OWNED_TABLES.map(({ table, column }) => db.prepare(`DELETE FROM ${table} WHERE ${column} = ?`));
  const deleteAll = db.transaction((id: string) => { for (const stmt of deleteStmts) stmt.run(id); });

  return {
    get(id) {
      const row = getStmt.get(id);
      return row ? fromRow(row) : undefined;
    },
    all: () => allStmt.all().map(fromRow),
    put(r) {
      putStmt.run({
        plugin_id: r.id, display_name: r.displayName, version: r.version, source: r.source,
        original_path: r.originalPath, trash_path: r.trashPath, uninstalled_at: r.uninstalledAt,
      });
    },
    remove(id) { removeStmt.run(id); },
    deleteAllRowsOf(id) {
      try {
        deleteAll(id);
      } finally {
        // The `plugins` row went by a statement of its own: the registry reloads what is left.
        invalidateRegistryCache(db);
      }
    },
    transaction: (fn) => {
      try {
        return db.transaction(fn)();
      } catch (error) {
        // Registry writes inside were rolled back with the rest: memory must not keep them.
        invalidateRegistryCache(db);
        throw error;
      }
    },
  };
}
