// Kanban overview UI: a dashboard widget and a page. React and @plinth/sdk/ui come from the host.
import { createElement as h } from 'react';
import { useHostNavigation, usePluginData } from '@plinth/sdk/ui';

const LABELS = { todo: 'To do', in_progress: 'In progress', done: 'Done', cancelled: 'Cancelled' };

export function Overview() {
  const { data, error, loading } = usePluginData('counts');
  const { navigate } = useHostNavigation();
  if (error) return h('p', { role: 'alert' }, `Could not count: ${error.message}`);
  if (loading && !data) return h('p', null, 'Counting…');
  return h('div', null,
    h('ul', { style: { display: 'flex', gap: '16px', listStyle: 'none', padding: 0, margin: '0 0 8px' } },
      Object.entries(LABELS).map(([status, label]) => h('li', { key: status, 'data-testid': `count-${status}` },
        h('strong', { style: { fontSize: '20px', display: 'block' } }, String(data[status])), label))),
    h('button', { type: 'button', 'data-testid': 'open-board', onClick: () => navigate('/plugins/plinth-kanban-overview/board') }, 'Per project…'));
}

export function BoardPage() {
  const { data, error, loading } = usePluginData('board');
  const { navigate } = useHostNavigation();
  if (error) return h('p', { role: 'alert' }, `Could not load: ${error.message}`);
  if (loading && !data) return h('p', null, 'Loading…');
  if (data.length === 0) return h('p', { 'data-testid': 'board-empty' }, 'No projects yet.');
  return h('table', { 'data-testid': 'board-table', style: { borderCollapse: 'collapse', width: '100%' } },
    h('thead', null, h('tr', null, h('th', { style: { textAlign: 'left' } }, 'Project'),
      Object.values(LABELS).map((l) => h('th', { key: l, style: { textAlign: 'right' } }, l)))),
    h('tbody', null, data.map((p) => h('tr', { key: p.id, 'data-testid': 'board-row' },
      h('td', null, h('button', { type: 'button', onClick: () => navigate(`/projects/${p.id}/board`) }, p.name)),
      Object.keys(LABELS).map((s) => h('td', { key: s, style: { textAlign: 'right' } }, String(p.counts[s])))))));
}
