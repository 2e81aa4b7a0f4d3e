/**
 * Settings → Running: every plugin's worker with pid, runtime state, uptime,
 * activation time, memory, CPU, RPC calls and latency, restarts, dropped events and last error,
 * refreshed every second while the window is visible, sortable by any column.
 */
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import type { RunningPluginRow } from '../../../preload/api.ts';
import { errorMessage } from './format.ts';
import { LoadStatus } from './load-status.tsx';
import { DEFAULT_SORT, RUNNING_COLUMNS, RUNTIME_TONE, nextSort, sortRunningRows, type RunningColumn, type SortState } from './running-columns.ts';
import { usePolling } from './use-polling.ts';
import './views.css';

/** Refresh period of the table (ms): "live" to a reader, one cheap host call per second. */
export const RUNNING_POLL_INTERVAL_MS = 1000;

function SortHeader(props: { column: RunningColumn; sort: SortState; onSort(): void }): ReactNode {
  const { column, sort } = props;
  const active = sort.column === column.key;
  const arrow = active ? (sort.direction === 'ascending' ? '▲' : '▼') : '';
  return (
    <th scope="col" className={column.numeric ? 'num' : undefined} aria-sort={active ? sort.direction : 'none'} title={column.title}>
      <button type="button" className="sort-button" data-testid={`sort-${column.key}`} onClick={props.onSort}>
        {column.label}
        <span className="sort-arrow" aria-hidden="true">{arrow}</span>
      </button>
    </th>
  );
}

function Cell(props: { column: RunningColumn; row: RunningPluginRow }): ReactNode {
  const { column, row } = props;
  const text = column.format(row);
  if (column.key === 'runtime') {
    return <td data-column="runtime"><span className={`badge ${RUNTIME_TONE[row.runtime]}`}>{text}</span></td>;
  }
  if (column.key === 'plugin') {
    return (
      <th scope="row" data-column="plugin" className="row-head">
        <span className="cell-title">{text}</span>
        <code className="cell-sub">{row.pluginId}</code>
      </th>
    );
  }
  if (column.key === 'lastError') {
    return <td data-column="lastError" className={row.lastError ? 'cell-error' : 'muted'} title={row.lastError}>{text}</td>;
  }
  return <td data-column={column.key} className="num">{text}</td>;
}

/** The Running plugins table. Mount it only while its section shows: it polls while mounted. */
export function RunningPluginsView(): ReactNode {
  const [rows, setRows] = useState<RunningPluginRow[] | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);

  const tick = useCallback(async () => {
    try {
      const next = await window.plinth.runningPlugins();
      setRows(next);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
      throw err;
    }
  }, []);
  usePolling(tick, RUNNING_POLL_INTERVAL_MS);

  const sorted = useMemo(() => (rows ? sortRunningRows(rows, sort) : []), [rows, sort]);
  const loaded = rows !== undefined;
  const runningCount = rows?.filter((r) => r.runtime === 'running').length ?? 0;

  return (
    <section className="view" data-testid="running-plugins" data-loaded={loaded ? 'true' : 'false'} aria-labelledby="running-heading">
      <div className="view-heading">
        <h2 id="running-heading">Running plugins</h2>
        <p className="muted" data-testid="running-summary">
          {loaded ? `${runningCount} of ${rows.length} workers running. ` : ''}Updates every second.
        </p>
      </div>
      <LoadStatus loaded={loaded} error={error} errorTitle="Could not read the running plugins" testId="running" />
      {loaded && rows.length === 0 && (
        <div className="empty-state" data-testid="running-empty">
          <h2>No plugins</h2>
          <p>Workers show here once a plugin is installed and switched on.</p>
        </div>
      )}
      {loaded && rows.length > 0 && (
        // Focusable so keyboard users can scroll the wide table sideways.
        <div className="table-scroll" role="region" aria-label="Running plugins table" tabIndex={0}>
          <table className="data-table running-table" data-testid="running-table">
            <caption className="visually-hidden">Running plugins, sortable by each column</caption>
            <thead>
              <tr>
                {RUNNING_COLUMNS.map((column) => (
                  <SortHeader key={column.key} column={column} sort={sort} onSort={() => setSort((s) => nextSort(s, column.key))} />
                ))}
              </tr>
            </thead>
            <tbody>
              {sorted.map((row) => (
                <tr key={row.pluginId} data-testid="running-row" data-plugin-id={row.pluginId} data-runtime={row.runtime}>
                  {RUNNING_COLUMNS.map((column) => <Cell key={column.key} column={column} row={row} />)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
