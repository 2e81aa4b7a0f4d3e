// Runtime permission requests (API 1.1) end to end: a worker's ctx.permissions.request shows a
// prompt in the open windows; Allow makes the call succeed, Deny refuses it with a clear error,
// both are remembered; Settings lists the answers and Revoke removes a grant at once.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RENDERER_DIR, startHarness } from './harness/index.ts';
import { makePluginRoot, writePlugin } from './harness/test-plugins.ts';

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');
const ID = 'e2e-notify';
const REASON = 'Post a message to the Discord channel you chose in Settings, and file each reply as a project';

const WORKER = `import { definePlugin, runWorker } from '@plinth/sdk';
const settle = async (call) => {
  try { return { ok: true, value: await call() }; } catch (e) { return { ok: false, code: e.code, message: e.message }; }
};
const plugin = definePlugin({
  async setup(ctx) {
    ctx.actions.register('ask', (params) => settle(() => ctx.permissions.request(params.capabilities, ${JSON.stringify(REASON)})));
    ctx.actions.register('list', () => settle(() => ctx.permissions.list()));
    ctx.actions.register('create', (params) => settle(async () => (await ctx.projects.create({ name: params.name })).name));
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;

const ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#5865f2"/></svg>';

interface Settled { ok: boolean; value?: unknown; code?: string; message?: string }

/** Starts the app with the notifier plugin switched on; `action` calls its worker as its UI would. */
async function startWithNotifier(t: { after(fn: () => Promise<void> | void): void }) {
  const root = makePluginRoot(t);
  writePlugin(root, ID, {
    name: ID, version: '1.0.0', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: 'Discord notifier', icon: 'icon.svg', worker: 'worker.js',
      capabilities: ['plugin.state.read'], optionalCapabilities: ['projects.write', 'http.outbound:*'],
    },
  }, { 'worker.js': WORKER, 'icon.svg': ICON });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [ID] });
  t.after(() => harness.close());
  mkdirSync(SHOTS, { recursive: true });
  const action = (key: string, params: object = {}) => harness.host.ui.action(ID, key, params as never) as Promise<unknown> as Promise<Settled>;
  return { harness, action };
}

test('a worker asks at run time; Allow, Deny and Revoke reach the capability guard', async (t) => {
  const { harness, action } = await startWithNotifier(t);
  const { page } = harness;
  const prompt = page.getByTestId('permission-prompt');

  // Before asking, the call is refused and the message says how to ask.
  const before = await action('create', { name: 'Too early' });
  assert.equal(before.code, 'CAPABILITY_DENIED');
  assert.match(before.message ?? '', /it is optional: ask the user for it first with ctx\.permissions\.request/);

  // The request shows the plugin's name and icon, its reason and each capability in words.
  const asked = action('ask', { capabilities: ['projects.write', 'http.outbound:discord.com'] });
  await prompt.waitFor();
  assert.equal(await prompt.getByRole('heading').textContent(), 'Discord notifier asks for permission');
  assert.equal(await prompt.getByTestId('permission-reason').textContent(), REASON);
  assert.deepEqual(await prompt.getByTestId('permission-capabilities').locator('li').allTextContents(),
    ['Create, change and delete projects', 'Connect to discord.com']);
  await prompt.locator('img[data-testid="plugin-icon"]').waitFor();
  assert.equal(await page.locator(':focus').getAttribute('data-testid'), 'permission-deny', 'Deny has the focus');
  await prompt.screenshot({ path: path.join(SHOTS, 'permission-prompt.png') });

  // Keyboard: Tab to Allow, Enter.
  await page.keyboard.press('Tab');
  assert.equal(await page.locator(':focus').getAttribute('data-testid'), 'permission-allow');
  await page.keyboard.press('Enter');
  assert.deepEqual(await asked, { ok: true, value: ['projects.write', 'http.outbound:discord.com'] });
  await prompt.waitFor({ state: 'detached' });
  assert.deepEqual(await action('create', { name: 'Allowed' }), { ok: true, value: 'Allowed' });
  assert.deepEqual(await action('list'), { ok: true, value: ['http.outbound:discord.com', 'projects.write'] });

  // Settings lists both grants, each with Revoke.
  const settings = await harness.openSettings();
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${ID}"]`);
  const allowedRows = card.locator('[data-testid="permission-row"][data-decision="allowed"]');
  await allowedRows.nth(1).waitFor();
  assert.deepEqual(await Promise.all((await allowedRows.all()).map((row) => row.getAttribute('data-capability'))),
    ['http.outbound:discord.com', 'projects.write']);
  await card.getByTestId('plugin-permissions').screenshot({ path: path.join(SHOTS, 'settings-permissions.png') });

  // Revoke takes effect at once: the next call is refused.
  await card.locator('[data-capability="projects.write"]').getByRole('button', { name: 'Revoke: Create, change and delete projects' }).click();
  await card.locator('[data-testid="permission-row"][data-capability="projects.write"]').waitFor({ state: 'detached' });
  const revoked = await action('create', { name: 'After revoke' });
  assert.equal(revoked.code, 'CAPABILITY_DENIED');
  assert.deepEqual(await action('list'), { ok: true, value: ['http.outbound:discord.com'] });

  // Asking again shows only what is not decided; Deny refuses the call with a clear error.
  const again = action('ask', { capabilities: ['projects.write', 'http.outbound:discord.com'] });
  await prompt.waitFor();
  assert.deepEqual(await prompt.getByTestId('permission-capabilities').locator('li').allTextContents(), ['Create, change and delete projects']);
  await prompt.getByTestId('permission-deny').click();
  assert.deepEqual(await again, { ok: true, value: ['http.outbound:discord.com'] });
  const denied = await action('create', { name: 'Denied' });
  assert.equal(denied.code, 'CAPABILITY_DENIED');
  assert.match(denied.message ?? '', /"projects\.write".*the user denied it/);
  // Remembered: a new request does not prompt.
  assert.deepEqual(await action('ask', { capabilities: ['projects.write'] }), { ok: true, value: [] });
  await card.locator('[data-testid="permission-row"][data-capability="projects.write"][data-decision="denied"]').waitFor();

  // Dark theme: Settings with an allowed and a denied answer, and a new prompt (a second host).
  await settings.emulateMedia({ colorScheme: 'dark' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await card.getByTestId('plugin-permissions').screenshot({ path: path.join(SHOTS, 'settings-permissions-dark.png') });
  const gitlab = action('ask', { capabilities: ['http.outbound:gitlab.com'] });
  await prompt.waitFor();
  await prompt.screenshot({ path: path.join(SHOTS, 'permission-prompt-dark.png') });
  await page.keyboard.press('Escape');
  assert.deepEqual(await gitlab, { ok: true, value: [] }, 'Esc denies');

  // "Let it ask again" forgets the denial.
  await card.locator('[data-capability="projects.write"]').getByTestId('permission-forget').click();
  await card.locator('[data-testid="permission-row"][data-capability="projects.write"]').waitFor({ state: 'detached' });
  const third = action('ask', { capabilities: ['projects.write'] });
  await prompt.waitFor();
  await prompt.getByTestId('permission-allow').click();
  assert.deepEqual(await third, { ok: true, value: ['projects.write'] });
  assert.deepEqual(harness.pageErrors, []);
});


test('a request shows in the settings window too, and an answer there dismisses the main window\'s prompt', async (t) => {
  const { harness, action } = await startWithNotifier(t);
  const settings = await harness.openSettings();
  const inMain = harness.page.getByTestId('permission-prompt');
  const inSettings = settings.getByTestId('permission-prompt');

  const asked = action('ask', { capabilities: ['projects.write'] });
  await inSettings.waitFor();
  await inMain.waitFor();
  assert.equal(await inSettings.getByRole('heading').textContent(), 'Discord notifier asks for permission');
  assert.equal(await settings.locator(':focus').getAttribute('data-testid'), 'permission-deny', 'Deny has the focus here too');
  await settings.screenshot({ path: path.join(SHOTS, 'permission-prompt-settings.png') });
  await settings.emulateMedia({ colorScheme: 'dark' });
  // The window has switched (theme.ts follows the colour scheme), and its colour transitions are finished.
  await settings.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
  await settings.screenshot({ path: path.join(SHOTS, 'permission-prompt-settings-dark.png'), animations: 'disabled' });

  await inSettings.getByTestId('permission-allow').click();
  assert.deepEqual(await asked, { ok: true, value: ['projects.write'] });
  await inSettings.waitFor({ state: 'detached' });
  await inMain.waitFor({ state: 'detached' });
  assert.deepEqual(await action('create', { name: 'From settings' }), { ok: true, value: 'From settings' });
  assert.deepEqual(harness.pageErrors, []);
});
