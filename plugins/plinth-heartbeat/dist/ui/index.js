// The Heartbeat plugin's UI: plain ES module. React and @plinth/sdk/ui are provided by the host.
import { createElement as h, useEffect } from 'react';
import { usePluginData } from '@plinth/sdk/ui';

/** How often the widget asks for the last beat (ms): beats come every five minutes, so a minute is fresh enough. */
const REFRESH_MS = 60_000;

function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function HeartbeatWidget() {
  const { data, loading, error, refresh } = usePluginData('last');

  useEffect(() => {
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  if (loading && data === undefined) return h('p', { className: 'muted' }, 'Loading…');
  if (error) return h('p', { role: 'alert' }, `Could not load the heartbeat: ${error.message}`);
  if (!data) {
    return h('div', { className: 'heartbeat' },
      h('p', { 'data-testid': 'heartbeat-empty' }, 'No heartbeat yet.'),
      h('p', { className: 'muted' }, 'The first one arrives within five minutes, or use Run now in Settings.'),
    );
  }
  return h('div', { className: 'heartbeat' },
    h('p', null, 'Last beat: ', h('strong', { 'data-testid': 'heartbeat-time' }, formatTime(data.at))),
    h('p', { className: 'muted' }, `${data.trigger === 'manual' ? 'Run by hand' : 'On schedule'} · run ${String(data.runId).slice(0, 8)}`),
    h('button', { type: 'button', onClick: refresh, 'data-testid': 'heartbeat-refresh' }, 'Refresh'),
  );
}
