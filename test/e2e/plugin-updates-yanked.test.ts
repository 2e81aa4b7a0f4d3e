// The update check through the real registry (Verdaccio on 127.0.0.1) and the Settings window:
// a deprecated latest version is never installed and the window says why; an installed version
// that its publisher unpublished is never "updated" to a lower one and the window says so; a
// version pinned from the plugin's card is left alone by the check until Unpin. Screenshots in
// light and dark.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { createPluginViews } from '../../main/shell/plugin-views.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { publishPlugin, startTestRegistry } from '../support/verdaccio/index.ts';
import { RENDERER_DIR, startHarness } from './harness/index.ts';

/** The page's globals these steps use (the test runs in Node, typed without the DOM). */
type PageGlobals = { plinth: { setPreferences(patch: object): Promise<unknown> }; matchMedia(q: string): { matches: boolean } };

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');

test('the update check passes over a deprecated latest and an unpublished installed version, and the window says why', async (t) => {
  const registry = await startTestRegistry(t);
  const work = createTempDir(t, 'plinth-e2e-yanked-');
  await Promise.all([
    publishPlugin(registry, work, { name: 'tide-table', version: '1.0.0' }),
    publishPlugin(registry, work, { name: 'ebb-flow', version: '1.0.0' }),
  ]);
  await publishPlugin(registry, work, { name: 'ebb-flow', version: '1.1.0' });
  const harness = await startHarness();
  t.after(() => harness.close());
  const plugins = harness.host.registryPlugins;
  plugins.setRegistryPreferences({ url: registry.url });
  await plugins.install('tide-table');
  await plugins.install('ebb-flow@1.1.0');

  // The publisher releases 1.1.0 of tide-table and deprecates it; ebb-flow 1.1.0 is unpublished.
  await publishPlugin(registry, work, { name: 'tide-table', version: '1.1.0' });
  await registry.npm(['deprecate', 'tide-table@1.1.0', 'broken build, use 1.0.0']);
  await registry.npm(['unpublish', 'ebb-flow@1.1.0', '--force']);

  const settings = await harness.openSettings();
  mkdirSync(SHOTS, { recursive: true });
  await settings.getByTestId('plugins-view-browse').click();
  const panel = settings.getByTestId('registry-panel');
  await panel.locator('summary').click();
  await panel.getByTestId('check-updates').click();
  const status = panel.getByRole('status');
  await status.filter({ hasText: 'Not installed' }).waitFor();
  await panel.screenshot({ path: path.join(SHOTS, 'settings-update-check-skipped.png') });
  assert.match(await status.textContent() ?? '', /Not installed: tide-table 1\.1\.0 \(deprecated by its publisher: broken build, use 1\.0\.0\)\./);

  const views = createPluginViews(harness.host);
  assert.equal(views.summary('tide-table').version, '1.0.0', 'the deprecated latest is not installed');
  assert.equal(views.summary('ebb-flow').version, '1.1.0', 'an unpublished installed version is not replaced by a lower one');

  await settings.getByTestId('plugins-view-installed').click();
  const tide = settings.locator('[data-testid="update-notices"] [data-plugin-id="tide-table"]');
  await tide.waitFor();
  assert.equal(await tide.getByTestId('update-skipped').textContent(), 'Version 1.1.0 was not installed: deprecated by its publisher: broken build, use 1.0.0.');
  const ebb = settings.locator('[data-testid="update-notices"] [data-plugin-id="ebb-flow"]');
  assert.match(await ebb.textContent() ?? '', /Version 1\.1\.0 was unpublished from the registry; it keeps running, and only a newer version replaces it\./);
  await settings.screenshot({ path: path.join(SHOTS, 'settings-updates-skipped.png') });

  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'dark' }));
  await settings.waitForFunction(() => (globalThis as unknown as PageGlobals).matchMedia('(prefers-color-scheme: dark)').matches);
  await settings.screenshot({ path: path.join(SHOTS, 'settings-updates-skipped-dark.png') });
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'system' }));

  // A fitting newer version is installed again as usual, and the notice goes.
  await publishPlugin(registry, work, { name: 'tide-table', version: '1.2.0' });
  const report = await plugins.checkForUpdates();
  assert.deepEqual(report.items.find((i) => i.id === 'tide-table')?.status, 'upgraded');
  assert.equal(views.summary('tide-table').version, '1.2.0');
  assert.equal(views.summary('tide-table').origin?.updateSkipped, null);

  // Pin: the card offers the registry's versions (a deprecated one cannot be chosen); pinning an
  // older one installs it, and the update check leaves a pinned plugin alone until Unpin.
  const card = settings.locator('[data-testid="plugin-card"][data-plugin-id="tide-table"]');
  await card.getByText('v1.2.0', { exact: true }).waitFor(); // the check's change event refreshes the list
  await card.getByTestId('plugin-version-toggle').click();
  const select = card.getByTestId('plugin-pin-version');
  await select.locator('option[value="1.0.0"]').waitFor({ state: 'attached' });
  assert.deepEqual(await select.locator('option').allTextContents(), ['1.2.0 (installed)', '1.1.0 (deprecated)', '1.0.0']);
  assert.equal(await select.locator('option[value="1.1.0"]').isDisabled(), true);
  await select.selectOption('1.0.0');
  await card.getByTestId('plugin-pin-apply').click();
  await card.getByTestId('plugin-version-toggle').filter({ hasText: 'Version: pinned at 1.0.0' }).waitFor();
  assert.equal(views.summary('tide-table').version, '1.0.0');
  await publishPlugin(registry, work, { name: 'tide-table', version: '1.3.0' });
  assert.equal((await plugins.checkForUpdates()).items.find((i) => i.id === 'tide-table')?.status, 'pinned');
  assert.equal(views.summary('tide-table').version, '1.0.0', 'a pinned plugin is not updated');
  if (!(await card.getByTestId('plugin-unpin').isVisible())) await card.getByTestId('plugin-version-toggle').click();
  await card.getByTestId('plugin-unpin').waitFor();
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(SHOTS, 'settings-plugin-pinned.png') });
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'dark' }));
  await settings.waitForFunction(() => (globalThis as unknown as PageGlobals).matchMedia('(prefers-color-scheme: dark)').matches);
  await card.screenshot({ path: path.join(SHOTS, 'settings-plugin-pinned-dark.png') });
  await settings.evaluate(() => (globalThis as unknown as PageGlobals).plinth.setPreferences({ theme: 'system' }));
  await card.getByTestId('plugin-unpin').click();
  await card.getByTestId('plugin-version-toggle').filter({ hasText: 'Version: pin' }).filter({ hasNotText: 'pinned' }).waitFor();
  assert.equal(views.summary('tide-table').origin?.pinnedVersion, null);
  assert.equal((await plugins.checkForUpdates()).items.find((i) => i.id === 'tide-table')?.status, 'upgraded');
  assert.equal(views.summary('tide-table').version, '1.3.0');
  assert.deepEqual(harness.pageErrors, []);
});
