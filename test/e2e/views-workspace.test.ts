// The workspace in the main window (issue #4 item 1): projects and tasks that plugins wrote,
// with status and priority, refreshed by hand and when plugins change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness/index.ts';
import { makePluginRoot } from './harness/test-plugins.ts';
import { PROBE, openSection, writeViewsProbePlugin } from './views-probe-plugin.ts';

const HELLO = 'plinth-hello';

test('the main window shows the projects and tasks plugins write, and refreshes by hand and when plugins change', async (t) => {
  const root = makePluginRoot(t);
  writeViewsProbePlugin(root);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [PROBE] });
  t.after(() => harness.close());
  const { page, host } = harness;

  await openSection(page, 'Workspace');
  const view = page.locator('[data-testid="workspace-view"][data-loaded="true"]');
  await view.getByTestId('workspace-empty').waitFor();
  assert.match((await view.getByTestId('workspace-empty').textContent()) ?? '', /Plugins add projects and tasks/);

  await host.performAction(PROBE, 'seed', {
    project: 'Launch',
    tasks: [
      { title: 'Write docs', status: 'in_progress', priority: 'high' },
      { title: 'Old idea', status: 'cancelled', priority: 'low' },
    ],
  });
  await page.getByTestId('workspace-refresh').click();
  const launch = page.locator('[data-testid="project"]', { has: page.locator('[data-testid="project-name"]', { hasText: 'Launch' }) });
  await launch.waitFor();
  const docs = launch.locator('[data-testid="task"]', { hasText: 'Write docs' });
  await docs.waitFor();
  assert.equal(await docs.getAttribute('data-status'), 'in_progress');
  assert.equal(await docs.getAttribute('data-priority'), 'high');
  assert.equal(await docs.getByTestId('task-status').textContent(), 'In progress');
  assert.equal(await docs.getByTestId('task-priority').textContent(), 'High');
  assert.equal(await launch.locator('[data-testid="task"][data-status="cancelled"]').count(), 1);
  assert.equal(await page.getByTestId('workspace-empty').count(), 0);

  // A plugin change (here: switching Hello off) refreshes the workspace without a click.
  await host.performAction(PROBE, 'seed', { project: 'Second', tasks: [] });
  await host.setEnabled(HELLO, false);
  const second = page.locator('[data-testid="project"]', { has: page.locator('[data-testid="project-name"]', { hasText: 'Second' }) });
  await second.getByTestId('project-no-tasks').waitFor();
  assert.deepEqual(harness.pageErrors, []);
});
