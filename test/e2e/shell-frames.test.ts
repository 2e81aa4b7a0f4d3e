// Frames that cannot hurt the shell: a frame whose plugin blocks its event loop stops answering
// the shell's ping and is replaced after 5 s by a placeholder naming the plugin with Reload while
// the shell keeps working; another plugin's reload never remounts a frame.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, writeWidgetPlugin } from './harness/test-plugins.ts';

const HELLO = 'plinth-hello';

test('a frozen frame is replaced by a Reload placeholder naming its plugin while the shell keeps working', async (t) => {
  const root = makePluginRoot(t);
  writeWidgetPlugin(root, 'freezer', {
    name: 'e2e-freezer', displayName: 'Freezer', text: '',
    // Blocks its frame's event loop for good shortly after it first renders (the Reload gets a fresh frame that renders).
    ui: `import { createElement as h, useEffect } from 'react';
let mounts = 0;
export function Widget() {
  useEffect(() => { mounts += 1; setTimeout(() => { for (;;) {} }, 1500); }, []);
  return h('p', { 'data-testid': 'freeze' }, 'About to freeze');
}
`,
  });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-freezer'] });
  t.after(() => harness.close());
  const { page } = harness;
  const freezer = page.frameLocator('[data-testid="slot-frame"][data-plugin-id="e2e-freezer"]');
  await freezer.getByTestId('freeze').waitFor();

  const placeholder = page.locator('[data-testid="frame-frozen"][data-plugin-id="e2e-freezer"]');
  await placeholder.waitFor({ timeout: 15_000 });
  assert.match((await placeholder.textContent()) ?? '', /Freezer is not responding/);

  // The shell keeps working: its own controls answer. (Frames of other plugins share the frozen
  // frame's renderer process while all plugin frames have one opaque origin, so they are not asserted.)
  await page.getByTestId('nav-projects').click();
  await page.locator('[data-testid="workspace-view"][data-loaded="true"]').waitFor();
  await page.getByTestId('nav-dashboard').click();
  await placeholder.waitFor();

  // Reload puts a fresh frame in the placeholder's place. (Whether it renders depends on the browser
  // giving it a process other than the one still spinning in the old frame's loop: not asserted.)
  await placeholder.getByTestId('frame-reload').click();
  await page.locator('[data-testid="slot-frame"][data-plugin-id="e2e-freezer"]').waitFor({ state: 'attached' });
  assert.equal(await placeholder.count(), 0);
});

test('reloading one plugin remounts its own frames only', async (t) => {
  const root = makePluginRoot(t);
  writeWidgetPlugin(root, 'other', { name: 'e2e-other', displayName: 'Other', text: 'other widget' });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-other'] });
  t.after(() => harness.close());
  const { page, host } = harness;
  const other = page.locator('[data-testid="slot-frame"][data-plugin-id="e2e-other"]');
  const hello = page.locator(`[data-testid="slot-frame"][data-plugin-id="${HELLO}"]`);
  await page.frameLocator('[data-testid="slot-frame"][data-plugin-id="e2e-other"]').getByText('other widget').waitFor();
  await hello.waitFor();
  await host.management.reload('e2e-other');
  await page.locator('[data-testid="slot-frame"][data-plugin-id="e2e-other"][data-generation="1"]').waitFor();
  assert.equal(await hello.getAttribute('data-generation'), '0', "Hello's frame was not remounted");
  assert.equal(await other.getAttribute('data-generation'), '1');
});

test('a form in a plugin frame submits to its handler (Enter in a field); one that would leave the frame is blocked by its CSP', async (t) => {
  const root = makePluginRoot(t);
  writeWidgetPlugin(root, 'former', {
    name: 'e2e-former', displayName: 'Former', text: '',
    ui: `import { createElement as h, useState } from 'react';
export function Widget() {
  const [sent, setSent] = useState('');
  return h('div', null,
    h('form', { 'data-testid': 'form', onSubmit: (e) => { e.preventDefault(); setSent(new FormData(e.currentTarget).get('q')); } },
      h('input', { name: 'q', 'aria-label': 'Query', 'data-testid': 'q' })),
    h('form', { action: 'https://example.com/steal', method: 'post' }, h('button', { 'data-testid': 'leave' }, 'Leave')),
    h('p', { 'data-testid': 'sent' }, sent ? 'sent ' + sent : 'nothing sent'));
}
`,
  });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-former'] });
  t.after(() => harness.close());
  const frame = harness.page.frameLocator('[data-testid="slot-frame"][data-plugin-id="e2e-former"]');
  await frame.getByTestId('q').fill('hello');
  await frame.getByTestId('q').press('Enter');
  await frame.getByText('sent hello').waitFor();

  // form-action 'none' in the frame's CSP: a submission that would leave the frame is blocked
  // before any request; the frame is left on Chromium's error page, which the watchdog notices.
  const blocked = harness.page.waitForEvent('console', (m) => /violates the following Content Security Policy directive: "form-action 'none'"/.test(m.text()));
  await frame.getByTestId('leave').click();
  await blocked;
  await harness.page.locator('[data-testid="frame-frozen"][data-plugin-id="e2e-former"]').waitFor({ timeout: 15_000 });
});
