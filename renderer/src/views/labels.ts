/**
 * Words and badge tones for workspace, job and MCP values, plus small pure helpers of those
 * views. The label always says what the colour says, so colour never carries meaning alone.
 */
import type { ActivityEntry, TaskPriority, TaskStatus } from '../../../sdk/protocol/entities.ts';
import type { PluginJobView } from '../../../preload/api.ts';

/** A job run's status. */
export type RunStatus = PluginJobView['runs'][number]['status'];
/** One job run. */
export type JobRun = PluginJobView['runs'][number];

export const TASK_STATUS_LABEL: Record<TaskStatus, string> = { todo: 'To do', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' };
export const PRIORITY_LABEL: Record<TaskPriority, string> = { low: 'Low', medium: 'Medium', high: 'High' };
export const PRIORITY_TONE: Record<TaskPriority, string> = { low: 'outline', medium: 'info', high: 'warn' };
export const RUN_STATUS_LABEL: Record<RunStatus, string> = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed', skipped: 'Skipped' };
export const RUN_STATUS_TONE: Record<RunStatus, string> = { running: 'info', succeeded: 'ok', failed: 'danger', skipped: 'warn' };
export const RUN_TRIGGER_LABEL: Record<JobRun['trigger'], string> = { schedule: 'Schedule', manual: 'Manual', retry: 'Retry' };

/** Most runs a job's history table shows; the host keeps the full run table. */
export const JOB_HISTORY_SHOWN = 20;

/** Runs newest first (by start time, then run id), at most {@link JOB_HISTORY_SHOWN}. */
export function recentRuns(runs: readonly JobRun[], max = JOB_HISTORY_SHOWN): JobRun[] {
  return [...runs]
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || b.runId.localeCompare(a.runId))
    .slice(0, max);
}

/** True while some run of some job is still running, so the view keeps refreshing. */
export function anyRunRunning(jobs: readonly PluginJobView[]): boolean {
  return jobs.some((job) => job.runs.some((run) => run.status === 'running'));
}

/**
 * Activity pages merged: entries of `next` not already in `current` (by id), all newest
 * first (by `occurredAt`, ties by id descending, which is stable across pages).
 */
export function mergeActivity(current: readonly ActivityEntry[], next: readonly ActivityEntry[]): ActivityEntry[] {
  const seen = new Set(current.map((e) => e.id));
  const merged = [...current, ...next.filter((e) => !seen.has(e.id))];
  return merged.sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id));
}

/** Number of mask characters shown for a hidden token; fixed, so the mask does not leak the length. */
export const TOKEN_MASK_LENGTH = 24;

/** A token as shown while hidden. */
export function maskToken(token: string | null): string {
  return token ? '•'.repeat(TOKEN_MASK_LENGTH) : '';
}

/** The one-line hint of how to add the MCP server to a client. */
export function mcpClientHint(url: string | null): string {
  return `In your MCP client, add a Streamable HTTP server with URL ${url ?? '(shown once the server runs)'} and the header "Authorization: Bearer <token>".`;
}
