import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { hasCode } from '../../sdk/protocol/errors.ts';
import { createTempDir, waitForPidGone } from '../support/plugin-folders.ts';
import { startFixture } from './worker-harness.ts';

test('setup that throws rejects start with PLUGIN_ERROR and the thrown message; the process is gone', async (t) => {
  const { handle, pids } = await startFixture(t, 'worker-setup-throws');
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'PLUGIN_ERROR') && e.message === 'database is missing');
  assert.equal(pids.length, 1);
  await waitForPidGone(pids[0]!);
  assert.equal(handle.pid, undefined);
});

test('setup that hangs past the budget rejects start with TIMEOUT; the process is gone', async (t) => {
  const { handle, pids } = await startFixture(t, 'worker-setup-hangs', { setupBudgetMs: 400 });
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'TIMEOUT') && /400 ms/.test(e.message));
  await waitForPidGone(pids[0]!);
});

test('a call that hangs rejects with TIMEOUT and the worker keeps answering', async (t) => {
  const { handle } = await startFixture(t, 'worker-basic', { callTimeoutMs: 300 });
  await handle.start();
  await assert.rejects(handle.call('data.get', 'hang', null), (e: Error) => hasCode(e, 'TIMEOUT') && /data\.get/.test(e.message));
  assert.deepEqual(await handle.call('data.get', 'counts', null), { todo: 0 });
});

test('a worker that exits during a call fails the call with WORKER_CRASHED', async (t) => {
  // process.exit is there only for an unsandboxed worker; a sandboxed one crashes by running out of heap (below).
  const { handle, pids } = await startFixture(t, 'worker-basic', { sandboxRoot: null });
  await handle.start();
  await assert.rejects(handle.call('action.perform', 'exit', null), (e: Error) => hasCode(e, 'WORKER_CRASHED') && /code 3/.test(e.message));
  const exit = await handle.exited;
  assert.deepEqual(exit, { code: 3, signal: null, outOfMemory: false });
  await waitForPidGone(pids[0]!);
  await assert.rejects(handle.call('ping'), (e: Error) => hasCode(e, 'NOT_READY'));
});

test('a worker allocating past its heap cap fails the call with OUT_OF_MEMORY, reported in its exit', async (t) => {
  const { handle } = await startFixture(t, 'worker-basic', { heapMb: 32 });
  await handle.start();
  await assert.rejects(handle.call('action.perform', 'grow', null), (e: Error) => hasCode(e, 'OUT_OF_MEMORY'));
  const exit = await handle.exited;
  assert.equal(exit.outOfMemory, true);
});

test('a plugin registering through an SDK copy of another protocol major is refused with both versions named', async (t) => {
  const { handle } = await startFixture(t, 'worker-wrong-protocol');
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'PLUGIN_ERROR') && /protocol 2/.test(e.message) && /speaks 1/.test(e.message));
});

test('a worker entry that fails to load rejects start with PLUGIN_ERROR naming the entry', async (t) => {
  const dir = createTempDir(t, 'plinth-broken-');
  const entry = join(dir, 'worker.js');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(entry, 'export default {;\n');
  const { handle } = await startFixture(t, 'broken', { entry });
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'PLUGIN_ERROR') && e.message.includes(entry));
});

test('a module that exports no plugin and never calls runWorker is refused with how to fix it', async (t) => {
  const dir = createTempDir(t, 'plinth-empty-');
  const entry = join(dir, 'worker.mjs');
  await writeFile(entry, 'export const nothing = 1;\n');
  const { handle } = await startFixture(t, 'empty', { entry });
  await assert.rejects(handle.start(), (e: Error) => hasCode(e, 'PLUGIN_ERROR') && /runWorker/.test(e.message));
});
