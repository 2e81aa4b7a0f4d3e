// A frame over its cap of requests in flight gets RATE_LIMITED from the shell at once, and those
// refusals, which never reach main as requests, still show in Settings → Running.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from './harness/index.ts';
import { makePluginRoot, writePlugin } from './harness/test-plugins.ts';
import { openSection } from './views-probe-plugin.ts';

const PILE = 'e2e-pile';
/** Requests the widget sends at once: 8 more than the shell's cap of 32 in flight per frame. */
const SENT = 40;

const WORKER = `import { definePlugin, runWorker } from '@plinth/sdk';
let release;
const released = new Promise((resolve) => { release = resolve; });
const plugin = definePlugin({
  async setup(ctx) {
    // Held until the test releases them, so all the widget's requests are in flight together.
    ctx.actions.register('hold', async () => { await released; return 'answered'; });
    ctx.actions.register('release', async () => { release(); return null; });
  },
});
export default plugin;
runWorker(plugin, import.meta.url);
`;

const UI = `import { createElement as h, useEffect, useState } from 'react';
import { usePluginAction } from '@plinth/sdk/ui';
export function Pile() {
  const hold = usePluginAction('hold');
  const [tally, setTally] = useState({ answered: 0, refused: 0, other: 0 });
  useEffect(() => {
    for (let i = 0; i < ${SENT}; i++) {
      hold({ i }).then(
        () => setTally((t) => ({ ...t, answered: t.answered + 1 })),
        (e) => setTally((t) => (e && e.code === 'RATE_LIMITED' ? { ...t, refused: t.refused + 1 } : { ...t, other: t.other + 1 })),
      );
    }
  }, []);
  return h('p', { 'data-testid': 'tally' }, 'answered ' + tally.answered + ', refused ' + tally.refused + ', other ' + tally.other);
}
`;

test('a frame over its in-flight cap is refused at once, and the Running view counts those refusals', async (t) => {
  const root = makePluginRoot(t);
  writePlugin(root, PILE, {
    name: PILE, version: '1.0.0', description: 'e2e plugin whose widget sends more requests at once than the cap', type: 'module', engines: { plinth: '^1.0.0' },
    plinth: {
      displayName: 'Pile', worker: 'worker.js', capabilities: ['ui.dashboardWidget.register'],
      ui: { entry: 'ui/index.js', slots: [{ type: 'dashboardWidget', id: 'pile', displayName: 'Pile', exportName: 'Pile' }] },
    },
  }, { 'worker.js': WORKER, 'ui/index.js': UI });
  const harness = await startHarness({ extraPluginRoots: [{ dir: root, source: 'unpacked' }], enablePlugins: [PILE] });
  t.after(() => harness.close());

  const tally = harness.page.frameLocator(`[data-testid="slot-frame"][data-plugin-id="${PILE}"]`).getByTestId('tally');
  await tally.filter({ hasText: 'answered 0, refused 8, other 0' }).waitFor();

  const settings = await harness.openSettings();
  await openSection(settings, 'Running');
  const row = settings.locator(`[data-testid="running-row"][data-plugin-id="${PILE}"]`);
  await row.locator('[data-column="rateLimited"]').filter({ hasText: /^\s*8 UI \/ 0 worker\s*$/ }).waitFor();
  assert.deepEqual(harness.host.rateLimits.counts(PILE), { ui: 8, worker: 0 });

  // The 32 it let through were served as usual once the worker answers.
  await harness.host.ui.action(PILE, 'release', null);
  await tally.filter({ hasText: 'answered 32, refused 8, other 0' }).waitFor();
  assert.deepEqual(harness.pageErrors, []);
});
