// system.unsandboxed (API 1.1) as the user sees it: the consent puts "Full access to this
// computer" first and prominently, the card carries a Full access badge, and the optional
// capabilities it may ask for later are listed in the consent too.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RENDERER_DIR, startHarness } from './harness/index.ts';
import { makePluginRoot, packTgz, writePlugin } from './harness/test-plugins.ts';
import { UNSANDBOXED_WORDS } from '../../sdk/protocol/capabilities.ts';

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');
const ID = 'e2e-full-access';

test('the consent of a system.unsandboxed plugin warns of full access first; its card has a badge', async (t) => {
  const root = makePluginRoot(t);
  writePlugin(root, ID, {
    name: ID, version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: 'Shell runner', worker: 'worker.js',
      capabilities: ['system.unsandboxed', 'tasks.read'], optionalCapabilities: ['http.outbound:*'],
    },
  }, { 'worker.js': "import { definePlugin } from '@plinth/sdk';\nexport default definePlugin({ async setup() {} });\n" });
  writePlugin(root, 'e2e-sandboxed', {
    name: 'e2e-sandboxed', version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Sandboxed one', worker: 'worker.js', capabilities: ['tasks.read'] },
  }, { 'worker.js': "import { definePlugin } from '@plinth/sdk';\nexport default definePlugin({ async setup() {} });\n" });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }] });
  t.after(() => harness.close());
  mkdirSync(SHOTS, { recursive: true });
  const settings = await harness.openSettings();
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${ID}"]`);
  await card.waitFor();

  const badge = card.getByTestId('plugin-full-access');
  assert.equal((await badge.textContent())?.trim(), '⚠ Full access');
  assert.equal(await badge.getAttribute('title'), UNSANDBOXED_WORDS);
  assert.equal(await settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-sandboxed"]').getByTestId('plugin-full-access').count(), 0,
    'a sandboxed plugin has no badge');
  await card.locator('.plugin-head').screenshot({ path: path.join(SHOTS, 'plugin-card-full-access.png') });

  await card.getByTestId('plugin-toggle').click();
  const dialog = settings.getByTestId('consent-dialog');
  await dialog.waitFor();
  const warning = dialog.getByTestId('full-access-warning');
  assert.equal(await warning.locator('strong').textContent(), UNSANDBOXED_WORDS);
  // First in the dialog's body, before the list of the other permissions.
  assert.equal(await dialog.locator('.modal-body > :nth-child(2)').getAttribute('data-testid'), 'full-access-warning', 'right under the title');
  assert.deepEqual(await dialog.getByTestId('consent-capabilities').locator('li').allTextContents(), ['Read your tasks'],
    'full access is said once, in the warning');
  assert.deepEqual(await dialog.getByTestId('consent-optional').locator('li').allTextContents(), ['Ask you for each website it wants to connect to']);
  await dialog.screenshot({ path: path.join(SHOTS, 'consent-full-access.png') });
  await settings.emulateMedia({ colorScheme: 'dark' });
  await dialog.screenshot({ path: path.join(SHOTS, 'consent-full-access-dark.png') });

  await dialog.getByTestId('consent-allow').click();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${ID}"][data-enabled="true"]`).waitFor();
  await dialog.waitFor({ state: 'detached' });
  await card.locator('.plugin-head').screenshot({ path: path.join(SHOTS, 'plugin-card-full-access-dark.png') });
  assert.deepEqual(harness.pageErrors, []);
});

test('an upgrade that adds full access says so first in its banner, while the old version keeps running', async (t) => {
  const root = makePluginRoot(t);
  const spec = (version: string, capabilities: string[]) => ({
    name: 'e2e-upgrader', version, type: 'module', engines: { plinth: '^1.0.0' },
    plinth: { displayName: 'Upgrader', worker: 'worker.js', capabilities },
  });
  const worker = { 'worker.js': "import { definePlugin } from '@plinth/sdk';\nexport default definePlugin({ async setup() {} });\n" };
  const v1 = await packTgz(writePlugin(root, 'v1', spec('1.0.0', ['tasks.read']), worker), root);
  const v2 = await packTgz(writePlugin(root, 'v2', spec('2.0.0', ['tasks.read', 'system.unsandboxed']), worker), root);
  const harness = await startHarness();
  t.after(() => harness.close());
  await harness.host.management.installFromFile(v1);
  await harness.host.management.enable('e2e-upgrader', { approveCapabilities: true });
  await harness.host.management.installFromFile(v2);
  mkdirSync(SHOTS, { recursive: true });

  const settings = await harness.openSettings();
  const card = settings.locator('[data-testid="plugin-card"][data-plugin-id="e2e-upgrader"][data-state="upgrade_pending"]');
  const banner = card.getByTestId('upgrade-banner');
  await banner.waitFor();
  assert.equal(await banner.getByTestId('full-access-warning').locator('strong').textContent(), UNSANDBOXED_WORDS);
  assert.equal(await card.getByTestId('plugin-full-access').count(), 0, 'the running version 1.0.0 has no full access');
  assert.equal(await banner.getByTestId('upgrade-capabilities').count(), 0, 'full access is said once, in the warning');
  await banner.screenshot({ path: path.join(SHOTS, 'upgrade-full-access.png') });
  await settings.emulateMedia({ colorScheme: 'dark' });
  await banner.screenshot({ path: path.join(SHOTS, 'upgrade-full-access-dark.png') });
  assert.deepEqual(harness.pageErrors, []);
});
