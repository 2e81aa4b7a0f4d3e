import type { Migration } from '../migration.ts';

/**
 * The user's answers to runtime permission requests (API 1.1, `ctx.permissions.request`): one
 * row per plugin and capability, `allowed` or `denied`, kept across restarts until revoked in
 * Settings or the plugin is purged. A table of its own: the registry rewrites whole `plugins` rows.
 */
export const pluginPermissionsMigration: Migration = {
  version: 7,
  name: 'runtime permission decisions',
  up(db) {
    db.exec(`
      CREATE TABLE plugin_permissions (
        plugin_id  TEXT NOT NULL,
        capability TEXT NOT NULL,
        decision   TEXT NOT NULL CHECK (decision IN ('allowed', 'denied')),
        decided_at TEXT NOT NULL,
        PRIMARY KEY (plugin_id, capability)
      ) STRICT;
    `);
  },
};
