/**
 * Memory of many running workers: N plugins (a worker each, activated by a data call) in one
 * host; the sum of the N worker processes' RSS against the sum of N bare forked Node processes
 * (bench/fixtures/echo-child.js) alive at the same time. The host's own RSS is left out of both:
 * the figure is what each extra plugin costs.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { mb, report, rssBytes, TARGETS, type BenchOptions, UNLIMITED_RATES } from './support.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');

const WORKER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { ctx.data.register('ping', async () => 'pong'); } });`;

/** The summed RSS of `count` running workers, and of the spare the host keeps beside them (bytes; 0 when none is ready). */
async function workersRss(count: number): Promise<{ workers: number; spare: number }> {
  const root = createPluginRoot('plinth-bench-memory-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-memory-profile-'));
  const ids = Array.from({ length: count }, (_, i) => `bench-mem-${i}`);
  for (const name of ids) writePlugin(root.dir, { name, worker: WORKER });
  const host = createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench', rateLimits: UNLIMITED_RATES,
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }],
  });
  try {
    await host.start();
    for (const id of ids) await host.management.enable(id, { approveCapabilities: true });
    // Started a few at a time: 50 forks at once on 2 cores would only measure the scheduler.
    for (let i = 0; i < ids.length; i += 5) await Promise.all(ids.slice(i, i + 5).map((id) => host.ui.data(id, 'ping', null)));
    const workers = ids.reduce((sum, id) => sum + rssBytes(host.supervisor.runtime(id).pid!), 0);
    const spare = await host.supervisor.spareReady();
    return { workers, spare: spare === undefined ? 0 : rssBytes(spare) };
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}

async function bareRss(count: number): Promise<number> {
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
      children.push(child);
      await once(child, 'message');
    }
    return children.reduce((sum, child) => sum + rssBytes(child.pid!), 0);
  } finally {
    const exited = children.map((child) => once(child, 'exit'));
    for (const child of children) child.kill();
    await Promise.all(exited);
  }
}

/** Runs the memory benchmark (10 and 50 workers; 10 only in quick mode) and prints its lines. */
export async function runMemoryBench(options: BenchOptions): Promise<void> {
  const counts = options.quick ? [10] : [10, 50];
  const rows: Array<[number, { workers: number; spare: number }, number]> = [];
  for (const count of counts) rows.push([count, await workersRss(count), await bareRss(count)]);
  console.log('\nMemory of running workers (sum of worker RSS; floor = as many bare Node processes)');
  for (const [count, measured, floor] of rows) {
    report(`RSS of ${count} running workers`, mb(measured.workers), mb(floor), measured.workers / floor, TARGETS.idleRss);
    // The host also keeps one spare worker started (bench/README.md "The spare worker"): what it adds.
    report(`  context: with the spare beside them`, mb(measured.workers + measured.spare), mb(floor), (measured.workers + measured.spare) / floor);
  }
}
