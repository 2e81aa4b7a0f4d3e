// UI tour components: each shows the context the app handed it (CONTRACT §7).
import { createElement as h, useEffect, useState } from 'react';
import { useHostContext, useHostNavigation, usePluginAction, usePluginData, usePluginStream } from '@plinth/sdk/ui';

const FIELDS = ['pluginId', 'slotType', 'slotId', 'entityType', 'entityId', 'projectId', 'parentEntityId', 'renderEnvironment', 'theme'];

/** The whole context as a list; `data-testid="ctx-<field>"` for each field ("" when absent). */
export function Context() {
  const context = useHostContext();
  const { close } = useHostNavigation();
  return h('div', { 'data-testid': 'tour-context' },
    h('dl', { style: { display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px', margin: 0, fontSize: '12px' } },
      FIELDS.flatMap((f) => [h('dt', { key: `${f}-k` }, f), h('dd', { key: `${f}-v`, style: { margin: 0 }, 'data-testid': `ctx-${f}` }, context[f] ?? '')])),
    context.renderEnvironment === 'hostOverlay' || context.renderEnvironment === 'iframe'
      ? h('button', { type: 'button', 'data-testid': 'tour-close', onClick: () => close() }, 'Close')
      : null);
}

export function SidebarEntry() {
  const { slotType } = useHostContext();
  const { navigate } = useHostNavigation();
  return h('button', { type: 'button', 'data-testid': 'tour-entry', 'data-slot-type': slotType, onClick: () => navigate('/plugins/plinth-ui-tour/tour') }, 'Open the UI tour');
}

export function Tips() {
  const { slotType } = useHostContext();
  return h('p', { 'data-testid': 'tour-tips', 'data-slot-type': slotType, style: { margin: 0, fontSize: '12px' } },
    'Tip: press Ctrl+K for the command palette.');
}

/** Open tasks of the project; counted again whenever the worker says one of its tasks changed. */
export function OpenCount() {
  const { entityId, slotType } = useHostContext();
  const { data, refresh } = usePluginData('openCount', { projectId: entityId });
  const { lastEvent } = usePluginStream('task-changes');
  useEffect(() => {
    if (lastEvent?.projectId === entityId) refresh();
  }, [lastEvent, entityId, refresh]);
  return h('small', { 'data-testid': 'tour-open-count', 'data-slot-type': slotType, 'data-entity-id': entityId ?? '' },
    data ? `${data.open} open` : '…');
}

export function ToolbarStatus() {
  const { slotType, entityId } = useHostContext();
  return h('small', { 'data-testid': 'tour-status', 'data-slot-type': slotType, 'data-entity-id': entityId ?? '' }, 'Tour on');
}

export function Settings() {
  const { data, refresh } = usePluginData('settings');
  const save = usePluginAction('saveSettings');
  const [draft, setDraft] = useState(null);
  const [message, setMessage] = useState(null);
  const value = draft ?? data?.greeting ?? '';
  const submit = async () => {
    try {
      await save({ greeting: value });
      setDraft(null);
      setMessage('Saved');
      await refresh();
    } catch (error) {
      setMessage(error.message);
    }
  };
  // No <form>: plugin frames are sandboxed without allow-forms, so a form would never submit.
  return h('div', { 'data-testid': 'tour-settings' },
    h('label', null, 'Greeting ', h('input', {
      'data-testid': 'tour-greeting', value, onChange: (e) => setDraft(e.target.value),
      onKeyDown: (e) => { if (e.key === 'Enter') void submit(); },
    })),
    ' ', h('button', { type: 'button', 'data-testid': 'tour-save', onClick: () => void submit() }, 'Save'),
    message && h('p', { role: 'status', 'data-testid': 'tour-settings-message' }, message));
}
