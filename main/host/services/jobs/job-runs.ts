/**
 * The `job_runs` table (migration 003): one row per run of a plugin job, including runs that
 * were skipped because the previous one was still going.
 */
import type { Db } from '../../db/database.ts';

/** Why a run started (CONTRACT §5 `job.trigger`; `retry` is API 1.1: the user retried a failed run). */
export type JobTrigger = 'schedule' | 'manual' | 'retry';
/** Outcome of a run; `running` until the handler settles. */
export type JobRunStatus = 'running' | 'succeeded' | 'failed' | 'skipped';

/** One recorded run. Times are ISO 8601 UTC; `finishedAt` is `null` while `running`. */
export interface JobRunRecord {
  runId: string;
  pluginId: string;
  jobKey: string;
  trigger: JobTrigger;
  scheduledAt: string;
  startedAt: string;
  finishedAt: string | null;
  status: JobRunStatus;
  /** The handler's error message (`failed`), or why the run was `skipped`. */
  error: string | null;
  /** The failed run this run retries (trigger `retry`); `null` for every other run. */
  retryOf: string | null;
}

/** Runs kept per job; older ones are deleted as new ones finish (a year of daily runs, bounded rows). */
export const RUNS_KEPT_PER_JOB = 400;

interface Row {
  run_id: string; plugin_id: string; job_key: string; trigger: JobTrigger; scheduled_at: string;
  started_at: string; finished_at: string | null; status: JobRunStatus; error: string | null;
  retry_of: string | null;
}

function toRecord(row: Row): JobRunRecord {
  return {
    runId: row.run_id, pluginId: row.plugin_id, jobKey: row.job_key, trigger: row.trigger,
    scheduledAt: row.scheduled_at, startedAt: row.started_at, finishedAt: row.finished_at,
    status: row.status, error: row.error, retryOf: row.retry_of,
  };
}

/** Typed access to `job_runs`. */
export interface JobRunTable {
  insert(record: JobRunRecord): void;
  /** One run by id, or `undefined`. */
  get(runId: string): JobRunRecord | undefined;
  finish(runId: string, status: 'succeeded' | 'failed', finishedAt: string, error: string | null): JobRunRecord;
  /** Deletes the oldest finished runs of a job beyond {@link RUNS_KEPT_PER_JOB}. */
  prune(pluginId: string, jobKey: string): void;
  /** Newest first. */
  list(pluginId: string, jobKey: string | undefined, limit: number): JobRunRecord[];
  /** Marks rows left `running` by a host that stopped mid-run as failed with `reason`. */
  failInterrupted(finishedAt: string, reason: string): number;
  /** Deletes every run of a plugin (uninstall purge). */
  deletePlugin(pluginId: string): void;
}

/** Prepares the statements over an open database that has migrations 003 and 008. */
export function createJobRunTable(db: Db): JobRunTable {
  const insertStmt = db.prepare(
    `INSERT INTO job_runs (run_id, plugin_id, job_key, trigger, scheduled_at, started_at, finished_at, status, error, retry_of)
     VALUES (@runId, @pluginId, @jobKey, @trigger, @scheduledAt, @startedAt, @finishedAt, @status, @error, @retryOf)`);
  const finishStmt = db.prepare('UPDATE job_runs SET status = ?, finished_at = ?, error = ? WHERE run_id = ?');
  const getStmt = db.prepare<[string], Row>('SELECT * FROM job_runs WHERE run_id = ?');
  const listAllStmt = db.prepare<[string, number], Row>(
    'SELECT * FROM job_runs WHERE plugin_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const listJobStmt = db.prepare<[string, string, number], Row>(
    'SELECT * FROM job_runs WHERE plugin_id = ? AND job_key = ? ORDER BY started_at DESC, rowid DESC LIMIT ?');
  const pruneStmt = db.prepare(
    `DELETE FROM job_runs WHERE plugin_id = @pluginId AND job_key = @jobKey AND status != 'running' AND run_id NOT IN (
       SELECT run_id FROM job_runs WHERE plugin_id = @pluginId AND job_key = @jobKey
       ORDER BY started_at DESC, rowid DESC LIMIT @keep)`);
  const interruptedStmt = db.prepare(
    "UPDATE job_runs SET status = 'failed', finished_at = ?, error = ? WHERE status = 'running'");
  const deletePluginStmt = db.prepare('DELETE FROM job_runs WHERE plugin_id = ?');

  return {
    insert(record) {
      insertStmt.run(record);
    },
    get(runId) {
      const row = getStmt.get(runId);
      return row ? toRecord(row) : undefined;
    },
    finish(runId, status, finishedAt, error) {
      finishStmt.run(status, finishedAt, error, runId);
      const row = getStmt.get(runId);
      if (!row) throw new Error(`job run ${runId} vanished`);
      return toRecord(row);
    },
    prune(pluginId, jobKey) {
      pruneStmt.run({ pluginId, jobKey, keep: RUNS_KEPT_PER_JOB });
    },
    list(pluginId, jobKey, limit) {
      const rows = jobKey === undefined ? listAllStmt.all(pluginId, limit) : listJobStmt.all(pluginId, jobKey, limit);
      return rows.map(toRecord);
    },
    failInterrupted(finishedAt, reason) {
      return interruptedStmt.run(finishedAt, reason).changes;
    },
    deletePlugin(pluginId) {
      deletePluginStmt.run(pluginId);
    },
  };
}
