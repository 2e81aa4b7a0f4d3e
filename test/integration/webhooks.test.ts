import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../main/host/db/database.ts';
import { createLocalKeySecretStore, type SecretStore } from '../../main/host/services/secrets/secret-store.ts';
import { createWebhookServer, type WebhookServerOptions } from '../../main/host/services/webhooks/webhook-server.ts';
import type { WebhookInput, WebhookResult } from '../../sdk/protocol/rpc.ts';

const PLUGIN = '@acme/kanban-overview';
const INBOX = [{ endpointKey: 'inbox', displayName: 'Inbox' }];

function profile(t: TestContext): { db: Db; secretStore: SecretStore } {
  const dir = mkdtempSync(join(tmpdir(), 'plinth-webhooks-'));
  const db = openDatabase(join(dir, 'plinth.db'));
  t.after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });
  return { db, secretStore: createLocalKeySecretStore(join(dir, 'secret.key')) };
}

/** A started webhook server with one plugin endpoint; returns its URL. */
async function serve(t: TestContext, overrides: Partial<WebhookServerOptions> = {}) {
  const received: Array<{ pluginId: string; input: WebhookInput }> = [];
  const server = createWebhookServer({
    ...profile(t),
    isReady: () => true,
    handle: async (pluginId, input): Promise<WebhookResult> => {
      received.push({ pluginId, input });
      return { status: 202, body: 'queued', headers: { 'x-plugin': 'yes' } };
    },
    ...overrides,
  });
  t.after(() => server.stop());
  server.setEndpoints(PLUGIN, INBOX);
  await server.start();
  const url = server.urlFor(PLUGIN, 'inbox');
  assert.ok(url);
  return { server, url, received };
}

test('a webhook reaches the plugin with its input, and the plugin answers the sender', async (t) => {
  const { server, url, received } = await serve(t);
  assert.equal(server.running, true);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/hooks\/%40acme%2Fkanban-overview\/inbox\/[A-Za-z0-9_-]{43}$/);
  const response = await fetch(`${url}?event=push&event=second&x=1`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'X-Hub-Signature': 'sha256=abc' }, body: '{"n":1}',
  });
  assert.equal(response.status, 202);
  assert.equal(await response.text(), 'queued');
  assert.equal(response.headers.get('x-plugin'), 'yes');
  assert.equal(received.length, 1);
  const { pluginId, input } = received[0]!;
  assert.equal(pluginId, PLUGIN);
  assert.equal(input.endpointKey, 'inbox');
  assert.equal(input.method, 'POST');
  assert.equal(input.body, '{"n":1}');
  assert.deepEqual(input.query, { event: 'push', x: '1' });
  assert.equal(input.headers['x-hub-signature'], 'sha256=abc');
  assert.match(input.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(!JSON.stringify(input).includes(url.split('/').at(-1)!), 'the URL secret is not handed to the plugin');
});

test('404 for unknown endpoints and 401 for a wrong secret', async (t) => {
  const { url, received } = await serve(t);
  const origin = new URL(url).origin;
  const secret = url.split('/').at(-1)!;
  assert.equal((await fetch(`${origin}/hooks/${encodeURIComponent(PLUGIN)}/other/${secret}`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${origin}/hooks/%40acme%2Fnope/inbox/${secret}`, { method: 'POST' })).status, 404);
  assert.equal((await fetch(`${origin}/`)).status, 404);
  assert.equal((await fetch(`${origin}/hooks/${encodeURIComponent(PLUGIN)}/inbox/${secret}/extra`)).status, 404);
  const wrong = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
  assert.equal((await fetch(url.replace(secret, wrong), { method: 'POST' })).status, 401);
  assert.equal((await fetch(url.replace(secret, ''), { method: 'POST' })).status, 401);
  assert.equal(received.length, 0);
});

test('413 for a body over the cap, declared or streamed, without reading it all', async (t) => {
  const { url, received } = await serve(t, { maxBodyBytes: 1024 });
  assert.equal((await fetch(url, { method: 'POST', body: 'x'.repeat(1024) })).status, 202);
  const declared = await fetch(url, { method: 'POST', body: 'x'.repeat(64 * 1024) });
  assert.equal(declared.status, 413);
  // Chunked upload with no Content-Length: the server stops after the cap and answers.
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(url, { method: 'POST' }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.write('y'.repeat(800));
    req.write('y'.repeat(800)); // over 1024 now; the rest is never sent
  });
  assert.equal(status, 413);
  assert.equal(received.length, 1);
});

test('429 past the per-endpoint rate, with Retry-After', async (t) => {
  let clock = 1_000_000;
  const { server, url } = await serve(t, { rate: { perMinute: 60, burst: 2 }, now: () => clock });
  server.setEndpoints(PLUGIN, [...INBOX, { endpointKey: 'other', displayName: 'Other' }]);
  assert.equal((await fetch(url, { method: 'POST' })).status, 202);
  assert.equal((await fetch(url, { method: 'POST' })).status, 202);
  const limited = await fetch(url, { method: 'POST' });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('retry-after'), '1');
  assert.equal((await fetch(server.urlFor(PLUGIN, 'other')!, { method: 'POST' })).status, 202, 'each endpoint has its own bucket');
  clock += 1_000;
  assert.equal((await fetch(url, { method: 'POST' })).status, 202, 'a token refills after a second');
});

test('503 while the plugin is not ready', async (t) => {
  let ready = false;
  const { url, received } = await serve(t, { isReady: () => ready });
  const response = await fetch(url, { method: 'POST', body: 'x' });
  assert.equal(response.status, 503);
  assert.equal(received.length, 0);
  ready = true;
  assert.equal((await fetch(url, { method: 'POST', body: 'x' })).status, 202);
});

test('502 with a short message when the handler throws, times out or returns nonsense', async (t) => {
  let mode: 'throw' | 'hang' | 'bad' | 'ok' = 'throw';
  const { url } = await serve(t, {
    handlerTimeoutMs: 50,
    handle: async () => {
      if (mode === 'throw') throw new Error('secret internal detail');
      if (mode === 'hang') return new Promise<WebhookResult>(() => {});
      if (mode === 'bad') return { status: 99 } as WebhookResult;
      return { status: 204 };
    },
  });
  const thrown = await fetch(url, { method: 'POST' });
  assert.equal(thrown.status, 502);
  const text = await thrown.text();
  assert.match(text, /failed to handle/);
  assert.ok(!text.includes('secret internal detail'), 'plugin internals are not leaked to the sender');
  mode = 'hang';
  const hung = await fetch(url, { method: 'POST' });
  assert.equal(hung.status, 502);
  assert.match(await hung.text(), /did not answer in time/);
  mode = 'bad';
  assert.equal((await fetch(url, { method: 'POST' })).status, 502);
  mode = 'ok';
  assert.equal((await fetch(url, { method: 'POST' })).status, 204);
});

test('the server runs only while some plugin has endpoints; URLs survive a restart', async (t) => {
  const stores = profile(t);
  const options = { ...stores, isReady: () => true, handle: async () => ({ status: 200 }) };
  const first = createWebhookServer(options);
  t.after(() => first.stop());
  await first.start();
  assert.equal(first.running, false, 'no endpoints, no listening socket');
  assert.equal(first.urlFor(PLUGIN, 'inbox'), null);
  first.setEndpoints(PLUGIN, INBOX);
  await first.start();
  assert.equal(first.running, true);
  const url = first.urlFor(PLUGIN, 'inbox')!;
  first.removePlugin(PLUGIN);
  await first.start();
  assert.equal(first.running, false);
  await assert.rejects(fetch(url), 'the socket is closed');

  // A new host process on the same profile and port preference gets the same URL.
  const second = createWebhookServer({ ...options, port: Number(new URL(url).port) });
  t.after(() => second.stop());
  second.setEndpoints(PLUGIN, INBOX);
  await second.start();
  assert.equal(second.urlFor(PLUGIN, 'inbox'), url);
  assert.equal((await fetch(url, { method: 'POST' })).status, 200);
  assert.throws(() => second.setEndpoints(PLUGIN, [{ endpointKey: 'bad key', displayName: 'x' }]), /endpointKey "bad key"/);
  assert.equal(second.urlFor(PLUGIN, 'inbox'), url, 'a refused update changes nothing');
  second.setEndpoints(PLUGIN, [...INBOX, { endpointKey: '_raw', displayName: 'Raw' }]);
  assert.ok(second.urlFor(PLUGIN, '_raw'), 'any key the manifest validator accepts is served');
});
