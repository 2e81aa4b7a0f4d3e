// Per-plugin views in Settings → Plugins: the log viewer, jobs with Run now
// and run history and webhook URLs with Copy, in the real app.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RENDERER_DIR, SETTINGS_VIEWPORT, startHarness } from './harness/index.ts';
import { makePluginRoot } from './harness/test-plugins.ts';
import { PROBE, allowClipboard, openSection, readClipboard, revealInCard, writeViewsProbePlugin } from './views-probe-plugin.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const SHOTS = path.join(RENDERER_DIR, '..', 'e2e-screenshots');

async function startWithProbe(t: { after(fn: () => Promise<void> | void): void }) {
  const root = makePluginRoot(t);
  writeViewsProbePlugin(root);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [PROBE] });
  t.after(() => harness.close());
  return harness;
}

test('the log viewer tails worker lines live, filters by level and text, and copies what it shows', async (t) => {
  const harness = await startWithProbe(t);
  const { host } = harness;
  // Logs are a developer-mode view.
  await host.ops.setPreferences({ developerMode: true });
  await host.ui.action(PROBE, 'log', { level: 'debug', message: 'first action line' });

  const settings = await harness.openSettings();
  await allowClipboard(settings, harness.url);
  await openSection(settings, 'Plugins');
  const logs = await revealInCard(settings, PROBE, 'plugin-logs');
  const lines = logs.getByTestId('log-line');
  await logs.locator('[data-testid="log-line"][data-source="logger"][data-level="info"]', { hasText: 'views probe ready' }).waitFor();
  await logs.locator('[data-testid="log-line"][data-source="stdout"]', { hasText: 'plain stdout line' }).waitFor();
  await logs.locator('[data-testid="log-line"][data-level="debug"]', { hasText: 'first action line' }).waitFor();

  // A line written after the viewer opened shows up without any click.
  await host.ui.action(PROBE, 'log', { level: 'error', message: 'live error line' });
  await logs.locator('[data-testid="log-line"][data-level="error"]', { hasText: 'live error line' }).waitFor();

  await logs.getByTestId('log-level').selectOption('warn');
  await logs.locator('[data-testid="log-line"][data-level="info"]').first().waitFor({ state: 'detached' });
  for (let i = 0, n = await lines.count(); i < n; i++) {
    assert.match((await lines.nth(i).getAttribute('data-level')) ?? '', /^(warn|error)$/, 'only warnings and errors remain');
  }
  assert.ok((await lines.count()) >= 2, 'the setup warning and the live error');

  await logs.getByTestId('log-filter').fill('LIVE error');
  await logs.locator('[data-testid="log-line"]', { hasText: 'views probe warning' }).waitFor({ state: 'detached' });
  assert.equal(await lines.count(), 1);

  await logs.getByTestId('log-copy').click();
  await logs.locator('[data-testid="log-copy"][data-state="copied"]').waitFor();
  const copied = await readClipboard(settings);
  assert.match(copied, /^\d\d:\d\d:\d\d\.\d{3} ERROR\s+logger\s+live error line\n$/, 'exactly the visible line, as text');
});

test('jobs show their schedule and run history; Run now shows the run and its outcome', async (t) => {
  const harness = await startWithProbe(t);
  const settings = await harness.openSettings();
  await settings.setViewportSize(SETTINGS_VIEWPORT);
  await openSection(settings, 'Plugins');
  const jobs = await revealInCard(settings, PROBE, 'plugin-jobs');

  const tick = jobs.locator('[data-testid="job"][data-job-key="tick"]');
  await tick.waitFor();
  assert.equal(await tick.getByTestId('job-schedule').textContent(), '0 0 1 1 *');
  await tick.getByTestId('job-runs-empty').waitFor();
  await tick.getByTestId('job-run-now').click();
  await tick.locator('[data-testid="job-run-result"][data-status="succeeded"]').waitFor();
  await tick.locator('[data-testid="job-run"][data-trigger="manual"][data-status="succeeded"]').waitFor();
  assert.equal(await tick.locator('[data-testid="job-run-now"][data-state="idle"]').isEnabled(), true, 'Run now is available again');

  const boom = jobs.locator('[data-testid="job"][data-job-key="boom"]');
  await boom.getByRole('button', { name: 'Run Boom now' }).click();
  await boom.locator('[data-testid="job-run-result"][data-status="failed"]').waitFor();
  const failedRun = boom.locator('[data-testid="job-run"][data-status="failed"]');
  await failedRun.waitFor();
  assert.match((await failedRun.textContent()) ?? '', /boom failed/, 'the history shows why the run failed');
  assert.equal(createPluginViews(harness.host).jobs(PROBE).find((j) => j.jobKey === 'boom')?.runs.length, 1, 'a failed run is not retried on its own');

  // Retry on the failed run: the worker gets trigger "retry" (its error says so) and the history gains the run.
  await failedRun.getByTestId('job-run-retry').click();
  const retryRun = boom.locator('[data-testid="job-run"][data-trigger="retry"][data-status="failed"]');
  await retryRun.waitFor();
  assert.match((await retryRun.textContent()) ?? '', /Retry.*boom failed \(trigger retry\)/, 'the worker saw trigger "retry"');
  const recorded = createPluginViews(harness.host).jobs(PROBE).find((j) => j.jobKey === 'boom')?.runs ?? [];
  assert.deepEqual(recorded.map((r) => r.trigger), ['retry', 'manual'], 'the history keeps the failed run and the retry, newest first');
  assert.equal(recorded[0]?.retryOf, recorded[1]?.runId, 'the retry names the run it retried');
  // At the settings window's own width the history fits its frame: no sideways scrolling.
  const fit = await boom.getByTestId('job-runs').evaluate((table) => {
    // The test project has no DOM types; this runs in the page.
    const el = table as unknown as { scrollWidth: number; parentElement: { clientWidth: number } | null };
    return { table: el.scrollWidth, frame: el.parentElement?.clientWidth ?? 0 };
  });
  assert.ok(fit.table <= fit.frame, `the run history (${fit.table}px) is not wider than its container (${fit.frame}px)`);
  mkdirSync(SHOTS, { recursive: true });
  await boom.screenshot({ path: path.join(SHOTS, 'job-retry.png') });
  await settings.emulateMedia({ colorScheme: 'dark' });
  await settings.locator('html[data-theme="dark"]').waitFor({ state: 'attached' });
  await boom.screenshot({ path: path.join(SHOTS, 'job-retry-dark.png'), animations: 'disabled' });
});

test('webhook endpoints show a URL that reaches the plugin, with Copy', async (t) => {
  const harness = await startWithProbe(t);
  const settings = await harness.openSettings();
  await allowClipboard(settings, harness.url);
  await openSection(settings, 'Plugins');
  const hooks = await revealInCard(settings, PROBE, 'plugin-webhooks');

  const inbox = hooks.locator('[data-testid="webhook"][data-endpoint-key="inbox"]');
  const urlText = inbox.getByTestId('webhook-url');
  await urlText.waitFor();
  const url = (await urlText.textContent()) ?? '';
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\//);
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"hello":1}' });
  assert.equal(response.status, 202, 'the URL reaches the plugin\'s onWebhook');

  await inbox.getByTestId('webhook-copy').click();
  await inbox.locator('[data-testid="webhook-copy"][data-state="copied"]').waitFor();
  assert.equal(await readClipboard(settings), url);
});
