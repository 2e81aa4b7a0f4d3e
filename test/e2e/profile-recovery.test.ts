// A damaged profile in the real shell: the main window says what was repaired and where the old
// files are; a backup chosen in Settings → Preferences is restored at the next start.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createTempDir } from '../support/plugin-folders.ts';
import { startHarness } from './harness/index.ts';

test('a garbage database and settings file: the app starts, tells the user where the old files are, and a backup restores', async (t) => {
  const profileDir = createTempDir(t, 'plinth-e2e-profile-');
  // A first run makes the profile, with a project the backup keeps.
  const first = await startHarness({ profileDir });
  try {
    first.host.ops.createProject({ name: 'Kept by the backup' });
    await first.host.backups.backupNow();
  } finally {
    await first.close();
  }
  writeFileSync(join(profileDir, 'plinth.db'), 'not a database at all '.repeat(200));
  writeFileSync(join(profileDir, 'settings.json'), '{ "theme": "da');

  const second = await startHarness({ profileDir });
  try {
    const notices = second.page.getByTestId('startup-notice');
    await notices.first().waitFor();
    const db = second.page.locator('[data-testid="startup-notice"][data-kind="database-recovered"]');
    const settings = second.page.locator('[data-testid="startup-notice"][data-kind="settings-recovered"]');
    const dbText = (await db.textContent()) ?? '';
    const kept = /kept at (\S+plinth\.corrupt-[^\s]+\.db)/.exec(dbText)?.[1];
    assert.ok(kept && existsSync(kept), `the notice names the kept file (${dbText})`);
    assert.equal(readFileSync(kept, 'utf8'), 'not a database at all '.repeat(200));
    assert.match((await settings.textContent()) ?? '', /settings\.corrupt-.*\.json/);
    await settings.getByTestId('startup-notice-dismiss').click();
    await settings.waitFor({ state: 'detached' });
    assert.equal(await db.count(), 1, 'dismissing one notice keeps the other');
    await second.page.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').getByTestId('hello-message').waitFor();

    const page = await second.openSettings();
    await page.getByTestId('tab-preferences').click();
    const section = page.locator('[data-testid="backups-section"][data-loaded="true"]');
    await section.waitFor();
    const row = section.getByTestId('backup-row').first(); // the newest: made after the project
    const name = await row.getAttribute('data-name');
    await row.getByTestId('backup-restore').click();
    await page.getByRole('button', { name: 'Restore at next start' }).click();
    const pending = section.getByTestId('backup-pending');
    await pending.waitFor();
    assert.ok((await pending.textContent())?.includes(name ?? '?'));
    assert.deepEqual(second.pageErrors, []);
  } finally {
    await second.close();
  }

  const third = await startHarness({ profileDir });
  try {
    await third.page.locator('[data-testid="startup-notice"][data-kind="database-restored"]').waitFor();
    assert.deepEqual(third.host.ops.workspaceOverview().projects.map((p) => p.name), ['Kept by the backup']);
  } finally {
    await third.close();
  }
});
