// The Hello plugin's UI: plain ES module. React and @plinth/sdk/ui are provided by the host.
import { createElement as h, useState } from 'react';
import { usePluginAction, usePluginData } from '@plinth/sdk/ui';

export function HelloWidget() {
  const { data, loading, error, refresh } = usePluginData('greeting');
  const increment = usePluginAction('increment');
  const [busy, setBusy] = useState(false);

  if (loading && !data) return h('p', { className: 'muted' }, 'Loading…');
  if (error) return h('p', { role: 'alert' }, `Could not load: ${error.message}`);

  const onClick = async () => {
    setBusy(true);
    try {
      await increment();
      await refresh();
    } finally {
      setBusy(false);
    }
  };

  return h('div', { className: 'hello' },
    h('p', { 'data-testid': 'hello-message' }, data.message),
    h('p', null, 'Count: ', h('strong', { 'data-testid': 'hello-count' }, String(data.count))),
    h('button', { type: 'button', onClick, disabled: busy, 'data-testid': 'hello-increment' }, busy ? 'Adding…' : 'Add one'),
  );
}
