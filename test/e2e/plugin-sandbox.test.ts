// A plugin UI runs in an opaque-origin iframe without network or storage (ARCHITECTURE.md
// "Processes and trust"). A purpose-built plugin tries to escape and reports what happened.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, writeProbePlugin, writeRenderThrowsPlugin } from './harness/test-plugins.ts';

test('a plugin frame cannot reach the shell, storage, the network or the top window', async (t) => {
  const requests: string[] = [];
  const bait = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    res.end('reached');
  });
  await new Promise<void>((resolve) => bait.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => bait.close(() => resolve())));
  const target = `http://127.0.0.1:${(bait.address() as AddressInfo).port}/`;

  const root = makePluginRoot(t);
  writeProbePlugin(root, target);
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-probe'] });
  t.after(() => harness.close());
  const shellUrl = harness.page.url();

  const results = harness.page.frameLocator('[data-testid="slot-frame"][data-plugin-id="e2e-probe"]').getByTestId('probe-results');
  await results.waitFor();
  const r = JSON.parse((await results.textContent()) ?? '{}') as Record<string, string>;

  assert.match(r.fetch ?? '', /^blocked/, 'fetch to a local server fails');
  assert.equal(r.image, 'blocked', 'images from other origins fail');
  assert.match(r.localStorage ?? '', /^blocked: SecurityError/, 'no storage in an opaque origin');
  assert.match(r.parentDocument ?? '', /^blocked: SecurityError/, 'parent.document is out of reach');
  assert.match(r.parentBridge ?? '', /^blocked: SecurityError/, 'the shell bridge is out of reach');
  assert.equal(r.ownBridge, 'undefined', 'the frame gets no window.plinth');
  // Playwright installs the harness's IPC binding in every frame; main's dispatch refuses subframes.
  assert.match(r.ipc ?? '', /CAPABILITY_DENIED/, 'main refuses IPC from a plugin frame');
  assert.match(r.topNavigation ?? '', /^blocked: SecurityError/, 'setting top.location throws');
  assert.equal(harness.page.url(), shellUrl, 'the shell did not navigate');
  await harness.page.getByTestId('main-window').waitFor();
  assert.deepEqual(requests, [], 'the local server saw no request');
});

test('a widget that throws while rendering shows a readable error and the shell keeps working', async (t) => {
  const root = makePluginRoot(t);
  writeRenderThrowsPlugin(root, 'kaboom in render');
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: ['e2e-render-throws'] });
  t.after(() => harness.close());
  const frame = harness.page.frameLocator('[data-testid="slot-frame"][data-plugin-id="e2e-render-throws"]');
  const box = frame.getByTestId('frame-error');
  await box.waitFor();
  assert.match((await box.textContent()) ?? '', /kaboom in render/);
  await harness.page.locator('[data-testid="slot-frame"][data-plugin-id="e2e-render-throws"][data-state="error"]').waitFor();
  await harness.page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').getByTestId('hello-message').waitFor();
  assert.deepEqual(harness.pageErrors, [], 'no error reached the shell page');
});
