/**
 * One start-up measurement in a fresh process (forked by startup-bench.ts), so the host's RSS
 * is not inflated by earlier benchmarks. Prints one JSON line ({@link StartupSample}) on stdout.
 *
 * argv: `host <profileDir> <expectedWorkers>`: createHost(...).start() on the profile, then
 * waits until `expectedWorkers` workers run; `floor <profileDir> <expectedWorkers>`: the least a
 * host must do on that profile: open its database and read every plugin's package.json
 * ("ready"), then start `expectedWorkers` bare Node processes at once until each sent its first
 * IPC message ("workers").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rssBytes } from './support.ts';
import { createPluginViews } from '../main/shell/plugin-views.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');

/** A worker that never gets ready fails the measurement after this (ms) instead of hanging the bench. */
const WORKERS_DEADLINE_MS = 30_000;

/** What one run reports. Times in ms, sizes in bytes. */
export interface StartupSample {
  /** createHost(...).start() until it resolves (floor: opening the database and reading the manifests). */
  readyMs: number;
  /** Until `expectedWorkers` workers were running (equals readyMs when none are expected). */
  workersMs: number;
  /** RSS of this process plus every running worker process. */
  rssBytes: number;
  workers: number;
}

const [mode, profileDir, expected] = process.argv.slice(2);
if (!profileDir || (mode !== 'host' && mode !== 'floor')) {
  console.error('usage: node bench/startup-child.ts host|floor <profileDir> [expectedWorkers]');
  process.exit(2);
}

// Modules are imported per mode, so the floor process holds only what opening the database needs.
async function measureHost(dir: string, expectedWorkers: number): Promise<StartupSample> {
  const { createHost } = await import('../main/host/host.ts');
  const { createNodeLauncher } = await import('../main/host/workers/node-launcher.ts');
  const t0 = performance.now();
  const host = createHost({
    userDataDir: dir, bundledPluginsDir: join(dir, 'no-bundled-plugins'), launcher: createNodeLauncher(), appVersion: 'bench',
  });
  const running = new Set<string>();
  let workersAt = 0;
  const allRunning = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${running.size} of ${expectedWorkers} workers ran within ${WORKERS_DEADLINE_MS} ms`)), WORKERS_DEADLINE_MS);
    const check = () => {
      if (running.size < expectedWorkers) return;
      workersAt = performance.now();
      clearTimeout(timer);
      resolve();
    };
    host.supervisor.onChange((id) => {
      if (host.supervisor.runtime(id).state === 'running') running.add(id);
      check();
    });
    check();
  });
  await host.start();
  const readyMs = performance.now() - t0;
  await allRunning;
  const pids = createPluginViews(host).summaries().map((p) => host.supervisor.runtime(p.id).pid).filter((pid): pid is number => pid !== undefined);
  const rss = process.memoryUsage().rss + pids.reduce((sum, pid) => sum + rssBytes(pid), 0);
  await host.stop();
  return { readyMs, workersMs: expectedWorkers > 0 ? workersAt - t0 : readyMs, rssBytes: rss, workers: pids.length };
}

async function measureFloor(dir: string, expectedWorkers: number): Promise<StartupSample> {
  const { openDatabase } = await import('../main/host/db/database.ts');
  const t0 = performance.now();
  const db = openDatabase(join(dir, 'plinth.db'));
  const pluginsDir = join(dir, 'plugins');
  const folders = existsSync(pluginsDir) ? readdirSync(pluginsDir, { withFileTypes: true }).filter((d) => d.isDirectory()) : [];
  for (const folder of folders) {
    JSON.parse(readFileSync(join(pluginsDir, folder.name, 'package.json'), 'utf8'));
  }
  const readyMs = performance.now() - t0;
  const children: ChildProcess[] = [];
  for (let i = 0; i < expectedWorkers; i++) children.push(fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' }));
  await Promise.all(children.map((child) => once(child, 'message')));
  const workersMs = performance.now() - t0;
  const rss = process.memoryUsage().rss + children.reduce((sum, child) => sum + rssBytes(child.pid!), 0);
  const exited = children.map((child) => once(child, 'exit'));
  for (const child of children) child.kill();
  await Promise.all(exited);
  db.close();
  return { readyMs, workersMs, rssBytes: rss, workers: children.length };
}

const sample = mode === 'floor' ? await measureFloor(profileDir, Number(expected ?? 0)) : await measureHost(profileDir, Number(expected ?? 0));
console.log(JSON.stringify(sample));
