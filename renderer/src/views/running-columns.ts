/**
 * Columns of the Running plugins table and how they sort. Pure, so the
 * sort order is unit-tested without a browser.
 */
import type { RunningPluginRow, RuntimeState } from '../../../preload/api.ts';
import { MISSING, formatMs, formatNumber, formatUptime } from './format.ts';

/** A column key; also the suffix of the header button's `data-testid` (`sort-<key>`). */
export type RunningColumnKey =
  | 'plugin' | 'pid' | 'runtime' | 'uptime' | 'activation' | 'rss' | 'cpu'
  | 'rpcCalls' | 'p50' | 'restarts' | 'eventsDropped' | 'rateLimited' | 'lastError';

/** `aria-sort` values a sorted column takes. */
export type SortDirection = 'ascending' | 'descending';

/** The table's sort: one column and its direction. */
export interface SortState { column: RunningColumnKey; direction: SortDirection }

/** One column: its header, whether it holds numbers (right-aligned, big first), its sort value and its text. */
export interface RunningColumn {
  key: RunningColumnKey;
  label: string;
  /** Longer header text for `title`, e.g. the unit. */
  title: string;
  numeric: boolean;
  value(row: RunningPluginRow): number | string | undefined;
  format(row: RunningPluginRow): string;
}

/** Runtime labels; the plugin card shows the same words. */
export const RUNTIME_LABEL: Record<RuntimeState, string> = {
  stopped: 'Idle', starting: 'Starting', running: 'Running', backoff: 'Restarting soon', crashed: 'Crashed',
};
/** Badge tone per runtime state (the label says it too, colour never alone). */
export const RUNTIME_TONE: Record<RuntimeState, string> = {
  stopped: 'neutral', starting: 'info', running: 'ok', backoff: 'warn', crashed: 'danger',
};
/** Runtime sort order: live workers first, then the troubled ones, idle last. */
const RUNTIME_RANK: Record<RuntimeState, number> = { running: 0, starting: 1, backoff: 2, crashed: 3, stopped: 4 };

/** The columns, left to right. */
export const RUNNING_COLUMNS: readonly RunningColumn[] = [
  { key: 'plugin', label: 'Plugin', title: 'Plugin', numeric: false, value: (r) => r.displayName.toLocaleLowerCase(), format: (r) => r.displayName },
  { key: 'pid', label: 'PID', title: 'Worker process id', numeric: true, value: (r) => r.pid, format: (r) => (r.pid === undefined ? MISSING : String(r.pid)) },
  { key: 'runtime', label: 'State', title: 'Runtime state of the worker', numeric: false, value: (r) => RUNTIME_RANK[r.runtime], format: (r) => RUNTIME_LABEL[r.runtime] },
  { key: 'uptime', label: 'Uptime', title: 'Time since the worker finished setup', numeric: true, value: (r) => r.uptimeS, format: (r) => formatUptime(r.uptimeS) },
  { key: 'activation', label: 'Activation', title: 'Time from start to setup done (ms)', numeric: true, value: (r) => r.activationMs, format: (r) => formatMs(r.activationMs) },
  { key: 'rss', label: 'RSS', title: 'Resident memory of the worker (MB)', numeric: true, value: (r) => r.rssMb, format: (r) => (r.rssMb === undefined ? MISSING : `${formatNumber(r.rssMb, 1)} MB`) },
  { key: 'cpu', label: 'CPU', title: 'CPU use of the worker (%)', numeric: true, value: (r) => r.cpuPercent, format: (r) => (r.cpuPercent === undefined ? MISSING : `${formatNumber(r.cpuPercent, 1)} %`) },
  { key: 'rpcCalls', label: 'RPC calls', title: 'Calls between host and worker', numeric: true, value: (r) => r.rpcCalls, format: (r) => formatNumber(r.rpcCalls) },
  { key: 'p50', label: 'p50', title: 'Median RPC latency (ms)', numeric: true, value: (r) => r.p50LatencyMs, format: (r) => formatMs(r.p50LatencyMs) },
  { key: 'restarts', label: 'Restarts', title: 'Restarts after a crash or hang', numeric: true, value: (r) => r.restarts, format: (r) => formatNumber(r.restarts) },
  { key: 'eventsDropped', label: 'Dropped', title: 'Events dropped from full subscriber queues', numeric: true, value: (r) => r.eventsDropped, format: (r) => formatNumber(r.eventsDropped) },
  {
    key: 'rateLimited', label: 'Rate-limited', title: 'Requests refused for going over the rate limit (or, from one frame, over its cap of requests in flight): from the plugin\'s UI / from its worker', numeric: true,
    value: (r) => r.rateLimited.ui + r.rateLimited.worker,
    format: (r) => (r.rateLimited.ui + r.rateLimited.worker === 0 ? '0' : `${formatNumber(r.rateLimited.ui)} UI / ${formatNumber(r.rateLimited.worker)} worker`),
  },
  { key: 'lastError', label: 'Last error', title: 'Last worker error', numeric: false, value: (r) => r.lastError, format: (r) => r.lastError ?? MISSING },
];

/** The sort a fresh table starts with: by plugin name. */
export const DEFAULT_SORT: SortState = { column: 'plugin', direction: 'ascending' };

function columnOf(key: RunningColumnKey): RunningColumn {
  const column = RUNNING_COLUMNS.find((c) => c.key === key);
  if (!column) throw new Error(`Unknown column "${key}"`);
  return column;
}

/**
 * The sort after a click on `key`: the same column flips direction; another column starts
 * descending when numeric (the biggest RSS or CPU is what one looks for) and ascending otherwise.
 */
export function nextSort(current: SortState, key: RunningColumnKey): SortState {
  if (current.column === key) return { column: key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { column: key, direction: columnOf(key).numeric ? 'descending' : 'ascending' };
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/**
 * A sorted copy of `rows`. Missing values go last in both directions (a stopped worker has no
 * RSS, and it should not top a "biggest first" list); ties keep plugin-name order, then id.
 */
export function sortRunningRows(rows: readonly RunningPluginRow[], sort: SortState): RunningPluginRow[] {
  const column = columnOf(sort.column);
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const byName = (a: RunningPluginRow, b: RunningPluginRow) =>
    a.displayName.localeCompare(b.displayName) || a.pluginId.localeCompare(b.pluginId);
  return [...rows].sort((a, b) => {
    const va = column.value(a);
    const vb = column.value(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
      return byName(a, b);
    }
    return sign * compareValues(va, vb) || byName(a, b);
  });
}
