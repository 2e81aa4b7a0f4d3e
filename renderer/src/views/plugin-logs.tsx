/**
 * The per-plugin log viewer: worker stdout/stderr, `ctx.logger` lines and host
 * notes, tailed live, filtered by minimum level and text, copied as text. It follows the newest
 * line unless the user scrolled up to read.
 */
import { memo, useCallback, useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { PluginLogLine } from '../../../preload/api.ts';
import type { LogLevel } from '../../../sdk/protocol/rpc.ts';
import { CopyButton } from './copy-button.tsx';
import { errorMessage, formatClock } from './format.ts';
import { ErrorAlert } from './load-status.tsx';
import { LOG_LEVELS, SHOW_ALL, appendLogLines, dataText, filterLogLines, lastSeqOf, logLinesToText, type LogFilter } from './log-lines.ts';
import { usePolling } from './use-polling.ts';
import './views.css';

/** Pause between two log polls (ms): new lines show within a second, like `tail -f`. */
export const LOG_POLL_INTERVAL_MS = 1000;
/** Distance from the bottom (px) still counted as "at the bottom", so sub-pixel scroll positions keep following. */
const STICK_THRESHOLD_PX = 24;

const LEVEL_OPTION: Record<LogLevel, string> = {
  debug: 'Debug and above', info: 'Info and above', warn: 'Warnings and errors', error: 'Errors only',
};

/** Props of {@link PluginLogs}. */
export interface PluginLogsProps { pluginId: string }

const LogRow = memo(function LogRow(props: { line: PluginLogLine }): ReactNode {
  const { line } = props;
  const data = dataText(line);
  return (
    <div className={`log-line level-${line.level}`} data-testid="log-line" data-level={line.level} data-source={line.source} data-seq={line.seq}>
      <time className="log-time" dateTime={line.time}>{formatClock(line.time)}</time>
      <span className="log-level">{line.level.toUpperCase()}</span>
      <span className="log-source">{line.source}</span>
      <span className="log-message">{line.message}</span>
      {data && (
        <details className="log-data">
          <summary>data</summary>
          <pre>{JSON.stringify(line.data, null, 2)}</pre>
        </details>
      )}
    </div>
  );
});

/** The log viewer of one plugin. Polls while mounted and the window is visible. */
export function PluginLogs({ pluginId }: PluginLogsProps): ReactNode {
  const [lines, setLines] = useState<readonly PluginLogLine[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<LogFilter>(SHOW_ALL);
  const [stuck, setStuck] = useState(true);
  const afterSeq = useRef<number | undefined>(undefined);
  const scroller = useRef<HTMLDivElement>(null);
  const levelId = useId();

  useEffect(() => {
    // Another plugin: start over from its first kept line.
    afterSeq.current = undefined;
    setLines([]);
    setLoaded(false);
    setError(null);
  }, [pluginId]);

  const tick = useCallback(async () => {
    try {
      const incoming = await window.plinth.pluginLogs(pluginId, afterSeq.current);
      const last = lastSeqOf(incoming);
      if (last !== undefined && (afterSeq.current === undefined || last > afterSeq.current)) afterSeq.current = last;
      setLines((current) => appendLogLines(current, incoming));
      setLoaded(true);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
      throw err;
    }
  }, [pluginId]);
  usePolling(tick, LOG_POLL_INTERVAL_MS);

  const visible = useMemo(() => filterLogLines(lines, filter), [lines, filter]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stuck) el.scrollTop = el.scrollHeight;
  }, [visible, stuck]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight <= STICK_THRESHOLD_PX;
    if (atBottom !== stuck) setStuck(atBottom);
  };

  return (
    <section className="view plugin-logs" data-testid="plugin-logs" data-plugin-id={pluginId} data-loaded={loaded ? 'true' : 'false'} aria-label="Logs">
      <div className="view-toolbar">
        <label className="inline-field" htmlFor={levelId}>
          <span>Level</span>
          <select
            id={levelId}
            className="input"
            data-testid="log-level"
            value={filter.minLevel}
            onChange={(e) => setFilter({ ...filter, minLevel: e.currentTarget.value as LogLevel })}
          >
            {LOG_LEVELS.map((level) => <option key={level} value={level}>{LEVEL_OPTION[level]}</option>)}
          </select>
        </label>
        <input
          type="search"
          className="input grow"
          placeholder="Filter lines"
          aria-label="Filter log lines"
          data-testid="log-filter"
          value={filter.text}
          onChange={(e) => setFilter({ ...filter, text: e.currentTarget.value })}
        />
        <span className="muted nowrap" data-testid="log-count" aria-live="polite">
          {visible.length === lines.length ? `${lines.length} lines` : `${visible.length} of ${lines.length} lines`}
        </span>
        <CopyButton text={() => logLinesToText(visible)} label="Copy" testId="log-copy" disabled={visible.length === 0} />
        <button type="button" className="button secondary small" data-testid="log-clear" disabled={lines.length === 0} onClick={() => setLines([])}>
          Clear
        </button>
      </div>
      {error && <ErrorAlert title="Could not read the logs" message={error} testId="log-error" />}
      <div className="log-frame">
        <div
          ref={scroller}
          className="log-lines"
          data-testid="log-lines"
          role="log"
          aria-live="off"
          aria-label="Log lines"
          tabIndex={0}
          onScroll={onScroll}
        >
          {visible.map((line) => <LogRow key={line.seq} line={line} />)}
          {loaded && visible.length === 0 && (
            <p className="log-empty muted" data-testid="log-empty">
              {lines.length === 0 ? 'No log lines yet. Lines appear as the worker writes them.' : 'No lines match the filter.'}
            </p>
          )}
          {!loaded && !error && <p className="log-empty muted">Loading…</p>}
        </div>
        {!stuck && (
          <button
            type="button"
            className="button primary small log-jump"
            data-testid="log-jump"
            onClick={() => setStuck(true)}
          >
            Jump to latest
          </button>
        )}
      </div>
    </section>
  );
}
