// Settings → Plugins: installing a .tgz (path field and drag and drop),
// consent before the first run, upgrades that ask for more, downgrades, uninstall and restore.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { setDroppedFilePath, startHarness } from './harness/index.ts';
import { makePluginRoot, packTgz, writeWidgetPlugin } from './harness/test-plugins.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const HELLO = 'plinth-hello';

function card(settings: Page, pluginId: string, attrs = '') {
  return settings.locator(`[data-testid="plugin-card"][data-plugin-id="${pluginId}"]${attrs}`);
}

function widgetText(page: Page, pluginId: string, text: string) {
  return page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${pluginId}"]`).getByTestId('widget-text').filter({ hasText: text });
}

/** Install from file… in the harness: no OS picker, so the path field appears. */
async function installThroughPathField(settings: Page, tgz: string): Promise<void> {
  await settings.getByTestId('install-from-file').click();
  const field = settings.locator('[data-testid="path-field"][data-kind="archive"]');
  await field.getByRole('textbox').fill(tgz);
  await field.getByRole('button', { name: 'Install' }).click();
}

test('a .tgz installed through the path field asks for consent, then its widget appears', async (t) => {
  const root = makePluginRoot(t);
  const tgz = await packTgz(writeWidgetPlugin(root, 'src', {
    name: 'e2e-installed', displayName: 'Installed widget', text: 'Hello from the archive', capabilities: ['http.outbound:api.example.com', 'tasks.read'],
  }), root);
  const harness = await startHarness();
  t.after(() => harness.close());
  const settings = await harness.openSettings();

  await installThroughPathField(settings, tgz);
  const dialog = settings.getByTestId('consent-dialog');
  await dialog.waitFor();
  assert.match(await dialog.getByRole('heading').textContent() ?? '', /Allow Installed widget\?/);
  const asks = (await dialog.getByTestId('consent-capabilities').locator('li').allTextContents()).join('\n');
  assert.match(asks, /Connect to api\.example\.com/);
  assert.match(asks, /Add widgets to the dashboard/);
  assert.equal(await dialog.evaluate((el) => {
    const node = el as unknown as { contains(other: unknown): boolean; ownerDocument: { activeElement: unknown } };
    return node.contains(node.ownerDocument.activeElement);
  }), true, 'focus is in the dialog');
  // Esc cancels: the plugin stays installed and off.
  await settings.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await card(settings, 'e2e-installed', '[data-enabled="false"]').waitFor();
  assert.match(await settings.getByTestId('install-status').textContent() ?? '', /Installed Installed widget 1\.0\.0/);

  // Switching it on asks again; Allow enables it and its widget shows in the main window.
  await card(settings, 'e2e-installed').getByRole('switch').click();
  await dialog.waitFor();
  await dialog.getByTestId('consent-allow').click();
  await card(settings, 'e2e-installed', '[data-enabled="true"][data-state="ready"]').waitFor();
  await widgetText(harness.page, 'e2e-installed', 'Hello from the archive').waitFor();
  assert.equal(createPluginViews(harness.host).summary('e2e-installed').needsConsent, false);
  assert.deepEqual(harness.pageErrors, []);
});

test('an upgrade asking for more waits for approval; approve updates, decline keeps the running version', async (t) => {
  const root = makePluginRoot(t);
  const plugin = (version: string, capabilities: string[]) =>
    packTgz(writeWidgetPlugin(root, `v${version}`, { name: 'e2e-upgrade', displayName: 'Upgrader', version, text: `version ${version}`, capabilities }), root);
  const v1 = await plugin('1.0.0', []);
  const v2 = await plugin('2.0.0', ['http.outbound:api.example.com']);
  const v3 = await plugin('3.0.0', ['http.outbound:api.example.com', 'tasks.read']);
  const harness = await startHarness();
  t.after(() => harness.close());
  await harness.host.management.installFromFile(v1);
  await harness.host.management.enable('e2e-upgrade', { approveCapabilities: true });
  await widgetText(harness.page, 'e2e-upgrade', 'version 1.0.0').waitFor();
  const settings = await harness.openSettings();

  await installThroughPathField(settings, v2);
  const banner = card(settings, 'e2e-upgrade', '[data-state="upgrade_pending"]').getByTestId('upgrade-banner');
  await banner.waitFor();
  assert.equal(await banner.getAttribute('data-version'), '2.0.0');
  assert.deepEqual(await banner.getByTestId('upgrade-capabilities').locator('li').allTextContents(), ['Connect to api.example.com']);
  await widgetText(harness.page, 'e2e-upgrade', 'version 1.0.0').waitFor(); // the old version keeps running meanwhile
  await banner.getByTestId('upgrade-approve').click();
  await card(settings, 'e2e-upgrade', '[data-state="ready"]').filter({ hasText: 'v2.0.0' }).waitFor();
  await widgetText(harness.page, 'e2e-upgrade', 'version 2.0.0').waitFor();

  await installThroughPathField(settings, v3);
  const banner3 = card(settings, 'e2e-upgrade').getByTestId('upgrade-banner');
  await banner3.waitFor();
  await banner3.getByTestId('upgrade-decline').click();
  await banner3.waitFor({ state: 'detached' });
  assert.equal(await card(settings, 'e2e-upgrade').getAttribute('data-state'), 'ready');
  assert.equal(createPluginViews(harness.host).summary('e2e-upgrade').version, '2.0.0');
  await widgetText(harness.page, 'e2e-upgrade', 'version 2.0.0').waitFor();

  // An older archive is refused with both versions named; "Install anyway" confirms the downgrade.
  await installThroughPathField(settings, v1);
  const refusal = settings.getByTestId('install-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent() ?? '', /2\.0\.0/);
  await refusal.getByTestId('install-anyway').click();
  await card(settings, 'e2e-upgrade').filter({ hasText: 'v1.0.0' }).waitFor();
  await refusal.waitFor({ state: 'detached' });
});

test('uninstall asks first, lists the plugin under Recently uninstalled, and Restore brings it back', async (t) => {
  const root = makePluginRoot(t);
  const tgz = await packTgz(writeWidgetPlugin(root, 'src', { name: 'e2e-removable', displayName: 'Removable', text: 'still here' }), root);
  const harness = await startHarness();
  t.after(() => harness.close());
  await harness.host.management.installFromFile(tgz);
  await harness.host.management.enable('e2e-removable', { approveCapabilities: true });
  await widgetText(harness.page, 'e2e-removable', 'still here').waitFor();
  const settings = await harness.openSettings();

  // Built-in plugins cannot be uninstalled: the button says why instead.
  const helloUninstall = card(settings, HELLO).getByTestId('plugin-uninstall');
  assert.equal(await helloUninstall.getAttribute('aria-disabled'), 'true');
  assert.match(await helloUninstall.getAttribute('title') ?? '', /switch them off instead/);

  await card(settings, 'e2e-removable').getByTestId('plugin-uninstall').click();
  const confirm = settings.getByTestId('confirm-dialog');
  await confirm.getByTestId('confirm').click();
  await card(settings, 'e2e-removable').waitFor({ state: 'detached' });
  await harness.page.locator('[data-testid="widget"][data-plugin-id="e2e-removable"]').waitFor({ state: 'detached' });
  const row = settings.locator('[data-testid="uninstalled-plugin"][data-plugin-id="e2e-removable"]');
  await row.waitFor();

  await row.getByTestId('restore').click();
  await card(settings, 'e2e-removable').waitFor();
  await row.waitFor({ state: 'detached' });
  assert.equal(createPluginViews(harness.host).uninstalled().length, 0);

  // Purge now also asks first, then the plugin is gone for good.
  await card(settings, 'e2e-removable').getByTestId('plugin-uninstall').click();
  await confirm.getByTestId('confirm').click();
  await row.getByTestId('purge').click();
  await confirm.getByTestId('confirm').click();
  await row.waitFor({ state: 'detached' });
  assert.deepEqual(createPluginViews(harness.host).uninstalled(), []);
  assert.equal(createPluginViews(harness.host).summaries().some((p) => p.id === 'e2e-removable'), false);
});

test('dropping a .tgz on the settings window installs it', async (t) => {
  const root = makePluginRoot(t);
  const tgz = await packTgz(writeWidgetPlugin(root, 'src', { name: 'e2e-dropped', displayName: 'Dropped', text: 'dropped in' }), root);
  const harness = await startHarness();
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  await setDroppedFilePath(settings, 'e2e-dropped-1.0.0.tgz', tgz);

  // A synthetic drop, as the OS would deliver it; these DOM classes exist in the page, not in Node's types.
  type PageDom = {
    DataTransfer: new () => { items: { add(file: File): void } };
    DragEvent: new (type: string, init: object) => unknown;
  };
  const drop = (name: string) => settings.getByTestId('drop-zone').evaluate((zone, fileName) => {
    const dom = globalThis as unknown as PageDom;
    const data = new dom.DataTransfer();
    data.items.add(new File(['not read: the host reads the path'], fileName));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      (zone as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(new dom.DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }
  }, name);

  await drop('notes.txt');
  assert.match(await settings.getByTestId('install-error').textContent() ?? '', /not a plugin archive/);
  await drop('e2e-dropped-1.0.0.tgz');
  await settings.getByTestId('consent-dialog').getByTestId('consent-allow').click();
  await card(settings, 'e2e-dropped', '[data-enabled="true"]').waitFor();
  await widgetText(harness.page, 'e2e-dropped', 'dropped in').waitFor();
});
