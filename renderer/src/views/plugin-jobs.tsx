/**
 * A plugin's scheduled jobs: schedule, next run, Run now, and the run history
 * with trigger, times, status and error; a failed run has Retry (a new run with trigger
 * `retry`). Refreshes while a run is in progress.
 */
import { useState, type ReactNode } from 'react';
import type { PluginJobView } from '../../../preload/api.ts';
import { MISSING, errorMessage, formatDateTime, formatShortDateTime, shortDateTimeParts } from './format.ts';
import { RUN_STATUS_LABEL, RUN_STATUS_TONE, RUN_TRIGGER_LABEL, anyRunRunning, recentRuns, type JobRun } from './labels.ts';
import { LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';
import { usePolling } from './use-polling.ts';
import './views.css';

/** Refresh period while some run is still running (ms): the status flips soon after it ends. */
export const JOBS_POLL_INTERVAL_MS = 2000;

/** Props of {@link PluginJobs}. */
export interface PluginJobsProps { pluginId: string }

/** What Run now shows per job: in progress, the run the host answered with, or why it failed. */
type RunNowState = { phase: 'running' } | { phase: 'done'; run: JobRun } | { phase: 'failed'; message: string };

function StatusBadge(props: { status: JobRun['status'] }): ReactNode {
  return <span className={`badge ${RUN_STATUS_TONE[props.status]}`} data-testid="run-status" data-status={props.status}>{RUN_STATUS_LABEL[props.status]}</span>;
}

function RunNowResult(props: { state: RunNowState | undefined }): ReactNode {
  const { state } = props;
  if (!state || state.phase === 'running') return null;
  if (state.phase === 'failed') {
    return <span className="field-error" role="alert" data-testid="job-run-result" data-status="error">Could not run: {state.message}</span>;
  }
  return (
    <span className="run-result" role="status" data-testid="job-run-result" data-status={state.run.status}>
      <StatusBadge status={state.run.status} />
      {state.run.error && <span className="cell-error">{state.run.error}</span>}
    </span>
  );
}

/**
 * A run time in a history cell: the short date and the time each kept whole, so a narrow
 * column wraps between them rather than sideways or mid-time; the long form is its tooltip.
 */
function RunTime(props: { iso: string | null }): ReactNode {
  const parts = shortDateTimeParts(props.iso);
  if (!parts) return formatShortDateTime(props.iso);
  return (
    <time dateTime={props.iso ?? undefined} title={formatDateTime(props.iso)}>
      <span className="nowrap">{parts.date}</span> <span className="nowrap">{parts.time}</span>
    </time>
  );
}

/** Props of the run history table: the runs and how to retry a failed one. */
interface RunHistoryProps {
  runs: JobRun[];
  jobName: string;
  /** Run ids whose retry is in flight (their Retry is disabled). */
  retrying: ReadonlySet<string>;
  onRetry(run: JobRun): void;
}

function RunHistory(props: RunHistoryProps): ReactNode {
  if (props.runs.length === 0) return <p className="muted" data-testid="job-runs-empty">No runs yet.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table compact" data-testid="job-runs">
        <caption className="visually-hidden">Run history, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Trigger</th>
            <th scope="col">Scheduled</th>
            <th scope="col">Started</th>
            <th scope="col">Finished</th>
            <th scope="col">Status</th>
            <th scope="col">Error</th>
            <th scope="col"><span className="visually-hidden">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {props.runs.map((run) => (
            <tr key={run.runId} data-testid="job-run" data-run-id={run.runId} data-status={run.status} data-trigger={run.trigger}>
              <td>{RUN_TRIGGER_LABEL[run.trigger]}</td>
              <td><RunTime iso={run.scheduledAt} /></td>
              <td><RunTime iso={run.startedAt} /></td>
              <td><RunTime iso={run.finishedAt} /></td>
              <td><StatusBadge status={run.status} /></td>
              <td className={run.error ? 'cell-error' : 'muted'}>{run.error ? <span className="clamp-lines" title={run.error}>{run.error}</span> : MISSING}</td>
              <td className="run-actions">
                {run.status === 'failed' && (
                  <button
                    type="button"
                    className="button secondary small"
                    data-testid="job-run-retry"
                    aria-label={`Retry the ${props.jobName} run started ${formatShortDateTime(run.startedAt)}`}
                    disabled={props.retrying.has(run.runId)}
                    onClick={() => props.onRetry(run)}
                  >
                    {props.retrying.has(run.runId) ? 'Retrying…' : 'Retry'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The jobs of one plugin. */
export function PluginJobs({ pluginId }: PluginJobsProps): ReactNode {
  const jobs = useAsync(() => window.plinth.listJobs(pluginId), pluginId);
  const [runNow, setRunNow] = useState<Record<string, RunNowState>>({});
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const { reload } = jobs;
  const busy = anyRunRunning(jobs.data ?? []) || Object.values(runNow).some((s) => s.phase === 'running') || retrying.size > 0;
  usePolling(reload, JOBS_POLL_INTERVAL_MS, busy);

  /** Starts a run of `job` with `call`; its outcome shows beside Run now and, after a reload, in the history. */
  async function track(job: PluginJobView, call: () => Promise<JobRun>): Promise<void> {
    setRunNow((s) => ({ ...s, [job.jobKey]: { phase: 'running' } }));
    try {
      const result = await call();
      setRunNow((s) => ({ ...s, [job.jobKey]: { phase: 'done', run: result } }));
    } catch (err) {
      setRunNow((s) => ({ ...s, [job.jobKey]: { phase: 'failed', message: errorMessage(err) } }));
    }
  }

  async function run(job: PluginJobView): Promise<void> {
    await track(job, () => window.plinth.runJobNow(pluginId, job.jobKey));
    await reload();
  }

  /** Retries a failed run: a new run with trigger `retry`; its Retry stays disabled meanwhile. */
  async function retry(job: PluginJobView, failed: JobRun): Promise<void> {
    setRetrying((s) => new Set(s).add(failed.runId));
    await track(job, () => window.plinth.retryJobRun(pluginId, failed.runId));
    setRetrying((s) => { const next = new Set(s); next.delete(failed.runId); return next; });
    await reload();
  }

  /** The run-now result follows the history: a run answered as "running" shows its final status once the list has it. */
  function currentState(job: PluginJobView): RunNowState | undefined {
    const state = runNow[job.jobKey];
    if (state?.phase !== 'done') return state;
    const latest = job.runs.find((r) => r.runId === state.run.runId);
    return latest ? { phase: 'done', run: latest } : state;
  }

  const list = jobs.data;
  return (
    <section className="view" data-testid="plugin-jobs" data-plugin-id={pluginId} data-loaded={list ? 'true' : 'false'} aria-label="Jobs">
      <LoadStatus loaded={list !== undefined} error={jobs.error} errorTitle="Could not read the jobs" testId="jobs" />
      {list && list.length === 0 && <p className="muted" data-testid="jobs-empty">This plugin declares no jobs.</p>}
      {list?.map((job) => {
        const state = currentState(job);
        const running = state?.phase === 'running';
        return (
          <article className="job card panel" key={job.jobKey} data-testid="job" data-job-key={job.jobKey}>
            <div className="panel-head">
              <div>
                <h3>{job.displayName}</h3>
                <p className="hint">
                  <code data-testid="job-schedule" title="Cron schedule">{job.schedule}</code>
                  {' · next run '}
                  <span data-testid="job-next-run">{job.nextRun ? formatDateTime(job.nextRun) : 'not scheduled'}</span>
                </p>
              </div>
              <div className="actions">
                <RunNowResult state={state} />
                <button
                  type="button"
                  className="button secondary small"
                  data-testid="job-run-now"
                  data-state={running ? 'running' : 'idle'}
                  aria-label={`Run ${job.displayName} now`}
                  disabled={running}
                  onClick={() => void run(job)}
                >
                  {running ? 'Running…' : 'Run now'}
                </button>
              </div>
            </div>
            <RunHistory runs={recentRuns(job.runs)} jobName={job.displayName} retrying={retrying} onRetry={(r) => void retry(job, r)} />
          </article>
        );
      })}
    </section>
  );
}
