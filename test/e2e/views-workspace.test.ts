// The workspace in the main window: projects and tasks that plugins wrote,
// with status and priority, refreshed by hand and when plugins change; and the user's own
// projects, tasks and comments, made with the mouse or the keyboard alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
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
  assert.match((await view.getByTestId('workspace-empty').textContent()) ?? '', /Create a project to start; plugins can add tasks too/);

  await host.ui.action(PROBE, 'seed', {
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
  assert.equal(await docs.getByTestId('task-status').inputValue(), 'in_progress');
  assert.equal(await docs.getByTestId('task-status').locator('option:checked').textContent(), 'In progress');
  assert.equal(await docs.getByTestId('task-priority').textContent(), 'High');
  assert.equal(await launch.locator('[data-testid="task"][data-status="cancelled"]').count(), 1);
  assert.equal(await page.getByTestId('workspace-empty').count(), 0);

  // A plugin change (here: switching Hello off) refreshes the workspace without a click.
  await host.ui.action(PROBE, 'seed', { project: 'Second', tasks: [] });
  await host.management.setEnabled(HELLO, false);
  const second = page.locator('[data-testid="project"]', { has: page.locator('[data-testid="project-name"]', { hasText: 'Second' }) });
  await second.getByTestId('project-no-tasks').waitFor();
  assert.deepEqual(harness.pageErrors, []);
});

/** The project card named `name`. */
function projectCard(page: Page, name: string): Locator {
  return page.locator('[data-testid="project"]', { has: page.locator('[data-testid="project-name"]', { hasText: name }) });
}

/** The `data-testid` of the focused element, or `null`. */
function focusedTestId(page: Page): Promise<string | null> {
  // The test runs under Node's types: the page's globals are described by hand.
  type Focusable = { getAttribute(name: string): string | null } | null;
  return page.evaluate(() => (globalThis as unknown as { document: { activeElement: Focusable } }).document.activeElement?.getAttribute('data-testid') ?? null);
}

/** Presses Tab until the element with `testId` has focus; fails after `maxPresses` (the tab order is finite). */
async function tabTo(page: Page, testId: string, maxPresses = 40): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if ((await focusedTestId(page)) === testId) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${testId} was not reached with ${maxPresses} Tab presses`);
}

test('a person creates a project and a task, changes its status, comments, and finds it all after a reload', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  await openSection(page, 'Workspace');
  await page.locator('[data-testid="workspace-view"][data-loaded="true"]').getByTestId('workspace-empty').waitFor();

  // New project: the host's error is shown inline and says what to fix.
  await page.getByTestId('empty-new-project').click();
  const form = page.getByTestId('new-project-form');
  await form.getByTestId('new-project-submit').click();
  assert.equal(await form.getByTestId('new-project-error').textContent(), 'Name must not be empty');
  await form.getByLabel('Name').fill('Launch');
  await form.getByLabel(/Description/).fill('Ship version 1');
  await form.getByTestId('new-project-submit').click();
  const launch = projectCard(page, 'Launch');
  await launch.waitFor();
  assert.equal(await form.count(), 0, 'the form closes');
  assert.equal(await launch.locator('.project-description').textContent(), 'Ship version 1');
  assert.equal(await focusedTestId(page), 'new-task-title', 'the new project is ready for its first task');

  // New task with a priority.
  await launch.getByTestId('new-task-title').fill('Write docs');
  await launch.getByTestId('new-task-priority').selectOption('high');
  await launch.getByTestId('new-task-submit').click();
  const docs = launch.locator('[data-testid="task"]', { hasText: 'Write docs' });
  await docs.waitFor();
  assert.deepEqual([await docs.getAttribute('data-status'), await docs.getAttribute('data-priority')], ['todo', 'high']);
  assert.equal(await docs.getByTestId('task-priority').textContent(), 'High');
  assert.equal(await launch.getByTestId('new-task-title').inputValue(), '', 'the field is cleared for the next task');

  // The status select saves at once.
  await docs.getByTestId('task-status').selectOption('in_progress');
  await launch.locator('[data-testid="task"][data-status="in_progress"]', { hasText: 'Write docs' }).waitFor();
  const taskId = (await docs.getAttribute('data-task-id'))!;
  assert.equal(host.services.workspace.tasks.get(taskId)?.status, 'in_progress');

  // The details: description and comments.
  await docs.getByTestId('task-open').click();
  assert.equal(await docs.getByTestId('task-open').getAttribute('aria-expanded'), 'true');
  const detail = docs.getByTestId('task-detail');
  await detail.getByTestId('no-comments').waitFor();
  await detail.getByTestId('task-description').fill('Cover the plugin API');
  await detail.getByTestId('description-save').click();
  await detail.getByTestId('description-saved').waitFor();
  assert.equal(host.services.workspace.tasks.get(taskId)?.description, 'Cover the plugin API');
  await detail.getByTestId('comment-submit').click();
  assert.equal(await detail.getByTestId('comment-error').textContent(), 'Body must not be empty');
  await detail.getByTestId('comment-input').fill('Draft is in the shared folder');
  await detail.getByTestId('comment-submit').click();
  const comment = detail.getByTestId('comment');
  await comment.waitFor();
  assert.equal(await comment.getByTestId('comment-body').textContent(), 'Draft is in the shared folder');
  assert.match((await comment.textContent()) ?? '', /^You/, 'the user\'s comments are shown as "You"');
  assert.equal(await detail.getByTestId('comment-input').inputValue(), '');
  assert.deepEqual(host.ops.listActivity({}).items, [], 'the user\'s changes are not plugin activity');

  // After a reload the window shows what the host stored.
  await page.reload();
  await page.locator('[data-testid="workspace-view"][data-loaded="true"]').waitFor();
  const again = projectCard(page, 'Launch').locator('[data-testid="task"]', { hasText: 'Write docs' });
  await again.waitFor();
  assert.deepEqual([await again.getAttribute('data-status'), await again.getByTestId('task-status').inputValue()], ['in_progress', 'in_progress']);
  await again.getByTestId('task-open').click();
  await again.getByTestId('comment').waitFor();
  assert.equal(await again.getByTestId('task-description').inputValue(), 'Cover the plugin API');
  await again.getByTestId('comment-delete').click();
  await again.getByTestId('no-comments').waitFor();
  assert.deepEqual(host.ops.listComments(taskId), []);

  // Deleting the project asks first, saying what else goes.
  await projectCard(page, 'Launch').getByTestId('project-delete').click();
  const confirm = page.getByTestId('confirm-dialog');
  assert.match((await confirm.textContent()) ?? '', /Its 1 task and that task's comments are deleted too/);
  await confirm.getByTestId('confirm').click();
  await page.getByTestId('workspace-empty').waitFor();
  assert.deepEqual(host.ops.workspaceOverview().projects, []);
  assert.deepEqual(harness.pageErrors, []);
});

test('tasks can be created, re-prioritised, moved on and deleted with the keyboard alone', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Errands' });
  await page.getByTestId('nav-dashboard').focus();
  await page.keyboard.press('Tab'); // the sidebar: Dashboard, then Projects
  assert.equal(await focusedTestId(page), 'nav-projects');
  await page.keyboard.press('Enter');
  const card = projectCard(page, 'Errands');
  await card.waitFor();

  await tabTo(page, 'new-task-title');
  await page.keyboard.type('   ');
  await page.keyboard.press('Enter');
  assert.equal(await card.getByTestId('new-task-error').textContent(), 'Title must not be empty');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Buy stamps');
  await page.keyboard.press('Tab');
  assert.equal(await focusedTestId(page), 'new-task-priority');
  await page.keyboard.press('ArrowDown'); // Medium → High
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  const stamps = card.locator('[data-testid="task"]', { hasText: 'Buy stamps' });
  await stamps.waitFor();
  assert.equal(await stamps.getAttribute('data-priority'), 'high');
  assert.equal(await card.getByTestId('new-task-error').count(), 0);
  // Focus stays in the field and the priority is back to Medium, so the next task is just typed.
  assert.equal(await focusedTestId(page), 'new-task-title');
  await page.keyboard.type('Post the letter');
  await page.keyboard.press('Enter');
  await card.locator('[data-testid="task"]', { hasText: 'Post the letter' }).waitFor();
  assert.deepEqual(host.ops.workspaceOverview().projects[0]?.tasks.map((x) => [x.title, x.priority, x.status]), [
    ['Buy stamps', 'high', 'todo'], ['Post the letter', 'medium', 'todo'],
  ]);

  // Status: focus the select and move it on with an arrow key; it saves at once.
  await card.locator('[data-testid="task"]', { hasText: 'Buy stamps' }).getByTestId('task-status').focus();
  await page.keyboard.press('ArrowDown');
  await card.locator('[data-testid="task"][data-status="in_progress"]', { hasText: 'Buy stamps' }).waitFor();

  // Delete: the dialog opens on Cancel, so Enter alone never deletes.
  await page.keyboard.press('Tab');
  assert.equal(await focusedTestId(page), 'task-delete');
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm-dialog').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  assert.equal(await card.getByTestId('task').count(), 2, 'Cancel kept the task');
  await page.keyboard.press('Enter'); // focus is back on the delete button
  await page.getByTestId('confirm-dialog').waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await card.locator('[data-testid="task"]', { hasText: 'Buy stamps' }).waitFor({ state: 'detached' });
  assert.equal(await focusedTestId(page), 'new-task-title', 'focus moves to the project\'s New task field');
  assert.deepEqual(host.ops.workspaceOverview().projects.find((p) => p.id === project.id)?.tasks.map((x) => x.title), ['Post the letter']);
  assert.deepEqual(harness.pageErrors, []);
});
