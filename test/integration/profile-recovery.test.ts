/**
 * A damaged profile never stops the app: the real host starts on a profile whose database and
 * settings file are garbage, truncated or half-written, keeps the damaged files, tells the user
 * what happened and where they are, and runs plugins on fresh ones. A backup made while running
 * is restored at the next start.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { PluginSpec } from '../support/plugin-folders.ts';
import { createTestProfile } from '../support/test-host.ts';

const ECHO: PluginSpec = {
  name: 'echo',
  worker: `import { definePlugin } from '@plinth/sdk';
    export default definePlugin({ async setup(ctx) { ctx.data.register('echo', async (p) => p); } });`,
};

test('garbage plinth.db and settings.json: the host starts, keeps both files, says where they are, and plugins work', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start({ plugins: [ECHO] });
  await first.ops.createProject({ name: 'Lost with the damaged file' });
  await first.stop();
  const dbFile = join(profile.userDataDir, 'plinth.db');
  writeFileSync(dbFile, 'definitely not sqlite '.repeat(500));
  writeFileSync(join(profile.userDataDir, 'settings.json'), '{"developerMode": tr');

  const host = await profile.start({ plugins: [ECHO] });
  const notices = host.startupNotices();
  const db = notices.find((n) => n.kind === 'database-recovered');
  const settings = notices.find((n) => n.kind === 'settings-recovered');
  assert.ok(db?.keptAs && existsSync(db.keptAs), 'the damaged database is kept');
  assert.match(db.keptAs, /plinth\.corrupt-\d{4}-\d{2}-\d{2}T[\d-]+Z\.db$/);
  assert.equal(readFileSync(db.keptAs, 'utf8'), 'definitely not sqlite '.repeat(500));
  assert.ok(db.message.includes(db.keptAs) && /Preferences/.test(db.message), 'the notice says where the old file is and what to do');
  assert.ok(settings?.keptAs && readFileSync(settings.keptAs, 'utf8') === '{"developerMode": tr');
  assert.ok(settings.message.includes(settings.keptAs));
  assert.deepEqual((await host.ops.workspaceOverview()).projects, [], 'a fresh database');
  assert.deepEqual(await host.ui.data('echo', 'echo', { still: 'works' }), { still: 'works' });
  assert.ok(host.logs.lines('host').some((line) => line.message === db.message), 'the notice is in the host log too');
});

test('a truncated database after a crash is caught by the integrity check at the next start', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start();
  for (let i = 0; i < 300; i++) await first.ops.createProject({ name: `Project ${i}`, description: 'x'.repeat(2_000) });
  await first.stop();
  const dbFile = join(profile.userDataDir, 'plinth.db');
  truncateSync(dbFile, Math.floor(statSync(dbFile).size / 2));
  writeFileSync(`${dbFile}.running`, '{}'); // as a crash leaves it
  const host = await profile.start();
  assert.ok(host.startupNotices().some((n) => n.kind === 'database-recovered'));
  await host.ops.createProject({ name: 'New start' });
  assert.equal((await host.ops.workspaceOverview()).projects.length, 1);
});

test('a backup chosen in Preferences is restored at the next start, and the database it replaced is kept', async (t) => {
  const profile = createTestProfile(t);
  const first = await profile.start();
  await first.ops.createProject({ name: 'Kept in the backup' });
  const backup = await first.backups.backupNow();
  await first.ops.createProject({ name: 'Made after the backup' });
  assert.equal(first.backups.requestRestore(backup.name).pendingRestore, backup.name);
  await assert.rejects(async () => first.backups.requestRestore('plinth-1999-01-01T00-00-00-000Z.db'), { code: 'NOT_FOUND' });
  await first.stop();

  const host = await profile.start();
  const notice = host.startupNotices().find((n) => n.kind === 'database-restored');
  assert.ok(notice?.keptAs && existsSync(notice.keptAs), 'the replaced database is kept');
  assert.match(notice.message, new RegExp(backup.name.replace(/\./g, '\\.')));
  assert.deepEqual((await host.ops.workspaceOverview()).projects.map((p) => p.name), ['Kept in the backup']);
  assert.equal(host.backups.view().pendingRestore, undefined);
});
