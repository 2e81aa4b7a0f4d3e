// The settings window: enabling and disabling take effect at once in the main window and on
// the worker process; broken plugins show their error while the others keep working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { pidAlive, waitForPidGone } from '../support/plugin-folders.ts';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, writeBrokenManifestPlugin, writeSetupThrowsPlugin } from './harness/test-plugins.ts';

const HELLO = 'plinth-hello';
/** A stopped worker gets its shutdown grace (SHUTDOWN_GRACE_MS) before it is killed; allow that plus margin. */
const WORKER_EXIT_DEADLINE_MS = 10_000;

/** Whether the card's avatar shows the plugin's manifest icon, loaded (false: initials, or an image that did not load). */
async function showsIcon(card: Locator): Promise<boolean> {
  const avatar = card.getByTestId('plugin-avatar');
  await avatar.waitFor();
  const img = avatar.locator('img');
  if ((await img.count()) === 0) return false;
  return img.evaluate((el) => (el as unknown as { decode(): Promise<void>; naturalWidth: number }).decode().then(() => (el as unknown as { naturalWidth: number }).naturalWidth > 0, () => false));
}

test('disabling a plugin removes its widget and stops its worker; enabling brings both back', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  const widget = page.locator(`[data-testid="widget"][data-plugin-id="${HELLO}"]`);
  await page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).getByTestId('hello-count').waitFor();
  const pid = host.supervisor.runtime(HELLO).pid;
  assert.ok(pid && pidAlive(pid), 'worker runs while the widget shows');

  const settings = await harness.openSettings();
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"]`);
  await card.waitFor();
  assert.equal(await card.getByTestId('plugin-name').textContent(), 'Hello');
  assert.equal(await card.getByTestId('plugin-source').getAttribute('data-source'), 'bundled');
  assert.equal(await showsIcon(card), true, 'the card shows the manifest icon');
  assert.match((await card.getByTestId('plugin-capabilities').textContent()) ?? '', /Add widgets to the dashboard/);
  const toggle = card.getByRole('switch', { name: 'Enable Hello' });
  assert.equal(await toggle.isChecked(), true);

  await toggle.click();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"][data-enabled="false"]`).waitFor();
  await widget.waitFor({ state: 'detached' });
  await waitForPidGone(pid, WORKER_EXIT_DEADLINE_MS);
  assert.equal(host.supervisor.runtime(HELLO).pid, undefined);

  await toggle.click();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"][data-enabled="true"]`).waitFor();
  await page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).getByTestId('hello-count').waitFor();
  const newPid = host.supervisor.runtime(HELLO).pid;
  assert.ok(newPid && pidAlive(newPid), 'a new worker serves the widget again');
  assert.notEqual(newPid, pid);

  await toggle.click();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"][data-enabled="false"]`).waitFor();
  await settings.reload();
  assert.equal(await showsIcon(settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"]`)), true, 'a switched-off plugin keeps its icon');
});

test('the settings button opens the settings window from the main window, keyboard only', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const button = harness.page.getByTestId('open-settings');
  await button.focus();
  const opened = harness.page.context().waitForEvent('page');
  await harness.page.keyboard.press('Enter');
  const settings = await opened;
  await settings.getByTestId('settings-window').waitFor();
  assert.match(settings.url(), /\/settings\.html$/);
});

test('a broken manifest shows its error in settings while the other plugins load', async (t) => {
  const root = makePluginRoot(t);
  writeBrokenManifestPlugin(root);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }] });
  t.after(() => harness.close());
  await harness.page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).getByTestId('hello-message').waitFor();

  const settings = await harness.openSettings();
  const broken = settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-broken"]');
  await broken.waitFor();
  assert.equal(await broken.getAttribute('data-state'), 'error');
  assert.equal(await broken.getByTestId('plugin-source').getAttribute('data-source'), 'unpacked');
  assert.match((await broken.getByTestId('plugin-error').textContent()) ?? '', /displayName/);
  assert.equal(await showsIcon(broken), false, 'without a valid manifest there is no icon: the initials stand');
  assert.equal(await broken.getByTestId('plugin-avatar').textContent(), 'E', 'the initials of its folder name');
  assert.equal(await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${HELLO}"]`).getAttribute('data-state'), 'ready');
});

test('a worker that throws in setup shows state error with the thrown message', async (t) => {
  const root = makePluginRoot(t);
  writeSetupThrowsPlugin(root, 'setup exploded: no token configured');
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-setup-fails'] });
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  const card = settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-setup-fails"][data-state="error"]');
  await card.waitFor();
  assert.match((await card.getByTestId('plugin-error').textContent()) ?? '', /setup exploded: no token configured/);
  await harness.page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).getByTestId('hello-message').waitFor();
});

test('settings sections and the main window views are reachable with the keyboard alone', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  const pluginsTab = settings.getByRole('tab', { name: 'Plugins' });
  assert.equal(await pluginsTab.getAttribute('aria-selected'), 'true');
  await pluginsTab.focus();
  await settings.keyboard.press('ArrowRight');
  await settings.getByTestId('running-table').waitFor();
  const focused = await settings.getByRole('tab', { name: 'Running' }).evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement);
  assert.equal(focused, true, 'focus follows the selected tab');
  await settings.keyboard.press('End');
  await settings.getByTestId('preferences-panel').waitFor();
  assert.match(settings.url(), /#preferences$/, 'the section is kept in the URL, so a reload reopens it');
  await settings.reload();
  await settings.getByTestId('preferences-panel').waitFor();
  await settings.getByRole('tab', { name: 'Preferences' }).focus();
  await settings.keyboard.press('Home');
  await settings.locator('[data-testid="plugin-card"]').first().waitFor();

  const { page } = harness;
  // The main window's sidebar links: Tab moves between them, Enter opens one; Back returns to the dashboard.
  await page.getByTestId('nav-dashboard').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="workspace-view"]').waitFor();
  await page.goBack();
  await page.locator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).waitFor();
});

test('the theme preference applies to the shell windows and the plugin frames at once', async (t) => {
  const harness = await startHarness({ colorScheme: 'light' });
  t.after(() => harness.close());
  const hello = harness.page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`);
  await hello.locator('html[data-theme="light"]').waitFor({ state: 'attached' });
  const settings = await harness.openSettings();
  await settings.evaluate(() => (globalThis as unknown as { plinth: { setPreferences(p: object): Promise<unknown> } }).plinth.setPreferences({ theme: 'dark' }));
  await hello.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
  assert.equal(await settings.evaluate(() => (globalThis as unknown as { matchMedia(q: string): { matches: boolean } }).matchMedia('(prefers-color-scheme: dark)').matches), true);
});
