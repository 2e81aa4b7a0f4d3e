// Every slot type of CONTRACT §8 in the shell, with the bundled examples (plinth-kanban-overview,
// plinth-link-out, plinth-word-count, plinth-ui-tour): each frame is mounted where the contract
// puts it, with the context of §7 for that place; and the shell's routes are deep links that
// survive a reload, with back and forward.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { startHarness } from './harness/index.ts';

const TOUR = 'plinth-ui-tour';

/** The frame of `pluginId`'s slot of `slotType` (the n-th when it is mounted more than once). */
function slotFrame(page: Page, slotType: string, pluginId: string, nth = 0): FrameLocator {
  return page.frameLocator(`[data-testid="slot-frame"][data-slot-type="${slotType}"][data-plugin-id="${pluginId}"] >> nth=${nth}`);
}

/** The context fields the UI tour's `Context` component shows. */
async function contextOf(frame: FrameLocator): Promise<Record<string, string>> {
  await frame.getByTestId('tour-context').waitFor();
  const out: Record<string, string> = {};
  for (const field of ['pluginId', 'slotType', 'slotId', 'entityType', 'entityId', 'projectId', 'parentEntityId', 'renderEnvironment', 'theme']) {
    out[field] = (await frame.getByTestId(`ctx-${field}`).textContent()) ?? '';
  }
  return out;
}

function seed(harness: Awaited<ReturnType<typeof startHarness>>) {
  const project = harness.host.ops.createProject({ name: 'Launch', description: 'Version 1' });
  const task = harness.host.ops.createTask({ projectId: project.id, title: 'Write docs', priority: 'high' });
  harness.host.ops.createTask({ projectId: project.id, title: 'Fix bugs' });
  const comment = harness.host.ops.addComment(task.id, 'Looks good to me');
  return { project, task, comment };
}

test('dashboard, sidebar, project and page slots mount with their context', async (t) => {
  const harness = await startHarness({ colorScheme: 'dark' });
  t.after(() => harness.close());
  const { page } = harness;
  const { project } = seed(harness);

  // dashboardWidget: the kanban overview counts the seeded tasks.
  await page.reload();
  await slotFrame(page, 'dashboardWidget', 'plinth-kanban-overview').getByTestId('count-todo').filter({ hasText: /^2/ }).waitFor();
  // sidebar and sidebarPanel: the tour's entry and tip, told their slot type.
  assert.equal(await slotFrame(page, 'sidebar', TOUR).getByTestId('tour-entry').getAttribute('data-slot-type'), 'sidebar');
  assert.equal(await slotFrame(page, 'sidebarPanel', TOUR).getByTestId('tour-tips').getAttribute('data-slot-type'), 'sidebarPanel');
  // projectSidebarItem: once per project, with that project's id.
  const item = slotFrame(page, 'projectSidebarItem', TOUR).getByTestId('tour-open-count');
  await item.filter({ hasText: '2 open' }).waitFor();
  assert.equal(await item.getAttribute('data-entity-id'), project.id);
  // globalToolbarButton slot in the header.
  assert.equal(await slotFrame(page, 'globalToolbarButton', TOUR).getByTestId('tour-status').getAttribute('data-slot-type'), 'globalToolbarButton');

  // page: listed in the sidebar with the plugin's icon, at /plugins/<id>/<slotId>; its navigate() opens a project board.
  const link = page.getByTestId('nav-plugin-page').filter({ hasText: 'Kanban overview' });
  assert.equal(await link.locator('img[data-testid="plugin-icon"]').getAttribute('src'), '/plugins/plinth-kanban-overview/assets/icon.svg');
  await link.click();
  assert.match(page.url(), /#\/plugins\/plinth-kanban-overview\/board$/);
  const board = slotFrame(page, 'page', 'plinth-kanban-overview');
  await board.getByTestId('board-row').filter({ hasText: 'Launch' }).getByRole('button').click();
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  assert.match(page.url(), new RegExp(`#/projects/${project.id}/board$`));
  await page.getByTestId('task-board').waitFor();

  // toolbarButton slot on the project page, and the project detailTab with the full context.
  assert.equal(await slotFrame(page, 'toolbarButton', TOUR).getByTestId('tour-status').getAttribute('data-entity-id'), project.id);
  await page.getByRole('tab', { name: 'Tour' }).click();
  assert.deepEqual(await contextOf(slotFrame(page, 'detailTab', TOUR)), {
    pluginId: TOUR, slotType: 'detailTab', slotId: 'project-tab', entityType: 'project', entityId: project.id, projectId: project.id,
    parentEntityId: '', renderEnvironment: '', theme: 'dark',
  });
  assert.match(page.url(), /\?tab=plinth-ui-tour%3Aproject-tab$/, 'the open tab is part of the deep link');
  await page.reload();
  await contextOf(slotFrame(page, 'detailTab', TOUR));
  assert.deepEqual(harness.pageErrors, []);
});

test('a project\'s open count in the sidebar follows the tasks the user adds and closes, without a reload', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page } = harness;
  const { project } = seed(harness);
  await page.reload();
  const count = slotFrame(page, 'projectSidebarItem', TOUR).getByTestId('tour-open-count');
  await count.filter({ hasText: '2 open' }).waitFor();

  // Projects (the workspace view): a new task, then one of them marked done.
  await page.getByTestId('nav-projects').click();
  const card = page.locator(`[data-testid="project"][data-project-id="${project.id}"]`);
  await card.getByTestId('new-task-title').fill('Plan the party');
  await card.getByTestId('new-task-submit').click();
  await count.filter({ hasText: '3 open' }).waitFor();
  await card.locator('[data-testid="task"]', { hasText: 'Write docs' }).getByTestId('task-status').selectOption('done');
  await count.filter({ hasText: '2 open' }).waitFor();
  assert.deepEqual(harness.pageErrors, []);
});

test('task page slots: detail tab, detail view, comment annotation, comment menu and context menu', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page } = harness;
  const { project, task, comment } = seed(harness);
  await page.goto(`${harness.url}/index.html#/tasks/${task.id}`);
  await page.locator('[data-testid="task-page"][data-loaded="true"]').waitFor();

  // taskDetailView: the task's context.
  assert.deepEqual(await contextOf(slotFrame(page, 'taskDetailView', TOUR)), {
    pluginId: TOUR, slotType: 'taskDetailView', slotId: 'context', entityType: 'task', entityId: task.id, projectId: project.id,
    parentEntityId: '', renderEnvironment: '', theme: 'light',
  });
  // commentAnnotation: under the comment, told the comment and its task.
  await slotFrame(page, 'commentAnnotation', 'plinth-word-count').getByTestId('word-count').filter({ hasText: '4 words' }).waitFor();

  // commentContextMenuItem: the comment's ⋮ menu lists the word count's item and the tour's launcher.
  await page.locator(`[data-comment-id="${comment.id}"]`).getByTestId('comment-menu').click();
  const menu = page.getByTestId('plugin-menu');
  assert.deepEqual(await menu.getByTestId('menu-item').allTextContents(), [' Reading statistics', ' Comment context (tour)']);
  await menu.getByTestId('menu-item').first().click();
  const overlay = page.locator('[data-testid="plugin-overlay"][data-plugin-id="plinth-word-count"]');
  await overlay.frameLocator('[data-testid="slot-frame"]').getByTestId('comment-stats').filter({ hasText: '4 words, 16 characters' }).waitFor();
  await overlay.frameLocator('[data-testid="slot-frame"]').getByRole('button', { name: 'Done' }).click(); // useHostNavigation().close()
  await overlay.waitFor({ state: 'detached' });
  await page.locator(`[data-comment-id="${comment.id}"]`).getByTestId('comment-menu').click();
  await page.getByTestId('plugin-menu').getByTestId('menu-item').nth(1).click();
  const commentContext = await contextOf(page.locator(`[data-testid="plugin-overlay"][data-plugin-id="${TOUR}"]`).frameLocator('[data-testid="slot-frame"]'));
  assert.deepEqual([commentContext.slotType, commentContext.entityType, commentContext.entityId, commentContext.parentEntityId], ['commentContextMenuItem', 'comment', comment.id, task.id]);
  await page.keyboard.press('Escape');

  // contextMenuItem: the Menu key on the task heading opens its plugin menu, keyboard only.
  await page.getByTestId('task-heading').focus();
  await page.keyboard.press('ContextMenu');
  await page.getByTestId('plugin-menu').waitFor();
  await page.keyboard.press('Enter'); // the first item has focus: the tour's "Show context"
  const fromMenu = await contextOf(page.locator(`[data-testid="plugin-overlay"][data-plugin-id="${TOUR}"]`).frameLocator('[data-testid="slot-frame"]'));
  assert.deepEqual([fromMenu.slotType, fromMenu.slotId, fromMenu.entityType, fromMenu.entityId, fromMenu.renderEnvironment], ['contextMenuItem', 'menu-context', 'task', task.id, 'hostOverlay']);
  await page.keyboard.press('Escape');

  // detailTab on the task: the link-out Link tab keeps a link in task-scoped state.
  await page.getByRole('tab', { name: 'Link' }).click();
  const tab = slotFrame(page, 'detailTab', 'plinth-link-out');
  await tab.getByTestId('link-input').fill('https://example.com/spec');
  await tab.getByTestId('link-save').click();
  await tab.getByTestId('link-saved').filter({ hasText: 'https://example.com/spec' }).waitFor();
  assert.equal(await harness.host.ui.data('plinth-link-out', 'link', { taskId: task.id }).then((d) => (d as { url: string }).url), 'https://example.com/spec');
  assert.deepEqual(harness.pageErrors, []);
});

test('settingsPage replaces the generated settings form in the settings window', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const settings = await harness.openSettings();
  const card = settings.locator(`[data-testid="plugin-card"][data-plugin-id="${TOUR}"]`);
  await card.getByTestId('plugin-settings-toggle').click();
  const frame = settings.frameLocator(`[data-testid="slot-settingsPage"][data-plugin-id="${TOUR}"] [data-testid="slot-frame"]`);
  await frame.getByTestId('tour-greeting').fill('Hello there');
  await frame.getByTestId('tour-save').click();
  await frame.getByTestId('tour-settings-message').filter({ hasText: 'Saved' }).waitFor();
  assert.deepEqual(await harness.host.ui.data(TOUR, 'settings', null), { greeting: 'Hello there' });
});

test('deep links survive a reload; back and forward move between screens', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page } = harness;
  const { project, task } = seed(harness);
  await page.goto(`${harness.url}/index.html#/projects/${project.id}?q=docs`);
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  assert.deepEqual(await page.getByTestId('task-title').allTextContents(), ['Write docs'], 'the filter in the link applies');
  await page.reload();
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  assert.equal(await page.getByTestId('task-filter').inputValue(), 'docs');
  await page.getByTestId('task-page-link').click();
  await page.locator('[data-testid="task-page"][data-loaded="true"]').waitFor();
  assert.match(page.url(), new RegExp(`#/tasks/${task.id}$`));
  await page.reload();
  await page.locator('[data-testid="task-page"][data-loaded="true"]').getByTestId('task-page-title').filter({ hasText: 'Write docs' }).waitFor();
  await page.goBack();
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  await page.goForward();
  await page.locator('[data-testid="task-page"][data-loaded="true"]').waitFor();
  await page.goto(`${harness.url}/index.html#/search?q=bugs`);
  await page.getByTestId('search-result').filter({ hasText: 'Fix bugs' }).waitFor();
  await page.goto(`${harness.url}/index.html#/tasks/no-such-task`);
  await page.getByTestId('task-page-error').waitFor();
});
