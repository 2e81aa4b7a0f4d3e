// Every launcher action of CONTRACT §8 with the bundled examples (plinth-ui-tour, plinth-link-out):
// navigate, openModal, openDrawer, openPopover (overlay and inline), performAction with its
// result, deepLink (asks before the system browser), and the environments hostRoute and iframe.
// Overlays trap focus, close on Esc or the plugin's close(), and give focus back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startHarness } from './harness/index.ts';

const TOUR = 'plinth-ui-tour';

/**
 * Click options for a button whose click makes its plugin close the overlay, so its own frame is
 * removed: after the mouse events Playwright evaluates once more in the clicked frame (its
 * hit-target check), and with the frame torn down in another process that evaluation can wait
 * until the test times out. The click itself is real; the test then waits for the overlay to go.
 */
const CLOSES_ITS_FRAME = { noWaitAfter: true } as const;

function launcher(page: Page, pluginId: string, id: string) {
  return page.locator(`[data-testid="launcher"][data-plugin-id="${pluginId}"][data-launcher-id="${id}"]`).getByRole('button').first();
}

function overlay(page: Page, pluginId: string) {
  return page.locator(`[data-testid="plugin-overlay"][data-plugin-id="${pluginId}"]`);
}

async function ctx(page: Page, root: string, field: string): Promise<string> {
  return (await page.frameLocator(`${root} [data-testid="slot-frame"]`).getByTestId(`ctx-${field}`).textContent()) ?? '';
}

test('modal, popover and drawer overlays: plugin frame inside, focus trapped, Esc or close() closes, focus goes back', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Launch' });
  await page.reload();

  // openModal, compact, from the header.
  const about = launcher(page, TOUR, 'about');
  await about.focus();
  await page.keyboard.press('Enter');
  const modal = overlay(page, TOUR);
  await modal.waitFor();
  assert.deepEqual([await modal.getAttribute('data-kind'), await modal.getAttribute('data-bounds')], ['modal', 'compact']);
  assert.equal(await ctx(page, '[data-testid="plugin-overlay"]', 'renderEnvironment'), 'hostOverlay');
  assert.equal(await ctx(page, '[data-testid="plugin-overlay"]', 'slotType'), 'globalToolbarButton');
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    // Focus crosses between the shell and the frame document; wait until it has settled inside.
    await page.waitForFunction(() => {
      const d = globalThis as unknown as { document: { activeElement: { closest(s: string): unknown; tagName: string } | null } };
      const el = d.document.activeElement;
      return Boolean(el && el.tagName !== 'BODY' && el.closest('[data-testid="plugin-overlay"]'));
    }, undefined, { timeout: 2_000 }).catch(() => assert.fail(`Tab ${i + 1} moved focus out of the overlay`));
  }
  // Esc closes it, also while focus is inside the plugin frame (the frame forwards an unhandled Esc).
  await page.keyboard.press('Escape');
  await modal.waitFor({ state: 'detached' });
  assert.equal(await about.evaluate((el) => el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement), true, 'focus back on the launcher');

  // openPopover on the project page; the plugin's close() closes it.
  await page.goto(`${harness.url}/index.html#/projects/${project.id}`);
  await page.locator('[data-testid="project-page"][data-loaded="true"]').waitFor();
  await launcher(page, TOUR, 'peek').click();
  const popover = overlay(page, TOUR);
  assert.equal(await popover.getAttribute('data-kind'), 'popover');
  assert.equal(await ctx(page, '[data-testid="plugin-overlay"]', 'entityId'), project.id);
  await popover.frameLocator('[data-testid="slot-frame"]').getByTestId('tour-close').click(CLOSES_ITS_FRAME);
  await popover.waitFor({ state: 'detached' });

  // openDrawer with bounds full.
  await launcher(page, TOUR, 'wide-drawer').click();
  const drawer = overlay(page, TOUR);
  assert.deepEqual([await drawer.getAttribute('data-kind'), await drawer.getAttribute('data-bounds')], ['drawer', 'full']);
  await drawer.getByTestId('overlay-close').click();
  await drawer.waitFor({ state: 'detached' });

  // hostInline: the component opens in place, under its button.
  await launcher(page, TOUR, 'inline').click();
  const inline = page.locator('[data-testid="launcher"][data-launcher-id="inline"] [data-testid="launcher-inline"]');
  assert.equal(await ctx(page, '[data-testid="launcher"][data-launcher-id="inline"]', 'renderEnvironment'), 'hostInline');
  await launcher(page, TOUR, 'inline').click();
  await inline.waitFor({ state: 'detached' });
  assert.deepEqual(harness.pageErrors, []);
});

test('navigate, hostRoute, iframe, performAction and deepLink launchers', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Launch' });
  const task = host.ops.createTask({ projectId: project.id, title: 'Ship it' });

  // navigate: to the plugin's own page.
  await launcher(page, TOUR, 'go-tour').click();
  await page.locator(`[data-testid="plugin-page"][data-plugin-id="${TOUR}"]`).waitFor();
  assert.match(page.url(), /#\/plugins\/plinth-ui-tour\/tour$/);

  // hostRoute: the launcher's component as a route, its entity context in the URL (a deep link).
  await page.goto(`${harness.url}/index.html#/projects/${project.id}`);
  await launcher(page, TOUR, 'full').click();
  await page.locator(`[data-testid="plugin-page"][data-plugin-id="${TOUR}"]`).waitFor();
  assert.match(page.url(), /#\/plugins\/plinth-ui-tour\/launchers\/full\?/);
  assert.equal(await ctx(page, '[data-testid="plugin-page"]', 'entityId'), project.id);
  assert.equal(await ctx(page, '[data-testid="plugin-page"]', 'renderEnvironment'), 'hostRoute');
  await page.reload();
  assert.equal(await ctx(page, '[data-testid="plugin-page"]', 'entityId'), project.id);

  // deepLink: asks first; Cancel opens nothing, Open hands the link to the system browser.
  await page.goto(`${harness.url}/index.html#/projects/${project.id}`);
  await launcher(page, TOUR, 'docs').click();
  await page.getByTestId('external-url').filter({ hasText: 'https://example.com/plinth/ui-tour' }).waitFor();
  await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(harness.openedUrls, []);
  await launcher(page, TOUR, 'docs').click();
  await page.getByTestId('confirm').click();
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  assert.deepEqual(harness.openedUrls, ['https://example.com/plinth/ui-tour']);

  // iframe environment on the task page: the bare frame in an overlay.
  await page.goto(`${harness.url}/index.html#/tasks/${task.id}`);
  await page.locator('[data-testid="task-page"][data-loaded="true"]').waitFor();
  await launcher(page, TOUR, 'bare').click();
  assert.equal(await ctx(page, '[data-testid="plugin-overlay"]', 'renderEnvironment'), 'iframe');
  await page.keyboard.press('Escape');
  await overlay(page, TOUR).waitFor({ state: 'detached' });

  // performAction from the task's context menu (right click): the result is shown.
  await page.getByTestId('task-heading').click({ button: 'right' });
  await page.getByTestId('plugin-menu').locator('[data-launcher-id="mark-done"]').click();
  await page.getByTestId('launcher-result').filter({ hasText: 'Mark done (tour): {"title":"Ship it","status":"done"}' }).waitFor();
  assert.equal(host.shellOps.getTask(task.id).status, 'done');

  // openDrawer (plinth-link-out): the drawer opens the task's link, after asking.
  await harness.host.ui.action('plinth-link-out', 'setLink', { taskId: task.id, url: 'https://example.com/spec' });
  await launcher(page, 'plinth-link-out', 'open-link').click();
  const drawer = overlay(page, 'plinth-link-out');
  assert.equal(await drawer.getAttribute('data-kind'), 'drawer');
  const frame = drawer.frameLocator('[data-testid="slot-frame"]');
  await frame.getByTestId('drawer-url').filter({ hasText: 'https://example.com/spec' }).waitFor();
  await frame.getByTestId('drawer-open').click();
  await page.getByTestId('external-url').filter({ hasText: 'https://example.com/spec' }).waitFor();
  await page.getByTestId('confirm').click();
  await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
  await frame.getByTestId('drawer-close').click(CLOSES_ITS_FRAME);
  await drawer.waitFor({ state: 'detached' });
  assert.deepEqual(harness.openedUrls, ['https://example.com/plinth/ui-tour', 'https://example.com/spec']);
});

test('a performAction launcher that fails shows its error and changes nothing', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Launch' });
  const task = host.ops.createTask({ projectId: project.id, title: 'Ship it' });
  await page.goto(`${harness.url}/index.html#/tasks/${task.id}`);
  await page.locator('[data-testid="task-page"][data-loaded="true"]').waitFor();
  host.ops.deleteTask(task.id); // the task goes away while its page is open
  await page.getByTestId('task-heading').click({ button: 'right' });
  await page.getByTestId('plugin-menu').locator('[data-launcher-id="mark-done"]').click();
  await page.getByTestId('launcher-error').filter({ hasText: /Mark done \(tour\) failed: .*/ }).waitFor();
  assert.deepEqual(harness.pageErrors, []);
});
