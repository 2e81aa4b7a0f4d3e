import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createConfPreferences, DEFAULT_PREFERENCES, preferencesSchema, validatePreferencesPatch, type Preferences,
} from '../../main/host/preferences.ts';
import { createTempDir, type AfterHook } from '../support/plugin-folders.ts';

const profile = (t: AfterHook) => createTempDir(t, 'plinth-prefs-');
const fixedNow = () => new Date('2025-01-02T03:04:05.678Z');
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const corruptCopies = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('settings.corrupt-')).sort();

test('a new profile starts with the default preferences (idle stop after 5 min, 256 MB worker heap, system theme, the public npm registry, daily update checks)', (t) => {
  const prefs = createConfPreferences(profile(t));
  assert.deepEqual(prefs.get(), {
    developerMode: false, idleTimeoutMs: 300_000, uninstallGraceDays: 30, webhookPort: 0,
    mcpEnabled: false, mcpPort: 0, workerHeapMb: 256, theme: 'system',
    registryUrl: 'https://registry.npmjs.org/', registryScopes: {}, updateCheckHours: 24, updateInstall: 'immediately',
    readmeRemoteImages: false,
  });
  assert.equal(prefs.lastLoadWarning, undefined);
  assert.deepEqual(preferencesSchema.parse(DEFAULT_PREFERENCES), DEFAULT_PREFERENCES, 'the defaults pass the schema');
});

test('saved preferences survive reopening; listeners hear only real changes', (t) => {
  const dir = join(profile(t), 'not', 'yet', 'created');
  const prefs = createConfPreferences(dir);
  const heard: Array<[Preferences, string[]]> = [];
  const off = prefs.onChange((p, changed) => heard.push([p, changed]));

  const after = prefs.set({ developerMode: true, theme: 'dark', idleTimeoutMs: 300_000 });
  assert.equal(after.developerMode, true);
  assert.equal(after.theme, 'dark');
  assert.deepEqual(heard.map(([, changed]) => changed), [['developerMode', 'theme']], 'an unchanged value is not a change');
  assert.equal(heard[0]?.[0].theme, 'dark');

  prefs.set({ theme: 'dark' });
  assert.equal(heard.length, 1, 'setting the same value again is silent');
  off();
  prefs.set({ workerHeapMb: 512, webhookPort: 8787 });
  assert.equal(heard.length, 1, 'unsubscribed');

  const copy = prefs.get();
  copy.workerHeapMb = 1;
  assert.equal(prefs.get().workerHeapMb, 512, 'get() returns a copy');

  const reopened = createConfPreferences(dir);
  assert.deepEqual(reopened.get(), { ...DEFAULT_PREFERENCES, developerMode: true, theme: 'dark', workerHeapMb: 512, webhookPort: 8787 });
  assert.deepEqual(readJson(reopened.path), { developerMode: true, theme: 'dark', workerHeapMb: 512, webhookPort: 8787 }, 'only what the user set is stored, so new defaults reach everyone else');
});

test('an invalid patch is refused with INVALID_INPUT naming the field, and nothing is saved', (t) => {
  const dir = profile(t);
  const prefs = createConfPreferences(dir);
  const refusals: Array<[unknown, RegExp]> = [
    [{ idleTimeoutMs: 5 }, /"idleTimeoutMs".*from 10000 to 86400000, got 5/],
    [{ idleTimeoutMs: 12_000.5 }, /"idleTimeoutMs"/],
    [{ uninstallGraceDays: 0 }, /"uninstallGraceDays".*from 1 to 365/],
    [{ webhookPort: 80 }, /"webhookPort".*0 \(pick a free port\) or a port from 1024 to 65535, got 80/],
    [{ mcpPort: 70_000 }, /"mcpPort"/],
    [{ workerHeapMb: '256' }, /"workerHeapMb".*got "256"/],
    [{ theme: 'neon' }, /"theme".*"system", "light" or "dark", got "neon"/],
    [{ developerMode: 'yes' }, /"developerMode".*true or false/],
    [{ theme: 'dark', colour: 'red' }, /Unknown preference "colour"; known: developerMode, /],
    [null, /must be an object/],
    [[1], /must be an object/],
  ];
  for (const [patch, message] of refusals) {
    assert.throws(() => prefs.set(patch as Partial<Preferences>), { code: 'INVALID_INPUT', message }, JSON.stringify(patch));
  }
  assert.deepEqual(prefs.get(), DEFAULT_PREFERENCES);
  assert.deepEqual(createConfPreferences(dir).get(), DEFAULT_PREFERENCES, 'nothing reached the file');
  assert.deepEqual(validatePreferencesPatch({ theme: undefined, mcpEnabled: true }), { mcpEnabled: true }, 'undefined means "not given"');
});

test('a settings file that is not JSON: copy kept, defaults used, warning given, app keeps working', (t) => {
  const dir = profile(t);
  const file = join(dir, 'settings.json');
  writeFileSync(file, '{ "developerMode": true, oops');
  const prefs = createConfPreferences(dir, { now: fixedNow });
  assert.deepEqual(prefs.get(), DEFAULT_PREFERENCES);
  assert.deepEqual(corruptCopies(dir), ['settings.corrupt-2025-01-02T03-04-05-678Z.json']);
  assert.equal(readFileSync(join(dir, 'settings.corrupt-2025-01-02T03-04-05-678Z.json'), 'utf8'), '{ "developerMode": true, oops', 'the bad file is kept byte for byte');
  assert.match(prefs.lastLoadWarning ?? '', /was not valid JSON.*defaults.*kept as .*settings\.corrupt-2025-01-02T03-04-05-678Z\.json/);
  assert.deepEqual(readJson(file), {}, 'the file itself is readable again');

  prefs.set({ mcpEnabled: true });
  const reopened = createConfPreferences(dir);
  assert.equal(reopened.get().mcpEnabled, true);
  assert.equal(reopened.lastLoadWarning, undefined, 'repaired once, fine afterwards');
  assert.equal(corruptCopies(dir).length, 1);
});

test('values failing the schema fall back to defaults while valid and unknown keys are kept', (t) => {
  const dir = profile(t);
  const file = join(dir, 'settings.json');
  writeFileSync(file, JSON.stringify({ developerMode: true, idleTimeoutMs: -5, theme: 'neon', workerHeapMb: 512, fromNewerPlinth: { x: 1 } }));
  const prefs = createConfPreferences(dir, { now: fixedNow });
  assert.deepEqual(prefs.get(), { ...DEFAULT_PREFERENCES, developerMode: true, workerHeapMb: 512 });
  const warning = prefs.lastLoadWarning ?? '';
  assert.match(warning, /invalid values for "idleTimeoutMs" \(expected a whole number of ms .*got -5\), "theme" \(.*got "neon"\); those use their defaults/);
  assert.match(warning, /kept as .*settings\.corrupt-/);
  assert.deepEqual(readJson(file), { developerMode: true, workerHeapMb: 512, fromNewerPlinth: { x: 1 } });
  assert.deepEqual(readJson(join(dir, corruptCopies(dir)[0]!)), { developerMode: true, idleTimeoutMs: -5, theme: 'neon', workerHeapMb: 512, fromNewerPlinth: { x: 1 } });

  prefs.set({ theme: 'light' });
  assert.deepEqual(readJson(file), { developerMode: true, workerHeapMb: 512, fromNewerPlinth: { x: 1 }, theme: 'light' }, 'unknown keys survive a save');
});

test('an empty file, an array or null are damage too; two damages in one instant keep two copies', (t) => {
  const dir = profile(t);
  const file = join(dir, 'settings.json');
  for (const content of ['', '[1,2]', 'null']) {
    writeFileSync(file, content);
    const prefs = createConfPreferences(dir, { now: fixedNow });
    assert.deepEqual(prefs.get(), DEFAULT_PREFERENCES, JSON.stringify(content));
    assert.match(prefs.lastLoadWarning ?? '', content === '' ? /not valid JSON/ : /did not hold an object/);
  }
  assert.deepEqual(corruptCopies(dir), [
    'settings.corrupt-2025-01-02T03-04-05-678Z-1.json',
    'settings.corrupt-2025-01-02T03-04-05-678Z-2.json',
    'settings.corrupt-2025-01-02T03-04-05-678Z.json',
  ]);
  assert.equal(readFileSync(join(dir, 'settings.corrupt-2025-01-02T03-04-05-678Z-2.json'), 'utf8'), 'null');
});

test('registry preferences: URLs must be http(s), scopes npm scopes, the update interval 0 (off) to 30 days', () => {
  assert.deepEqual(validatePreferencesPatch({ registryScopes: { '@acme': 'https://npm.acme.test/' }, updateCheckHours: 0 }),
    { registryScopes: { '@acme': 'https://npm.acme.test/' }, updateCheckHours: 0 });
  assert.throws(() => validatePreferencesPatch({ registryUrl: 'file:///etc/passwd' }), { code: 'INVALID_INPUT', message: /"registryUrl": expected an http:\/\/ or https:\/\/ URL/ });
  assert.throws(() => validatePreferencesPatch({ registryScopes: { acme: 'https://x/' } }), { code: 'INVALID_INPUT', message: /registryScopes/ });
  assert.throws(() => validatePreferencesPatch({ updateCheckHours: 721 }), { code: 'INVALID_INPUT', message: /0 \(off\) to 720/ });
  assert.throws(() => validatePreferencesPatch({ updateInstall: 'later' }), { code: 'INVALID_INPUT', message: /"immediately" or "next-start"/ });
});
