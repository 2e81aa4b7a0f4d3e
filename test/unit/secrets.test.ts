import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../main/host/db/database.ts';
import { createLocalKeySecretStore } from '../../main/host/services/secrets/secret-store.ts';
import { createSecretsService, isSecretRef, secretFieldPaths } from '../../main/host/services/secrets/secrets-service.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';
import type { JsonObject } from '../../sdk/protocol/json.ts';
import { createTempDir } from '../support/plugin-folders.ts';

const tempDir = (t: TestContext) => createTempDir(t, 'plinth-secrets-');

const SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    token: { type: 'string', format: 'secret' },
    label: { type: 'string' },
    nested: { type: 'object', properties: { apiKey: { type: 'string', format: 'secret' } } },
  },
};

test('local-key store: round trip, a 0600 key file, and the same key after reopening', (t) => {
  const keyFile = join(tempDir(t), 'keys', 'secret.key');
  const store = createLocalKeySecretStore(keyFile);
  const cipher = store.encrypt('ghp_s3cret ✓');
  assert.equal(store.kind, 'local-key');
  assert.ok(!cipher.includes('ghp_s3cret'));
  assert.notEqual(store.encrypt('ghp_s3cret ✓'), cipher, 'a fresh nonce per encryption');
  assert.equal(store.decrypt(cipher), 'ghp_s3cret ✓');
  if (process.platform !== 'win32') assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(createLocalKeySecretStore(keyFile).decrypt(cipher), 'ghp_s3cret ✓');
});

test('local-key store: a tampered ciphertext or another key fails clearly', (t) => {
  const dir = tempDir(t);
  const store = createLocalKeySecretStore(join(dir, 'a.key'));
  const cipher = store.encrypt('value');
  const raw = Buffer.from(cipher.slice(4), 'base64url');
  raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
  const tampered = `lk1:${raw.toString('base64url')}`;
  const clearly = (error: Error) => hasCode(error, 'INVALID_INPUT') && /altered, or encrypted with another key/.test(error.message);
  assert.throws(() => store.decrypt(tampered), clearly);
  assert.throws(() => createLocalKeySecretStore(join(dir, 'b.key')).decrypt(cipher), clearly);
  assert.throws(() => store.decrypt('plain text'), /not a local-key ciphertext/);
  writeFileSync(join(dir, 'bad.key'), 'not a key');
  assert.throws(() => createLocalKeySecretStore(join(dir, 'bad.key')), (error: Error) => hasCode(error, 'INTERNAL') && /bad\.key/.test(error.message));
  assert.equal(readFileSync(join(dir, 'bad.key'), 'utf8'), 'not a key', 'a bad key file is never overwritten');
});

function setup(t: TestContext) {
  const dir = tempDir(t);
  const db = openDatabase(join(dir, 'plinth.db'));
  t.after(() => db.close());
  const configs = new Map<string, JsonObject>();
  const secrets = createSecretsService({
    db,
    store: createLocalKeySecretStore(join(dir, 'secret.key')),
    getConfig: (pluginId) => configs.get(pluginId) ?? null,
    getSchema: () => SCHEMA,
  });
  return { db, configs, secrets };
}

test('secret fields are found at any depth of the config schema', () => {
  assert.deepEqual(secretFieldPaths(SCHEMA), [['token'], ['nested', 'apiKey']]);
  assert.deepEqual(secretFieldPaths(null), []);
});

test('a sealed config keeps refs only; the plugin resolves its own refs to the plaintext', (t) => {
  const { db, configs, secrets } = setup(t);
  const sealed = secrets.sealConfig('@acme/a', { token: 'tok-1', label: 'hello', nested: { apiKey: 'key-2' } });
  assert.ok(isSecretRef(sealed.token));
  assert.ok(isSecretRef((sealed.nested as JsonObject).apiKey));
  assert.equal(sealed.label, 'hello');
  assert.ok(!JSON.stringify(sealed).includes('tok-1'));
  const rows = db.prepare('SELECT ciphertext FROM plugin_secrets').all() as Array<{ ciphertext: string }>;
  assert.ok(rows.every((row) => !row.ciphertext.includes('tok-1') && !row.ciphertext.includes('key-2')), 'stored encrypted');
  configs.set('@acme/a', sealed);
  assert.equal(secrets.resolve('@acme/a', sealed.token as string), 'tok-1');
  assert.equal(secrets.resolve('@acme/a', (sealed.nested as JsonObject).apiKey as string), 'key-2');
  assert.deepEqual(secrets.sealConfig('@acme/a', sealed), sealed, 'sealing again leaves refs alone');
});

test("a plugin cannot resolve another plugin's ref, an unknown ref, or one no longer in its config", (t) => {
  const { configs, secrets } = setup(t);
  const refA = secrets.storeSecret('@acme/a', 'a-secret');
  configs.set('@acme/a', { token: refA });
  // Plugin b puts a's ref in its own config: still not b's secret.
  configs.set('@acme/b', { token: refA });
  assert.throws(() => secrets.resolve('@acme/b', refA), (error: Error) => hasCode(error, 'NOT_FOUND'));
  assert.throws(() => secrets.resolve('@acme/a', 'secret:00000000-0000-4000-8000-000000000000'), (error: Error) => hasCode(error, 'NOT_FOUND'));
  assert.throws(() => secrets.resolve('@acme/a', 'ghp_plaintext'), (error: Error) => hasCode(error, 'INVALID_INPUT') && /secret:<uuid>/.test(error.message));

  const refA2 = secrets.storeSecret('@acme/a', 'replacement');
  configs.set('@acme/a', { token: refA2 });
  assert.throws(() => secrets.resolve('@acme/a', refA), (error: Error) => hasCode(error, 'NOT_FOUND'), 'a replaced secret is gone');
  assert.equal(secrets.resolve('@acme/a', refA2), 'replacement');
  assert.equal(secrets.prune('@acme/a'), 1);
  assert.equal(secrets.resolve('@acme/a', refA2), 'replacement');
  secrets.purge('@acme/a');
  assert.throws(() => secrets.resolve('@acme/a', refA2), (error: Error) => hasCode(error, 'NOT_FOUND'));
});

test('oversized secrets are refused', (t) => {
  const { secrets } = setup(t);
  assert.throws(() => secrets.storeSecret('@acme/a', 'x'.repeat(64 * 1024 + 1)), (error: Error) => hasCode(error, 'INVALID_INPUT'));
});
