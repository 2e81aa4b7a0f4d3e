// One discovery pass writes the registry in one transaction: its rows commit together, and a
// pass that fails part-way leaves the registry on disk as it was; a pass that finds nothing
// changed writes nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/host/db/database.ts';
import { createLogStore } from '../../main/host/logs.ts';
import { createDiscovery } from '../../main/host/plugin-discovery.ts';
import { createCatalogCore } from '../../main/host/plugin-record.ts';
import { createRegistry } from '../../main/host/registry.ts';
import { createTempDir, writePlugin } from '../support/plugin-folders.ts';

function setup(t: { after(fn: () => unknown): void }, failOn?: string) {
  const profile = createTempDir(t);
  const root = createTempDir(t);
  for (const name of ['alpha', 'beta', 'gamma']) writePlugin(root, { name });
  const file = join(profile, 'plinth.db');
  const db = openDatabase(file);
  t.after(() => db.close());
  const clock = { now: new Date('2025-01-01T00:00:00.000Z') };
  const registry = createRegistry(db, () => clock.now);
  const core = createCatalogCore(registry);
  const transactions: number[] = [];
  const discovery = createDiscovery({
    userDataDir: profile,
    roots: () => [{ dir: root, source: 'bundled' }],
    registry,
    transaction: (fn) => {
      transactions.push(1);
      db.transaction(fn)();
    },
    logs: createLogStore(),
    configProblem: (id) => {
      if (id === failOn) throw new Error(`config of ${id} cannot be read`);
      return null;
    },
    core,
    consent: { unapproved: () => [] },
  });
  /** The ids in the database as a fresh connection sees them. */
  const onDisk = () => {
    const other = openDatabase(file);
    try {
      return createRegistry(other).all().map((e) => e.id);
    } finally {
      other.close();
    }
  };
  return { discovery, onDisk, transactions, db, clock };
}

test('a discovery pass writes the rows of every new plugin in one transaction', async (t) => {
  const { discovery, onDisk, transactions } = setup(t);
  await discovery.discover();
  assert.deepEqual(onDisk(), ['alpha', 'beta', 'gamma']);
  assert.equal(transactions.length, 1);
});

test('a pass that fails part-way commits none of its rows', async (t) => {
  const { discovery, onDisk } = setup(t, 'gamma');
  await assert.rejects(discovery.discover(), /config of gamma cannot be read/);
  assert.deepEqual(onDisk(), [], 'alpha and beta, written before gamma failed, were rolled back');
});

test('a pass over unchanged plugin folders writes no row (their updated_at stays)', async (t) => {
  const { discovery, db, clock } = setup(t);
  await discovery.discover();
  clock.now = new Date('2025-01-02T00:00:00.000Z');
  await discovery.discover();
  const stamps = db.prepare('SELECT DISTINCT updated_at FROM plugins').all();
  assert.deepEqual(stamps, [{ updated_at: '2025-01-01T00:00:00.000Z' }]);
});
