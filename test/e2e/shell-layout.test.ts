// The main window's layout at the app's default window size (1100 × 760 px), with the bundled
// plugins' toolbar launchers and toolbar slot in the header: nothing wraps onto a second row or
// runs out of the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness/index.ts';

/** A header item's box, as the page lays it out (px). */
type Box = { label: string; top: number; bottom: number; left: number; right: number };

test('at 1100 px the header keeps the search, the plugin launchers, Commands and Settings on one row', async (t) => {
  const harness = await startHarness();
  t.after(() => harness.close());
  const { page } = harness;
  await page.locator('[data-plugins-loaded="true"]').waitFor();
  await page.locator('.header-actions [data-testid="launcher"]').first().waitFor();
  await page.locator('.header-actions .toolbar-slot [data-testid="slot-frame"][data-state="ready"]').first().waitFor();

  const header = (await page.locator('.app-header').boundingBox())!;
  const boxes: Box[] = [];
  for (const item of await page.locator('.app-header .header-search, .app-header .header-actions > *').all()) {
    const b = await item.boundingBox();
    if (b) boxes.push({ label: (await item.textContent())?.trim() || `${await item.getAttribute('class')}`, top: b.y, bottom: b.y + b.height, left: b.x, right: b.x + b.width });
  }
  const viewport = page.viewportSize()!.width; // the harness opens windows at the app's default size
  assert.ok(boxes.some((b) => /Commands/.test(b.label)) && boxes.some((b) => /Settings/.test(b.label)), 'Commands and Settings are in the header');
  assert.ok(boxes.length >= 5, `the search, launchers, a toolbar slot, Commands and Settings (${boxes.map((b) => b.label).join(' | ')})`);
  const middle = (b: Box) => (b.top + b.bottom) / 2;
  const row = middle(boxes[0]!);
  for (const b of boxes) {
    assert.ok(Math.abs(middle(b) - row) <= 4, `"${b.label}" is on the header's one row (centre ${middle(b)} vs ${row})`);
    assert.ok(b.top >= header.y && b.bottom <= header.y + header.height, `"${b.label}" is inside the header`);
    assert.ok(b.right <= viewport, `"${b.label}" ends inside the window (${b.right} px)`);
  }
  assert.deepEqual(harness.pageErrors, []);
});
