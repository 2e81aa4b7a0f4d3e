/**
 * Per-plugin rate limits: a plugin's UI requests and its worker's host calls beyond their rate
 * are refused with RATE_LIMITED at once, counted in the Running view, and never spend another
 * plugin's budget. Rates are lowered through the host option so the floods stay small.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PluginSpec } from '../support/plugin-folders.ts';
import { startTestHost } from '../support/test-host.ts';
import { createPluginViews } from '../../main/shell/plugin-views.ts';

const workerSpec = (name: string): PluginSpec => ({
  name,
  capabilities: ['plugin.state.read'],
  worker: `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) {
      ctx.data.register('ping', async () => 'pong');
      // n host calls at once, none awaited before the next: a flood from the worker.
      ctx.actions.register('flood', async ({ n }) => {
        const results = await Promise.allSettled(Array.from({ length: n }, () => ctx.state.get({ scopeKind: 'instance', stateKey: 'k' })));
        const codes = {};
        let message = '';
        for (const r of results) {
          const code = r.status === 'fulfilled' ? 'ok' : r.reason.code;
          codes[code] = (codes[code] ?? 0) + 1;
          if (code === 'RATE_LIMITED') message = r.reason.message;
        }
        return { codes, message };
      });
    } });`,
});

test('a worker flooding the host gets RATE_LIMITED past its rate, counted in Running; another worker is not limited', async (t) => {
  const host = await startTestHost(t, {
    plugins: [workerSpec('flooder'), workerSpec('bystander')],
    rateLimits: { worker: { perSecond: 50, burst: 100 } },
  });
  const flood = await host.ui.action('flooder', 'flood', { n: 2_000 }) as { codes: Record<string, number>; message: string };
  assert.equal((flood.codes.ok ?? 0) + (flood.codes.RATE_LIMITED ?? 0), 2_000, `only ok or RATE_LIMITED: ${JSON.stringify(flood.codes)}`);
  assert.ok((flood.codes.RATE_LIMITED ?? 0) >= 1_500, `most of the flood is refused: ${JSON.stringify(flood.codes)}`);
  assert.match(flood.message, /Plugin "flooder" sent more than 50 requests per second from its worker; state\.get was refused, retry in \d+ ms/);
  const calm = await host.ui.action('bystander', 'flood', { n: 100 }) as { codes: Record<string, number> };
  assert.deepEqual(calm.codes, { ok: 100 }, 'the flood spent only its sender\'s budget');
  const rows = await createPluginViews(host).running();
  assert.deepEqual(rows.find((r) => r.pluginId === 'flooder')?.rateLimited, { ui: 0, worker: flood.codes.RATE_LIMITED });
  assert.deepEqual(rows.find((r) => r.pluginId === 'bystander')?.rateLimited, { ui: 0, worker: 0 });
  assert.equal(await host.ui.data('flooder', 'ping', null), 'pong', 'the flooder keeps working');
});

test('a plugin UI flooding data requests gets RATE_LIMITED past its rate, without reaching the worker; another plugin\'s UI is served', async (t) => {
  const host = await startTestHost(t, {
    plugins: [workerSpec('noisy-ui'), workerSpec('quiet-ui')],
    rateLimits: { ui: { perSecond: 10, burst: 20 } },
  });
  const results = await Promise.allSettled(Array.from({ length: 500 }, () => host.ui.data('noisy-ui', 'ping', null)));
  const refused = results.filter((r) => r.status === 'rejected');
  assert.ok(refused.length >= 470, `refused ${refused.length}`);
  assert.ok(refused.every((r) => (r.reason as { code?: string }).code === 'RATE_LIMITED'));
  assert.match((refused[0]!.reason as Error).message, /more than 10 requests per second from its UI; data "ping" was refused/);
  const rpcBefore = (await createPluginViews(host).running()).find((r) => r.pluginId === 'noisy-ui')!;
  assert.ok(rpcBefore.rpcCalls <= 40, `refused requests never reached the worker (${rpcBefore.rpcCalls} calls)`);
  assert.equal(rpcBefore.rateLimited.ui, refused.length);
  assert.equal(await host.ui.data('quiet-ui', 'ping', null), 'pong');
});
