/**
 * `ctx.state` set/get operations per second from a real worker (a data handler looping
 * set + get). The floor, measured in the same run: a bare forked Node child
 * (bench/fixtures/state-child.js) doing one raw IPC round trip per operation while the parent
 * runs the same better-sqlite3 upsert / select on the same table and pragmas, i.e. the two
 * physical costs of a state call and nothing else. The raw SQLite loop and raw IPC round trips
 * alone are printed for context.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../main/host/db/database.ts';
import { createHost } from '../main/host/host.ts';
import { createNodeLauncher } from '../main/host/workers/node-launcher.ts';
import { createPluginRoot, writePlugin } from '../test/support/plugin-folders.ts';
import { rate, report, TARGETS, type BenchOptions, UNLIMITED_RATES } from './support.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');
const STATE_CHILD = join(import.meta.dirname, 'fixtures/state-child.js');
/** set + get pairs per measured loop (2 operations each); fewer in quick mode. */
let PAIRS = 2_000;
const WARMUP_PAIRS = 200;
/** Distinct keys cycled through, so both inserts and updates happen. */
const KEYS = 100;
const VALUE = { cursor: 'c-000123', count: 42, tags: ['a', 'b'] };

/** Data `loop` ({ pairs }) runs `pairs` × (state.set, state.get) and returns the elapsed ms. */
const STATE_WORKER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) {
    ctx.data.register('loop', async ({ pairs, keys, value }) => {
      const t0 = Date.now(); // the sandbox has no performance.now; ms resolution suffices over this loop
      for (let i = 0; i < pairs; i++) {
        const key = { scopeKind: 'instance', stateKey: 'k' + (i % keys) };
        await ctx.state.set(key, { ...value, i });
        await ctx.state.get(key);
      }
      return Date.now() - t0;
    });
  } });`;

const opsPerSecond = (pairs: number, elapsedMs: number) => (2 * pairs) / (elapsedMs / 1000);

type Db = ReturnType<typeof openDatabase>;

/** The same statements the state service prepares (main/host/services/state.ts), called directly. */
function rawStatements(db: Db) {
  const set = db.prepare(`INSERT INTO plugin_state (plugin_id, scope_kind, scope_id, namespace, state_key, value, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (plugin_id, scope_kind, scope_id, namespace, state_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const get = db.prepare<[string, string, string, string, string], { value: string }>(
    'SELECT value FROM plugin_state WHERE plugin_id = ? AND scope_kind = ? AND scope_id = ? AND namespace = ? AND state_key = ?');
  return { set, get };
}

/** The floor: a bare child's raw IPC round trip per operation, the parent running the raw statement. */
async function ipcPlusSqliteLoop(file: string, pairs: number): Promise<number> {
  const db = openDatabase(file);
  const { set, get } = rawStatements(db);
  const child = fork(STATE_CHILD, [], { serialization: 'json', stdio: 'ignore' });
  try {
    await once(child, 'message');
    const done = new Promise<number>((resolve) => {
      child.on('message', (message: { kind?: string; elapsedMs?: number; op?: string; key?: string; value?: unknown }) => {
        if (message.kind === 'done') return resolve(message.elapsedMs!);
        if (message.op === 'set') {
          set.run('bench-state', 'instance', '', '', message.key!, JSON.stringify(message.value), new Date().toISOString());
          child.send({ result: null });
        } else {
          const row = get.get('bench-state', 'instance', '', '', message.key!);
          child.send({ result: row ? JSON.parse(row.value) : null });
        }
      });
    });
    child.send({ kind: 'loop', pairs, keys: KEYS, value: VALUE });
    return await done;
  } finally {
    child.kill();
    db.close();
  }
}

/** Raw SQLite alone (context line). */
function rawSqliteLoop(file: string, pairs: number): number {
  const db = openDatabase(file);
  try {
    const { set, get } = rawStatements(db);
    const t0 = performance.now();
    for (let i = 0; i < pairs; i++) {
      const key = `k${i % KEYS}`;
      set.run('bench-state', 'instance', '', '', key, JSON.stringify({ ...VALUE, i }), new Date().toISOString());
      JSON.parse(get.get('bench-state', 'instance', '', '', key)!.value);
    }
    return performance.now() - t0;
  } finally {
    db.close();
  }
}

async function rawIpcLoop(roundTrips: number): Promise<number> {
  const child = fork(ECHO_CHILD, [], { serialization: 'json', stdio: 'ignore' });
  await once(child, 'message');
  try {
    const t0 = performance.now();
    for (let i = 0; i < roundTrips; i++) {
      child.send({ i, value: VALUE });
      await once(child, 'message');
    }
    return performance.now() - t0;
  } finally {
    child.kill();
  }
}

/** Runs the state benchmark and prints its lines. */
export async function runStateBench(options: BenchOptions): Promise<void> {
  PAIRS = options.quick ? 1_000 : 2_000;
  const root = createPluginRoot('plinth-bench-state-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-state-profile-'));
  writePlugin(root.dir, { name: 'bench-state', capabilities: ['plugin.state.read', 'plugin.state.write'], worker: STATE_WORKER });
  const host = createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench', rateLimits: UNLIMITED_RATES,
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }],
  });
  try {
    await host.start();
    await host.management.enable('bench-state', { approveCapabilities: true });
    await host.ui.data('bench-state', 'loop', { pairs: WARMUP_PAIRS, keys: KEYS, value: VALUE });
    const workerMs = await host.ui.data('bench-state', 'loop', { pairs: PAIRS, keys: KEYS, value: VALUE }) as number;

    await ipcPlusSqliteLoop(join(userData, 'floor-warmup.db'), WARMUP_PAIRS);
    const floorMs = await ipcPlusSqliteLoop(join(userData, 'floor.db'), PAIRS);
    rawSqliteLoop(join(userData, 'raw-warmup.db'), WARMUP_PAIRS);
    const sqliteMs = rawSqliteLoop(join(userData, 'raw.db'), PAIRS);
    await rawIpcLoop(WARMUP_PAIRS);
    const ipcMs = await rawIpcLoop(2 * PAIRS);

    const measured = opsPerSecond(PAIRS, workerMs);
    const floor = opsPerSecond(PAIRS, floorMs);
    const sqlite = opsPerSecond(PAIRS, sqliteMs);
    const ipc = (2 * PAIRS) / (ipcMs / 1000);
    console.log(`\nPlugin state (${PAIRS} × ctx.state.set + get from a worker; ratio = floor rate / measured rate)`);
    report('ctx.state set+get ops/s [floor: IPC + SQLite]', rate(measured), rate(floor), floor / measured, TARGETS.state);
    report('  context: raw better-sqlite3 alone', rate(measured), rate(sqlite), sqlite / measured);
    report('  context: raw IPC round trips alone', rate(measured), rate(ipc), ipc / measured);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
