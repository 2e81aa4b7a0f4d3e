// Each renderer → main method reaches the host module of the same meaning, with its payload
// checked first; streams, dialogs and external links per window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIpcHandlers } from '../../main/shell/ipc-handlers.ts';
import { MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW } from '../../main/shell/stream-subscriptions.ts';
import type { Host } from '../../main/host/host.ts';
import type { PluginViews } from '../../main/shell/plugin-views.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { errorOf, MAIN, ORIGIN } from '../support/ipc.ts';

function recordingHost() {
  const calls: unknown[][] = [];
  const streams: Array<{ pluginId: string; channel: string; listener: { push(e: unknown): unknown; state(c: boolean, e?: string): void }; stopped: boolean }> = [];
  const recorder = (module: string) => new Proxy({}, {
    get: (_target, name) => (...args: unknown[]) => {
      calls.push([`${module}.${String(name)}`, ...args]);
      return `result of ${module}.${String(name)}`;
    },
  });
  const management = new Proxy({}, {
    get: (_target, name) => {
      if (name === 'installFromFile') {
        return async (path: string) => {
          throw new PlinthError('CONFLICT', `${path} is older`, { installedVersion: '2.0.0', archiveVersion: '1.0.0' });
        };
      }
      return Reflect.get(recorder('management'), name);
    },
  });
  const ui = {
    subscribeStream: (pluginId: string, channel: string, listener: (typeof streams)[number]['listener']) => {
      if (channel === 'closed') throw new PlinthError('NOT_READY', 'The plugin is not running');
      const entry = { pluginId, channel, listener, stopped: false };
      streams.push(entry);
      return () => {
        entry.stopped = true;
      };
    },
  };
  const startupNotices = () => {
    calls.push(['startupNotices']);
    return 'result of startupNotices';
  };
  const host = {
    management, ops: recorder('ops'), config: recorder('config'), shellOps: recorder('shellOps'), registryPlugins: recorder('registryPlugins'),
    backups: recorder('backups'), permissions: recorder('permissions'), services: { tools: recorder('tools') }, startupNotices, ui,
  } as unknown as Host;
  const views = recorder('views') as unknown as PluginViews;
  return { host, views, calls, streams };
}

/** A window that records what main pushes to it and can be closed. */
function window(id: string) {
  const pushed: unknown[][] = [];
  let gone: (() => void) | undefined;
  return {
    pushed,
    close: () => gone?.(),
    sender: {
      url: 'plinth://app/index.html',
      isMainFrame: true,
      target: { id, push: (event: string, payload: unknown) => void pushed.push([event, payload]), onGone: (listener: () => void) => { gone = listener; } },
    },
  };
}

test('every management, workspace and service method reaches the host method of the same meaning', async () => {
  const { host, views, calls } = recordingHost();
  const { dispatch, methods } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  // [method, payload, the host/view calls it makes, the call whose result it answers with (default: the last)]
  const cases: Array<[string, unknown, unknown[][], string?]> = [
    ['plugins.loadUnpacked', { path: '/src/p' }, [['management.loadUnpacked', '/src/p'], ['views.summary', 'result of management.loadUnpacked']]],
    ['plugins.enable', { pluginId: 'p', approveCapabilities: true }, [['management.enable', 'p', { approveCapabilities: true }], ['views.summary', 'p']]],
    ['plugins.approveUpgrade', { pluginId: 'p' }, [['management.approveUpgrade', 'p'], ['views.summary', 'p']]],
    ['plugins.declineUpgrade', { pluginId: 'p' }, [['management.declineUpgrade', 'p'], ['views.summary', 'p']]],
    ['plugins.uninstall', { pluginId: 'p' }, [['management.uninstall', 'p']]],
    ['plugins.listUninstalled', undefined, [['views.uninstalled']]],
    ['plugins.restore', { pluginId: 'p' }, [['management.restore', 'p'], ['views.summary', 'p']]],
    ['plugins.purge', { pluginId: 'p' }, [['management.purge', 'p']]],
    ['plugins.reload', { pluginId: 'p' }, [['management.reload', 'p'], ['views.summary', 'p']]],
    ['plugins.logs', { pluginId: 'p', afterSeq: 3 }, [['ops.logs', 'p', 3]]],
    ['plugins.running', undefined, [['views.running']]],
    ['permissions.pending', undefined, [['views.permissionPrompts']]],
    ['permissions.answer', { requestId: 'perm-1', allow: false }, [['permissions.answer', 'perm-1', false]]],
    ['permissions.revoke', { pluginId: 'p', capability: 'http.outbound:discord.com' }, [['permissions.revoke', 'p', 'http.outbound:discord.com'], ['views.summary', 'p']]],
    ['config.get', { pluginId: 'p' }, [['config.view', 'p']]],
    ['config.save', { pluginId: 'p', values: { url: 'https://x', n: [1] } }, [['config.save', 'p', { url: 'https://x', n: [1] }]]],
    ['config.test', { pluginId: 'p', values: {} }, [['config.test', 'p', {}]]],
    ['preferences.get', null, [['ops.getPreferences']]],
    ['app.startupNotices', null, [['startupNotices']]],
    ['backups.list', null, [['backups.view']]],
    ['backups.create', null, [['backups.backupNow']]],
    ['backups.restore', { name: 'plinth-2025-01-02T03-04-05-678Z.db' }, [['backups.requestRestore', 'plinth-2025-01-02T03-04-05-678Z.db']]],
    ['backups.cancelRestore', null, [['backups.cancelRestore']]],
    ['preferences.set', { patch: { developerMode: true, theme: 'dark' } }, [['ops.setPreferences', { developerMode: true, theme: 'dark' }]]],
    ['activity.list', { pluginId: 'p', limit: 20 }, [['ops.listActivity', { pluginId: 'p', limit: 20 }]]],
    ['jobs.list', { pluginId: 'p' }, [['views.jobs', 'p']]],
    ['jobs.runNow', { pluginId: 'p', jobKey: 'sync' }, [['ops.runJobNow', 'p', 'sync']]],
    ['jobs.retry', { pluginId: 'p', runId: 'r1' }, [['ops.retryJobRun', 'p', 'r1']]],
    ['webhooks.list', { pluginId: 'p' }, [['views.webhooks', 'p']]],
    ['tools.list', undefined, [['views.tools']]],
    ['tools.call', { name: 'p__t', params: { n: 1 } }, [['tools.call', 'p__t', { n: 1 }]]],
    ['mcp.status', undefined, [['views.mcpStatus']]],
    ['mcp.setEnabled', { enabled: true }, [['ops.setMcpEnabled', true], ['views.mcpStatus']]],
    ['workspace.overview', undefined, [['ops.workspaceOverview']]],
    ['workspace.createProject', { name: '  Launch  ', description: 'v1' }, [['ops.createProject', { name: 'Launch', description: 'v1' }]]],
    ['workspace.updateProject', { projectId: 'p1', patch: { description: '' } }, [['ops.updateProject', 'p1', { description: '' }]]],
    ['workspace.deleteProject', { projectId: 'p1' }, [['ops.deleteProject', 'p1']]],
    ['workspace.createTask', { projectId: 'p1', title: 'Docs', priority: 'high' }, [['ops.createTask', { projectId: 'p1', title: 'Docs', priority: 'high' }]]],
    ['workspace.updateTask', { taskId: 't1', patch: { status: 'done' } }, [['ops.updateTask', 't1', { status: 'done' }]]],
    ['workspace.deleteTask', { taskId: 't1' }, [['ops.deleteTask', 't1']]],
    ['workspace.listComments', { taskId: 't1' }, [['ops.listComments', 't1']]],
    ['workspace.addComment', { taskId: 't1', body: 'Looks good' }, [['ops.addComment', 't1', 'Looks good']]],
    ['workspace.deleteComment', { commentId: 'c1' }, [['ops.deleteComment', 'c1']]],
    ['ui.contributions', undefined, [['views.contributions']]],
    ['workspace.getProject', { projectId: 'p1' }, [['shellOps.getProject', 'p1']]],
    ['workspace.getTask', { taskId: 't1' }, [['shellOps.getTask', 't1']]],
    // Filters left out stay absent, not `undefined`.
    ['workspace.listTasks', { projectId: 'p1', status: 'done' }, [['shellOps.listTasks', { projectId: 'p1', status: 'done' }]]],
    ['dashboard.getLayout', undefined, [['shellOps.getDashboardLayout']]],
    ['dashboard.setLayout', { entries: ['a/w'], hidden: ['b/w'] }, [['shellOps.setDashboardLayout', { entries: ['a/w'], hidden: ['b/w'] }]]],
    ['catalog.search', { text: 'kanban' }, [['registryPlugins.search', 'kanban']]],
    ['catalog.details', { name: '@acme/board' }, [['registryPlugins.details', '@acme/board']]],
    ['catalog.checkUpdates', undefined, [['registryPlugins.checkForUpdates']]],
    ['catalog.pin', { pluginId: 'p', version: '1.2.0' }, [['registryPlugins.pin', 'p', '1.2.0'], ['views.summary', 'p']]],
    ['catalog.pin', { pluginId: 'p', version: null }, [['registryPlugins.pin', 'p', null], ['views.summary', 'p']]],
    ['registry.getPreferences', undefined, [['registryPlugins.registryPreferences']]],
    ['registry.setPreferences', { url: 'https://npm.acme.test/', token: { registry: 'https://npm.acme.test/', value: 't' } },
      [['registryPlugins.setRegistryPreferences', { url: 'https://npm.acme.test/', token: { registry: 'https://npm.acme.test/', value: 't' } }]]],
  ];
  for (const [method, payload, expected] of cases) {
    const before = calls.length;
    const result = await dispatch(method, payload, MAIN, ORIGIN);
    assert.deepEqual(result, { ok: true, value: `result of ${String(expected.at(-1)?.[0])}` }, method);
    assert.deepEqual(calls.slice(before), expected, method);
  }
  const covered = new Set([...cases.map(([m]) => m), 'app.info', 'plugins.list', 'plugins.setEnabled', 'plugin.data', 'plugin.action',
    'window.openSettings', 'plugins.installFromFile', 'dialog.pick', 'streams.subscribe', 'streams.unsubscribe', 'shell.openExternal', 'catalog.install',
    'plugin.refusedRequests']);
  assert.deepEqual(methods.filter((m) => !covered.has(m)), [], 'every method has a routing case');
});

test('shell.openExternal hands an http(s) link to the system browser, or says it is not available', async () => {
  const opened: string[] = [];
  const { host, views } = recordingHost();
  const appInfo = { version: '', pluginApiVersion: '', platform: '' };
  const withBrowser = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo, openExternal: (url) => { opened.push(url); } });
  assert.deepEqual(await withBrowser.dispatch('shell.openExternal', { url: 'https://example.com/a?b=1' }, MAIN, ORIGIN), { ok: true, value: null });
  assert.deepEqual(opened, ['https://example.com/a?b=1']);
  const without = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo });
  assert.equal(errorOf(await without.dispatch('shell.openExternal', { url: 'https://example.com' }, MAIN, ORIGIN)).code, 'NOT_READY');
});

/**
 * Sends each `[method, payload, message pattern]` from the main window and asserts it is refused
 * as INVALID_INPUT with a message matching the pattern, and that no call reached the host.
 */
async function assertRefusedBeforeHost(
  dispatch: ReturnType<typeof createIpcHandlers>['dispatch'], calls: unknown[], cases: Array<[string, unknown, RegExp]>,
): Promise<void> {
  for (const [method, payload, pattern] of cases) {
    const error = errorOf(await dispatch(method, payload, MAIN, ORIGIN));
    assert.equal(error.code, 'INVALID_INPUT', method);
    assert.match(error.message, pattern, method);
  }
  assert.equal(calls.length, 0, 'nothing reached the host');
}

test('bad management payloads are refused before the host: relative paths, unknown preferences, bad limits', async () => {
  const { host, views, calls } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const cases: Array<[string, unknown, RegExp]> = [
    ['plugins.installFromFile', { path: 'plugin.tgz' }, /path: must be an absolute path/],
    ['plugins.loadUnpacked', { path: '/a\0b' }, /path: must not contain a NUL/],
    ['plugins.enable', { pluginId: 'p' }, /approveCapabilities/],
    ['preferences.set', { patch: { colour: 'red' } }, /Unknown preference "colour"/],
    ['preferences.set', { patch: { webhookPort: 70000 } }, /webhookPort/],
    ['config.save', { pluginId: 'p', values: [1] }, /values/],
    ['activity.list', { limit: 0 }, /limit/],
    ['dialog.pick', { kind: 'anything' }, /kind/],
    ['streams.subscribe', { pluginId: 'p', channel: '' }, /channel/],
    ['workspace.listTasks', { status: 'later' }, /status/],
    ['dashboard.setLayout', { entries: 'a/w', hidden: [] }, /entries/],
    ['shell.openExternal', { url: 'file:///etc/passwd' }, /must be an http\(s\) URL/],
    ['shell.openExternal', { url: 'javascript:alert(1)' }, /must be an http\(s\) URL/],
  ];
  await assertRefusedBeforeHost(dispatch, calls, cases);
});

test('an error\'s data travels with it, so the shell can offer "Install anyway" for a downgrade', async () => {
  const { host, views } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const result = await dispatch('plugins.installFromFile', { path: '/tmp/p-1.0.0.tgz' }, MAIN, ORIGIN);
  assert.deepEqual(result, { ok: false, error: { code: 'CONFLICT', message: '/tmp/p-1.0.0.tgz is older', data: { installedVersion: '2.0.0', archiveVersion: '1.0.0' } } });
});

test('dialog.pick uses the injected picker, and is NOT_READY where there is none', async () => {
  const { host, views } = recordingHost();
  const appInfo = { version: '', pluginApiVersion: '', platform: '' };
  const asked: string[] = [];
  const withPicker = createIpcHandlers({ host, views, appInfo, openSettings: () => undefined, pick: async (kind) => { asked.push(kind); return kind === 'archive' ? '/d/p.tgz' : null; } });
  assert.deepEqual(await withPicker.dispatch('dialog.pick', { kind: 'archive' }, MAIN, ORIGIN), { ok: true, value: '/d/p.tgz' });
  assert.deepEqual(await withPicker.dispatch('dialog.pick', { kind: 'folder' }, MAIN, ORIGIN), { ok: true, value: null });
  assert.deepEqual(asked, ['archive', 'folder']);
  const without = createIpcHandlers({ host, views, appInfo, openSettings: () => undefined });
  const error = errorOf(await without.dispatch('dialog.pick', { kind: 'archive' }, MAIN, ORIGIN));
  assert.equal(error.code, 'NOT_READY');
  assert.match(error.message, /not available here/);
});

test('stream events go to the subscribing window only, and end when it unsubscribes or goes away', async () => {
  const { host, views, streams } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const a = window('a');
  const b = window('b');
  const subscribed = await dispatch('streams.subscribe', { pluginId: 'p', channel: 'ticks' }, a.sender, ORIGIN);
  assert.equal(subscribed.ok, true);
  const { subscriptionId } = (subscribed as { value: { subscriptionId: string } }).value;
  await dispatch('streams.subscribe', { pluginId: 'q', channel: 'ticks' }, b.sender, ORIGIN);
  assert.deepEqual(streams.map((s) => [s.pluginId, s.channel]), [['p', 'ticks'], ['q', 'ticks']]);

  streams[0]?.listener.push({ n: 1 });
  streams[0]?.listener.state(false, 'worker stopped');
  assert.deepEqual(a.pushed, [
    ['stream.event', { subscriptionId, event: { n: 1 } }],
    ['stream.state', { subscriptionId, connected: false, error: 'worker stopped' }],
  ]);
  assert.deepEqual(b.pushed, [], 'the other window hears nothing of it');

  const foreign = errorOf(await dispatch('streams.unsubscribe', { subscriptionId }, b.sender, ORIGIN));
  assert.equal(foreign.code, 'NOT_FOUND', 'a window cannot end another window\'s subscription');
  assert.equal(streams[0]?.stopped, false);
  assert.deepEqual(await dispatch('streams.unsubscribe', { subscriptionId }, a.sender, ORIGIN), { ok: true, value: null });
  assert.equal(streams[0]?.stopped, true);

  b.close();
  assert.equal(streams[1]?.stopped, true, 'closing or reloading a window ends its subscriptions');
  const refused = errorOf(await dispatch('streams.subscribe', { pluginId: 'p', channel: 'closed' }, a.sender, ORIGIN));
  assert.equal(refused.code, 'NOT_READY', 'the host\'s refusal reaches the frame');
  const noTarget = errorOf(await dispatch('streams.subscribe', { pluginId: 'p', channel: 'ticks' }, MAIN, ORIGIN));
  assert.equal(noTarget.code, 'NOT_READY');
});

test('a window cannot hold more than the stream subscription limit', async () => {
  const { host, views } = recordingHost();
  const { dispatch, streams } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const a = window('a');
  for (let i = 0; i < MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW; i++) {
    assert.equal((await dispatch('streams.subscribe', { pluginId: 'p', channel: `c${i}` }, a.sender, ORIGIN)).ok, true);
  }
  const error = errorOf(await dispatch('streams.subscribe', { pluginId: 'p', channel: 'one-more' }, a.sender, ORIGIN));
  assert.equal(error.code, 'CONFLICT');
  assert.equal(streams.count('a'), MAX_STREAM_SUBSCRIPTIONS_PER_WINDOW);
});

test('workspace writes are refused before the host when a field is of the wrong type or over the workspace limits', async () => {
  const { host, views, calls } = recordingHost();
  const { dispatch } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const cases: Array<[string, unknown, RegExp]> = [
    ['workspace.createProject', { name: 'x'.repeat(501) }, /name: must be at most 500 characters/],
    ['workspace.createProject', { name: 'P', description: 'x'.repeat(100 * 1024 + 1) }, /description: must be at most 102400 bytes/],
    ['workspace.createProject', { name: 7 }, /name: must be a string/],
    ['workspace.updateProject', { projectId: 'p1', patch: { colour: 'red' } }, /Unrecognized key: "colour"/],
    ['workspace.deleteProject', { projectId: '' }, /projectId: must not be empty/],
    ['workspace.createTask', { projectId: 'p1', title: 'T', priority: 'urgent' }, /priority: must be one of low, medium, high/],
    ['workspace.createTask', { projectId: 'p1', title: 'T', customFields: {} }, /Unrecognized key: "customFields"/],
    ['workspace.createTask', { title: 'T' }, /projectId: is required/],
    ['workspace.updateTask', { taskId: 't1', patch: { status: 'finished' } }, /patch\.status: must be one of todo, in_progress, done, cancelled/],
    ['workspace.updateTask', { taskId: 'x'.repeat(201), patch: {} }, /taskId: must be at most 200 characters/],
    ['workspace.addComment', { taskId: 't1' }, /body: is required/],
    ['workspace.addComment', { taskId: 't1', body: ['a'] }, /body: must be a string/],
    ['workspace.deleteComment', {}, /commentId: /],
  ];
  await assertRefusedBeforeHost(dispatch, calls, cases);
});

test('catalog.install sends its progress to the calling window only; bad registry payloads are refused', async () => {
  const pushed: unknown[] = [];
  const registryPlugins = {
    install: async (spec: string, opts: { onProgress(p: unknown): void }) => {
      opts.onProgress({ name: spec, phase: 'downloading', received: 10, total: 20 });
      return { outcome: 'installed', pluginId: spec };
    },
  };
  const views = { installResult: (r: { outcome: string; pluginId: string }) => ({ outcome: r.outcome, plugin: { id: r.pluginId } }) } as unknown as PluginViews;
  const host = { registryPlugins, ui: {} } as unknown as Host;
  const { dispatch } = createIpcHandlers({ host, views, openSettings: () => undefined, appInfo: { version: '', pluginApiVersion: '', platform: '' } });
  const target = { id: 'w1', push: (event: string, payload: unknown) => { pushed.push([event, payload]); }, onGone: () => undefined };
  assert.deepEqual(await dispatch('catalog.install', { spec: 'kanban' }, { ...MAIN, target }, ORIGIN), { ok: true, value: { outcome: 'installed', plugin: { id: 'kanban' } } });
  assert.deepEqual(pushed, [['catalog.progress', { name: 'kanban', phase: 'downloading', received: 10, total: 20 }]]);
  const refused = await dispatch('registry.setPreferences', { url: 'file:///etc' }, MAIN, ORIGIN);
  assert.equal(refused.ok, false);
  const badScope = await dispatch('registry.setPreferences', { scopes: { acme: 'https://x/' } }, MAIN, ORIGIN);
  assert.equal(badScope.ok, false);
});
