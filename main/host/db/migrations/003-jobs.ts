import type { Migration } from '../migration.ts';

/**
 * Runtime services' persistent rows: job runs (history of `ctx.jobs` handlers), webhook
 * endpoint secrets (so a webhook URL stays the same across restarts) and stored plugin
 * secrets (config fields with `"format": "secret"`, CONTRACT §2). Times are ISO 8601 UTC
 * strings with milliseconds, so they sort as text. No foreign keys to `plugins`: these rows
 * outlive an uninstall for its grace period, and the host purges them with the plugin.
 */
export const jobsMigration: Migration = {
  version: 3,
  name: 'job runs, webhook endpoint secrets, plugin secrets',
  up(db) {
    db.exec(`
      CREATE TABLE job_runs (
        run_id        TEXT PRIMARY KEY,
        plugin_id     TEXT NOT NULL,
        job_key       TEXT NOT NULL,
        trigger       TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual')),
        scheduled_at  TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
        error         TEXT
      ) STRICT;
      CREATE INDEX job_runs_by_job ON job_runs (plugin_id, job_key, started_at);
      CREATE INDEX job_runs_running ON job_runs (status) WHERE status = 'running';

      CREATE TABLE webhook_endpoints (
        plugin_id     TEXT NOT NULL,
        endpoint_key  TEXT NOT NULL,
        secret        TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        PRIMARY KEY (plugin_id, endpoint_key)
      ) STRICT;

      CREATE TABLE plugin_secrets (
        id            TEXT PRIMARY KEY,
        plugin_id     TEXT NOT NULL,
        ciphertext    TEXT NOT NULL,
        store_kind    TEXT NOT NULL,
        created_at    TEXT NOT NULL
      ) STRICT;
      CREATE INDEX plugin_secrets_by_plugin ON plugin_secrets (plugin_id);
    `);
  },
};
