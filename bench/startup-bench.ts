/**
 * Issue #3 item 13: host start-up with 0, 10 and 50 installed lazy plugins (a worker each, no
 * `onStartup`, in the user plugins folder of a fresh profile, enabled once in a setup pass),
 * plus 10 `onStartup` plugins for contrast. Each sample is a fresh process
 * (bench/startup-child.ts): time until `start()` resolves ("host reports ready") and the RSS of
 * the host process plus every worker process. The floor of the 0-plugin line is a process that
 * only opens the profile's database; the floor of the others is the 0-plugin host.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { writePlugin } from '../test/support/plugin-folders.ts';
import type { StartupSample } from './startup-child.ts';
import { mb, ms, percentile, report } from './support.ts';

const CHILD = join(import.meta.dirname, 'startup-child.ts');
/** Fresh-process samples per configuration; the median is printed. */
const SAMPLES = 5;
const LAZY_COUNTS = [10, 50] as const;
const ON_STARTUP_COUNT = 10;

const run = promisify(execFile);

const LAZY_WORKER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) { ctx.data.register('ping', async () => 'pong'); } });`;

interface Profile { dir: string; workers: number }

/** A fresh profile with `count` enabled plugins in its user plugins folder. */
async function createProfile(count: number, onStartup: boolean): Promise<Profile> {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-bench-startup-'));
  const ids = Array.from({ length: count }, (_, i) => `bench-${onStartup ? 'eager' : 'lazy'}-${i}`);
  for (const name of ids) {
    writePlugin(join(dir, 'plugins'), { name, worker: LAZY_WORKER, ...(onStartup ? { activationEvents: ['onStartup'] } : {}) });
  }
  const host = createHost({ userDataDir: dir, bundledPluginsDir: join(dir, 'no-bundled-plugins'), launcher: createNodeLauncher(), appVersion: 'bench' });
  await host.start();
  for (const id of ids) await host.setEnabled(id, true);
  await host.stop();
  return { dir, workers: onStartup ? count : 0 };
}

interface Summary { readyMs: number; workersMs: number; rss: number; workers: number }

async function sample(mode: 'host' | 'floor', profile: Profile): Promise<Summary> {
  const samples: StartupSample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const { stdout } = await run(process.execPath, [CHILD, mode, profile.dir, String(profile.workers)]);
    samples.push(JSON.parse(stdout.trim().split('\n').at(-1)!) as StartupSample);
  }
  return {
    readyMs: percentile(samples.map((s) => s.readyMs), 50),
    workersMs: percentile(samples.map((s) => s.workersMs), 50),
    rss: percentile(samples.map((s) => s.rssBytes), 50),
    workers: Math.max(...samples.map((s) => s.workers)),
  };
}

/** Runs the start-up benchmark and prints its lines. */
export async function runStartupBench(): Promise<void> {
  const profiles: Profile[] = [];
  try {
    const empty = await createProfile(0, false);
    profiles.push(empty);
    const floor = await sample('floor', empty);
    const zero = await sample('host', empty);
    const lazy: Array<[number, Summary]> = [];
    for (const count of LAZY_COUNTS) {
      const profile = await createProfile(count, false);
      profiles.push(profile);
      lazy.push([count, await sample('host', profile)]);
    }
    const eagerProfile = await createProfile(ON_STARTUP_COUNT, true);
    profiles.push(eagerProfile);
    const eager = await sample('host', eagerProfile);

    console.log(`\nStart-up (fresh Node host process per sample, median of ${SAMPLES}; RSS = host + all worker processes)`);
    report('start() → ready, 0 plugins [floor: open DB]', ms(zero.readyMs), ms(floor.readyMs), zero.readyMs / floor.readyMs);
    for (const [count, s] of lazy) report(`start() → ready, ${count} lazy [floor: 0 plugins]`, ms(s.readyMs), ms(zero.readyMs), s.readyMs / zero.readyMs);
    report(`start() → ready, ${ON_STARTUP_COUNT} onStartup [floor: 0]`, ms(eager.readyMs), ms(zero.readyMs), eager.readyMs / zero.readyMs);
    report(`  … until ${eager.workers} onStartup workers run`, ms(eager.workersMs), ms(zero.readyMs), eager.workersMs / zero.readyMs);
    report(`RSS, 0 plugins, ${zero.workers} workers [floor: open DB]`, mb(zero.rss), mb(floor.rss), zero.rss / floor.rss);
    for (const [count, s] of lazy) report(`RSS, ${count} lazy, ${s.workers} workers [floor: 0]`, mb(s.rss), mb(zero.rss), s.rss / zero.rss);
    report(`RSS, ${ON_STARTUP_COUNT} onStartup, ${eager.workers} workers [floor: 0]`, mb(eager.rss), mb(zero.rss), eager.rss / zero.rss);
  } finally {
    for (const profile of profiles) rmSync(profile.dir, { recursive: true, force: true });
  }
}
