import type { Migration } from '../migration.ts';

/**
 * Uninstalled plugins (CONTRACT §9): one row per plugin in its grace period,
 * with what the "Recently uninstalled" list shows and where its files went. The plugin's
 * `plugins` row stays too (state `uninstalled`, config and consent kept), as do its state, job
 * runs, webhook endpoints and secrets, until it is restored or purged. A separate table rather
 * than a `plugins` column, because the registry rewrites whole `plugins` rows.
 */
export const installMigration: Migration = {
  version: 4,
  name: 'uninstalled plugins in their grace period',
  up(db) {
    db.exec(`
      CREATE TABLE plugin_uninstalls (
        plugin_id      TEXT PRIMARY KEY,
        display_name   TEXT NOT NULL,
        version        TEXT NOT NULL,
        source         TEXT NOT NULL CHECK (source IN ('user', 'unpacked')),
        original_path  TEXT NOT NULL,
        trash_path     TEXT,
        uninstalled_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX plugin_uninstalls_by_time ON plugin_uninstalls (uninstalled_at);
    `);
  },
};
