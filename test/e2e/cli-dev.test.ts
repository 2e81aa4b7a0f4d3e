// `plinth-plugin dev <dir>` as an author runs it: the CLI as a child process, the URL it prints
// opened in a plain Chromium (no harness: no host-resolver rules, no injected bridge; the page's
// own bridge script talks to the CLI over its WebSocket). The plugin's slots show on the slot
// preview with the entity picker, saving the UI file and the worker file reloads both halves,
// and a socket without the token, or from another origin, is refused. Ctrl+C (SIGINT) or
// SIGTERM stops it with exit 130, once started or during start-up, leaving no worker behind.
// The Theme preference applies to every tab and the plugin frames.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { authorEnv } from '../support/author-env.ts';
import { openBridgeSocket, startDevCli, workersMarkedBy, type DevCli } from '../support/dev-cli.ts';
import '../support/worker-runtime.ts';
import { launchChromium } from './harness/chromium.ts';
import { makePluginRoot, writePlugin } from './harness/test-plugins.ts';
import { openSection } from './views-probe-plugin.ts';

const BIN = fileURLToPath(new URL('../../sdk/cli/bin.js', import.meta.url));
const PLUGIN_ID = 'e2e-dev-shell';

/** What the test reads of the page's `window.plinth`. */
interface Bridge { workspaceOverview(): Promise<{ projects: Array<{ id: string; tasks: Array<{ id: string }> }> }> }

function uiModule(prefix: string): string {
  return `import { createElement as h } from 'react';
import { useHostContext, usePluginData } from '@plinth/sdk/ui';
export function Widget() {
  const { data } = usePluginData('greeting');
  return h('p', { 'data-testid': 'widget-text' }, ${JSON.stringify(prefix)} + ': ' + (data ?? '…'));
}
export function TaskTab() {
  const c = useHostContext();
  return h('p', { 'data-testid': 'tab-text' }, 'tab for ' + c.entityType + ' ' + c.entityId);
}
`;
}

function workerModule(greeting: string): string {
  return `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup(ctx) { ctx.data.register('greeting', async () => ${JSON.stringify(greeting)}); },
  async onWebhook() { return { status: 204 }; },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;
}

test('plinth-plugin dev serves the shell on 127.0.0.1 with every slot, reloads both halves on save and refuses a socket without the token', async (t) => {
  const root = makePluginRoot(t);
  const dir = writePlugin(root, 'dev-shell', {
    name: PLUGIN_ID, version: '1.0.0', description: 'e2e dev shell plugin', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: 'Dev shell plugin', worker: 'worker.js',
      ui: {
        entry: 'ui.js',
        slots: [
          { type: 'dashboardWidget', id: 'widget', displayName: 'Greeting', exportName: 'Widget' },
          { type: 'detailTab', id: 'tab', displayName: 'Task tab', exportName: 'TaskTab', entityTypes: ['task'] },
        ],
      },
      webhooks: [{ endpointKey: 'incoming', displayName: 'Incoming' }],
      capabilities: ['ui.dashboardWidget.register', 'ui.detailTab.register', 'webhooks.receive'],
    },
  }, { 'ui.js': uiModule('v1'), 'worker.js': workerModule('hello one') });

  const dev = await startDevCli(process.execPath, [BIN], dir);
  t.after(() => dev.stop());
  const { url, output } = dev;
  const origin = new URL(url).origin;
  assert.equal(new URL(url).hostname, '127.0.0.1');
  assert.match(output(), /Webhook {2}incoming: http:\/\/127\.0\.0\.1:\d+\/hooks\/e2e-dev-shell\/incoming\/\S+/);
  assert.match(output(), /MCP {6}http:\/\/127\.0\.0\.1:\d+\/mcp {2}\(header Authorization: Bearer \S+;/);

  const browser = await launchChromium();
  t.after(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
  await page.getByTestId('dev-preview').waitFor();

  const card = (slotId: string) => page.locator(`[data-testid="dev-preview-slot"][data-slot-id="${slotId}"]`);
  const widget = card('widget').frameLocator('[data-testid="slot-frame"]').getByTestId('widget-text');
  // Both halves run: the frame on its own *.localhost site, its data from the worker.
  await widget.filter({ hasText: 'v1: hello one' }).waitFor();
  const frameUrl = await card('widget').locator('[data-testid="slot-frame"]').getAttribute('src');
  assert.match(frameUrl ?? '', /^http:\/\/p[0-9a-f]{32}\.localhost:\d+\/frame\.html/);

  // The task tab follows the entity picker: a task by default, a "pick one" note for a project.
  const picker = page.getByTestId('dev-entity-picker');
  const tasks = await page.evaluate(() => (globalThis as unknown as { plinth: Bridge }).plinth.workspaceOverview());
  const task = tasks.projects[0]!.tasks[0]!;
  await card('tab').frameLocator('[data-testid="slot-frame"]').getByTestId('tab-text').filter({ hasText: `tab for task ${task.id}` }).waitFor();
  await picker.selectOption(`project:${tasks.projects[0]!.id}`);
  await card('tab').getByTestId('dev-preview-needs-entity').waitFor();
  const other = tasks.projects[0]!.tasks[1]!;
  await picker.selectOption(`task:${other.id}`);
  await card('tab').frameLocator('[data-testid="slot-frame"]').getByTestId('tab-text').filter({ hasText: `tab for task ${other.id}` }).waitFor();

  // Saving the UI file reloads the frames; saving the worker restarts the worker. The page counts the reloads.
  writeFileSync(path.join(dir, 'ui.js'), uiModule('v2'));
  await widget.filter({ hasText: 'v2: hello one' }).waitFor();
  writeFileSync(path.join(dir, 'worker.js'), workerModule('hello two'));
  await widget.filter({ hasText: 'v2: hello two' }).waitFor();
  assert.ok(Number(await page.getByTestId('dev-reloads').getAttribute('data-count')) >= 2);
  assert.match(output(), /\[dev\] reloaded e2e-dev-shell/);

  // Developer mode is on: the sidebar links the slot preview. Settings opens in a tab of its own, with the token.
  await page.getByTestId('nav-dev-preview').filter({ hasText: 'Slots of Dev shell plugin' }).waitFor();
  const [settings] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('open-settings').click()]);
  await settings.locator('[data-plugins-loaded="true"]').waitFor();
  assert.equal(new URL(settings.url()).pathname, '/settings.html');
  await settings.getByText('Dev shell plugin').first().waitFor();

  // The socket: a wrong token and another origin are refused on upgrade.
  const token = new URL(url).searchParams.get('token')!;
  const good = await openBridgeSocket(url, token, origin);
  assert.ok(typeof good !== 'number', `the right token and origin open the socket (got ${String(good)})`);
  good.close();
  assert.equal(await openBridgeSocket(url, 'wrong', origin), 401);
  assert.equal(await openBridgeSocket(url, token, 'http://evil.example'), 403);
  // In the browser: the shell opened without the token cannot reach the host, and says so.
  const stranger = await (await browser.newContext()).newPage();
  await stranger.goto(`${origin}/index.html?token=wrong#/dev/${PLUGIN_ID}`);
  await stranger.getByTestId('dev-disconnected').waitFor();
  assert.equal(await stranger.locator('[data-plugins-loaded="true"]').count(), 0);

  assert.deepEqual(pageErrors, []);
  assert.equal(await dev.stop(), 130, output());
  assert.match(output(), /stopped by SIGTERM/);
});

test('the Theme preference of the dev shell applies to every tab and the plugin frames: light, dark, and system following the browser', async (t) => {
  const dir = writePlugin(makePluginRoot(t), 'dev-theme', {
    name: 'e2e-dev-theme', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: 'Theme plugin',
      ui: { entry: 'ui.js', slots: [{ type: 'dashboardWidget', id: 'widget', displayName: 'Widget', exportName: 'Widget' }] },
      capabilities: ['ui.dashboardWidget.register'],
    },
  }, { 'ui.js': `import { createElement as h } from 'react';\nexport function Widget() { return h('p', { 'data-testid': 'widget-text' }, 'A themed widget'); }\n` });
  const dev = await startDevCli(process.execPath, [BIN], dir);
  t.after(() => dev.stop());
  const browser = await launchChromium();
  t.after(() => browser.close());
  const context = await browser.newContext({ colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(dev.url);
  await page.frameLocator('[data-testid="slot-frame"]').getByTestId('widget-text').waitFor();
  const [settings] = await Promise.all([context.waitForEvent('page'), page.getByTestId('open-settings').click()]);
  await openSection(settings, 'Preferences');
  await settings.locator('[data-testid="preferences-panel"][data-loaded="true"]').waitFor();
  const background = (p: typeof page) => p.locator('body').evaluate((body) =>
    (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(body).backgroundColor);

  /** Both tabs and the frame show `theme`. */
  const shows = async (theme: 'light' | 'dark') => {
    for (const tab of [page, settings]) await tab.locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
    await page.frameLocator('[data-testid="slot-frame"]').locator(`html[data-theme="${theme}"]`).waitFor({ state: 'attached' });
  };
  await shows('light'); // system, in a light browser
  const light = await background(page);
  await settings.getByTestId('pref-theme').selectOption('dark');
  await shows('dark');
  assert.notEqual(await background(page), light, 'the shell\'s colours change');
  assert.equal(await background(settings), await background(page));

  // Light wins over a dark browser; system follows it.
  await Promise.all([page, settings].map((tab) => tab.emulateMedia({ colorScheme: 'dark' })));
  await settings.getByTestId('pref-theme').selectOption('light');
  await shows('light');
  assert.equal(await background(page), light);
  await settings.getByTestId('pref-theme').selectOption('system');
  await shows('dark');
});

/**
 * A plugin whose worker starts with the host (`onStartup`) and logs `worker ready` from its
 * setup; `extra` is merged into its plinth block.
 */
function writeStartupPlugin(root: string, extra: object = {}): string {
  return writePlugin(root, 'dev-signals', {
    name: 'e2e-dev-signals', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Signals plugin', worker: 'worker.js', activationEvents: ['onStartup'], capabilities: [], ...extra },
  }, {
    'worker.js': `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({ async setup(ctx) { ctx.logger.info('worker ready'); } });
export default plugin;
runWorker(plugin, import.meta.url);
`,
  });
}

/** Resolves once the output of `dev` matches `pattern`. */
function whenPrinted(dev: DevCli, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!pattern.test(dev.output())) return;
      dev.child.stdout.off('data', check);
      dev.child.stderr.off('data', check);
      resolve();
    };
    dev.child.stdout.on('data', check);
    dev.child.stderr.on('data', check);
    check();
  });
}

// bin.js never calls process.exit: the CLI ends only once nothing it opened (the shell server,
// its sockets, the webhook and MCP servers, the folder watcher) is left open, so its exit is
// also the proof that all of it was closed.
test('Ctrl+C stops plinth-plugin dev with exit 130 once its host, server and workers are gone', async (t) => {
  const dev = await startDevCli(process.execPath, [BIN], writeStartupPlugin(makePluginRoot(t)));
  t.after(() => dev.stop());
  await whenPrinted(dev, /^\[logger info\] worker ready$/m);
  const pid = dev.child.pid!;
  assert.notDeepEqual(workersMarkedBy(pid), [], 'the plugin\'s worker runs');
  assert.equal(await dev.stop('SIGINT'), 130, dev.output());
  assert.match(dev.output(), /plinth-plugin dev: stopped by SIGINT/);
  assert.deepEqual(workersMarkedBy(pid), [], 'no worker outlives the CLI');
});

test('Ctrl+C during start-up stops plinth-plugin dev there, with exit 130: no shell is served, no worker is left', async (t) => {
  // An unknown key of the plinth block is a warning, printed by validation, the first step of
  // start-up: the host, the shell server and the browser are still to come when the signal arrives.
  const dir = writeStartupPlugin(makePluginRoot(t), { signalsProbe: true });
  const child = spawn(process.execPath, [BIN, 'dev', dir, '--no-open', '--port', '0'], { env: authorEnv() });
  t.after(() => child.kill('SIGKILL'));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && /^warning: .*signalsProbe/m.test(stderr)) sent = child.kill('SIGINT');
  });
  const [code] = await exited;
  assert.ok(sent, stderr);
  assert.equal(code, 130, `${stdout}\n${stderr}`);
  assert.match(stderr, /plinth-plugin dev: stopped by SIGINT/);
  assert.doesNotMatch(stdout, /^ {2}Open /m, 'the shell was not started after the signal');
  assert.deepEqual(workersMarkedBy(child.pid!), [], 'no worker outlives the CLI');
});
