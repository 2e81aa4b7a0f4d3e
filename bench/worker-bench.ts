/**
 * Host→worker RPC round trip against a raw IPC ping-pong over the same transport, worker
 * activation against a bare `child_process.fork` until first message, and idle worker RSS
 * against a bare forked Node process. Workers are the bundled runtime (sdk/dist), as shipped.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { mb, ms, percentile, report, rssBytes, TARGETS, type BenchOptions, UNLIMITED_RATES } from './support.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');
/** A bare forked child answering each message with itself: `roundTrip()` is one ping-pong over raw IPC. */
async function rawEcho(): Promise<{ roundTrip(i: number): Promise<void>; close(): void }> {
  const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
  await once(child, 'message');
  return {
    async roundTrip(i) {
      child.send({ i, payload: null });
      await once(child, 'message');
    },
    close: () => child.kill(),
  };
}

async function bareSpawn(activations: number): Promise<{ samples: number[]; rss: number }> {
  const samples: number[] = [];
  let rss = 0;
  for (let i = 0; i < activations; i++) {
    const t0 = performance.now();
    const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
    await once(child, 'message');
    samples.push(performance.now() - t0);
    if (i === activations - 1) rss = rssBytes(child.pid!);
    child.kill();
    await once(child, 'exit');
  }
  return { samples, rss };
}

/** Runs the worker benchmarks and prints their lines. */
export async function runWorkerBench(options: BenchOptions): Promise<void> {
  const roundTrips = options.quick ? 1_000 : 2_000;
  const warmup = 200;
  const activations = options.quick ? 7 : 15;
  const root = createPluginRoot('plinth-bench-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-profile-'));
  writePlugin(root.dir, {
    name: 'bench-echo',
    worker: `import { definePlugin } from '@plinth/sdk';
      export default definePlugin({ async setup(ctx) { ctx.data.register('echo', async (p) => p); } });`,
  });
  const newHost = (spareWorker: boolean) => createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench', rateLimits: UNLIMITED_RATES,
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }], supervisorOptions: { spareWorker },
  });
  /** Activations as the app does them: after the first, the spare started by the previous one is ready. */
  const activate = async (host: ReturnType<typeof newHost>, spare: boolean): Promise<number[]> => {
    const samples: number[] = [];
    for (let i = 0; i <= activations; i++) {
      if (spare && i > 0) await host.supervisor.spareReady();
      const t0 = performance.now();
      await host.ui.data('bench-echo', 'echo', null);
      if (i > 0) samples.push(performance.now() - t0); // the first one warms the host's own code up
      if (i < activations) await host.supervisor.stop('bench-echo');
    }
    return samples;
  };
  const coldHost = newHost(false);
  let cold: number[];
  try {
    await coldHost.start();
    await coldHost.management.enable('bench-echo', { approveCapabilities: true });
    cold = await activate(coldHost, false);
  } finally {
    await coldHost.stop();
  }
  const host = newHost(true);
  try {
    await host.start();
    const activation = await activate(host, true);
    const idleRss = rssBytes(host.supervisor.runtime('bench-echo').pid!);

    // Blocks of data calls and of raw round trips, interleaved, so machine load shifting during
    // the run slows both alike (as the sandbox benchmark does for its two workers).
    const rpc: number[] = [];
    const raw: number[] = [];
    const echo = await rawEcho();
    const blocks = 4;
    for (let block = 0; block < blocks; block++) {
      for (const [samples, roundTrip] of [[rpc, (i: number) => host.ui.data('bench-echo', 'echo', { i })], [raw, echo.roundTrip]] as const) {
        for (let i = 0; i < (warmup + roundTrips) / blocks; i++) {
          const t0 = performance.now();
          await roundTrip(i);
          if (i >= warmup / blocks) samples.push(performance.now() - t0);
        }
      }
    }
    echo.close();
    const bare = await bareSpawn(activations);

    console.log(`\nWorkers (Node launcher: child_process.fork, JSON IPC; ${roundTrips} round trips, ${activations} activations)`);
    report('host→worker data call p50', ms(percentile(rpc, 50)), ms(percentile(raw, 50)), percentile(rpc, 50) / percentile(raw, 50), TARGETS.callP50);
    report('host→worker data call p99', ms(percentile(rpc, 99)), ms(percentile(raw, 99)), percentile(rpc, 99) / percentile(raw, 99));
    report('activation (call → setup done) p50', ms(percentile(activation, 50)), ms(percentile(bare.samples, 50)), percentile(activation, 50) / percentile(bare.samples, 50), TARGETS.activation);
    report('  context: activation without a spare (cold) p50', ms(percentile(cold, 50)), ms(percentile(bare.samples, 50)), percentile(cold, 50) / percentile(bare.samples, 50));
    report('idle worker RSS', mb(idleRss), mb(bare.rss), idleRss / bare.rss, TARGETS.idleRss);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
