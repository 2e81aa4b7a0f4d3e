import type { Migration } from '../migration.ts';

/**
 * The kind of a plugin's failure as data (`plugins.last_error_kind`: `manifest`, `config`,
 * `setup` or `crash_loop`), beside its message in `last_error`. The kind decides what clears the
 * failure: a manifest problem goes when the files are fixed, a setup failure or crash loop stays
 * until the user re-enables or reloads. Rows of earlier versions get the kind their message
 * began with.
 */
export const failureKindMigration: Migration = {
  version: 6,
  name: 'the kind of a plugin failure',
  up(db) {
    db.exec(`
      ALTER TABLE plugins ADD COLUMN last_error_kind TEXT;
      UPDATE plugins SET last_error_kind = CASE
        WHEN last_error LIKE 'Setup failed%' THEN 'setup'
        WHEN last_error LIKE 'crash loop%' THEN 'crash_loop'
        WHEN last_error LIKE 'Needs configuration:%' THEN 'config'
        ELSE 'manifest' END
      WHERE last_error IS NOT NULL;
    `);
  },
};
