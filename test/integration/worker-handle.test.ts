import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCode } from '../../sdk/protocol/errors.ts';
import { waitForPidGone } from '../support/plugin-folders.ts';
import { startFixture } from './worker-harness.ts';

const TODO = { scopeKind: 'instance', stateKey: 'todo' } as const;

test('a plain-ESM plugin without node_modules imports @plinth/sdk, runs setup and serves data and actions', async (t) => {
  const { handle, host, dataDir } = await startFixture(t, 'worker-basic');
  const ready = await handle.start();
  assert.deepEqual(ready.data.sort(), ['big', 'counts', 'env', 'hang', 'tasks', 'whoami']);
  assert.ok(ready.actions.includes('add'));
  assert.equal(ready.hooks.shutdown, true);
  assert.equal(ready.hooks.health, false);
  assert.equal(typeof handle.pid, 'number');

  // runWorker in a module that is not the entry was a no-op; ctx carries the init values.
  assert.deepEqual(await handle.call('data.get', 'whoami', null), { plugin: 'entry', pluginId: 'fixture-worker-basic', version: '1.2.3', dataDir });

  // State goes through the host API.
  assert.deepEqual(await handle.call('action.perform', 'add', { n: 2 }), { todo: 2 });
  assert.deepEqual(await handle.call('action.perform', 'add', { n: 3 }), { todo: 5 });
  assert.deepEqual(await handle.call('data.get', 'counts', null), { todo: 5 });
  assert.equal(host.stateValue(TODO), 5);
  assert.ok(host.calls.some((c) => c.method === 'state.set'));

  assert.equal(typeof (await handle.call('ping')), 'number');
  assert.equal((await handle.call('health')).status, 'ok');
});

test('unknown keys answer NOT_FOUND naming the key; a throwing handler answers PLUGIN_ERROR with its message', async (t) => {
  const { handle } = await startFixture(t, 'worker-basic');
  await handle.start();
  await assert.rejects(handle.call('data.get', 'nope', null), (e: Error) => hasCode(e, 'NOT_FOUND') && e.message.includes('"nope"'));
  await assert.rejects(handle.call('action.perform', 'throw', null), (e: Error) => hasCode(e, 'PLUGIN_ERROR') && e.message === 'handler broke on purpose');
  await assert.rejects(handle.call('webhook.handle', { endpointKey: 'x', requestId: 'r', method: 'POST', headers: {}, query: {}, body: '' }), (e: Error) => hasCode(e, 'NOT_FOUND'));
  assert.equal(typeof (await handle.call('ping')), 'number');
});

test('a host call without its capability is denied naming the capability, and the host service never sees it', async (t) => {
  const { handle, host } = await startFixture(t, 'worker-basic');
  await handle.start();
  const result = (await handle.call('data.get', 'tasks', null)) as { code: string; message: string };
  assert.equal(result.code, 'CAPABILITY_DENIED');
  assert.match(result.message, /"tasks\.read"/);
  assert.ok(!host.calls.some((c) => c.method === 'tasks.list'));
});

test('an unsandboxed worker sees only the scrubbed environment, never a variable of the app', async (t) => {
  process.env.PLINTH_SECRET_TEST = '1';
  t.after(() => delete process.env.PLINTH_SECRET_TEST);
  // Only a system.unsandboxed worker has process.env at all; the sandbox tests show the others have none.
  const { handle } = await startFixture(t, 'worker-basic', { sandboxRoot: null });
  await handle.start();
  const env = (await handle.call('data.get', 'env', null)) as { secret: string | null; pluginId: string; keys: string[] };
  assert.equal(env.secret, null);
  assert.equal(env.pluginId, 'fixture-worker-basic');
  for (const key of env.keys) assert.ok(['LANG', 'LC_ALL', 'TZ', 'PLINTH_PLUGIN_ID', 'PLINTH_WORKER_MARK'].includes(key), `unexpected env var ${key}`);
});

test('an unhandled rejection in the worker is logged as a warning and the worker keeps answering', async (t) => {
  const { handle, waitForLine } = await startFixture(t, 'worker-basic');
  await handle.start();
  assert.deepEqual(await handle.call('action.perform', 'reject', null), { ok: true });
  const line = await waitForLine(/Unhandled promise rejection/);
  assert.match(line, /fixture-worker-basic/);
  await waitForLine(/forgotten await in fixture/);
  assert.deepEqual(await handle.call('data.get', 'counts', null), { todo: 0 });
});

test('a 9 MiB result fails with PAYLOAD_TOO_LARGE and the worker answers the next call', async (t) => {
  const { handle } = await startFixture(t, 'worker-basic');
  await handle.start();
  await assert.rejects(handle.call('data.get', 'big', null), (e: Error) => hasCode(e, 'PAYLOAD_TOO_LARGE') && /data\.get/.test(e.message));
  assert.deepEqual(await handle.call('data.get', 'counts', null), { todo: 0 });
});

test('a 9 MiB argument from the worker fails with PAYLOAD_TOO_LARGE in the worker; the host is unaffected', async (t) => {
  const { handle, host } = await startFixture(t, 'worker-basic');
  await handle.start();
  const result = (await handle.call('action.perform', 'send-big', null)) as { code: string; message: string };
  assert.equal(result.code, 'PAYLOAD_TOO_LARGE');
  assert.match(result.message, /state\.set/);
  assert.ok(!host.calls.some((c) => c.method === 'state.set'), 'the oversized call never reached the host');
  assert.deepEqual(await handle.call('action.perform', 'add', { n: 1 }), { todo: 1 });
});

test('stop() runs onShutdown, then the process exits', async (t) => {
  const { handle, host, pids } = await startFixture(t, 'worker-basic');
  await handle.start();
  const pid = handle.pid!;
  await handle.stop();
  assert.equal(host.stateValue({ scopeKind: 'instance', stateKey: 'shutdown' }), true);
  assert.equal((await handle.exited).code, 0);
  assert.equal(handle.pid, undefined);
  assert.deepEqual(pids, [pid]);
  await waitForPidGone(pid);
  await assert.rejects(handle.call('ping'), (e: Error) => hasCode(e, 'NOT_READY'));
});
