import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { WORKER_MARK_VAR } from '../../sdk/worker/process-tree.ts';
import type { WorkerExit, WorkerLauncher, WorkerProcess } from '../../main/host/workers/launcher.ts';
import { createNodeLauncher } from '../../main/host/workers/node-launcher.ts';
import { pidAlive, waitForPidGone } from '../support/plugin-folders.ts';
import { createTestProfile, startTestHost } from '../support/test-host.ts';

const ECHO = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { ctx.data.register('echo', async (p) => p); } });`;
/** A sandboxed plugin that logs through console (routed to its log only once it took the spare). */
const LOGGER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { console.log('hello from', typeof process); ctx.data.register('echo', async (p) => p); } });`;

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');

test('no spare before the first activation; after it one hardened spare waits, carrying no plugin state, and the next sandboxed activation runs in it', async (t) => {
  const profile = createTestProfile(t);
  const host = await profile.start({ plugins: [{ name: 'one', worker: ECHO }, { name: 'two', worker: LOGGER }] });
  assert.equal(await host.supervisor.spareReady(), undefined, 'no plugin has activated yet');

  assert.deepEqual(await host.ui.data('one', 'echo', { a: 1 }), { a: 1 });
  assert.equal(readlinkSync(`/proc/${host.supervisor.runtime('one').pid}/cwd`), realpathSync(join(profile.pluginsDir, 'one')), 'a cold start works in the plugin folder');
  const spare = await host.supervisor.spareReady();
  assert.ok(spare !== undefined && pidAlive(spare));
  assert.notEqual(spare, host.supervisor.runtime('one').pid);
  const env = environOf(spare);
  assert.ok(env.some((v) => v.startsWith(`${WORKER_MARK_VAR}=`)), 'the spare carries a process-tree mark');
  assert.ok(!env.some((v) => v.startsWith('PLINTH_PLUGIN_ID=')), 'and no plugin id');
  assert.notEqual(readlinkSync(`/proc/${spare}/cwd`), realpathSync(join(profile.pluginsDir, 'two')));

  assert.deepEqual(await host.ui.data('two', 'echo', 'x'), 'x');
  assert.equal(host.supervisor.runtime('two').pid, spare, 'the activation took the spare');
  assert.equal(readlinkSync(`/proc/${spare}/cwd`), realpathSync(join(profile.pluginsDir, 'two')), 'it works in the plugin folder');
  assert.ok(host.logs.lines('two').some((l) => l.message === 'hello from undefined'), 'console is sandboxed and reaches the plugin log');
  const next = await host.supervisor.spareReady();
  assert.ok(next !== undefined && next !== spare, 'a new spare was started in the background');

  await host.stop();
  await waitForPidGone(next);
  assert.equal(pidAlive(spare), false);
});

test('an unsandboxed plugin never takes the spare', async (t) => {
  const host = await startTestHost(t, { plugins: [{ name: 'sandboxed', worker: ECHO }, { name: 'full', worker: ECHO, capabilities: ['system.unsandboxed'] }] });
  await host.ui.data('sandboxed', 'echo', null);
  const spare = await host.supervisor.spareReady();
  assert.ok(spare !== undefined);
  await host.ui.data('full', 'echo', null);
  assert.notEqual(host.supervisor.runtime('full').pid, spare);
  assert.equal(await host.supervisor.spareReady(), spare, 'the spare is still waiting');
});

test('a spare that dies is replaced without an error anywhere, and one unused for the idle timeout is stopped', async (t) => {
  let idleMs = 60_000;
  const host = await startTestHost(t, { plugins: [{ name: 'one', worker: ECHO }], supervisorOptions: { idleTimeoutMs: () => idleMs } });
  await host.ui.data('one', 'echo', null);
  const spare = (await host.supervisor.spareReady())!;
  process.kill(spare, 'SIGKILL');
  await waitForPidGone(spare);
  const replacement = await host.supervisor.spareReady();
  assert.ok(replacement !== undefined && replacement !== spare, 'a new spare replaces the dead one');
  await host.supervisor.stop('one');
  assert.equal(await host.ui.data('one', 'echo', 7), 7);
  assert.equal(host.supervisor.runtime('one').pid, replacement);
  assert.ok(!host.logs.lines('one').some((l) => l.level === 'error'), 'nothing about the dead spare in the plugin log');

  // The spare started by that activation read the idle timeout then; the next one gets a short one.
  idleMs = 100;
  await host.supervisor.stop('one');
  await host.ui.data('one', 'echo', null);
  const idle = (await host.supervisor.spareReady())!;
  await waitForPidGone(idle);
  assert.equal(await host.supervisor.spareReady(), undefined, 'no spare while nothing activates');
  assert.equal(await host.ui.data('one', 'echo', 8), 8);
});

test('concurrent activations (onStartup plugins) start no spare among them: it is started once the last is done', async (t) => {
  const ids = ['a', 'b', 'c'];
  const base = createNodeLauncher();
  const started: { host?: Awaited<ReturnType<typeof startTestHost>> } = {};
  const statesAtSpare: string[][] = [];
  const launcher: WorkerLauncher = {
    spawn: (entry, opts) => base.spawn(entry, opts),
    spawnSpare(opts) {
      statesAtSpare.push(ids.map((id) => started.host!.supervisor.state(id)));
      return base.spawnSpare!(opts);
    },
  };
  const host = started.host = await startTestHost(t, { launcher, plugins: ids.map((name) => ({ name, worker: ECHO, activationEvents: ['onStartup'] })) });
  await Promise.all(ids.map((id) => host.ui.data(id, 'echo', null)));
  const spare = await host.supervisor.spareReady();
  assert.ok(spare !== undefined, 'a spare waits after the burst');
  assert.deepEqual(statesAtSpare, [['running', 'running', 'running']], 'one spare, started when every start was done');
});

/** A spare that starts but never sends its ready handshake (hung in its set-up); `onKill` is told when it is killed. */
function hungSpare(onKill: () => void): WorkerProcess {
  const exited = Promise.withResolvers<WorkerExit>();
  let alive = true;
  return {
    endpoint: { postMessage: () => undefined, onMessage: () => () => undefined },
    pid: undefined,
    onOutput: () => () => undefined,
    kill() {
      if (!alive) return;
      alive = false;
      onKill();
      exited.resolve({ code: null, signal: 'SIGKILL', outOfMemory: false });
    },
    exited: exited.promise,
  };
}

test('a spare that never gets ready costs an activation nothing: it is killed and the worker is started at once, as a cold start, then replaced', { timeout: 60_000 }, async (t) => {
  const base = createNodeLauncher();
  const launches: string[] = [];
  const launcher: WorkerLauncher = {
    spawn(entry, opts) {
      launches.push(`worker ${opts.pluginId}`);
      return base.spawn(entry, opts);
    },
    spawnSpare() {
      launches.push('spare');
      return hungSpare(() => launches.push('spare killed'));
    },
  };
  // Far beyond the test's timeout: an activation that waited for the hung spare's handshake
  // (with the setup budget as its limit) would make this test time out.
  const host = await startTestHost(t, { launcher, setupBudgetMs: 600_000, plugins: [{ name: 'one', worker: ECHO }, { name: 'two', worker: ECHO }] });
  await host.ui.data('one', 'echo', null);
  assert.deepEqual(launches, ['worker one', 'spare']);

  assert.equal(await host.ui.data('two', 'echo', 2), 2);
  assert.deepEqual(launches, ['worker one', 'spare', 'spare killed', 'worker two', 'spare'], 'the hung spare is killed, the worker forked and a new spare started after the activation');
  assert.ok(!host.logs.lines('two').some((l) => l.level === 'error'), 'nothing about the hung spare in the plugin log');
});
