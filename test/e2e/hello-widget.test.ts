// The bundled Hello plugin end to end: worker data in a sandboxed widget, an action, and
// plugin state that survives an app restart on the same profile.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { createTempDir } from '../support/plugin-folders.ts';
import { startHarness } from './harness/index.ts';

const HELLO = 'plinth-hello';

function helloFrame(page: Page) {
  return page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`);
}

async function countShown(page: Page, value: number): Promise<void> {
  await helloFrame(page).getByTestId('hello-count').filter({ hasText: new RegExp(`^${value}$`) }).waitFor();
}

test('the Hello widget shows worker data, counts clicks, and keeps the count across a restart', async (t) => {
  const profileDir = createTempDir(t, 'plinth-e2e-profile-');

  const first = await startHarness({ profileDir });
  try {
    const widget = first.page.locator(`[data-testid="widget"][data-plugin-id="${HELLO}"]`);
    await widget.waitFor();
    assert.equal(await widget.locator('.widget-title').textContent(), 'Hello', 'caption is the plugin display name');

    const message = helloFrame(first.page).getByTestId('hello-message');
    await message.waitFor();
    assert.equal(await message.textContent(), `Hello from the ${HELLO} worker`);
    await countShown(first.page, 0);
    assert.ok(first.host.supervisor.runtime(HELLO).pid, 'the data request started the worker');

    await helloFrame(first.page).getByTestId('hello-increment').click();
    await countShown(first.page, 1);
    await helloFrame(first.page).getByTestId('hello-increment').click();
    await countShown(first.page, 2);

    // The frame is sized to its content: taller than the initial placeholder height.
    const frameHeight = (await first.page.locator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`).boundingBox())?.height ?? 0;
    assert.ok(frameHeight > 64, `frame grew to its content (${frameHeight}px)`);
    // The frame follows the app's theme: the shell sends the new context over the port.
    await helloFrame(first.page).locator('html[data-theme="light"]').waitFor({ state: 'attached' });
    await first.page.emulateMedia({ colorScheme: 'dark' });
    await helloFrame(first.page).locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
    assert.deepEqual(first.pageErrors, []);
  } finally {
    await first.close();
  }

  const second = await startHarness({ profileDir });
  try {
    await countShown(second.page, 2);
  } finally {
    await second.close();
  }
});
