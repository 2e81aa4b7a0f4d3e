/**
 * No process outlives its plugin: an unsandboxed worker starts a detached grandchild (its own
 * session and process group, its parent already gone, so neither the process group nor the
 * parent chain leads to it), and the grandchild is gone after disable, after host stop, after
 * a crash of the worker, and after the host itself is killed with SIGKILL.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { findWorkerProcesses, killWorkerProcesses } from '../../sdk/worker/process-tree.ts';
import { createPluginRoot, pidAlive, waitForPidGone, writePlugin, type PluginSpec } from '../support/plugin-folders.ts';
import { startTestHost } from '../support/test-host.ts';

const BIN = fileURLToPath(new URL('../../sdk/cli/bin.js', import.meta.url));

/** `sh` backgrounds `setsid sleep` and exits at once: the sleep is orphaned, in a new session. */
const SPAWNER: PluginSpec = {
  name: 'spawner',
  capabilities: ['system.unsandboxed'],
  worker: `import { definePlugin } from '@plinth/sdk';
    import { execFileSync } from 'node:child_process';
    const detachedGrandchild = () => Number(execFileSync('sh', ['-c', 'setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim());
    export default definePlugin({ async setup(ctx) {
      ctx.actions.register('spawn', async () => detachedGrandchild());
      ctx.data.register('spawn-and-wait', async () => { console.log('grandchild ' + detachedGrandchild()); return new Promise(() => {}); });
      ctx.actions.register('crash', async () => { setTimeout(() => process.exit(7), 5); return 'bye'; });
    } });`,
};

/** Kills `pid` if a failed test left it behind. */
const reap = (pid: number) => () => {
  if (pidAlive(pid)) process.kill(pid, 'SIGKILL');
};

test('a detached grandchild of an unsandboxed worker is gone after the plugin is disabled', async (t) => {
  const host = await startTestHost(t, { plugins: [SPAWNER] });
  const grandchild = (await host.ui.action('spawner', 'spawn', null)) as number;
  t.after(reap(grandchild));
  assert.ok(pidAlive(grandchild), 'the grandchild runs while the plugin does');
  await host.management.setEnabled('spawner', false);
  await waitForPidGone(grandchild);
});

test('a detached grandchild is gone after host stop, and after a crash of its worker', async (t) => {
  const host = await startTestHost(t, { plugins: [SPAWNER] });
  const first = (await host.ui.action('spawner', 'spawn', null)) as number;
  t.after(reap(first));
  const workerPid = host.supervisor.runtime('spawner').pid!;
  await host.ui.action('spawner', 'crash', null);
  await waitForPidGone(workerPid);
  await waitForPidGone(first);

  const second = (await host.ui.action('spawner', 'spawn', null)) as number;
  t.after(reap(second));
  assert.ok(pidAlive(second));
  await host.stop();
  await waitForPidGone(second);
});

test('a detached grandchild is gone after the host process is killed with SIGKILL', async (t) => {
  const root = createPluginRoot('plinth-tree-test-');
  t.after(root.cleanup);
  const dir = writePlugin(root.dir, SPAWNER);
  // The author CLI is a whole host in its own process: kill it as the OS would, with no chance to clean up.
  const cli = spawn(process.execPath, [BIN, 'run', dir, '--data', 'spawn-and-wait', '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const grandchild = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /grandchild (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    cli.stdout.on('data', onData);
    cli.stderr.on('data', onData);
    cli.on('exit', () => reject(new Error(`the CLI exited before the grandchild was reported:\n${output}`)));
  });
  t.after(reap(grandchild));
  const workers = [...output.matchAll(/^\[run\] worker pid (\d+)$/gm)].map((m) => Number(m[1]));
  assert.equal(workers.length, 1, output);
  assert.ok(pidAlive(grandchild));
  cli.kill('SIGKILL');
  await waitForPidGone(workers[0]!);
  await waitForPidGone(grandchild);
});

test('where there is no /proc (macOS), the worker\'s descendants are found and killed from the ps table', async (t) => {
  // A stand-in worker: a shell with two children and a grandchild, reporting their pids.
  const worker = spawn('sh', ['-c', 'sleep 300 & echo $!; sh -c \'sleep 300 & echo $!; wait\' & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => worker.kill('SIGKILL'));
  const reported = await new Promise<number[]>((resolve) => {
    let text = '';
    worker.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const pids = text.split('\n').filter(Boolean).map(Number);
      if (pids.length === 3) resolve(pids);
    });
  });
  for (const pid of reported) t.after(reap(pid));
  const bystander = spawn('sleep', ['300'], { stdio: 'ignore' });
  t.after(() => bystander.kill('SIGKILL'));
  const found = findWorkerProcesses(worker.pid, 'no-process-carries-this-mark', 'ps');
  for (const pid of reported) assert.ok(found.includes(pid), `descendant ${pid} is found (${found.join(', ')})`);
  assert.ok(!found.includes(worker.pid!), 'the worker itself is not in the list');
  killWorkerProcesses(worker.pid, 'no-process-carries-this-mark', 'ps');
  for (const pid of reported) await waitForPidGone(pid);
  assert.ok(pidAlive(bystander.pid!), 'only what the worker started was killed');
});
