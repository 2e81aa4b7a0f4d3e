/**
 * Fixtures of the settings and workspace view tests (views*.test.ts): a purpose-built plugin
 * that logs, writes projects and tasks on request, declares jobs, a webhook and a tool, plus
 * small page helpers for the settings window's sections.
 */
import type { Locator, Page } from 'playwright-core';
import { writePlugin } from './harness/test-plugins.ts';

/** Id of the probe plugin. */
export const PROBE = 'e2e-views';
/** Its display name. */
export const PROBE_NAME = 'Views probe';

const WORKER = `import { definePlugin, runWorker } from '@plinth/sdk';
const plugin = definePlugin({
  async setup(ctx) {
    ctx.logger.info('views probe ready', { answer: 42 });
    ctx.logger.warn('views probe warning');
    console.log('plain stdout line');
    ctx.actions.register('log', async ({ level, message }) => { ctx.logger[level ?? 'info'](message); return { ok: true }; });
    ctx.actions.register('seed', async ({ project, tasks }) => {
      const created = await ctx.projects.create({ name: project });
      for (const task of tasks) await ctx.tasks.create({ projectId: created.id, ...task });
      return { projectId: created.id };
    });
    ctx.jobs.register('tick', async () => { ctx.logger.info('tick ran'); });
    ctx.jobs.register('boom', async (job) => { throw new Error('boom failed (trigger ' + job.trigger + ')'); });
    ctx.tools.register('echo', async (params) => ({ content: JSON.stringify(params) }));
  },
  async onWebhook() { return { status: 202 }; },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;

/** Writes the probe plugin into `root`; enable it with `startHarness({ enablePlugins: [PROBE] })`. */
export function writeViewsProbePlugin(root: string): string {
  return writePlugin(root, PROBE, {
    name: PROBE, version: '1.0.0', description: 'e2e probe of the settings views', type: 'module',
    engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: PROBE_NAME,
      worker: 'worker.js',
      capabilities: ['projects.read', 'projects.write', 'tasks.read', 'tasks.write', 'jobs.schedule', 'webhooks.receive', 'agent.tools.register', 'system.unsandboxed'],
      // 1 January only: never due while a test runs, so every run in the history is a manual one.
      jobs: [
        { jobKey: 'tick', displayName: 'Tick', schedule: '0 0 1 1 *' },
        { jobKey: 'boom', displayName: 'Boom', schedule: '0 0 1 1 *' },
      ],
      webhooks: [{ endpointKey: 'inbox', displayName: 'Inbox' }],
      tools: [{ name: 'echo', displayName: 'Echo', description: 'Echoes its parameters', parametersSchema: { type: 'object' } }],
    },
  }, { 'worker.js': WORKER });
}

/** Settings sections, by the accessible names of their tabs. */
export type SettingsSection = 'Plugins' | 'Running' | 'Activity' | 'Preferences';

/** Shows one section: a settings tab (Plugins, Running, …) or a main-window screen (Dashboard, Workspace = Projects). */
export async function openSection(page: Page, section: SettingsSection | 'Dashboard' | 'Workspace'): Promise<void> {
  if (section === 'Dashboard' || section === 'Workspace') {
    // The main window's sidebar: Dashboard and Projects (the workspace) are links, the current one aria-current.
    const testId = section === 'Dashboard' ? 'nav-dashboard' : 'nav-projects';
    await page.getByTestId(testId).click();
    await page.locator(`[data-testid="${testId}"][aria-current="page"]`).waitFor();
    return;
  }
  const tab = page.getByRole('tab', { name: section, exact: true });
  await tab.click();
  await page.locator(`[role="tab"][aria-selected="true"]`, { hasText: section }).waitFor();
}

/**
 * The view `testId` of one plugin's card (e.g. `plugin-logs`), opened with the card's
 * disclosure button `<testId>-toggle` when it is closed. Views mount only while open.
 */
export async function revealInCard(settings: Page, pluginId: string, testId: string): Promise<Locator> {
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${pluginId}"]`);
  await card.waitFor();
  const toggle = card.getByTestId(`${testId}-toggle`);
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  const view = card.locator(`[data-testid="${testId}"][data-plugin-id="${pluginId}"]`);
  await view.waitFor();
  return view;
}

/** Lets the page use the async Clipboard API, so tests can read what Copy wrote. */
export async function allowClipboard(page: Page, origin: string): Promise<void> {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}

/** What the page's clipboard holds. */
export function readClipboard(page: Page): Promise<string> {
  // The test project has no DOM types; this runs in the page.
  return page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
}
