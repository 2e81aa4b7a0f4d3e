// Word count UI: a line under each comment, and statistics in the comment's ⋮ menu.
import { createElement as h } from 'react';
import { useHostContext, useHostNavigation, usePluginData } from '@plinth/sdk/ui';

function useStats() {
  const { entityId, parentEntityId } = useHostContext();
  return usePluginData('stats', { taskId: parentEntityId, commentId: entityId });
}

export function WordCount() {
  const { data, error } = useStats();
  if (error) return h('small', { role: 'alert' }, error.message);
  if (!data) return h('small', null, '…');
  return h('small', { 'data-testid': 'word-count', style: { color: 'var(--plinth-muted)' } }, data.words === 1 ? '1 word' : `${data.words} words`);
}

export function CommentStats() {
  const { data, error } = useStats();
  const { close } = useHostNavigation();
  if (error) return h('p', { role: 'alert' }, error.message);
  if (!data) return h('p', null, 'Counting…');
  return h('div', { 'data-testid': 'comment-stats' },
    h('p', null, `${data.words} words, ${data.characters} characters, about ${data.readingSeconds} s to read.`),
    h('button', { type: 'button', onClick: () => close() }, 'Done'));
}
