import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Host } from '../../main/host/host.ts';
import { pidAlive, waitForPidGone } from '../support/plugin-folders.ts';
import { startTestHost } from '../support/test-host.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

/** Resolves when `predicate` holds after a plugins-changed notification (the host's own signal). */
function when(host: Host, predicate: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const off = host.onPluginsChanged(() => {
      if (predicate()) {
        off();
        resolve();
      }
    });
  });
}

const CRASHER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) {
    ctx.data.register('ok', async () => 'fine');
    ctx.actions.register('crash', async () => { setTimeout(() => process.exit(3), 5); return 'bye'; });
  } });`;

test('a crashing worker is restarted with backoff; 5 crashes in the window put the plugin in error "crash loop" while others keep working', async (t) => {
  const host = await startTestHost(t, {
    // process.exit exists only for an unsandboxed worker.
    plugins: [{ name: 'crasher', worker: CRASHER, capabilities: ['system.unsandboxed'] }, { name: 'steady', worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({ async setup(ctx) { ctx.data.register('ok', async () => 'steady'); } });` }],
    supervisorOptions: { restart: { baseDelayMs: 20, maxDelayMs: 40 } },
  });

  for (let crash = 1; crash <= 5; crash++) {
    await host.ui.data('crasher', 'ok', null);
    const pid = host.supervisor.runtime('crasher').pid!;
    await host.ui.action('crasher', 'crash', null);
    await waitForPidGone(pid);
    if (crash < 5) await when(host, () => host.supervisor.runtime('crasher').state === 'running');
  }
  await when(host, () => createPluginViews(host).summary('crasher').state === 'error');
  const crasher = createPluginViews(host).summary('crasher');
  assert.match(crasher.error ?? '', /^crash loop/);
  assert.equal(host.supervisor.runtime('crasher').restarts, 4);
  assert.equal(await host.ui.data('steady', 'ok', null), 'steady', 'another plugin keeps working');
  await assert.rejects(host.ui.data('crasher', 'ok', null), { code: 'NOT_READY' });

  await host.management.enable('crasher', { approveCapabilities: true });

  const reenabled = createPluginViews(host).summary('crasher');
  assert.equal(reenabled.state, 'ready', 're-enabling clears the crash loop');
  assert.equal(await host.ui.data('crasher', 'ok', null), 'fine');
});

test('a worker whose event loop blocks is killed after the heartbeat timeout and restarted', async (t) => {
  const host = await startTestHost(t, {
    plugins: [{ name: 'blocker', worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({ async setup(ctx) {
        ctx.data.register('ok', async () => 'alive');
        ctx.actions.register('block', async () => { setTimeout(() => { for (;;) {} }, 5); return 'blocking'; });
      } });` }],
    supervisorOptions: { heartbeat: { intervalMs: 50, timeoutMs: 300 }, restart: { baseDelayMs: 20 } },
  });
  await host.ui.data('blocker', 'ok', null);
  const pid = host.supervisor.runtime('blocker').pid!;
  await host.ui.action('blocker', 'block', null);
  await waitForPidGone(pid);
  assert.ok(host.logs.lines('blocker').some((l) => /did not answer the heartbeat/.test(l.message)));
  await when(host, () => host.supervisor.runtime('blocker').state === 'running');
  assert.notEqual(host.supervisor.runtime('blocker').pid, pid);
  assert.equal(await host.ui.data('blocker', 'ok', null), 'alive');
});

test('an idle worker is stopped after the idle timeout and started again on the next need; onStartup workers stay', async (t) => {
  const worker = `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) { ctx.data.register('n', async () => 1); } });`;
  const host = await startTestHost(t, {
    plugins: [{ name: 'lazy', worker }, { name: 'eager', worker, activationEvents: ['onStartup'] }],
    supervisorOptions: { idleTimeoutMs: () => 150 },
  });
  await when(host, () => host.supervisor.runtime('eager').state === 'running');
  assert.equal(host.supervisor.runtime('lazy').state, 'stopped', 'lazy workers do not start on enable');
  assert.equal(await host.ui.data('lazy', 'n', null), 1);
  const pid = host.supervisor.runtime('lazy').pid!;
  await waitForPidGone(pid);
  assert.equal(host.supervisor.runtime('lazy').state, 'stopped');
  assert.ok(host.supervisor.runtime('eager').pid && pidAlive(host.supervisor.runtime('eager').pid!), 'the onStartup worker is kept alive past the idle timeout');
  assert.equal(await host.ui.data('lazy', 'n', null), 1, 'started again on the next need');
  assert.notEqual(host.supervisor.runtime('lazy').pid, pid);
});

test('onHealth is polled while running and shown; running out of heap is reported as such', async (t) => {
  const host = await startTestHost(t, {
    plugins: [{ name: 'healthy', worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({
        async setup(ctx) {
          ctx.data.register('ok', async () => true);
          ctx.actions.register('hog', async () => { const keep = []; for (;;) keep.push(new Array(1e6).fill(keep.length)); });
        },
        async onHealth() { return { status: 'degraded', message: 'rate limited upstream' }; },
      });` }],
    supervisorOptions: { healthIntervalMs: 50, restart: { baseDelayMs: 10_000 } },
  });
  host.preferences.set({ workerHeapMb: 64 });
  await host.ui.data('healthy', 'ok', null);
  await when(host, () => createPluginViews(host).summary('healthy').health !== undefined);
  assert.deepEqual(createPluginViews(host).summary('healthy').health, { status: 'degraded', message: 'rate limited upstream' });

  const rows = await createPluginViews(host).running();
  const row = rows.find((r) => r.pluginId === 'healthy');
  assert.equal(row?.runtime, 'running');
  assert.ok((row?.rssMb ?? 0) > 1 && (row?.rpcCalls ?? 0) >= 1 && row?.activationMs !== undefined);

  await assert.rejects(host.ui.action('healthy', 'hog', null), { code: 'OUT_OF_MEMORY' });
  await when(host, () => host.supervisor.runtime('healthy').state === 'backoff');
  assert.match(host.supervisor.runtime('healthy').lastError ?? '', /out of memory/);
  assert.equal(createPluginViews(host).summary('healthy').state, 'error', 'shown as error while its worker cannot answer');
});
