/**
 * Host start-up with 0, 10 and 50 installed lazy plugins (a worker each, no
 * `onStartup`, in the user plugins folder of a fresh profile, enabled once in a setup pass),
 * plus 10 `onStartup` plugins for contrast. Each sample is a fresh process
 * (bench/startup-child.ts): time until `start()` resolves ("host reports ready") and the RSS of
 * the host process plus every worker process. Each line's floor is measured on the same profile
 * in the same way (bench/startup-child.ts `floor`): a fresh process that only opens the database
 * and reads every plugin's package.json, then starts as many bare Node processes as the host
 * starts workers, all at once, until each sent its first message.
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
import { mb, ms, percentile, report, TARGETS, type BenchOptions } from './support.ts';

const CHILD = join(import.meta.dirname, 'startup-child.ts');
/** Fresh-process samples per configuration; the median is printed (fewer in quick mode). */
let SAMPLES = 5;
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
  for (const id of ids) await host.management.enable(id, { approveCapabilities: true });
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
export async function runStartupBench(options: BenchOptions): Promise<void> {
  SAMPLES = options.quick ? 3 : 5;
  const lazyCounts = options.quick ? [50] : [10, 50];
  const profiles: Profile[] = [];
  try {
    const rows: Array<[label: string, host: Summary, floor: Summary | undefined]> = [];
    const measure = async (label: string, count: number, onStartup: boolean) => {
      const profile = await createProfile(count, onStartup);
      profiles.push(profile);
      // Quick mode measures only what the targets compare: the host against the empty host.
      rows.push([label, await sample('host', profile), options.quick ? undefined : await sample('floor', profile)]);
    };
    await measure('0 plugins', 0, false);
    for (const count of lazyCounts) await measure(`${count} lazy`, count, false);
    await measure(`${ON_STARTUP_COUNT} onStartup`, ON_STARTUP_COUNT, true);
    reportAgainstFloors(rows);

    // The start-up targets compare with the same host on an empty profile, in this run.
    const empty = rows[0]![1];
    const lazy50 = rows.find(([label]) => label === '50 lazy')![1];
    const eager = rows.find(([label]) => label === `${ON_STARTUP_COUNT} onStartup`)![1];
    console.log('\nStart-up against the same host with 0 plugins (start() → ready)');
    report('start(), 50 lazy vs 0 plugins', ms(lazy50.readyMs), ms(empty.readyMs), lazy50.readyMs / empty.readyMs, TARGETS.start50Lazy);
    report(`start(), ${ON_STARTUP_COUNT} onStartup vs 0 plugins`, ms(eager.readyMs), ms(empty.readyMs), eager.readyMs / empty.readyMs, TARGETS.start10OnStartup);
  } finally {
    for (const profile of profiles) rmSync(profile.dir, { recursive: true, force: true });
  }
}

/** The context lines: each configuration against the least a host must do on that profile (full run only). */
function reportAgainstFloors(all: Array<[label: string, host: Summary, floor: Summary | undefined]>): void {
  const rows = all.filter((row): row is [string, Summary, Summary] => row[2] !== undefined);
  if (rows.length === 0) return;
  console.log(`\nStart-up (fresh Node host process per sample, median of ${SAMPLES}; RSS = host + all worker processes;`);
  console.log('floor = open the database + read each package.json, then fork as many bare Node processes)');
  for (const [label, host, floor] of rows) {
    report(`start() → ready, ${label}`, ms(host.readyMs), ms(floor.readyMs), host.readyMs / floor.readyMs);
    if (host.workers > 0) report(`  … until ${host.workers} workers run`, ms(host.workersMs), ms(floor.workersMs), host.workersMs / floor.workersMs);
  }
  for (const [label, host, floor] of rows) {
    report(`RSS, ${label}, ${host.workers} workers`, mb(host.rss), mb(floor.rss), host.rss / floor.rss);
  }
}
