// Keyboard alone, in the main window: open a project from the sidebar, add a task, move it on
// the board with Alt+→, open it and add a comment. No click anywhere: focus moves with Tab only.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { RENDERER_DIR, startHarness } from './harness/index.ts';

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');
/** More Tab presses than any screen here has stops before the control a step needs. */
const MAX_TABS = 80;

/** Presses Tab until `target` has focus, as a keyboard user would; fails when it never gets it. */
async function tabTo(page: Page, target: Locator, what: string): Promise<void> {
  await target.waitFor();
  for (let i = 0; i < MAX_TABS; i++) {
    if (await target.evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${what} never got the keyboard focus in ${MAX_TABS} Tab presses`);
}

test('a task is created, moved on the board and commented on with the keyboard alone', async (t) => {
  const harness = await startHarness({ colorScheme: 'dark' });
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Launch', description: 'Ship it' });
  await page.locator('[data-testid="sidebar-projects"] a', { hasText: 'Launch' }).waitFor();

  await tabTo(page, page.locator('[data-testid="sidebar-projects"] a', { hasText: 'Launch' }), 'The project in the sidebar');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  await tabTo(page, page.getByTestId('view-board'), 'The Board view link');
  await page.keyboard.press('Enter');
  await page.getByTestId('board-column').first().waitFor();

  await tabTo(page, page.getByTestId('new-task-title'), 'The new task title');
  await page.keyboard.type('Write the docs');
  await page.keyboard.press('Enter');
  const card = page.locator('[data-testid="board-card"]', { hasText: 'Write the docs' });
  await page.locator('[data-testid="board-column"][data-status="todo"] [data-testid="board-card"]', { hasText: 'Write the docs' }).waitFor();
  const task = host.ops.workspaceOverview().projects.find((p) => p.id === project.id)?.tasks[0];
  assert.ok(task, 'the task is saved');
  assert.equal(task.title, 'Write the docs');

  await tabTo(page, card, 'The task card');
  await page.keyboard.press('Alt+ArrowRight');
  await page.locator('[data-testid="board-column"][data-status="in_progress"] [data-testid="board-card"]', { hasText: 'Write the docs' }).waitFor();
  assert.equal(host.services.workspace.tasks.get(task.id)?.status, 'in_progress', 'the move is saved');
  // The moved card keeps the focus. A locator, not a string waitForFunction: Playwright evals a
  // string predicate again on every poll, which the shell CSP (no 'unsafe-eval') refuses.
  await page.locator('[data-testid="board-card"]:focus', { hasText: 'Write the docs' }).waitFor({ timeout: 5_000 });

  await tabTo(page, card.getByTestId('board-card-open'), 'The task card\'s link');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="task-page"]').waitFor();
  await tabTo(page, page.getByTestId('comment-input'), 'The comment field');
  await page.keyboard.type('First draft is up');
  await tabTo(page, page.getByTestId('comment-submit'), 'Add comment');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="comment-body"]', { hasText: 'First draft is up' }).waitFor();
  assert.deepEqual(host.services.workspace.comments.list({ taskId: task.id }).items.map((c) => c.body), ['First draft is up']);

  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'keyboard-task-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.screenshot({ path: path.join(SHOTS, 'keyboard-task.png') });
});
