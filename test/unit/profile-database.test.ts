import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, openSync, readFileSync, closeSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openProfileDatabase, runningMarkerOf } from '../../main/host/db/profile-database.ts';
import { applyPendingRestore, createDatabaseBackups } from '../../main/host/db/backups.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

const NOW = new Date('2025-01-02T03:04:05.678Z');
const tempDir = (t: AfterHook) => createTempDir(t, 'plinth-profile-db-');

/** A database with enough rows that damage in its second half hits table pages. */
function filledDatabase(file: string): void {
  const opened = openProfileDatabase(file);
  opened.db.exec('CREATE TABLE filler (x TEXT)');
  const insert = opened.db.prepare('INSERT INTO filler VALUES (?)');
  for (let i = 0; i < 5_000; i++) insert.run(`row ${i} ${'x'.repeat(60)}`);
  opened.close();
}

const damages: Record<string, (file: string) => void> = {
  garbage: (file) => writeFileSync(file, Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251))),
  truncated: (file) => truncateSync(file, Math.floor(statSync(file).size / 2)),
  'half-written': (file) => {
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(16_384, 0x41), 0, 16_384, Math.floor(statSync(file).size / 2));
    closeSync(fd);
  },
  empty: (file) => writeFileSync(file, 'SQLite format 3\0'),
};

for (const [kind, damage] of Object.entries(damages)) {
  test(`a ${kind} database is moved aside with the time in its name and a fresh one opens`, (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'plinth.db');
    filledDatabase(file);
    damage(file);
    const damagedBytes = readFileSync(file);
    const opened = openProfileDatabase(file, { now: () => NOW });
    t.after(() => opened.close());
    assert.ok(opened.recovery, 'the damage is reported');
    assert.equal(opened.recovery.keptAs, join(dir, 'plinth.corrupt-2025-01-02T03-04-05-678Z.db'));
    assert.deepEqual(readFileSync(opened.recovery.keptAs), damagedBytes, 'the damaged file is kept byte for byte');
    assert.ok(opened.recovery.reason.length > 0);
    assert.equal((opened.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'filler'").get() as { n: number }).n, 0, 'the new file is fresh');
    assert.ok((opened.db.pragma('user_version', { simple: true }) as number) > 0, 'and migrated');
  });
}

test('a healthy database is kept, with the quick check after a clean end and the full integrity check after a crash', (t) => {
  const file = join(tempDir(t), 'plinth.db');
  filledDatabase(file);
  const clean = openProfileDatabase(file);
  assert.equal(clean.check, 'quick_check');
  assert.equal(clean.recovery, undefined);
  assert.ok(existsSync(runningMarkerOf(file)), 'the running marker exists while open');
  clean.db.close(); // a crash: the marker stays
  const afterCrash = openProfileDatabase(file);
  assert.equal(afterCrash.check, 'integrity_check');
  assert.equal(afterCrash.recovery, undefined);
  assert.equal((afterCrash.db.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n, 5_000, 'nothing lost');
  afterCrash.close();
  assert.equal(existsSync(runningMarkerOf(file)), false, 'a clean close removes the marker');
});

test('the damaged file\'s WAL is never left beside the fresh database to be replayed into it', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'plinth.db');
  filledDatabase(file);
  writeFileSync(`${file}-wal`, 'leftover wal');
  writeFileSync(file, 'garbage');
  const opened = openProfileDatabase(file, { now: () => NOW });
  t.after(() => opened.close());
  assert.ok(opened.recovery);
  const wal = `${file}-wal`;
  assert.ok(!existsSync(wal) || !readFileSync(wal, 'utf8').includes('leftover'), 'no stale WAL beside the new file');
});

test('backups: online copies, the newest N kept, restore applied before the next open and the old file kept', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'plinth.db');
  const backupsDir = join(dir, 'backups');
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const opened = openProfileDatabase(file);
  opened.db.exec('CREATE TABLE notes (body TEXT)');
  opened.db.prepare("INSERT INTO notes VALUES ('first')").run();
  const backups = createDatabaseBackups({ db: () => opened.db, dir: backupsDir, keep: 3, intervalMs: 1_000, now: () => new Date(clock) });
  const first = await backups.backupNow();
  assert.equal(first.name, 'plinth-2025-01-01T00-00-00-000Z.db');
  assert.equal(first.createdAt, '2025-01-01T00:00:00.000Z');
  assert.equal(await backups.backupIfDue(), undefined, 'not due within the interval');
  opened.db.prepare("INSERT INTO notes VALUES ('second')").run();
  for (let i = 0; i < 4; i++) {
    clock += 2_000;
    assert.ok(await backups.backupIfDue(), 'due after the interval');
  }
  const names = backups.view().backups.map((b) => b.name);
  assert.equal(names.length, 3, 'only the newest 3 are kept');
  assert.ok(!names.includes(first.name));

  assert.throws(() => backups.requestRestore('../plinth.db'), { code: 'NOT_FOUND' });
  writeFileSync(join(backupsDir, 'plinth-2024-01-01T00-00-00-000Z.db'), 'not a database');
  assert.throws(() => backups.requestRestore('plinth-2024-01-01T00-00-00-000Z.db'), { code: 'CONFLICT', message: /damaged/ });
  const oldest = names.at(-1)!;
  assert.equal(backups.requestRestore(oldest).pendingRestore, oldest);
  opened.db.prepare("INSERT INTO notes VALUES ('after the backup')").run();
  await backups.stop();
  opened.close();

  const applied = applyPendingRestore(file, backupsDir, NOW);
  assert.equal(applied?.backup, oldest);
  assert.equal(applied?.keptAs, join(dir, 'plinth.before-restore-2025-01-02T03-04-05-678Z.db'));
  const restored = openProfileDatabase(file);
  t.after(() => restored.close());
  assert.deepEqual(restored.db.prepare('SELECT body FROM notes').all().map((r) => (r as { body: string }).body), ['first', 'second']);
  assert.equal(applyPendingRestore(file, backupsDir), undefined, 'a restore is applied once');
});
