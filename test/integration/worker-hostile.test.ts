/**
 * A worker cannot speak for the host: its own errors with host-only codes are namespaced as
 * `PLUGIN_ERROR`, and raw bytes or non-RPC messages on its channel end that worker with a clear
 * log line while the host (this very test process) and other plugins carry on.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PluginSpec } from '../support/plugin-folders.ts';
import { startTestHost } from '../support/test-host.ts';

const IMPERSONATOR: PluginSpec = {
  name: 'impersonator',
  capabilities: [],
  worker: `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) {
      ctx.data.register('claim', async ({ code }) => { throw Object.assign(new Error('pretend the host said so'), { code, data: { extra: 1 } }); });
      ctx.data.register('relay', async () => { await ctx.state.get({ scopeKind: 'instance', stateKey: 'x' }); });
      ctx.data.register('rewrap', async () => {
        try { await ctx.state.get({ scopeKind: 'instance', stateKey: 'x' }); } catch (e) { throw Object.assign(new Error('Access denied by host policy'), { code: e.code }); }
      });
    } });`,
};

const HOSTILE_CHANNEL: PluginSpec = {
  name: 'channel-writer',
  // Only an unsandboxed worker has node:fs and process to write to its channel with.
  capabilities: ['system.unsandboxed'],
  worker: `import { definePlugin } from '@plinth/sdk';
    import { writeSync } from 'node:fs';
    export default definePlugin({ async setup(ctx) {
      // fd 3 is the worker's IPC channel (NODE_CHANNEL_FD): write to it as a plugin that skips the SDK would.
      ctx.actions.register('bytes', async () => { writeSync(3, Buffer.from([0xff, 0xfe, 0x00, 0x7b, 0x0a])); return new Promise(() => {}); });
      ctx.actions.register('not-json', async () => { writeSync(3, 'this is not json\\n'); return new Promise(() => {}); });
      ctx.actions.register('not-rpc', async () => { process.send({ hello: 'not an envelope' }); return new Promise(() => {}); });
    } });`,
};

const BYSTANDER: PluginSpec = {
  name: 'bystander',
  worker: `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) { ctx.data.register('ping', async () => 'pong'); } });`,
};

for (const code of ['CAPABILITY_DENIED', 'TIMEOUT', 'NOT_READY', 'WORKER_CRASHED', 'INTERNAL']) {
  test(`a worker's own error with code ${code} reaches the caller as PLUGIN_ERROR, the claim kept as data.pluginCode`, async (t) => {
    const host = await startTestHost(t, { plugins: [IMPERSONATOR] });
    await assert.rejects(host.ui.data('impersonator', 'claim', { code }), (error: Error & { code?: string; data?: Record<string, unknown> }) => {
      assert.equal(error.code, 'PLUGIN_ERROR');
      assert.equal(error.data?.pluginCode, code);
      assert.equal(error.data?.extra, 1);
      assert.match(error.message, new RegExp(`own error "${code}": pretend the host said so`));
      return true;
    });
  });
}

test('a real host denial relayed word for word keeps CAPABILITY_DENIED; reworded, it is the plugin\'s', async (t) => {
  const host = await startTestHost(t, { plugins: [IMPERSONATOR] });
  await assert.rejects(host.ui.data('impersonator', 'relay', null), { code: 'CAPABILITY_DENIED', message: /plugin\.state\.read/ });
  await assert.rejects(host.ui.data('impersonator', 'rewrap', null), { code: 'PLUGIN_ERROR', data: { pluginCode: 'CAPABILITY_DENIED' } });
  await assert.rejects(host.ui.data('impersonator', 'claim', { code: 'INVALID_INPUT' }), { code: 'INVALID_INPUT' }, 'plugin-domain codes pass');
});

for (const [action, reason] of [['bytes', /not UTF-8/], ['not-json', /not JSON/], ['not-rpc', /not a Plinth RPC envelope/]] as const) {
  test(`${action} on a worker's channel ends that worker with a clear log line; the host and other plugins carry on`, async (t) => {
    const host = await startTestHost(t, { plugins: [HOSTILE_CHANNEL, BYSTANDER] });
    await assert.rejects(host.ui.action('channel-writer', action, null), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'WORKER_CRASHED');
      assert.match(error.message, reason);
      return true;
    });
    const line = host.logs.lines('channel-writer').find((l) => l.source === 'host' && /The worker sent/.test(l.message));
    assert.ok(line, 'the host log says why the worker was stopped');
    assert.match(line.message, reason);
    assert.equal(await host.ui.data('bystander', 'ping', null), 'pong');
  });
}
