import type { Migration } from '../migration.ts';

/** Plugin registry (lifecycle state, enablement, last error) and plugin state entries (CONTRACT §5). */
export const registryMigration: Migration = {
  version: 1,
  name: 'registry and plugin state',
  up(db) {
    db.exec(`
      CREATE TABLE plugins (
        id            TEXT PRIMARY KEY,
        source        TEXT NOT NULL,
        path          TEXT NOT NULL,
        version       TEXT NOT NULL,
        state         TEXT NOT NULL,
        enabled       INTEGER NOT NULL DEFAULT 0,
        last_error    TEXT,
        capabilities  TEXT NOT NULL DEFAULT '[]',
        approved_capabilities TEXT,
        config        TEXT NOT NULL DEFAULT '{}',
        installed_at  TEXT NOT NULL,
        updated_at    TEXT NOT NULL
      ) STRICT;
      CREATE TABLE plugin_state (
        plugin_id   TEXT NOT NULL,
        scope_kind  TEXT NOT NULL CHECK (scope_kind IN ('instance', 'project', 'task')),
        scope_id    TEXT NOT NULL DEFAULT '',
        namespace   TEXT NOT NULL DEFAULT '',
        state_key   TEXT NOT NULL,
        value       TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        PRIMARY KEY (plugin_id, scope_kind, scope_id, namespace, state_key)
      ) STRICT;
    `);
  },
};
