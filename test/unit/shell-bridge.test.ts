import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Host } from '../../main/host/host.ts';
import { createIpcHandlers } from '../../main/shell/ipc-handlers.ts';
import { createBridge, type BridgeTransport } from '../../preload/bridge.ts';
import type { MainMethod, PlinthBridge } from '../../preload/api.ts';
import { MAIN_METHODS } from '../../preload/main-methods.ts';

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
  assert.equal(await bridge.pluginData('p', 'k', { a: 1 }), 'value of plugin.data');
  assert.equal(await bridge.pluginAction('p', 'k', null), 'value of plugin.action');
  assert.equal(await bridge.openSettings(), undefined);
  assert.deepEqual(calls, [
    ['app.info', undefined],
    ['plugins.list', undefined],
    ['plugins.setEnabled', { pluginId: 'p', enabled: false }],
    ['plugin.data', { pluginId: 'p', key: 'k', params: { a: 1 } }],
    ['plugin.action', { pluginId: 'p', key: 'k', params: null }],
    ['window.openSettings', undefined],
  ]);
});

/** Every other bridge method: the call, its main method and the payload main must receive. */
const MANAGEMENT_CALLS: Array<[(b: PlinthBridge) => Promise<unknown>, MainMethod, unknown]> = [
  [(b) => b.installFromFile('/tmp/a.tgz'), 'plugins.installFromFile', { path: '/tmp/a.tgz' }],
  [(b) => b.installFromFile('/tmp/a.tgz', true), 'plugins.installFromFile', { path: '/tmp/a.tgz', allowDowngrade: true }],
  [(b) => b.loadUnpacked('/src/p'), 'plugins.loadUnpacked', { path: '/src/p' }],
  [(b) => b.enablePlugin('p', true), 'plugins.enable', { pluginId: 'p', approveCapabilities: true }],
  [(b) => b.approveUpgrade('p'), 'plugins.approveUpgrade', { pluginId: 'p' }],
  [(b) => b.declineUpgrade('p'), 'plugins.declineUpgrade', { pluginId: 'p' }],
  [(b) => b.uninstallPlugin('p'), 'plugins.uninstall', { pluginId: 'p' }],
  [(b) => b.listUninstalled(), 'plugins.listUninstalled', undefined],
  [(b) => b.restorePlugin('p'), 'plugins.restore', { pluginId: 'p' }],
  [(b) => b.purgePlugin('p'), 'plugins.purge', { pluginId: 'p' }],
  [(b) => b.reloadPlugin('p'), 'plugins.reload', { pluginId: 'p' }],
  [(b) => b.pluginLogs('p'), 'plugins.logs', { pluginId: 'p' }],
  [(b) => b.pluginLogs('p', 7), 'plugins.logs', { pluginId: 'p', afterSeq: 7 }],
  [(b) => b.runningPlugins(), 'plugins.running', undefined],
  [(b) => b.getConfig('p'), 'config.get', { pluginId: 'p' }],
  [(b) => b.saveConfig('p', { a: 1 }), 'config.save', { pluginId: 'p', values: { a: 1 } }],
  [(b) => b.testConfig('p', { a: 2 }), 'config.test', { pluginId: 'p', values: { a: 2 } }],
  [(b) => b.getPreferences(), 'preferences.get', undefined],
  [(b) => b.setPreferences({ developerMode: true }), 'preferences.set', { patch: { developerMode: true } }],
  [(b) => b.pick('folder'), 'dialog.pick', { kind: 'folder' }],
  [(b) => b.listActivity({ limit: 5 }), 'activity.list', { limit: 5 }],
  [(b) => b.listJobs('p'), 'jobs.list', { pluginId: 'p' }],
  [(b) => b.runJobNow('p', 'sync'), 'jobs.runNow', { pluginId: 'p', jobKey: 'sync' }],
  [(b) => b.retryJobRun('p', 'r1'), 'jobs.retry', { pluginId: 'p', runId: 'r1' }],
  [(b) => b.listWebhooks('p'), 'webhooks.list', { pluginId: 'p' }],
  [(b) => b.listTools(), 'tools.list', undefined],
  [(b) => b.callTool('p__t', { n: 1 }), 'tools.call', { name: 'p__t', params: { n: 1 } }],
  [(b) => b.mcpStatus(), 'mcp.status', undefined],
  [(b) => b.setMcpEnabled(true), 'mcp.setEnabled', { enabled: true }],
  [(b) => b.workspaceOverview(), 'workspace.overview', undefined],
  [(b) => b.subscribeStream('p', 'ticks'), 'streams.subscribe', { pluginId: 'p', channel: 'ticks' }],
  [(b) => b.unsubscribeStream('s1'), 'streams.unsubscribe', { subscriptionId: 's1' }],
];

test('plugin management, workspace and stream methods map to their main methods', async () => {
  const { t, calls } = transport((method) => ({ ok: true, value: method }));
  const bridge = createBridge(t);
  for (const [invoke, method] of MANAGEMENT_CALLS) {
    const value = await invoke(bridge);
    // Methods typed Promise<void> hide main's value; the rest return it.
    if (value !== undefined) assert.equal(value, method);
  }
  assert.deepEqual(calls, MANAGEMENT_CALLS.map(([, method, payload]) => [method, payload]));
});

test('the bridge exposes no generic channel and cannot be changed', () => {
  const bridge = createBridge(transport(() => ({ ok: true, value: null })).t);
  assert.ok(!Object.keys(bridge).some((name) => /invoke|send|channel/i.test(name)), 'no generic method');
  const { methods } = createIpcHandlers({ host: { ui: {} } as unknown as Host, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  assert.equal(Object.keys(bridge).length, methods.length + 2, 'one function per main method, plus on and pathForFile');
  assert.equal(Object.isFrozen(bridge), true);
});

test('pathForFile asks the transport and gives "" when it has no path or throws', () => {
  const file = { name: 'a.tgz' } as File;
  const withPaths = createBridge({ ...transport(() => null).t, pathForFile: (f) => `/downloads/${f.name}` });
  assert.equal(withPaths.pathForFile(file), '/downloads/a.tgz');
  assert.equal(createBridge(transport(() => null).t).pathForFile(file), '');
  const throwing = createBridge({ ...transport(() => null).t, pathForFile: () => { throw new Error('not a file on disk'); } });
  assert.equal(throwing.pathForFile(file), '');
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

test('an error\'s details from main reach the caller as data (a refused downgrade names both versions)', async () => {
  const bridge = createBridge(transport(() => ({
    ok: false, error: { code: 'CONFLICT', message: 'older', data: { installedVersion: '2.0.0', archiveVersion: '1.0.0' } },
  })).t);
  await assert.rejects(bridge.installFromFile('/tmp/a.tgz'), { code: 'CONFLICT', data: { installedVersion: '2.0.0', archiveVersion: '1.0.0' } });
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

test('the method table is the one list: every row has its bridge function and its handler in main', () => {
  const bridge = createBridge(transport(() => ({ ok: true, value: null })).t) as unknown as Record<string, unknown>;
  const { methods } = createIpcHandlers({ host: { ui: {} } as unknown as Host, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  assert.deepEqual([...methods].sort(), Object.keys(MAIN_METHODS).sort());
  const bridgeNames = Object.values(MAIN_METHODS).map((row) => row.bridge);
  assert.equal(new Set(bridgeNames).size, bridgeNames.length, 'each bridge function name is used once');
  for (const name of bridgeNames) assert.equal(typeof bridge[name], 'function', name);
});
