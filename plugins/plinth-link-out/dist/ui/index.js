// Link out UI: the task's Link tab and the drawer its toolbar button opens.
import { createElement as h, useState } from 'react';
import { useHostContext, useHostNavigation, usePluginAction, usePluginData } from '@plinth/sdk/ui';

export function LinkTab() {
  const { entityId } = useHostContext();
  const { data, refresh } = usePluginData('link', { taskId: entityId });
  const setLink = usePluginAction('setLink');
  const [draft, setDraft] = useState(null);
  const [error, setError] = useState(null);
  const value = draft ?? data?.url ?? '';
  const save = async () => {
    setError(null);
    try {
      await setLink({ taskId: entityId, url: value });
      setDraft(null);
      await refresh();
    } catch (e) {
      setError(e.message);
    }
  };
  // No <form>: plugin frames are sandboxed without allow-forms, so a form would never submit.
  return h('div', null,
    h('label', null, 'Link of this task ', h('input', {
      'data-testid': 'link-input', type: 'url', value, size: 50, placeholder: 'https://…',
      onChange: (e) => setDraft(e.target.value), onKeyDown: (e) => { if (e.key === 'Enter') void save(); },
    })),
    ' ', h('button', { type: 'button', 'data-testid': 'link-save', onClick: () => void save() }, 'Save'),
    error && h('p', { role: 'alert', 'data-testid': 'link-error' }, error),
    data?.url && h('p', { 'data-testid': 'link-saved' }, 'Saved: ', data.url));
}

export function LinkDrawer() {
  const { entityId, renderEnvironment } = useHostContext();
  const { data, loading } = usePluginData('link', { taskId: entityId });
  const { navigate, close } = useHostNavigation();
  if (loading && !data) return h('p', null, 'Loading…');
  return h('div', { 'data-testid': 'link-drawer', 'data-environment': renderEnvironment ?? '' },
    data?.url
      ? h('p', null, h('span', { 'data-testid': 'drawer-url' }, data.url), ' ',
        h('button', { type: 'button', 'data-testid': 'drawer-open', onClick: () => navigate(data.url) }, 'Open in browser'))
      : h('p', { 'data-testid': 'drawer-empty' }, 'No link yet: add one in the task\u2019s Link tab.'),
    h('button', { type: 'button', 'data-testid': 'drawer-close', onClick: () => close() }, 'Close'));
}
