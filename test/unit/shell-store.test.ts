import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PlinthBridge, PluginSummary, PreferencesView } from '../../preload/api.ts';
import { createShellStore } from '../../renderer/src/shell-store.ts';

function summary(id: string, enabled: boolean): PluginSummary {
  return {
    id, displayName: id, version: '1.0.0', description: '', source: 'bundled', state: enabled ? 'ready' : 'disabled',
    runtime: 'stopped', enabled, capabilities: [], warnings: [], path: `/plugins/${id}`, needsConsent: false, configurable: false,
    unsandboxed: false, optionalCapabilities: [], permissions: [],
  };
}

/** A bridge whose listPlugins calls resolve only when the test says so. */
function deferredBridge() {
  const waiting: Array<(list: PluginSummary[]) => void> = [];
  let onCall: (() => void) | undefined;
  const calls: unknown[][] = [];
  const bridge = {
    listUninstalled: async () => [],
    enablePlugin: async (id: string, approve: boolean) => {
      calls.push(['enablePlugin', id, approve]);
      if (id === 'locked') throw Object.assign(new Error('the plugin is in error'), { code: 'NOT_READY' });
      return summary(id, true);
    },
    listPlugins: () => new Promise<PluginSummary[]>((resolve) => {
      waiting.push(resolve);
      onCall?.();
    }),
    setPluginEnabled: async (id: string, enabled: boolean) => {
      calls.push(['setPluginEnabled', id, enabled]);
      if (id === 'locked') throw Object.assign(new Error('the plugin is in error'), { code: 'NOT_READY' });
      return summary(id, enabled);
    },
  } as unknown as PlinthBridge;
  /** Resolves when listPlugins has been called `n` times in all. */
  const called = (n: number) => new Promise<void>((resolve) => {
    onCall = () => waiting.length >= n && resolve();
    onCall();
  });
  return { bridge, waiting, called, calls };
}

test('a slow, older plugin list never overwrites a newer one', async () => {
  const { bridge, waiting } = deferredBridge();
  const store = createShellStore(bridge);
  const first = store.getState().refreshPlugins();
  const second = store.getState().refreshPlugins();
  waiting[1]?.([summary('new', true)]);
  await second;
  waiting[0]?.([summary('old', true)]);
  await first;
  assert.deepEqual(store.getState().plugins.map((p) => p.id), ['new']);
  assert.equal(store.getState().pluginsLoaded, true);
});

test('a failed toggle keeps the error for that plugin and clears its pending flag', async () => {
  const { bridge, waiting, called } = deferredBridge();
  const store = createShellStore(bridge);
  const toggling = store.getState().setEnabled('locked', true);
  assert.equal(store.getState().pending.locked, true);
  // setEnabled re-lists plugins afterwards; answer that call once it is made.
  await called(1);
  waiting[0]?.([summary('locked', false)]);
  await toggling;
  assert.equal(store.getState().pending.locked, false);
  assert.equal(store.getState().toggleErrors.locked, 'the plugin is in error');
  assert.equal(store.getState().plugins[0]?.enabled, false);
});

test('switching on asks the host to enable without consent; switching off disables', async () => {
  const { bridge, waiting, called, calls } = deferredBridge();
  const store = createShellStore(bridge);
  const on = store.getState().setEnabled('a', true);
  await called(1);
  waiting[0]?.([summary('a', true)]);
  await on;
  const off = store.getState().setEnabled('a', false);
  await called(2);
  waiting[1]?.([summary('a', false)]);
  await off;
  assert.deepEqual(calls, [['enablePlugin', 'a', false], ['setPluginEnabled', 'a', false]]);
  assert.equal(store.getState().toggleErrors.a, '');
});

test('a card action shows the returned summary at once and reports success', async () => {
  const { bridge, waiting, called } = deferredBridge();
  const store = createShellStore(bridge);
  const first = store.getState().refreshPlugins();
  waiting[0]?.([summary('a', false)]);
  await first;
  const acting = store.getState().runPluginAction('a', async () => summary('a', true));
  await called(2);
  const seenDuringRefresh = store.getState().plugins[0]?.enabled;
  waiting[1]?.([summary('a', true)]);
  assert.equal(await acting, true);
  assert.equal(seenDuringRefresh, true, 'the summary the action returned shows before the list is fetched again');
  assert.equal(store.getState().pending.a, false);
});

test('preferences main sent win over a read that was still in flight', async () => {
  let answerRead: ((prefs: PreferencesView) => void) | undefined;
  const bridge = { getPreferences: () => new Promise<PreferencesView>((resolve) => { answerRead = resolve; }) } as unknown as PlinthBridge;
  const store = createShellStore(bridge);
  const read = store.getState().refreshPreferences();
  const sent = { developerMode: true } as PreferencesView;
  store.getState().applyPreferences(sent);
  answerRead?.({ developerMode: false } as PreferencesView);
  await read;
  assert.equal(store.getState().preferences, sent);
});
