import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBridge, type BridgeTransport } from '../../preload/bridge.ts';
import type { MainMethod } from '../../preload/api.ts';

function transport(answer: (method: MainMethod, payload: unknown) => unknown) {
  const calls: Array<[MainMethod, unknown]> = [];
  let push: (event: string, payload: unknown) => void = () => undefined;
  const t: BridgeTransport = {
    invoke: async (method, payload) => {
      calls.push([method, payload]);
      return answer(method, payload);
    },
    subscribe: (listener) => {
      push = listener;
    },
  };
  return { t, calls, push: (event: string, payload: unknown) => push(event, payload) };
}

test('each bridge method sends its own method name and payload and unwraps the value', async () => {
  const { t, calls } = transport((method) => ({ ok: true, value: `value of ${method}` }));
  const bridge = createBridge(t);
  assert.equal(await bridge.appInfo(), 'value of app.info');
  assert.equal(await bridge.listPlugins(), 'value of plugins.list');
  assert.equal(await bridge.setPluginEnabled('p', false), 'value of plugins.setEnabled');
  assert.equal(await bridge.listSlots('dashboardWidget'), 'value of slots.list');
  assert.equal(await bridge.pluginData('p', 'k', { a: 1 }), 'value of plugin.data');
  assert.equal(await bridge.pluginAction('p', 'k', null), 'value of plugin.action');
  assert.equal(await bridge.openSettings(), undefined);
  assert.deepEqual(calls, [
    ['app.info', undefined],
    ['plugins.list', undefined],
    ['plugins.setEnabled', { pluginId: 'p', enabled: false }],
    ['slots.list', { slotType: 'dashboardWidget' }],
    ['plugin.data', { pluginId: 'p', key: 'k', params: { a: 1 } }],
    ['plugin.action', { pluginId: 'p', key: 'k', params: null }],
    ['window.openSettings', undefined],
  ]);
});

test('the bridge exposes no generic channel and cannot be changed', () => {
  const bridge = createBridge(transport(() => ({ ok: true, value: null })).t);
  assert.deepEqual(Object.keys(bridge).sort(), ['appInfo', 'listPlugins', 'listSlots', 'on', 'openSettings', 'pluginAction', 'pluginData', 'setPluginEnabled']);
  assert.equal(Object.isFrozen(bridge), true);
});

test('errors from main reject with their code; transport failures and malformed answers with INTERNAL', async () => {
  const bridge = createBridge(transport((method) => {
    if (method === 'plugin.action') return { ok: false, error: { code: 'CAPABILITY_DENIED', message: 'needs tasks.write' } };
    if (method === 'plugins.list') throw new Error('channel closed');
    return { nonsense: true };
  }).t);
  await assert.rejects(bridge.pluginAction('p', 'k', null), { code: 'CAPABILITY_DENIED', message: 'needs tasks.write' });
  await assert.rejects(bridge.listPlugins(), { code: 'INTERNAL', message: /channel closed/ });
  await assert.rejects(bridge.appInfo(), { code: 'INTERNAL', message: /malformed/ });
});

test('events reach their listeners until unsubscribed; a throwing listener does not stop others', () => {
  const { t, push } = transport(() => ({ ok: true, value: null }));
  const bridge = createBridge(t);
  const seen: unknown[] = [];
  const originalError = console.error;
  console.error = () => undefined;
  try {
    bridge.on('plugins.changed', () => {
      throw new Error('listener bug');
    });
    const off = bridge.on('plugins.changed', (payload) => seen.push(payload));
    push('plugins.changed', { pluginId: 'a' });
    push('other.event', { x: 1 });
    off();
    push('plugins.changed', { pluginId: 'b' });
  } finally {
    console.error = originalError;
  }
  assert.deepEqual(seen, [{ pluginId: 'a' }]);
});
