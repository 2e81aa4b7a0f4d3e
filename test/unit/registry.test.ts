import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../main/host/db/database.ts';
import { MIGRATIONS } from '../../main/host/db/migrations/index.ts';
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

test('a failure is stored with its kind, so a fresh connection knows a setup failure from a manifest problem', (t) => {
  const { db, file } = openDb(t);
  const registry = createRegistry(db);
  registry.put({ ...entry('a'), state: 'error', lastError: { kind: 'setup', message: 'Setup failed: boom' } });
  registry.put({ ...entry('b'), state: 'error', lastError: { kind: 'manifest', message: 'Setup failed is the name of my plugin' } });
  const other = openDatabase(file);
  try {
    const fresh = createRegistry(other);
    assert.deepEqual(fresh.get('a')?.lastError, { kind: 'setup', message: 'Setup failed: boom' });
    assert.deepEqual(fresh.get('b')?.lastError, { kind: 'manifest', message: 'Setup failed is the name of my plugin' }, 'the kind, not the words, says what it is');
  } finally {
    other.close();
  }
  registry.update('a', { lastError: { kind: 'crash_loop', message: 'Setup failed: boom' } });
  assert.equal(registry.get('a')?.lastError?.kind, 'crash_loop', 'a change of kind alone is written');
});

test('rows of a profile from before failure kinds get the kind their message began with', (t) => {
  const file = join(createTempDir(t, 'plinth-registry-'), 'old.db');
  const old = openDatabase(file, MIGRATIONS.slice(0, 5));
  const insert = old.prepare(`INSERT INTO plugins (id, source, path, version, state, enabled, last_error, capabilities, approved_capabilities, config, installed_at, updated_at)
    VALUES (?, 'user', '/p', '1.0.0', ?, 1, ?, '[]', NULL, '{}', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`);
  insert.run('setup', 'error', 'Setup failed: boom');
  insert.run('loop', 'error', 'crash loop');
  insert.run('config', 'needs_config', 'Needs configuration: token is required');
  insert.run('manifest', 'error', 'package.json: plinth.worker is missing');
  insert.run('fine', 'ready', null);
  old.close();
  const db = openDatabase(file);
  t.after(() => db.close());
  const kinds = Object.fromEntries(createRegistry(db).all().map((e) => [e.id, e.lastError?.kind ?? null]));
  assert.deepEqual(kinds, { config: 'config', fine: null, loop: 'crash_loop', manifest: 'manifest', setup: 'setup' });
});
