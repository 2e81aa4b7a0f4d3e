/**
 * Issue #2 benchmarks: host→worker RPC round trip against a raw IPC ping-pong over the same
 * transport, worker activation against a bare `child_process.fork` until first message, and idle
 * worker RSS against a bare forked Node process.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { mb, ms, percentile, report, rssBytes } from './support.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');
const ROUND_TRIPS = 2_000;
const WARMUP = 200;
const ACTIVATIONS = 15;

async function rawPingPong(): Promise<number[]> {
  const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
  await once(child, 'message');
  const samples: number[] = [];
  for (let i = 0; i < WARMUP + ROUND_TRIPS; i++) {
    const t0 = performance.now();
    child.send({ i, payload: null });
    await once(child, 'message');
    if (i >= WARMUP) samples.push(performance.now() - t0);
  }
  child.kill();
  return samples;
}

async function bareSpawn(): Promise<{ samples: number[]; rss: number }> {
  const samples: number[] = [];
  let rss = 0;
  for (let i = 0; i < ACTIVATIONS; i++) {
    const t0 = performance.now();
    const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
    await once(child, 'message');
    samples.push(performance.now() - t0);
    if (i === ACTIVATIONS - 1) rss = rssBytes(child.pid!);
    child.kill();
    await once(child, 'exit');
  }
  return { samples, rss };
}

/** Runs the worker benchmarks and prints their lines. */
export async function runWorkerBench(): Promise<void> {
  const root = createPluginRoot('plinth-bench-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-profile-'));
  writePlugin(root.dir, {
    name: 'bench-echo',
    worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({ async setup(ctx) { ctx.data.register('echo', async (p) => p); } });`,
  });
  const host = createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench',
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }],
  });
  try {
    await host.start();
    await host.enable('bench-echo', { approveCapabilities: true });

    const activation: number[] = [];
    for (let i = 0; i < ACTIVATIONS; i++) {
      const t0 = performance.now();
      await host.callData('bench-echo', 'echo', null);
      activation.push(performance.now() - t0);
      if (i < ACTIVATIONS - 1) await host.supervisor.stop('bench-echo');
    }
    const idleRss = rssBytes(host.workerPid('bench-echo')!);

    const rpc: number[] = [];
    for (let i = 0; i < WARMUP + ROUND_TRIPS; i++) {
      const t0 = performance.now();
      await host.callData('bench-echo', 'echo', { i });
      if (i >= WARMUP) rpc.push(performance.now() - t0);
    }
    const raw = await rawPingPong();
    const bare = await bareSpawn();

    console.log(`\nWorkers (Node launcher: child_process.fork, JSON IPC; ${ROUND_TRIPS} round trips, ${ACTIVATIONS} activations)`);
    report('host→worker data call p50', ms(percentile(rpc, 50)), ms(percentile(raw, 50)), percentile(rpc, 50) / percentile(raw, 50));
    report('host→worker data call p99', ms(percentile(rpc, 99)), ms(percentile(raw, 99)), percentile(rpc, 99) / percentile(raw, 99));
    report('activation (call → setup done) p50', ms(percentile(activation, 50)), ms(percentile(bare.samples, 50)), percentile(activation, 50) / percentile(bare.samples, 50));
    report('idle worker RSS', mb(idleRss), mb(bare.rss), idleRss / bare.rss);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
