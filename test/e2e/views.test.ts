// Settings sections Running, Preferences (with the MCP panel) and Activity, in the real app:
// real host core, real worker processes, the built renderer in Chromium.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { startHarness } from './harness/index.ts';
import { makePluginRoot } from './harness/test-plugins.ts';
import { PROBE, allowClipboard, openSection, readClipboard, writeViewsProbePlugin } from './views-probe-plugin.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const HELLO = 'plinth-hello';

async function startWithProbe(t: { after(fn: () => Promise<void> | void): void }) {
  const root = makePluginRoot(t);
  writeViewsProbePlugin(root);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [PROBE] });
  t.after(() => harness.close());
  return harness;
}

async function rowOrder(rows: Locator): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0, n = await rows.count(); i < n; i++) ids.push((await rows.nth(i).getAttribute('data-plugin-id')) ?? '');
  return ids;
}

function sortedHeader(settings: Page, column: string, direction: 'ascending' | 'descending' | 'none'): Locator {
  return settings.locator(`th[aria-sort="${direction}"]:has([data-testid="sort-${column}"])`);
}

test('the running view shows live workers with their pid, sorts by header (mouse or keyboard) and updates by itself', async (t) => {
  const harness = await startWithProbe(t);
  const { host } = harness;
  await host.ui.action(PROBE, 'log', { message: 'wake up' });
  const pid = host.supervisor.runtime(PROBE).pid;
  assert.ok(pid, 'the action started the probe worker');

  const settings = await harness.openSettings();
  await openSection(settings, 'Running');
  const row = settings.locator(`[data-testid="running-row"][data-plugin-id="${PROBE}"][data-runtime="running"]`);
  await row.waitFor();
  assert.equal((await row.locator('[data-column="pid"]').textContent())?.trim(), String(pid));
  const align = await row.locator('[data-column="rpcCalls"]').evaluate((cell) =>
    (globalThis as unknown as { getComputedStyle(e: unknown): { textAlign: string } }).getComputedStyle(cell).textAlign);
  assert.equal(align, 'right', 'numbers are right-aligned');
  await settings.locator(`[data-testid="running-row"][data-plugin-id="${HELLO}"]`).waitFor();

  const rows = settings.getByTestId('running-row');
  await sortedHeader(settings, 'plugin', 'ascending').waitFor();
  let order = await rowOrder(rows);
  assert.ok(order.indexOf(HELLO) < order.indexOf(PROBE), `"Hello" sorts before "Views probe": ${order.join(', ')}`);

  await settings.getByTestId('sort-plugin').focus();
  await settings.keyboard.press('Enter');
  await sortedHeader(settings, 'plugin', 'descending').waitFor();
  order = await rowOrder(rows);
  assert.ok(order.indexOf(PROBE) < order.indexOf(HELLO), `descending puts "Views probe" first: ${order.join(', ')}`);

  await settings.getByTestId('sort-rpcCalls').click();
  await sortedHeader(settings, 'rpcCalls', 'descending').waitFor();
  await sortedHeader(settings, 'plugin', 'none').waitFor();

  // No click: the table refreshes on its own when the worker stops.
  await host.management.setEnabled(PROBE, false);
  await row.waitFor({ state: 'detached' });
});

async function countAfter(settings: Page, action: () => Promise<void>): Promise<void> {
  const panel = settings.getByTestId('preferences-panel');
  const before = Number(await panel.getAttribute('data-save-count'));
  await action();
  // Waits for any new save, then checks there was exactly one: a double save fails with its count, not a timeout.
  const after = await settings.waitForFunction((n) => {
    const el = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } })
      .document.querySelector('[data-testid="preferences-panel"]');
    const count = Number(el?.getAttribute('data-save-count'));
    return count > n ? count : false;
  }, before);
  assert.equal(await after.jsonValue(), before + 1, 'the change saved once');
}

test('preferences save field by field; a refused value shows the host error next to its field and saves nothing', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { host } = harness;
  const settings = await harness.openSettings();
  await openSection(settings, 'Preferences');
  await settings.locator('[data-testid="preferences-panel"][data-loaded="true"]').waitFor();

  const heap = settings.getByTestId('pref-workerHeapMb');
  assert.equal(await heap.inputValue(), String(host.ops.getPreferences().workerHeapMb));
  await countAfter(settings, async () => {
    await heap.fill('10');
    await heap.press('Enter');
  });
  assert.match((await settings.getByTestId('pref-error-workerHeapMb').textContent()) ?? '', /workerHeapMb/);
  assert.equal(await heap.getAttribute('aria-invalid'), 'true');
  assert.equal(host.ops.getPreferences().workerHeapMb, 256, 'a refused value is not saved');
  assert.equal(await heap.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true,
    'focus stays in the field while it saves and after');

  await countAfter(settings, async () => {
    await heap.fill('512');
    await heap.press('Enter');
  });
  await settings.getByTestId('pref-error-workerHeapMb').waitFor({ state: 'detached' });
  assert.equal(host.ops.getPreferences().workerHeapMb, 512);

  const idle = settings.getByTestId('pref-idleTimeoutMs');
  await countAfter(settings, async () => {
    await idle.fill('2');
    await idle.press('Tab'); // leaving the field saves it too
  });
  assert.equal(host.ops.getPreferences().idleTimeoutMs, 120_000, 'minutes are saved as ms');

  await countAfter(settings, () => settings.getByTestId('pref-developerMode').click());
  assert.equal(host.ops.getPreferences().developerMode, true);
  await countAfter(settings, async () => {
    await settings.getByTestId('pref-theme').selectOption('dark');
  });
  assert.equal(host.ops.getPreferences().theme, 'dark');

  await settings.reload();
  await openSection(settings, 'Preferences');
  await settings.locator('[data-testid="preferences-panel"][data-loaded="true"]').waitFor();
  assert.equal(await settings.getByTestId('pref-workerHeapMb').inputValue(), '512');
  assert.equal(await settings.getByTestId('pref-idleTimeoutMs').inputValue(), '2');
  assert.equal(await settings.getByTestId('pref-developerMode').isChecked(), true);
});

test('Developer mode switched in Settings shows and hides the slot preview links of the main window at once', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page } = harness;
  const devLinks = page.getByTestId('nav-dev-preview');
  await page.locator('[data-testid="sidebar"][data-preferences-loaded="true"]').waitFor();
  assert.equal(await devLinks.count(), 0, 'off by default');
  const route = page.url();

  const settings = await harness.openSettings();
  await openSection(settings, 'Preferences');
  await settings.locator('[data-testid="preferences-panel"][data-loaded="true"]').waitFor();
  await countAfter(settings, () => settings.getByTestId('pref-developerMode').click());
  // No navigation in the main window: the change reaches it as preferences.changed.
  await devLinks.first().waitFor();
  assert.equal(page.url(), route);
  // The settings window's own Plugins tab has the developer tools too.
  await openSection(settings, 'Plugins');
  await settings.getByTestId('plugin-logs-toggle').first().waitFor();

  await openSection(settings, 'Preferences');
  await settings.locator('[data-testid="preferences-panel"][data-loaded="true"]').waitFor();
  await countAfter(settings, () => settings.getByTestId('pref-developerMode').click());
  await devLinks.first().waitFor({ state: 'detached' });
  assert.equal(page.url(), route);
  assert.deepEqual(harness.pageErrors, []);
});

test('the MCP panel switches the server on, shows its URL, a masked token and the tools, and copies the token', async (t) => {
  const harness = await startWithProbe(t);
  const { host } = harness;
  const settings = await harness.openSettings();
  await allowClipboard(settings, harness.url);
  await openSection(settings, 'Preferences');
  const panel = settings.locator('[data-testid="mcp-panel"][data-enabled="false"]');
  await panel.waitFor();
  assert.equal(await settings.getByTestId('mcp-url').count(), 0, 'no URL while off');

  await settings.getByTestId('mcp-toggle').click();
  await settings.locator('[data-testid="mcp-panel"][data-enabled="true"]').waitFor();
  const status = createPluginViews(host).mcpStatus();
  assert.equal(status.enabled, true);
  assert.ok(status.url && status.token);
  await settings.getByTestId('mcp-url').waitFor();
  assert.equal(await settings.getByTestId('mcp-url').textContent(), status.url);
  assert.match(status.url, /^http:\/\/127\.0\.0\.1:\d+\//);

  const token = settings.getByTestId('mcp-token');
  assert.ok(!((await token.textContent()) ?? '').includes(status.token), 'the token is hidden until asked');
  await settings.getByTestId('mcp-token-show').click();
  assert.equal(await token.textContent(), status.token);
  await settings.locator('[data-testid="mcp-tool"]', { hasText: `${PROBE}__echo` }).waitFor();
  assert.match((await settings.getByTestId('mcp-hint').textContent()) ?? '', /Authorization: Bearer/);

  await settings.getByTestId('mcp-copy-token').click();
  await settings.locator('[data-testid="mcp-copy-token"][data-state="copied"]').waitFor();
  assert.equal(await readClipboard(settings), status.token);

  await settings.getByTestId('mcp-toggle').click();
  await settings.locator('[data-testid="mcp-panel"][data-enabled="false"]').waitFor();
  assert.equal(createPluginViews(host).mcpStatus().enabled, false);
  assert.equal(await settings.getByTestId('mcp-token').count(), 0, 'the token leaves the screen when the server stops');
});

test('the activity view lists plugin writes newest first, pages with Load more and filters by plugin', async (t) => {
  const harness = await startWithProbe(t);
  const tasks = Array.from({ length: 55 }, (_, i) => ({ title: `Task ${i + 1}` }));
  await harness.host.ui.action(PROBE, 'seed', { project: 'Paging', tasks });
  const written = harness.host.ops.listActivity({ pluginId: PROBE, limit: 500 }).items;
  assert.equal(written.length, 56, 'one project and 55 tasks were recorded');

  const settings = await harness.openSettings();
  await openSection(settings, 'Activity');
  await settings.locator('[data-testid="activity-view"][data-loaded="true"]').waitFor();
  const rows = settings.getByTestId('activity-row');
  assert.equal(await rows.count(), 50, 'the first page');
  const first = rows.first();
  assert.equal(await first.getAttribute('data-plugin-id'), PROBE);
  assert.equal(await first.getAttribute('data-action'), 'task.created', 'the newest write comes first');
  assert.equal(await first.getByTestId('activity-entity-id').textContent(), written[0]?.entityId);

  await settings.getByTestId('activity-load-more').click();
  await settings.getByTestId('activity-load-more').waitFor({ state: 'detached' });
  assert.equal(await rows.count(), 56);
  assert.equal(await settings.locator('[data-testid="activity-row"][data-entity-type="project"]').count(), 1);

  await settings.getByTestId('activity-plugin-filter').selectOption(HELLO);
  await settings.getByTestId('activity-empty').waitFor();
  assert.equal(await rows.count(), 0);
  await settings.getByTestId('activity-plugin-filter').selectOption(PROBE);
  await settings.locator('[data-testid="activity-view"][data-loaded="true"] [data-testid="activity-row"]').first().waitFor();
  assert.equal(await rows.count(), 50);
});
