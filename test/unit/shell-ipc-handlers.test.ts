import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIpcHandlers, isTrustedSender } from '../../main/shell/ipc-handlers.ts';
import type { PlinthHost } from '../../main/host/host-types.ts';
import type { IpcResult, PluginSummary } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';

const ORIGIN = 'plinth://app';
const MAIN = { url: 'plinth://app/index.html', isMainFrame: true };

const summary: PluginSummary = {
  id: 'plinth-hello', displayName: 'Hello', version: '1.0.0', description: '', source: 'bundled', state: 'ready',
  runtime: 'stopped', enabled: true, capabilities: [], warnings: [], path: '/p',
};

/** A host that records every call and answers with a tag naming the method. */
function fakeHost() {
  const calls: unknown[][] = [];
  const host = {
    listPlugins: () => { calls.push(['listPlugins']); return [summary]; },
    setEnabled: async (id: string, enabled: boolean) => { calls.push(['setEnabled', id, enabled]); return { ...summary, enabled }; },
    listSlots: (slotType: string) => { calls.push(['listSlots', slotType]); return []; },
    callData: async (id: string, key: string, params: unknown) => { calls.push(['callData', id, key, params]); return { data: key }; },
    performAction: async (id: string, key: string, params: unknown) => {
      calls.push(['performAction', id, key, params]);
      if (key === 'boom') throw new PlinthError('PLUGIN_ERROR', 'the handler threw');
      if (key === 'bug') throw new TypeError('x is undefined');
      return { done: true };
    },
  } as unknown as PlinthHost;
  return { host, calls };
}

function setup() {
  const { host, calls } = fakeHost();
  let settingsOpened = 0;
  const appInfo = { version: '0.1.0', pluginApiVersion: '1.0.0', platform: 'linux' };
  const { dispatch, methods } = createIpcHandlers({ host, appInfo, openSettings: () => { settingsOpened++; } });
  return { dispatch, methods, calls, appInfo, settingsOpened: () => settingsOpened };
}

function errorOf(result: IpcResult): { code: string; message: string } {
  assert.equal(result.ok, false, 'expected a refusal');
  return (result as Extract<IpcResult, { ok: false }>).error;
}

test('every method is routed to the host with its validated payload', async () => {
  const s = setup();
  assert.deepEqual([...s.methods].sort(), ['app.info', 'plugin.action', 'plugin.data', 'plugins.list', 'plugins.setEnabled', 'slots.list', 'window.openSettings']);
  assert.deepEqual(await s.dispatch('app.info', undefined, MAIN, ORIGIN), { ok: true, value: s.appInfo });
  assert.deepEqual(await s.dispatch('plugins.list', undefined, MAIN, ORIGIN), { ok: true, value: [summary] });
  assert.deepEqual(await s.dispatch('plugins.setEnabled', { pluginId: 'plinth-hello', enabled: false }, MAIN, ORIGIN), { ok: true, value: { ...summary, enabled: false } });
  assert.deepEqual(await s.dispatch('slots.list', { slotType: 'dashboardWidget' }, MAIN, ORIGIN), { ok: true, value: [] });
  assert.deepEqual(await s.dispatch('plugin.data', { pluginId: 'plinth-hello', key: 'greeting', params: { a: [1] } }, MAIN, ORIGIN), { ok: true, value: { data: 'greeting' } });
  assert.deepEqual(await s.dispatch('plugin.action', { pluginId: 'plinth-hello', key: 'increment', params: null }, MAIN, ORIGIN), { ok: true, value: { done: true } });
  assert.deepEqual(await s.dispatch('window.openSettings', undefined, { url: 'plinth://app/', isMainFrame: true }, ORIGIN), { ok: true, value: null });
  assert.equal(s.settingsOpened(), 1);
  assert.deepEqual(s.calls, [
    ['listPlugins'],
    ['setEnabled', 'plinth-hello', false],
    ['listSlots', 'dashboardWidget'],
    ['callData', 'plinth-hello', 'greeting', { a: [1] }],
    ['performAction', 'plinth-hello', 'increment', null],
  ]);
});

test('unknown methods are refused, including Object prototype names', async () => {
  const s = setup();
  for (const method of ['plugins.delete', 'constructor', '__proto__', 'toString', '']) {
    const error = errorOf(await s.dispatch(method, undefined, MAIN, ORIGIN));
    assert.equal(error.code, 'NOT_FOUND', method);
  }
  assert.equal(s.calls.length, 0);
});

test('senders other than a top-level app window are refused before the host is called', async () => {
  const s = setup();
  const senders = [
    { url: 'plinth://app/frame.html', isMainFrame: false },
    { url: 'plinth://app/index.html', isMainFrame: false },
    { url: 'plinth://app/frame.html', isMainFrame: true },
    { url: 'plinth://app/plugins/x/page.html', isMainFrame: true },
    { url: 'https://example.com/index.html', isMainFrame: true },
    { url: 'plinth://evil/index.html', isMainFrame: true },
    { url: 'file:///index.html', isMainFrame: true },
    { url: 'about:blank', isMainFrame: true },
    { url: '', isMainFrame: true },
  ];
  for (const sender of senders) {
    const error = errorOf(await s.dispatch('plugins.list', undefined, sender, ORIGIN));
    assert.equal(error.code, 'CAPABILITY_DENIED', sender.url);
    assert.match(error.message, /only the app's own windows/);
  }
  assert.equal(s.calls.length, 0);
});

test('the harness origin is accepted when it is the app origin', () => {
  assert.equal(isTrustedSender({ url: 'http://127.0.0.1:5555/settings.html', isMainFrame: true }, 'http://127.0.0.1:5555'), true);
  assert.equal(isTrustedSender({ url: 'http://127.0.0.1:5556/settings.html', isMainFrame: true }, 'http://127.0.0.1:5555'), false);
});

test('payloads failing the schema give INVALID_INPUT naming the field', async () => {
  const s = setup();
  const cases: Array<[string, unknown, RegExp]> = [
    ['plugins.setEnabled', { pluginId: 'plinth-hello', enabled: 'yes' }, /enabled: .*expected boolean/],
    ['plugins.setEnabled', { pluginId: '', enabled: true }, /pluginId: /],
    ['plugins.setEnabled', { pluginId: 'x', enabled: true, extra: 1 }, /Unrecognized key: "extra"/],
    ['slots.list', { slotType: 'nope' }, /slotType: /],
    ['plugin.data', { pluginId: 'x', key: 'k' }, /params: /],
    ['plugin.action', { pluginId: 'x', key: 'k', params: { f: 1n } }, /params/],
    ['plugin.data', 'not an object', /payload: /],
    ['plugins.list', { unexpected: true }, /payload: /],
  ];
  for (const [method, payload, pattern] of cases) {
    const error = errorOf(await s.dispatch(method, payload, MAIN, ORIGIN));
    assert.equal(error.code, 'INVALID_INPUT', method);
    assert.match(error.message, new RegExp(`^Invalid input for ${method.replace('.', '\\.')}: `));
    assert.match(error.message, pattern, method);
  }
  assert.equal(s.calls.length, 0);
});

test('host errors keep their code; unexpected errors become INTERNAL', async () => {
  const s = setup();
  const boom = errorOf(await s.dispatch('plugin.action', { pluginId: 'x', key: 'boom', params: null }, MAIN, ORIGIN));
  assert.deepEqual(boom, { code: 'PLUGIN_ERROR', message: 'the handler threw' });
  const bug = errorOf(await s.dispatch('plugin.action', { pluginId: 'x', key: 'bug', params: null }, MAIN, ORIGIN));
  assert.deepEqual(bug, { code: 'INTERNAL', message: 'x is undefined' });
});
