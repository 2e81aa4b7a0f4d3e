import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHostEvents } from '../../main/host/host-events.ts';

test('host events reach their listeners in subscription order, only for their own name, until unsubscribed', () => {
  const events = createHostEvents();
  const heard: string[] = [];
  const offFirst = events.on('plugin.ready', ({ pluginId }) => heard.push(`first ${pluginId}`));
  events.on('plugin.ready', ({ pluginId }) => heard.push(`second ${pluginId}`));
  events.on('plugin.gone', ({ pluginId }) => heard.push(`gone ${pluginId}`));
  events.emit('plugin.ready', { pluginId: 'a' });
  offFirst();
  offFirst();
  events.emit('plugin.ready', { pluginId: 'b' });
  events.emit('plugins.changed', {});
  assert.deepEqual(heard, ['first a', 'second a', 'second b']);
});

test('many windows may listen without a listener-limit warning', async () => {
  const events = createHostEvents();
  const warnings: unknown[] = [];
  const onWarning = (w: unknown) => warnings.push(w);
  process.on('warning', onWarning);
  try {
    const offs = Array.from({ length: 50 }, () => events.on('plugins.changed', () => undefined));
    for (const off of offs) off();
    await new Promise((resolve) => setImmediate(resolve)); // process warnings are emitted on the next tick
  } finally {
    process.off('warning', onWarning);
  }
  assert.deepEqual(warnings, []);
});
