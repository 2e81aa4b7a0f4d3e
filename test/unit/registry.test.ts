import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/host/db/database.ts';
import { createUninstallRecords } from '../../main/host/install/uninstall-records.ts';
import { createRegistry } from '../../main/host/registry.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

function openDb(t: AfterHook) {
  const file = join(createTempDir(t, 'plinth-registry-'), 'p.db');
  const db = openDatabase(file);
  t.after(() => db.close());
  return { db, file };
}

const entry = (id: string) => ({
  id, source: 'user' as const, path: `/plugins/${id}`, version: '1.0.0', state: 'installed' as const, enabled: false,
  lastError: null, capabilities: ['plugin.state.read'], approvedCapabilities: null, config: {},
});

test('registry writes go through to SQLite: a fresh connection reads what was written', (t) => {
  const { db, file } = openDb(t);
  const registry = createRegistry(db);
  registry.put(entry('a'));
  registry.update('a', { enabled: true, approvedCapabilities: ['plugin.state.read'] });
  const other = openDatabase(file);
  try {
    const row = createRegistry(other).get('a');
    assert.equal(row?.enabled, true);
    assert.deepEqual(row?.approvedCapabilities, ['plugin.state.read']);
  } finally {
    other.close();
  }
});

test('registries over one connection share their rows; entries are frozen snapshots', (t) => {
  const { db } = openDb(t);
  const first = createRegistry(db);
  first.put(entry('a'));
  createRegistry(db).update('a', { config: { token: 'x' } });
  const read = first.get('a')!;
  assert.deepEqual(read.config, { token: 'x' });
  assert.throws(() => { (read.capabilities as string[]).push('net.fetch'); }, TypeError);
});

test('an update that changes nothing writes nothing (updatedAt stays)', (t) => {
  const { db } = openDb(t);
  let clock = new Date('2025-01-01T00:00:00.000Z');
  const registry = createRegistry(db, () => clock);
  registry.put(entry('a'));
  clock = new Date('2025-01-02T00:00:00.000Z');
  assert.equal(registry.update('a', { enabled: false }).updatedAt, '2025-01-01T00:00:00.000Z');
  const stored = db.prepare('SELECT updated_at FROM plugins WHERE id = ?').get('a') as { updated_at: string };
  assert.equal(stored.updated_at, '2025-01-01T00:00:00.000Z');
  assert.equal(registry.update('a', { enabled: true }).updatedAt, '2025-01-02T00:00:00.000Z');
});

test('a transaction that rolls back leaves no registry write in memory; a purge drops the row', (t) => {
  const { db } = openDb(t);
  const registry = createRegistry(db);
  const records = createUninstallRecords(db);
  registry.put(entry('a'));
  assert.throws(() => records.transaction(() => {
    registry.update('a', { state: 'uninstalled' });
    throw new Error('disk full');
  }), /disk full/);
  assert.equal(registry.get('a')?.state, 'installed');
  records.deleteAllRowsOf('a');
  assert.equal(registry.get('a'), undefined);
  assert.deepEqual(registry.all(), []);
});
