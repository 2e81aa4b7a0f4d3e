/**
 * Settings → Activity: every write a plugin made to the workspace, newest
 * first, a page at a time, optionally for one plugin.
 */
import { useCallback, useEffect, useId, useMemo, useRef, useState, type ReactNode } from 'react';
import type { ActivityEntry } from '../../../sdk/protocol/entities.ts';
import { errorMessage, formatDateTime } from './format.ts';
import { mergeActivity } from './labels.ts';
import { LoadStatus } from './load-status.tsx';
import { useAsync } from './use-async.ts';
import './views.css';

/** Entries per page: a screenful or two; more come with "Load more". */
export const ACTIVITY_PAGE_SIZE = 50;

/** The activity log. */
export function ActivityView(): ReactNode {
  const plugins = useAsync(() => window.plinth.listPlugins(), 'plugins');
  const [pluginId, setPluginId] = useState('');
  const [entries, setEntries] = useState<ActivityEntry[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [loaded, setLoaded] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const filterId = useId();

  const names = useMemo(() => new Map((plugins.data ?? []).map((p) => [p.id, p.displayName])), [plugins.data]);

  /** Loads the first page (`more` false) or the page after `cursor`; stale answers are dropped. */
  const load = useCallback(async (more: boolean, after: string | undefined) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const page = await window.plinth.listActivity({
        ...(pluginId ? { pluginId } : {}),
        limit: ACTIVITY_PAGE_SIZE,
        ...(more && after ? { cursor: after } : {}),
      });
      if (mine !== seq.current) return;
      setEntries((current) => mergeActivity(more ? current : [], page.items));
      setCursor(page.nextCursor);
      setLoaded(true);
      setError(null);
    } catch (err) {
      if (mine === seq.current) setError(errorMessage(err));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [pluginId]);

  useEffect(() => {
    setEntries([]);
    setCursor(undefined);
    setLoaded(false);
    void load(false, undefined);
    return () => void ++seq.current;
  }, [load]);

  const filterName = pluginId ? names.get(pluginId) ?? pluginId : '';
  return (
    <section className="view" data-testid="activity-view" data-loaded={loaded ? 'true' : 'false'} aria-labelledby={`${filterId}-heading`}>
      <div className="view-heading">
        <h2 id={`${filterId}-heading`}>Activity</h2>
        <p className="muted">Every change a plugin made to your projects, tasks and comments.</p>
      </div>
      <div className="view-toolbar">
        <label className="inline-field" htmlFor={filterId}>
          <span>Plugin</span>
          <select id={filterId} className="input" data-testid="activity-plugin-filter" value={pluginId} onChange={(e) => setPluginId(e.currentTarget.value)}>
            <option value="">All plugins</option>
            {(plugins.data ?? []).map((p) => <option key={p.id} value={p.id}>{p.displayName}</option>)}
          </select>
        </label>
        <button type="button" className="button secondary small" data-testid="activity-refresh" disabled={loading} onClick={() => void load(false, undefined)}>
          Refresh
        </button>
      </div>
      <LoadStatus loaded={loaded} error={error} errorTitle="Could not read the activity log" testId="activity" />
      {loaded && entries.length === 0 && (
        <div className="empty-state" data-testid="activity-empty">
          <h2>No activity{filterName ? ` from ${filterName}` : ''}</h2>
          <p>When a plugin creates, changes or deletes a project, task or comment, it is listed here.</p>
        </div>
      )}
      {entries.length > 0 && (
        <div className="table-scroll">
          <table className="data-table" data-testid="activity-table">
            <caption className="visually-hidden">Plugin activity, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Plugin</th>
                <th scope="col">Action</th>
                <th scope="col">Entity</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id} data-testid="activity-row" data-plugin-id={entry.pluginId} data-action={entry.action} data-entity-type={entry.entityType}>
                  <td className="nowrap"><time dateTime={entry.occurredAt}>{formatDateTime(entry.occurredAt)}</time></td>
                  <td title={entry.pluginId}>{names.get(entry.pluginId) ?? entry.pluginId}</td>
                  <td><code>{entry.action}</code></td>
                  <td>
                    {entry.entityType} <code className="cell-sub" data-testid="activity-entity-id">{entry.entityId}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div className="view-footer">
          <button type="button" className="button secondary" data-testid="activity-load-more" disabled={loading} onClick={() => void load(true, cursor)}>
            {loading ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </section>
  );
}
