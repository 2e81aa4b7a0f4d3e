// The command palette runs plugin tools: with the bundled plinth-task-tools, Ctrl+K lists its
// tools, choosing one shows a form generated from its parametersSchema (rjsf, precompiled
// validator), Run shows the tool's result, the tool's own error, or the form's validation errors.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RENDERER_DIR, startHarness } from './harness/index.ts';

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');
mkdirSync(SHOTS, { recursive: true });
const CREATE = 'plinth-task-tools__create-task';

test('Ctrl+K, pick a plugin tool, fill its form, run it and see the result or the error', async (t) => {
  const harness = await startHarness({ enablePlugins: ['plinth-task-tools'] });
  t.after(() => harness.close());
  const { page, host } = harness;
  const project = host.ops.createProject({ name: 'Errands' });
  await page.reload();
  await page.locator('[data-plugins-loaded="true"]').waitFor();

  await page.keyboard.press('Control+k');
  const palette = page.getByTestId('command-palette');
  await palette.waitFor();
  const tool = palette.locator(`[data-testid="palette-item"][data-command-id="tool:${CREATE}"]`);
  await tool.waitFor();
  await page.keyboard.type('run tool create task');
  assert.equal(await palette.locator('[data-testid="palette-item"][aria-selected="true"]').getAttribute('data-command-id'), `tool:${CREATE}`);
  await page.keyboard.press('Enter');

  const form = palette.locator(`[data-testid="tool-form"][data-tool="${CREATE}"]`);
  await form.waitFor();
  const run = form.getByTestId('tool-run');
  await run.waitFor();
  // Focus is in the first field, so the keyboard carries on there. Empty: the generated form refuses before the tool is called.
  const projectField = form.locator(`#tool-${CREATE}_projectId`);
  await page.waitForFunction((id) => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id === id, `tool-${CREATE}_projectId`);
  await page.keyboard.press('Enter');
  await form.locator('.error-detail, .text-danger').first().waitFor();
  assert.equal(await form.getByTestId('tool-result').count(), 0);

  // The tool's own failure (an unknown project) is shown as such.
  await page.keyboard.type('no-such-project');
  await form.locator(`#tool-${CREATE}_title`).fill('Post the letter');
  await page.keyboard.press('Enter');
  const result = form.getByTestId('tool-result');
  await result.waitFor();
  assert.equal(await result.getAttribute('data-is-error'), 'true');
  assert.match(await result.textContent() ?? '', /no-such-project|not found/i);

  // By keyboard: the right project id, Run, and the result names the new task.
  await projectField.fill('');
  await projectField.focus();
  await page.keyboard.type(project.id);
  await run.focus();
  await page.keyboard.press('Enter');
  await form.locator('[data-testid="tool-result"][data-is-error="false"]').waitFor();
  assert.match(await result.textContent() ?? '', /Created task "Post the letter"/);
  // The structured data beside the text: the new task, shown when asked for.
  const data = result.getByTestId('tool-result-data');
  await data.locator('summary').click();
  assert.equal(JSON.parse(await data.locator('pre').textContent() ?? '').title, 'Post the letter');
  assert.deepEqual(host.ops.workspaceOverview().projects.find((p) => p.id === project.id)?.tasks.map((x) => x.title), ['Post the letter']);
  await palette.screenshot({ path: path.join(SHOTS, 'palette-tool-result.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await palette.screenshot({ path: path.join(SHOTS, 'palette-tool-result-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // Back returns to the list, which follows the plugins while it is open: disabling the plugin takes its tools away.
  await form.getByTestId('tool-back').click();
  await palette.getByTestId('palette-input').waitFor();
  await palette.getByTestId('palette-input').fill('');
  await tool.waitFor();
  await host.management.setEnabled('plinth-task-tools', false);
  await tool.waitFor({ state: 'detached' });
  await host.management.setEnabled('plinth-task-tools', true);
  await tool.waitFor();
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  assert.deepEqual(harness.pageErrors, []);
});
