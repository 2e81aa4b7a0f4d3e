import type { Migration } from '../migration.ts';

/**
 * Plugins installed from an npm registry: where each came from (registry URL, version, the
 * tarball's `dist.integrity`), a version the user pinned, a downloaded version waiting in
 * `upgrade_pending` (its own integrity), and the last update check. A separate
 * table rather than `plugins` columns, because the registry rewrites whole `plugins` rows and a
 * plugin from a file has no origin. Also the auth tokens of registries, encrypted by the
 * secret store (its `kind` kept, so a store switch is detected as for plugin secrets).
 */
export const registryOriginsMigration: Migration = {
  version: 5,
  name: 'registry origins of installed plugins, registry tokens',
  up(db) {
    db.exec(`
      CREATE TABLE plugin_origins (
        plugin_id      TEXT PRIMARY KEY,
        registry       TEXT NOT NULL,
        version        TEXT NOT NULL,
        integrity      TEXT NOT NULL,
        pinned_version TEXT,
        staged_version TEXT,
        staged_integrity TEXT,
        installed_at   TEXT NOT NULL,
        checked_at     TEXT,
        check_error    TEXT
      ) STRICT;
      CREATE TABLE registry_tokens (
        registry   TEXT PRIMARY KEY,
        cipher     TEXT NOT NULL,
        store_kind TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
