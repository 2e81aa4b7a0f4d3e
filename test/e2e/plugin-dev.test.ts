// For plugin authors and for robustness hot reload of an
// unpacked folder, Developer mode tools, a crash-looping plugin that cannot hurt another one's
// widget, and worker streams reaching their own plugin's frames only.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createPluginViews } from '../../main/shell/plugin-views.ts';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, textWidgetModule, writePlugin, writeWidgetPlugin } from './harness/test-plugins.ts';

const HELLO = 'plinth-hello';

function frame(page: Page, pluginId: string) {
  return page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${pluginId}"]`);
}

test('editing an unpacked plugin\'s UI file reloads its widget; Reload and Logs show in Developer mode', async (t) => {
  const root = makePluginRoot(t);
  const dir = writeWidgetPlugin(root, 'hot', { name: 'e2e-hot', displayName: 'Hot', text: 'first edit' });
  const harness = await startHarness();
  t.after(() => harness.close());
  await harness.host.ops.setPreferences({ developerMode: true });
  const settings = await harness.openSettings();

  await settings.getByTestId('load-unpacked').click();
  const field = settings.locator('[data-testid="path-field"][data-kind="folder"]');
  await field.getByRole('textbox').fill(dir);
  await field.getByRole('textbox').press('Enter');
  await settings.getByTestId('consent-dialog').getByTestId('consent-allow').click();
  const card = settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-hot"][data-enabled="true"]');
  await card.waitFor();
  assert.equal(await card.getByTestId('plugin-source').getAttribute('data-source'), 'unpacked');
  await frame(harness.page, 'e2e-hot').getByText('first edit').waitFor();

  writeFileSync(path.join(dir, 'ui', 'index.js'), textWidgetModule('second edit'));
  await frame(harness.page, 'e2e-hot').getByText('second edit').waitFor();

  // Developer mode: Reload by hand remounts the frame; Logs open the plugin's log viewer.
  const slot = harness.page.locator('[data-testid="slot-frame"][data-plugin-id="e2e-hot"]');
  const generation = Number(await slot.getAttribute('data-generation'));
  await card.getByTestId('plugin-reload').click();
  await harness.page.locator(`[data-testid="slot-frame"][data-plugin-id="e2e-hot"][data-generation="${generation + 1}"]`).waitFor();
  await frame(harness.page, 'e2e-hot').getByText('second edit').waitFor();
  await card.getByTestId('plugin-logs-toggle').click();
  await card.getByTestId('plugin-logs-section').waitFor();
  assert.equal(await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"]`).getByTestId('plugin-reload').count(), 1);
});

test('a crash-looping plugin ends in error while another plugin\'s widget keeps working', async (t) => {
  const root = makePluginRoot(t);
  writePlugin(root, 'crasher', {
    name: 'e2e-crasher', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Crasher', worker: 'worker.js', activationEvents: ['onStartup'], capabilities: [] },
  }, {
    // Setup succeeds, then the process dies: a crash after start, which the supervisor restarts with backoff.
    'worker.js': `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({ async setup() { setTimeout(() => process.exit(3), 20); } });
export default plugin;
runWorker(plugin, import.meta.url);
`,
  });
  const harness = await startHarness({
    extraPluginRoots: [{ dir: root, source: 'unpacked' }],
    enablePlugins: ['e2e-crasher'],
    // Milliseconds instead of 1 s … 5 min, so five crashes take well under a second.
    supervisorOptions: { restart: { baseDelayMs: 10, maxDelayMs: 40 } },
  });
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  // While it restarts, the card already shows `error` (its worker cannot answer); wait for the crash-loop verdict itself.
  const crashed = settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-crasher"][data-state="error"]')
    .filter({ has: settings.getByTestId('plugin-error').filter({ hasText: /crash loop/i }) });
  await crashed.waitFor();
  assert.equal(createPluginViews(harness.host).summary('e2e-crasher').state, 'error');
  assert.match(createPluginViews(harness.host).summary('e2e-crasher').error ?? '', /^crash loop/);

  const hello = frame(harness.page, HELLO);
  await hello.getByTestId('hello-count').waitFor();
  const before = Number(await hello.getByTestId('hello-count').textContent());
  await hello.getByTestId('hello-increment').click();
  await hello.getByTestId('hello-count').filter({ hasText: new RegExp(`^${before + 1}$`) }).waitFor();
  assert.equal(createPluginViews(harness.host).summary(HELLO).state, 'ready');
});

test('worker stream events reach the frames of their own plugin only', async (t) => {
  const root = makePluginRoot(t);
  const streamUi = `import { createElement as h } from 'react';
import { usePluginAction, usePluginStream } from '@plinth/sdk/ui';
export function Widget() {
  const { events, connected } = usePluginStream('ticks');
  const start = usePluginAction('start');
  return h('div', null,
    h('p', { 'data-testid': 'stream-state' }, connected ? 'connected' : 'waiting'),
    h('p', { 'data-testid': 'stream-events' }, 'events:' + events.map((e) => e.n).join(',')),
    h('button', { 'data-testid': 'stream-start', onClick: () => start() }, 'Start'));
}
`;
  writeWidgetPlugin(root, 'streamer', {
    name: 'e2e-streamer', text: '', ui: streamUi,
    worker: `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup(ctx) {
    ctx.actions.register('start', async () => {
      await ctx.streams.open('ticks');
      for (const n of [1, 2, 3]) await ctx.streams.emit('ticks', { n });
      return { sent: 3 };
    });
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`,
  });
  // Another plugin listening on a channel of the same name hears nothing: channels belong to their plugin.
  writeWidgetPlugin(root, 'bystander', { name: 'e2e-bystander', text: '', ui: streamUi });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-streamer', 'e2e-bystander'] });
  t.after(() => harness.close());

  const streamer = frame(harness.page, 'e2e-streamer');
  await streamer.getByTestId('stream-state').filter({ hasText: 'waiting' }).waitFor();
  await streamer.getByTestId('stream-start').click();
  await streamer.getByTestId('stream-events').filter({ hasText: /^events:1,2,3$/ }).waitFor();
  await streamer.getByTestId('stream-state').filter({ hasText: 'connected' }).waitFor();
  assert.equal(await frame(harness.page, 'e2e-bystander').getByTestId('stream-events').textContent(), 'events:');
  assert.deepEqual(harness.pageErrors, []);
});
