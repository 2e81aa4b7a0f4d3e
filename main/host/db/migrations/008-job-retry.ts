import type { Migration } from '../migration.ts';

/**
 * Job runs retried by the user (API 1.1, `trigger: "retry"`): the `trigger` check admits
 * `retry`, and `retry_of` names the failed run a retry repeats (`NULL` for other runs).
 * SQLite cannot change a CHECK constraint in place, so the table is rebuilt with its rows.
 */
export const jobRetryMigration: Migration = {
  version: 8,
  name: 'job runs retried from the run history',
  up(db) {
    db.exec(`
      CREATE TABLE job_runs_next (
        run_id        TEXT PRIMARY KEY,
        plugin_id     TEXT NOT NULL,
        job_key       TEXT NOT NULL,
        trigger       TEXT NOT NULL CHECK (trigger IN ('schedule', 'manual', 'retry')),
        scheduled_at  TEXT NOT NULL,
        started_at    TEXT NOT NULL,
        finished_at   TEXT,
        status        TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped')),
        error         TEXT,
        retry_of      TEXT
      ) STRICT;
      INSERT INTO job_runs_next (rowid, run_id, plugin_id, job_key, trigger, scheduled_at, started_at, finished_at, status, error)
        SELECT rowid, run_id, plugin_id, job_key, trigger, scheduled_at, started_at, finished_at, status, error FROM job_runs;
      DROP TABLE job_runs;
      ALTER TABLE job_runs_next RENAME TO job_runs;
      CREATE INDEX job_runs_by_job ON job_runs (plugin_id, job_key, started_at);
      CREATE INDEX job_runs_running ON job_runs (status) WHERE status = 'running';
    `);
  },
};
