// Settings → a plugin's settings form: generated from its configSchema, inline
// validation, a plugin waiting in `installed` until its config is valid, secrets that never come
// back to the window, and Test connection showing the plugin's own warnings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator } from 'playwright-core';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, writeWidgetPlugin } from './harness/test-plugins.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const PLUGIN = 'e2e-configured';
/** A value that must never appear in the settings window once saved. */
const SECRET = 'tok_e2e_9f2c1b7a_never_shown';

const WORKER = `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup() {},
  async onValidateConfig(config) {
    return { ok: true, warnings: ['Could not reach ' + config.apiUrl + ': saved anyway, the plugin retries later'], errors: [] };
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;

const SCHEMA = {
  type: 'object',
  required: ['apiUrl', 'token'],
  properties: {
    apiUrl: { type: 'string', format: 'uri', title: 'API URL', description: 'Where the plugin sends its requests' },
    token: { type: 'string', format: 'secret', title: 'API token' },
    retries: { type: 'integer', minimum: 0, maximum: 5, default: 2, title: 'Retries' },
  },
};

/** The inline error of a field: the element its `aria-describedby` names for errors (rjsf's `<id>__error`). */
async function inlineError(field: Locator): Promise<Locator> {
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/);
  const errorId = ids.find((id) => id.endsWith('__error'));
  assert.ok(errorId, 'the field points at its error message');
  return field.page().locator(`[id="${errorId}"]`);
}

test('the settings form validates inline, keeps the plugin installed until valid, and never shows a saved secret', async (t) => {
  const root = makePluginRoot(t);
  writeWidgetPlugin(root, 'configured', { name: PLUGIN, displayName: 'Configured', text: 'configured widget', worker: WORKER, configSchema: SCHEMA });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }] });
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${PLUGIN}"]`);

  // Switched on (with consent), it waits in `installed` for its settings.
  await card.getByRole('switch').click();
  await settings.getByTestId('consent-dialog').getByTestId('consent-allow').click();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${PLUGIN}"][data-enabled="true"][data-state="installed"]`).waitFor();
  await card.getByTestId('plugin-needs-config').waitFor();

  await card.getByTestId('plugin-settings-toggle').click();
  const form = card.getByTestId('config-form');
  await form.getByLabel('API URL').waitFor();
  assert.equal(await form.getByLabel('Retries').inputValue(), '2', 'schema defaults fill the form');

  // Save with the required fields empty: inline errors, nothing saved, still installed.
  await form.getByTestId('config-save').click();
  await form.getByText('Required').first().waitFor();
  const apiUrlError = await inlineError(form.getByLabel('API URL'));
  assert.equal(await apiUrlError.textContent(), 'Required');
  assert.equal(await (await inlineError(form.getByLabel('API token'))).textContent(), 'Required');
  assert.equal(createPluginViews(harness.host).summary(PLUGIN).state, 'installed');
  assert.equal(await card.getAttribute('data-state'), 'installed');

  await form.getByLabel('API URL').fill('not a url');
  await apiUrlError.getByText('must match format "uri"').waitFor();
  await form.getByLabel('API URL').fill('https://api.example.com/v1');
  await form.getByLabel('API token').fill(SECRET);
  await form.getByTestId('config-save').click();
  await form.getByTestId('config-status').filter({ hasText: 'Saved.' }).waitFor();
  await settings.locator(`[data-testid="plugin-card"][data-plugin-id="${PLUGIN}"][data-state="ready"]`).waitFor();
  await form.locator('[data-secret-path="token"][data-secret-state="set"]').getByTestId('secret-set').waitFor();
  await harness.page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${PLUGIN}"]`).getByTestId('widget-text').waitFor();

  // The secret is stored, but neither the page nor what main answers contains it.
  assert.ok(!(await settings.content()).includes(SECRET), 'the settings page does not contain the secret');
  const view = await settings.evaluate((id) => (globalThis as unknown as { plinth: { getConfig(id: string): Promise<unknown> } }).plinth.getConfig(id), PLUGIN);
  assert.ok(!JSON.stringify(view).includes(SECRET), 'config.get does not return the secret');
  assert.deepEqual((view as { values: unknown }).values, { apiUrl: 'https://api.example.com/v1', retries: 2 });
  assert.deepEqual((view as { secrets: unknown }).secrets, [{ path: 'token', set: true }]);

  // Test connection runs the plugin's own check and shows its warning.
  await form.getByTestId('config-test').click();
  const result = card.getByTestId('config-test-result');
  await result.getByTestId('config-test-warnings').filter({ hasText: 'Could not reach https://api.example.com/v1' }).waitFor();
  assert.equal(await result.getAttribute('data-ok'), 'true');

  // Saving again without retyping the secret keeps it; Replace shows an empty password field.
  // Test connection cleared the status line, so "Saved." now marks this save's answer.
  await form.getByLabel('Retries').fill('3');
  await form.getByTestId('config-save').click();
  await form.getByTestId('config-status').filter({ hasText: 'Saved.' }).waitFor();
  await form.locator('[data-secret-path="token"][data-secret-state="set"]').waitFor();
  const saved = harness.host.config.view(PLUGIN);
  assert.deepEqual(saved.values, { apiUrl: 'https://api.example.com/v1', retries: 3 }, 'the second save reached the host');
  assert.deepEqual(saved.secrets, [{ path: 'token', set: true }]);
  await form.getByRole('button', { name: 'Replace API token' }).click();
  const replacing = form.locator('[data-secret-path="token"][data-secret-state="replacing"] input[type="password"]');
  assert.equal(await replacing.inputValue(), '', 'a stored secret is never prefilled');
  assert.deepEqual(harness.pageErrors, []);
});
