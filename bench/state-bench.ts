/**
 * Issue #4 item 11: `ctx.state` set/get operations per second from a real worker (a data
 * handler looping set + get), compared in the same run with the floors it is built on: a raw
 * better-sqlite3 loop of the same upsert + select on the same table and pragmas, and raw IPC
 * round trips to a bare forked Node child (each `ctx.state` call is one round trip).
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
import { report } from './support.ts';

const ECHO_CHILD = join(import.meta.dirname, 'fixtures/echo-child.js');
/** set + get pairs per measured loop (2 operations each). */
const PAIRS = 2_000;
const WARMUP_PAIRS = 200;
/** Distinct keys cycled through, so both inserts and updates happen. */
const KEYS = 100;
const VALUE = { cursor: 'c-000123', count: 42, tags: ['a', 'b'] };

/** Data `loop` ({ pairs }) runs `pairs` × (state.set, state.get) and returns the elapsed ms. */
const STATE_WORKER = `import { definePlugin } from '@plinth/sdk';
  export default definePlugin({ async setup(ctx) {
    ctx.data.register('loop', async ({ pairs, keys, value }) => {
      const t0 = performance.now();
      for (let i = 0; i < pairs; i++) {
        const key = { scopeKind: 'instance', stateKey: 'k' + (i % keys) };
        await ctx.state.set(key, { ...value, i });
        await ctx.state.get(key);
      }
      return performance.now() - t0;
    });
  } });`;

const opsPerSecond = (pairs: number, elapsedMs: number) => (2 * pairs) / (elapsedMs / 1000);
const rate = (value: number) => `${Math.round(value)}/s`;

/** The same statements the state service prepares (main/host/services/state.ts), called directly. */
function rawSqliteLoop(file: string, pairs: number): number {
  const db = openDatabase(file);
  try {
    const set = db.prepare(`INSERT INTO plugin_state (plugin_id, scope_kind, scope_id, namespace, state_key, value, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (plugin_id, scope_kind, scope_id, namespace, state_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
    const get = db.prepare<[string, string, string, string, string], { value: string }>(
      'SELECT value FROM plugin_state WHERE plugin_id = ? AND scope_kind = ? AND scope_id = ? AND namespace = ? AND state_key = ?');
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
export async function runStateBench(): Promise<void> {
  const root = createPluginRoot('plinth-bench-state-');
  const userData = mkdtempSync(join(tmpdir(), 'plinth-bench-state-profile-'));
  writePlugin(root.dir, { name: 'bench-state', capabilities: ['plugin.state.read', 'plugin.state.write'], worker: STATE_WORKER });
  const host = createHost({
    userDataDir: userData, bundledPluginsDir: join(root.dir, 'none'), launcher: createNodeLauncher(), appVersion: 'bench',
    extraPluginRoots: [{ dir: root.dir, source: 'unpacked' }],
  });
  try {
    await host.start();
    await host.enable('bench-state', { approveCapabilities: true });
    await host.callData('bench-state', 'loop', { pairs: WARMUP_PAIRS, keys: KEYS, value: VALUE });
    const workerMs = await host.callData('bench-state', 'loop', { pairs: PAIRS, keys: KEYS, value: VALUE }) as number;

    rawSqliteLoop(join(userData, 'raw-warmup.db'), WARMUP_PAIRS);
    const sqliteMs = rawSqliteLoop(join(userData, 'raw.db'), PAIRS);
    await rawIpcLoop(WARMUP_PAIRS);
    const ipcMs = await rawIpcLoop(2 * PAIRS);

    const measured = opsPerSecond(PAIRS, workerMs);
    const sqlite = opsPerSecond(PAIRS, sqliteMs);
    const ipc = (2 * PAIRS) / (ipcMs / 1000);
    console.log(`\nPlugin state (${PAIRS} × ctx.state.set + get from a worker; ratio = floor rate / measured rate)`);
    report('ctx.state ops/s vs raw better-sqlite3', rate(measured), rate(sqlite), sqlite / measured);
    report('ctx.state ops/s vs raw IPC round trips', rate(measured), rate(ipc), ipc / measured);
  } finally {
    await host.stop();
    root.cleanup();
    rmSync(userData, { recursive: true, force: true });
  }
}
