/**
 * The cost of the sandbox: the same echo plugin run sandboxed and unsandboxed
 * (`system.unsandboxed`) by one host in one run, activations interleaved so machine load hits
 * both alike. The unsandboxed worker is the floor. Targets (the sandbox issue): activation
 * ≤ 1.2×, idle RSS ≤ +10 MB, RPC round trip unchanged (≤ 1.1×, the noise of a shared machine).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { mb, ms, percentile, report, rssBytes, type BenchOptions, UNLIMITED_RATES } from './support.ts';

/** Targets of the sandbox issue. */
export const SANDBOX_TARGETS = { activation: 1.2, rssExtraBytes: 10 * 1024 * 1024, callP50: 1.1 } as const;

const ECHO = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { ctx.data.register('echo', async (p) => p); } });`;

/** Runs the sandbox benchmark and prints its lines. */
export async function runSandboxBench(options: BenchOptions): Promise<void> {
  const activations = options.quick ? 7 : 15;
  const roundTrips = options.quick ? 1_000 : 2_000;
  const warmup = 200;
  const root = createPluginRoot('plinth-bench-sandbox-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-sandbox-profile-'));
  const ids = { sandboxed: 'bench-sandboxed', unsandboxed: 'bench-unsandboxed' } as const;
  writePlugin(root.dir, { name: ids.sandboxed, worker: ECHO });
  writePlugin(root.dir, { name: ids.unsandboxed, worker: ECHO, capabilities: ['system.unsandboxed'] });
  const newHost = (spareWorker: boolean) => createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench', rateLimits: UNLIMITED_RATES,
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }], supervisorOptions: { spareWorker },
  });
  const samples = {
    sandboxed: { activation: [] as number[], rss: [] as number[], rpc: [] as number[] },
    unsandboxed: { activation: [] as number[], rss: [] as number[], rpc: [] as number[] },
  };
  const cold = { sandboxed: [] as number[], unsandboxed: [] as number[] };
  /**
   * Interleaved activations of both plugins. With spares (what the app does) each waits until
   * the spare the previous one started is ready, so that spare's start is not counted against
   * the next activation, sandboxed (which takes it) or not (which starts its own process).
   */
  const activate = async (host: ReturnType<typeof newHost>, spare: boolean, into: Record<'sandboxed' | 'unsandboxed', number[]>, rss?: typeof samples) => {
    for (let i = 0; i <= activations; i++) {
      for (const kind of ['sandboxed', 'unsandboxed'] as const) {
        if (spare) await host.supervisor.spareReady();
        const t0 = performance.now();
        await host.ui.data(ids[kind], 'echo', null);
        if (i > 0) { // the first round warms the host's own code up (and starts cold: no spare yet)
          into[kind].push(performance.now() - t0);
          rss?.[kind].rss.push(rssBytes(host.supervisor.runtime(ids[kind]).pid!));
        }
        await host.supervisor.stop(ids[kind]);
      }
    }
  };
  const coldHost = newHost(false);
  try {
    await coldHost.start();
    for (const id of Object.values(ids)) await coldHost.management.enable(id, { approveCapabilities: true });
    await activate(coldHost, false, cold);
  } finally {
    await coldHost.stop();
  }
  const host = newHost(true);
  try {
    await host.start();
    await activate(host, true, { sandboxed: samples.sandboxed.activation, unsandboxed: samples.unsandboxed.activation }, samples);
    for (const kind of ['sandboxed', 'unsandboxed'] as const) await host.ui.data(ids[kind], 'echo', null);
    // Interleaved blocks of round trips, for the same reason as the activations.
    for (let block = 0; block < 4; block++) {
      for (const kind of ['sandboxed', 'unsandboxed'] as const) {
        for (let i = 0; i < (warmup + roundTrips) / 4; i++) {
          const t0 = performance.now();
          await host.ui.data(ids[kind], 'echo', { i });
          if (i >= warmup / 4) samples[kind].rpc.push(performance.now() - t0);
        }
      }
    }
    const s = samples.sandboxed;
    const u = samples.unsandboxed;
    const p50 = (values: number[]) => percentile(values, 50);
    const extra = p50(s.rss) - p50(u.rss);
    console.log(`\nSandbox (same plugin sandboxed vs system.unsandboxed; ${activations} activations each, ${roundTrips} round trips each)`);
    report('sandboxed activation p50', ms(p50(s.activation)), ms(p50(u.activation)), p50(s.activation) / p50(u.activation), SANDBOX_TARGETS.activation);
    // The sandbox's own cost (lockdown and Web Crypto on the activation's path), which the spare hides: held to the same target.
    report('sandboxed activation without a spare (cold) p50', ms(p50(cold.sandboxed)), ms(p50(cold.unsandboxed)), p50(cold.sandboxed) / p50(cold.unsandboxed), SANDBOX_TARGETS.activation);
    report(`sandboxed idle RSS (${extra >= 0 ? '+' : ''}${mb(extra)}, target ≤ +${mb(SANDBOX_TARGETS.rssExtraBytes)})`, mb(p50(s.rss)), mb(p50(u.rss)), p50(s.rss) / p50(u.rss),
      (p50(u.rss) + SANDBOX_TARGETS.rssExtraBytes) / p50(u.rss));
    report('sandboxed data call p50', ms(p50(s.rpc)), ms(p50(u.rpc)), p50(s.rpc) / p50(u.rpc), SANDBOX_TARGETS.callP50);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
