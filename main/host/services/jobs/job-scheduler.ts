/**
 * Scheduled plugin jobs (`ctx.jobs`, CONTRACT §2 and §5): croner fires each declared job on
 * its cron schedule, the host records every run in `job_runs`, and a run is handed to the
 * plugin's worker through the injected `runJob`. At most one run of a job is in flight; a
 * tick (or "Run now") that arrives meanwhile is recorded as `skipped`. Nothing retries on its
 * own: a thrown error fails the run with its message (CONTRACT §5); the user may retry a failed
 * run from its history, which starts a new run with trigger `retry` (API 1.1).
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { JobDeclaration } from '@plinth/sdk/protocol/manifest';
import type { JobRun } from '@plinth/sdk/protocol/rpc';
import type { Db } from '../../db/database.ts';
import { createJobRunTable, type JobRunRecord, type JobTrigger } from './job-runs.ts';

export type { JobRunRecord, JobRunStatus, JobTrigger } from './job-runs.ts';
export { RUNS_KEPT_PER_JOB } from './job-runs.ts';

/** Default page of {@link JobScheduler.history}: a screenful of runs. */
export const DEFAULT_HISTORY_LIMIT = 50;
/** Largest page of {@link JobScheduler.history}: bounds one query and one IPC answer. */
export const MAX_HISTORY_LIMIT = 500;
/** Longest job key (characters); keys are identifiers shown in the UI, not data. */
export const MAX_JOB_KEY_LENGTH = 128;
/**
 * Cron dialect: the 5 fields of CONTRACT §2, or 6 with a leading seconds field (handy in
 * development and tests). Evaluated in the machine's local time zone, as a user reading
 * `0 9 * * *` expects.
 */
const CRON_MODE = '5-or-6-parts';
/** Error recorded for runs a previous host process left `running` (it stopped mid-run). */
const INTERRUPTED_REASON = 'The app stopped while this run was in progress';

/** What the scheduler needs from the host. */
export interface JobSchedulerOptions {
  /** The host database, migrated to at least version 3. */
  db: Db;
  /**
   * Runs one job in the plugin's worker (starting it if needed) and settles when the
   * handler does. A rejection fails the run with the error's message.
   */
  runJob(pluginId: string, run: JobRun): Promise<void>;
  /** Clock for recorded times; injectable for tests. */
  now?: () => Date;
  /** Told about failures that have no caller to reject, e.g. a run record that could not be written. */
  onError?: (error: unknown) => void;
}

/** The job scheduler, shared by all plugins. */
export interface JobScheduler {
  /**
   * Replaces the schedule of one plugin with `jobs` (its manifest's `plinth.jobs`). Checks
   * every job first, so a bad one changes nothing. A run in flight keeps going.
   * @throws PlinthError `INVALID_INPUT` naming the job key and the cron expression that is invalid,
   *   or a duplicate / malformed job key.
   */
  schedule(pluginId: string, jobs: JobDeclaration[]): void;
  /** Stops scheduling a plugin's jobs (disable, uninstall). Runs in flight finish and are recorded. */
  unschedule(pluginId: string): void;
  /**
   * Runs a job now (trigger `manual`) and resolves with its finished record, or with a
   * `skipped` record when a run of that job is already in flight.
   * @throws PlinthError `NOT_FOUND` when the plugin has no scheduled job `jobKey`.
   */
  runNow(pluginId: string, jobKey: string): Promise<JobRunRecord>;
  /**
   * Retries the failed run `runId` of a plugin: a new run of the same job with trigger `retry`,
   * the failed run's `scheduledAt` (the handler redoes the same scheduled slot) and `retryOf`
   * naming the failed run. Resolves with the new run's finished record, or a `skipped` record
   * when a run of that job is already in flight. The failed run itself stays in the history.
   * @throws PlinthError `NOT_FOUND` when the plugin has no run `runId` or no scheduled job of
   *   that run; `CONFLICT` when the run did not fail (only failed runs can be retried).
   */
  retry(pluginId: string, runId: string): Promise<JobRunRecord>;
  /**
   * One scheduled tick: what croner's callback calls, exposed so tests drive time without
   * waiting for it. `scheduledAt` is the time the schedule named.
   * @throws PlinthError `NOT_FOUND` when the plugin has no scheduled job `jobKey`.
   */
  tick(pluginId: string, jobKey: string, scheduledAt: Date): Promise<JobRunRecord>;
  /**
   * Recorded runs of a plugin (of one job when `jobKey` is given), newest first.
   * @param limit 1…{@link MAX_HISTORY_LIMIT}, default {@link DEFAULT_HISTORY_LIMIT}.
   * @throws PlinthError `INVALID_INPUT` for a limit out of range.
   */
  history(pluginId: string, jobKey?: string, limit?: number): JobRunRecord[];
  /** When a scheduled job fires next, or `null` when it is not scheduled or never fires again. */
  nextRun(pluginId: string, jobKey: string): Date | null;
  /** Deletes a plugin's run history (uninstall purge); unschedules it too. */
  purge(pluginId: string): void;
  /** Stops every schedule. Runs in flight settle on their own; nothing new starts. */
  stop(): void;
}

interface ScheduledJob {
  declaration: JobDeclaration;
  cron: Cron;
  /** The time croner will fire at next: the `scheduledAt` of that tick. */
  expected: Date | null;
}

/** Validates a job list (keys and cron expressions), throwing an error that names the culprit. */
function checkJobs(pluginId: string, jobs: JobDeclaration[]): void {
  if (!Array.isArray(jobs)) throw new PlinthError('INVALID_INPUT', `Jobs of plugin ${pluginId} must be an array`);
  const seen = new Set<string>();
  for (const job of jobs) {
    const jobKey: unknown = job?.jobKey;
    if (typeof jobKey !== 'string' || jobKey.length === 0 || jobKey.length > MAX_JOB_KEY_LENGTH) {
      throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: every job needs a jobKey of 1-${MAX_JOB_KEY_LENGTH} characters`);
    }
    if (seen.has(jobKey)) throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: job "${jobKey}" is declared twice`);
    seen.add(jobKey);
    const schedule: unknown = job.schedule;
    try {
      if (typeof schedule !== 'string') throw new Error('it must be a string');
      new Cron(schedule, { paused: true, mode: CRON_MODE }).stop();
    } catch (error) {
      throw new PlinthError('INVALID_INPUT',
        `Plugin ${pluginId}: job "${jobKey}" has an invalid cron schedule ${JSON.stringify(schedule)}: ${(error as Error).message}`,
        { jobKey, schedule: typeof schedule === 'string' ? schedule : null });
    }
  }
}

/**
 * Creates the job scheduler. Runs a previous host process left `running` are marked `failed`
 * (it stopped mid-run), so history never shows a run that will not finish.
 */
export function createJobScheduler(options: JobSchedulerOptions): JobScheduler {
  const { runJob } = options;
  const now = options.now ?? (() => new Date());
  const onError = options.onError ?? (() => {});
  const table = createJobRunTable(options.db);
  const plugins = new Map<string, Map<string, ScheduledJob>>();
  /** `pluginId \0 jobKey` → run id in flight; kept apart from schedules so a reschedule keeps the guard. */
  const inFlight = new Map<string, string>();
  let stopped = false;

  table.failInterrupted(now().toISOString(), INTERRUPTED_REASON);

  const guardKey = (pluginId: string, jobKey: string) => `${pluginId}\u0000${jobKey}`;

  function find(pluginId: string, jobKey: string): ScheduledJob {
    const job = plugins.get(pluginId)?.get(jobKey);
    if (!job) throw new PlinthError('NOT_FOUND', `Plugin ${pluginId} has no scheduled job "${jobKey}"`);
    return job;
  }

  /** Writes to the table, tolerating a database the host already closed during shutdown. */
  function record<T>(write: () => T, fallback: T): T {
    try {
      return write();
    } catch (error) {
      onError(error);
      return fallback;
    }
  }

  async function start(pluginId: string, jobKey: string, trigger: JobTrigger, scheduledAt: Date, retryOf: string | null = null): Promise<JobRunRecord> {
    const startedAt = now().toISOString();
    const base = { runId: randomUUID(), pluginId, jobKey, trigger, scheduledAt: scheduledAt.toISOString(), startedAt, retryOf };
    const key = guardKey(pluginId, jobKey);
    const running = inFlight.get(key);
    if (running !== undefined) {
      const skipped: JobRunRecord = {
        ...base, finishedAt: startedAt, status: 'skipped',
        error: `Skipped: the previous run (${running}) was still in progress`,
      };
      record(() => { table.insert(skipped); table.prune(pluginId, jobKey); }, undefined);
      return skipped;
    }
    inFlight.set(key, base.runId);
    const runningRecord: JobRunRecord = { ...base, finishedAt: null, status: 'running', error: null };
    record(() => table.insert(runningRecord), undefined);
    let status: 'succeeded' | 'failed' = 'succeeded';
    let error: string | null = null;
    try {
      await runJob(pluginId, { jobKey, runId: base.runId, trigger, scheduledAt: base.scheduledAt });
    } catch (thrown) {
      status = 'failed';
      error = thrown instanceof Error ? thrown.message : String(thrown);
    } finally {
      inFlight.delete(key);
    }
    const finishedAt = now().toISOString();
    const fallback: JobRunRecord = { ...runningRecord, finishedAt, status, error };
    return record(() => {
      const finished = table.finish(base.runId, status, finishedAt, error);
      table.prune(pluginId, jobKey);
      return finished;
    }, fallback);
  }

  function unschedule(pluginId: string): void {
    const jobs = plugins.get(pluginId);
    if (!jobs) return;
    for (const job of jobs.values()) job.cron.stop();
    plugins.delete(pluginId);
  }

  const scheduler: JobScheduler = {
    schedule(pluginId, jobs) {
      if (stopped) throw new PlinthError('NOT_READY', 'The job scheduler has stopped');
      checkJobs(pluginId, jobs);
      unschedule(pluginId);
      const scheduled = new Map<string, ScheduledJob>();
      for (const declaration of jobs) {
        const { jobKey } = declaration;
        // `unref`: a schedule alone must never keep a host process (or a test) alive.
        const cron = new Cron(declaration.schedule, { mode: CRON_MODE, unref: true, catch: onError }, () => {
          const entry = scheduled.get(jobKey);
          const scheduledAt = entry?.expected ?? now();
          if (entry) entry.expected = entry.cron.nextRun();
          // Not awaited: croner must keep ticking while a run is in flight, so overlaps are seen and skipped.
          scheduler.tick(pluginId, jobKey, scheduledAt).catch(onError);
        });
        scheduled.set(jobKey, { declaration, cron, expected: cron.nextRun() });
      }
      if (scheduled.size > 0) plugins.set(pluginId, scheduled);
    },
    unschedule,
    async runNow(pluginId, jobKey) {
      find(pluginId, jobKey);
      return start(pluginId, jobKey, 'manual', now());
    },
    async retry(pluginId, runId) {
      const failed = table.get(runId);
      if (!failed || failed.pluginId !== pluginId) throw new PlinthError('NOT_FOUND', `Plugin ${pluginId} has no job run ${runId}: reload the run history`);
      if (failed.status !== 'failed') {
        throw new PlinthError('CONFLICT', `Run ${runId} of job "${failed.jobKey}" is ${failed.status}; only a failed run can be retried`, { status: failed.status });
      }
      find(pluginId, failed.jobKey);
      return start(pluginId, failed.jobKey, 'retry', new Date(failed.scheduledAt), failed.runId);
    },
    async tick(pluginId, jobKey, scheduledAt) {
      find(pluginId, jobKey);
      return start(pluginId, jobKey, 'schedule', scheduledAt);
    },
    history(pluginId, jobKey, limit = DEFAULT_HISTORY_LIMIT) {
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_LIMIT) {
        throw new PlinthError('INVALID_INPUT', `History limit must be an integer from 1 to ${MAX_HISTORY_LIMIT}, got ${limit}`);
      }
      return table.list(pluginId, jobKey, limit);
    },
    nextRun(pluginId, jobKey) {
      return plugins.get(pluginId)?.get(jobKey)?.cron.nextRun() ?? null;
    },
    purge(pluginId) {
      unschedule(pluginId);
      table.deletePlugin(pluginId);
    },
    stop() {
      stopped = true;
      for (const pluginId of [...plugins.keys()]) unschedule(pluginId);
    },
  };
  return scheduler;
}
