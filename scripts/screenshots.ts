/**
 * Writes screenshots of the real app for the README (run: `npm run screenshots`, which builds
 * first) into docs/screenshots/, each in light and as `-dark`:
 * - main-window (the dashboard), main-project-board and main-task (a project board and a task
 *   page with plugin slots), main-plugin-page (a plugin's page), main-drawer (a plugin's drawer
 *   opened by its toolbar launcher), main-palette (the command palette);
 * - settings-window (the plugin list), settings-consent (the consent dialog), settings-config
 *   (a plugin's settings form), settings-logs (a plugin's log viewer), settings-running,
 *   settings-activity and settings-preferences (those tabs).
 * The Browse, permission and full-access shots come from their browser tests (out/e2e-screenshots).
 * Uses the e2e harness, so what it shows is the real host with the bundled plugins plus one
 * demo plugin installed from a `.tgz` the way a user would.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from '../test/e2e/harness/index.ts';
import { packTgz, writeWidgetPlugin } from '../test/e2e/harness/test-plugins.ts';

const OUT_DIR = fileURLToPath(new URL('../docs/screenshots/', import.meta.url));
/** How many times to press the Hello widget's button before the shot. */
const HELLO_PRESSES = 3;
const DEMO = 'github-sync';

/** A plausible third-party plugin: outbound HTTP, task access and settings with a secret. */
async function packDemoPlugin(root: string): Promise<string> {
  const dir = writeWidgetPlugin(root, 'github-sync', {
    name: DEMO,
    displayName: 'GitHub sync',
    description: 'Turns the issues of a GitHub repository into tasks and keeps both in step.',
    text: 'Synced 12 issues a minute ago',
    capabilities: ['http.outbound:api.github.com', 'tasks.read', 'tasks.write', 'plugin.state.read', 'plugin.state.write', 'secrets.read-ref'],
    worker: `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup(ctx) { ctx.logger.info('Sync scheduled', { every: '15 min' }); },
  async onHealth() { return { status: 'ok', message: 'connected' }; },
  async onValidateConfig() { return { ok: true, warnings: [], errors: [] }; },
});
export default plugin;
runWorker(plugin, import.meta.url);
`,
    configSchema: {
      type: 'object',
      required: ['repository', 'token'],
      properties: {
        repository: { type: 'string', title: 'Repository', description: 'owner/name of the repository whose issues become tasks', pattern: '^[\\w.-]+/[\\w.-]+$' },
        token: { type: 'string', format: 'secret', title: 'Access token', description: 'A fine-grained token with read access to issues' },
        intervalMinutes: { type: 'integer', title: 'Sync every (minutes)', minimum: 5, maximum: 1440, default: 15 },
        closeDone: { type: 'boolean', title: 'Close issues when their task is done', default: true },
      },
    },
  });
  return packTgz(dir, root);
}

async function framesReady(page: Page): Promise<void> {
  const count = await page.locator('[data-testid="slot-frame"]').count();
  for (let i = 0; i < count; i++) await page.locator('[data-testid="slot-frame"][data-state="ready"]').nth(i).waitFor();
}

async function useHello(page: Page): Promise<void> {
  const hello = page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]');
  if (!(await page.locator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').count())) return;
  for (let n = 1; n <= HELLO_PRESSES; n++) {
    await hello.getByTestId('hello-increment').click();
    await hello.getByTestId('hello-count').filter({ hasText: new RegExp(`^${n}$`) }).waitFor();
  }
  await hello.getByRole('button', { name: 'Add one' }).waitFor();
}

function card(settings: Page, pluginId: string) {
  return settings.locator(`[data-testid="plugin-card"][data-plugin-id="${pluginId}"]`);
}

/** The settings shots that show one feature each; `suffix` is `-dark` in the dark run. */
async function captureSettingsFeatures(harness: Harness, settings: Page, suffix: string): Promise<void> {
  // Element shots scroll their card under the sticky header; let the header scroll away instead.
  const unstickHeader = () => settings.addStyleTag({ content: '.app-header { position: static; }' });
  await unstickHeader();
  // Consent: what the demo plugin asks for, before it first runs.
  await card(settings, DEMO).getByRole('switch').click();
  const consent = settings.getByTestId('consent-dialog');
  await consent.waitFor();
  await settings.screenshot({ path: path.join(OUT_DIR, `settings-consent${suffix}.png`) });
  await consent.getByTestId('consent-allow').click();

  // The settings form: a stored secret shows as "Set" with Replace, an invalid field inline.
  await harness.host.config.save(DEMO, { repository: 'acme/roadmap', token: 'demo-token-not-real', intervalMinutes: 15, closeDone: true });
  await card(settings, DEMO).getByTestId('plugin-settings-toggle').click();
  const form = card(settings, DEMO).getByTestId('config-form');
  await form.getByTestId('secret-set').waitFor();
  await form.getByLabel('Sync every (minutes)').fill('2');
  await form.getByTestId('config-save').click();
  await form.locator('.error-detail').first().waitFor();
  await card(settings, DEMO).screenshot({ path: path.join(OUT_DIR, `settings-config${suffix}.png`) });

  // Logs (Developer mode) of the demo plugin, after its worker has run.
  await harness.host.ops.setPreferences({ developerMode: true });
  await harness.host.ui.data('plinth-hello', 'greeting', null);
  await settings.reload();
  await unstickHeader();
  await card(settings, 'plinth-hello').getByTestId('plugin-logs-toggle').click();
  const logs = card(settings, 'plinth-hello').getByTestId('plugin-logs-section');
  await logs.getByTestId('log-line').first().waitFor();
  await card(settings, 'plinth-hello').screenshot({ path: path.join(OUT_DIR, `settings-logs${suffix}.png`) });

  // Running plugins: the live worker table.
  await settings.getByTestId('tab-running').click();
  await settings.getByTestId('panel-running').locator('tbody tr').first().waitFor();
  await settings.screenshot({ path: path.join(OUT_DIR, `settings-running${suffix}.png`) });

  // Activity: writes a plugin made through its agent tools.
  const { workspace, tools } = harness.host.services;
  const project = workspace.projects.create({ user: true }, { name: 'Launch', description: 'Ship version 1' });
  workspace.tasks.create({ user: true }, { projectId: project.id, title: 'Write the release notes', priority: 'high' });
  for (const title of ['Record the demo', 'Update the website']) {
    await tools.call('plinth-task-tools__create-task', { projectId: project.id, title });
  }
  await settings.getByTestId('tab-activity').click();
  await settings.getByTestId('activity-row').first().waitFor();
  await settings.screenshot({ path: path.join(OUT_DIR, `settings-activity${suffix}.png`) });

  // Preferences, with the MCP server switched on.
  await harness.host.ops.setMcpEnabled(true);
  await settings.getByTestId('tab-preferences').click();
  await settings.getByTestId('mcp-url').waitFor();
  await settings.screenshot({ path: path.join(OUT_DIR, `settings-preferences${suffix}.png`), fullPage: true });

}

/** Goes to a shell route (the main window routes by URL hash) and waits for `testId`. */
async function route(page: Page, hash: string, testId: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
  await page.getByTestId(testId).first().waitFor();
}

/** The workspace screens with plugin UI in their slots: a project's board and a task page. */
async function captureWorkspace(harness: Harness, suffix: string): Promise<void> {
  const { page } = harness;
  const { ops } = harness.host;
  const project = ops.createProject({ name: 'Release 1.0', description: 'Everything that ships with version 1.0' });
  const notes = ops.createTask({ projectId: project.id, title: 'Write the release notes', priority: 'high' });
  ops.createTask({ projectId: project.id, title: 'Record the demo' });
  ops.updateTask(ops.createTask({ projectId: project.id, title: 'Update the website' }).id, { status: 'in_progress' });
  ops.updateTask(ops.createTask({ projectId: project.id, title: 'Pick a date' }).id, { status: 'done' });
  ops.addComment(notes.id, 'Draft is in the shared folder; needs a pass on the upgrade section.');

  await route(page, `#/projects/${project.id}/board`, 'board-card');
  await framesReady(page);
  await page.screenshot({ path: path.join(OUT_DIR, `main-project-board${suffix}.png`) });
  await route(page, `#/tasks/${notes.id}`, 'task-page');
  await framesReady(page);
  // The comment's word count is fetched from its worker after the frame renders.
  await page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-word-count"]').first().getByTestId('word-count').waitFor();
  await page.screenshot({ path: path.join(OUT_DIR, `main-task${suffix}.png`) });

  // A plugin's drawer, opened by its toolbar launcher on the task page.
  await harness.host.ui.action('plinth-link-out', 'setLink', { taskId: notes.id, url: 'https://example.com/release-notes' });
  await page.locator('[data-testid="launcher"][data-plugin-id="plinth-link-out"][data-launcher-id="open-link"]').getByRole('button').first().click();
  const drawer = page.locator('[data-testid="plugin-overlay"][data-plugin-id="plinth-link-out"]');
  await drawer.frameLocator('[data-testid="slot-frame"]').getByTestId('drawer-url').filter({ hasText: 'release-notes' }).waitFor();
  await page.screenshot({ path: path.join(OUT_DIR, `main-drawer${suffix}.png`) });
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'detached' });

  // A plugin's page, reached from the sidebar.
  await route(page, '#/plugins/plinth-kanban-overview/board', 'plugin-page');
  await framesReady(page);
  await page.screenshot({ path: path.join(OUT_DIR, `main-plugin-page${suffix}.png`) });

  // The command palette, narrowed to the plugin tools.
  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await palette.waitFor();
  await page.keyboard.type('run tool');
  await palette.locator('[data-testid="palette-item"][data-command-id^="tool:"]').first().waitFor();
  await page.screenshot({ path: path.join(OUT_DIR, `main-palette${suffix}.png`) });
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  await route(page, '#/', 'widget-grid');
}

async function capture(colorScheme: 'light' | 'dark', root: string, tgz: string): Promise<void> {
  const suffix = colorScheme === 'dark' ? '-dark' : '';
  const harness = await startHarness({ colorScheme, profileDir: mkdtempSync(path.join(root, `profile-${colorScheme}-`)) });
  try {
    await harness.host.management.installFromFile(tgz);
    const { page } = harness;
    await framesReady(page);
    await useHello(page);
    await page.screenshot({ path: path.join(OUT_DIR, `main-window${suffix}.png`) });
    await captureWorkspace(harness, suffix);

    const settings = await harness.openSettings();
    await card(settings, DEMO).waitFor();
    await settings.screenshot({ path: path.join(OUT_DIR, `settings-window${suffix}.png`), fullPage: true });
    await captureSettingsFeatures(harness, settings, suffix);
  } finally {
    await harness.close();
  }
}

mkdirSync(OUT_DIR, { recursive: true });
const root = mkdtempSync(path.join(tmpdir(), 'plinth-screenshots-'));
try {
  const tgz = await packDemoPlugin(root);
  await capture('light', root, tgz);
  await capture('dark', root, tgz);
} finally {
  rmSync(root, { recursive: true, force: true });
}
console.log(`Screenshots written to ${path.relative(process.cwd(), OUT_DIR) || '.'}`);
