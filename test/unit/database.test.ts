import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Migration } from '../../main/host/db/database.ts';
import { MIGRATIONS } from '../../main/host/db/migrations/index.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

const tempDir = (t: AfterHook) => createTempDir(t, 'plinth-db-');

test('migrations are numbered 1..n without gaps and bring a new file to the latest version in WAL mode', (t) => {
  MIGRATIONS.forEach((m, i) => assert.equal(m.version, i + 1, `migration ${m.name}`));
  const db = openDatabase(join(tempDir(t), 'p.db'));
  assert.equal(db.pragma('user_version', { simple: true }), MIGRATIONS.length);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  db.close();
});

test('a migration that fails leaves the database at the previous version', (t) => {
  const file = join(tempDir(t), 'p.db');
  const good: Migration = { version: 1, name: 'good', up: (db) => db.exec('CREATE TABLE a (x)') };
  const bad: Migration = { version: 2, name: 'bad', up: (db) => { db.exec('CREATE TABLE b (x)'); throw new Error('boom'); } };
  assert.throws(() => openDatabase(file, [good, bad]), /boom/);
  const db = openDatabase(file, [good]);
  assert.equal(db.pragma('user_version', { simple: true }), 1);
  assert.equal((db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'b'").get() as { n: number }).n, 0);
  db.close();
});

test('a corrupt or newer database file is refused with a clear message and left untouched', (t) => {
  const dir = tempDir(t);
  const corrupt = join(dir, 'corrupt.db');
  writeFileSync(corrupt, 'this is not sqlite'.repeat(100));
  const before = readFileSync(corrupt);
  assert.throws(() => openDatabase(corrupt), /Cannot open the database .*corrupt\.db.*left as it is/);
  assert.deepEqual(readFileSync(corrupt), before);

  const newer = join(dir, 'newer.db');
  openDatabase(newer, [{ version: 1, name: 'a', up() {} }, { version: 2, name: 'b', up() {} }]).close();
  assert.throws(() => openDatabase(newer, [{ version: 1, name: 'a', up() {} }]), /schema version 2, newer than this app knows \(1\)/);
});
