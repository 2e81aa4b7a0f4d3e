// The Preferences form: what it sends to the host and where a refusal is shown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PreferencesView } from '../../preload/api.ts';
import { errorTarget, fieldOfError, fieldText, msToMinutesText, parseField } from '../../renderer/src/views/preference-fields.ts';

const PREFS: PreferencesView = {
  developerMode: false, idleTimeoutMs: 300_000, uninstallGraceDays: 30, webhookPort: 0,
  mcpEnabled: false, mcpPort: 0, workerHeapMb: 256, theme: 'system',
  registryUrl: 'https://registry.npmjs.org/', registryScopes: {}, updateCheckHours: 24, updateInstall: 'immediately', readmeRemoteImages: false,
};

test('the idle timeout is edited in minutes and sent in ms', () => {
  assert.equal(fieldText('idleTimeoutMs', PREFS), '5');
  assert.equal(msToMinutesText(10_000), '0.17');
  assert.equal(msToMinutesText(90_000), '1.5');
  assert.deepEqual(parseField('idleTimeoutMs', '1.5'), { ok: true, value: 90_000 });
  assert.deepEqual(parseField('idleTimeoutMs', ' 10 '), { ok: true, value: 600_000 });
});

test('other numeric fields must be whole numbers; empty or junk text is refused before calling the host', () => {
  assert.deepEqual(parseField('workerHeapMb', '512'), { ok: true, value: 512 });
  assert.equal(fieldText('workerHeapMb', PREFS), '256');
  assert.deepEqual(parseField('webhookPort', '80.5'), { ok: false, message: 'Enter a whole number.' });
  assert.deepEqual(parseField('uninstallGraceDays', '   '), { ok: false, message: 'Enter a number.' });
  assert.deepEqual(parseField('mcpPort', 'abc'), { ok: false, message: '"abc" is not a number.' });
});

test('range checks stay with the host: out-of-range numbers are sent as typed', () => {
  assert.deepEqual(parseField('webhookPort', '80'), { ok: true, value: 80 });
  assert.deepEqual(parseField('workerHeapMb', '-1'), { ok: true, value: -1 });
});

test('the field a host refusal names is found in both message styles', () => {
  assert.equal(fieldOfError('Invalid preference "idleTimeoutMs": expected a whole number of ms from 10000 to 86400000, got 600'), 'idleTimeoutMs');
  assert.equal(fieldOfError('Invalid input for preferences.set: patch.webhookPort: Too small'), 'webhookPort');
  assert.equal(fieldOfError('Cannot save preferences to /x/settings.json: EACCES'), undefined);
  // A field name inside a longer word is not a match.
  assert.equal(fieldOfError('unknown key "themeColor"'), undefined);
});

test('a refusal shows next to the field it names, else next to the field just edited', () => {
  const fields = ['developerMode', 'webhookPort', 'theme'] as const;
  assert.equal(errorTarget('theme', 'Invalid preference "webhookPort": expected a port', fields), 'webhookPort');
  assert.equal(errorTarget('theme', 'disk full', fields), 'theme');
  assert.equal(errorTarget('theme', 'Invalid preference "mcpEnabled": expected true or false', fields), 'theme');
});
