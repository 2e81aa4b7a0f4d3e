/**
 * Logging with backpressure: a worker that logs 200,000 lines in a tight loop in `setup`, with
 * the smallest heap cap, starts and keeps answering; the lines past the rate limit are dropped
 * and counted in the worker, which reports the count in one warning line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_WORKER_HEAP_MB } from '../../main/host/preferences.ts';
import type { LogLine } from '../../main/host/logs.ts';
import { startTestHost } from '../support/test-host.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const LINES = 200_000;

test(`a worker logging ${LINES} lines in a tight loop keeps working; the dropped lines are counted in the worker`, async (t) => {
  const host = await startTestHost(t, {
    enablePlugins: false,
    plugins: [{
      name: 'log-flood',
      worker: `import { definePlugin } from '@plinth/sdk';
        export default definePlugin({ async setup(ctx) {
          for (let i = 0; i < ${LINES}; i++) ctx.logger.info('flood line ' + i + ' ' + 'x'.repeat(200), { i, pad: 'y'.repeat(200) });
          ctx.data.register('alive', async () => 'yes');
        } });`,
    }],
  });
  host.preferences.set({ workerHeapMb: MIN_WORKER_HEAP_MB });
  const report = new Promise<LogLine>((resolve) => {
    const stop = host.logs.onLine((pluginId, line) => {
      if (pluginId === 'log-flood' && /dropped \d+ lines in the worker/.test(line.message)) {
        stop();
        resolve(line);
      }
    });
  });
  await host.management.enable('log-flood', { approveCapabilities: true });
  assert.equal(await host.ui.data('log-flood', 'alive', null), 'yes');
  const line = await report;
  const counts = line.data as { droppedLines: number; droppedTotal: number };
  const delivered = host.logs.lines('log-flood').filter((l) => l.source === 'logger' && l.message.startsWith('flood line')).length;
  assert.ok(delivered > 0 && delivered <= 1_000, `a bounded number of lines reached the host (${delivered})`);
  assert.equal(counts.droppedTotal + delivered + host.logs.suppressed('log-flood'), LINES, 'every line is delivered, dropped in the worker or suppressed by the host');
  assert.equal((await createPluginViews(host).running()).find((r) => r.pluginId === 'log-flood')?.runtime, 'running');
});
