// The IPC handler table's own rules: routing with the validated payload, trusted senders only,
// unknown methods and schema failures refused, host errors keeping their code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIpcHandlers, isTrustedSender } from '../../main/shell/ipc-handlers.ts';
import type { Host } from '../../main/host/host.ts';
import type { PluginViews } from '../../main/shell/plugin-views.ts';
import type { PluginSummary } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { errorOf, MAIN, ORIGIN } from '../support/ipc.ts';

const summary: PluginSummary = {
  id: 'plinth-hello', displayName: 'Hello', version: '1.0.0', description: '', source: 'bundled', state: 'ready',
  runtime: 'stopped', enabled: true, capabilities: [], warnings: [], path: '/p', needsConsent: false, configurable: false,
  unsandboxed: false, optionalCapabilities: [], permissions: [],
};

/** A host (and its shell views) that records every call and answers with a tag naming the method. */
function fakeHost() {
  const calls: unknown[][] = [];
  let enabled = true;
  const host = {
    management: { setEnabled: async (id: string, on: boolean) => { calls.push(['management.setEnabled', id, on]); enabled = on; } },
    ui: {
      data: async (id: string, key: string, params: unknown) => { calls.push(['ui.data', id, key, params]); return { data: key }; },
      action: async (id: string, key: string, params: unknown) => {
        calls.push(['ui.action', id, key, params]);
        if (key === 'boom') throw new PlinthError('PLUGIN_ERROR', 'the handler threw');
        if (key === 'bug') throw new TypeError('x is undefined');
        return { done: true };
      },
    },
    rateLimits: { recordRefused: (id: string, caller: string, count: number) => { calls.push(['rateLimits.recordRefused', id, caller, count]); } },
  } as unknown as Host;
  const views = {
    summaries: () => { calls.push(['views.summaries']); return [summary]; },
    summary: (id: string) => { calls.push(['views.summary', id]); return { ...summary, enabled }; },
    slots: (slotType: string) => { calls.push(['views.slots', slotType]); return []; },
  } as unknown as PluginViews;
  return { host, views, calls };
}

function setup() {
  const { host, views, calls } = fakeHost();
  let settingsOpened = 0;
  const appInfo = { version: '0.1.0', pluginApiVersion: '1.0.0', platform: 'linux' };
  const { dispatch, methods } = createIpcHandlers({ host, views, appInfo, openSettings: () => { settingsOpened++; } });
  return { dispatch, methods, calls, appInfo, settingsOpened: () => settingsOpened };
}


test('the first methods are routed to the host with their validated payload', async () => {
  const s = setup();
  assert.deepEqual(await s.dispatch('app.info', undefined, MAIN, ORIGIN), { ok: true, value: s.appInfo });
  assert.deepEqual(await s.dispatch('plugins.list', undefined, MAIN, ORIGIN), { ok: true, value: [summary] });
  assert.deepEqual(await s.dispatch('plugins.setEnabled', { pluginId: 'plinth-hello', enabled: false }, MAIN, ORIGIN), { ok: true, value: { ...summary, enabled: false } });
  assert.deepEqual(await s.dispatch('plugin.data', { pluginId: 'plinth-hello', key: 'greeting', params: { a: [1] } }, MAIN, ORIGIN), { ok: true, value: { data: 'greeting' } });
  assert.deepEqual(await s.dispatch('plugin.action', { pluginId: 'plinth-hello', key: 'increment', params: null }, MAIN, ORIGIN), { ok: true, value: { done: true } });
  assert.deepEqual(await s.dispatch('window.openSettings', undefined, { url: 'plinth://app/', isMainFrame: true }, ORIGIN), { ok: true, value: null });
  assert.equal(s.settingsOpened(), 1);
  assert.deepEqual(s.calls, [
    ['views.summaries'],
    ['management.setEnabled', 'plinth-hello', false],
    ['views.summary', 'plinth-hello'],
    ['ui.data', 'plinth-hello', 'greeting', { a: [1] }],
    ['ui.action', 'plinth-hello', 'increment', null],
  ]);
});

test('refusals the shell made for a frame are counted as the plugin\'s UI refusals; a bad count is refused', async () => {
  const s = setup();
  assert.deepEqual(await s.dispatch('plugin.refusedRequests', { pluginId: 'plinth-hello', count: 8 }, MAIN, ORIGIN), { ok: true, value: null });
  assert.deepEqual(s.calls, [['rateLimits.recordRefused', 'plinth-hello', 'ui', 8]]);
  for (const count of [0, -1, 1.5, 'many', 1e9]) {
    const error = errorOf(await s.dispatch('plugin.refusedRequests', { pluginId: 'plinth-hello', count }, MAIN, ORIGIN));
    assert.equal(error.code, 'INVALID_INPUT', String(count));
    assert.match(error.message, /count: /);
  }
  assert.equal(s.calls.length, 1, 'a refused report counts nothing');
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

/** A host (and its shell views) that records every call by module and name and answers `result of <module>.<name>`. */
