/**
 * The registry client against a real npm registry (Verdaccio on 127.0.0.1): search by the
 * plugin keyword, full packuments, downloads checked against `dist.integrity`, an
 * auth-protected scope behind a per-scope registry, an offline registry, and the proxy.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { createRegistryClient } from '../../main/host/catalog/registry-client.ts';
import type { RegistryAccess, RegistrySettings } from '../../main/host/catalog/registry-settings.ts';
import { createTempDir } from '../support/plugin-folders.ts';
import { deadPort, publishPlugin, startTestRegistry, type TestRegistry } from '../support/verdaccio/index.ts';

// Cleanups registered while `before` runs go to this file's own `after`, not the hook's.
const cleanups: Array<() => unknown> = [];
const hooks = { after: (fn: () => unknown) => { cleanups.unshift(fn); } };
after(async () => { for (const fn of cleanups) await fn(); });
let registry: TestRegistry;
let work: string;

before(async () => {
  registry = await startTestRegistry(hooks);
  work = createTempDir(hooks, 'plinth-registry-client-');
  await Promise.all([
    publishPlugin(registry, work, { name: 'kanban-board', version: '1.0.0', description: 'Boards for tasks', capabilities: ['tasks.read'] }),
    publishPlugin(registry, work, { name: 'left-pad-thing', version: '1.0.0', keywords: ['string'] }),
    publishPlugin(registry, work, { name: '@secure/vault', version: '2.0.0' }),
  ]);
});

const access = (tokens: Record<string, string> = {}): RegistryAccess => ({ token: (url) => tokens[url] });
const client = (settings: Partial<RegistrySettings> = {}, a: RegistryAccess = access()) =>
  createRegistryClient(() => ({ url: registry.url, scopes: {}, ...settings }), a);

test('search returns only packages carrying the plinth-plugin keyword, with what the list shows', async () => {
  const hits = await client().search('');
  assert.deepEqual(hits.map((h) => h.name), ['kanban-board']);
  assert.equal(hits[0]!.description, 'Boards for tasks');
  assert.equal(hits[0]!.version, '1.0.0');
  assert.equal(hits[0]!.author, 'Test Author');
  assert.equal(hits[0]!.weeklyDownloads, null, 'Verdaccio reports no downloads');
  assert.deepEqual((await client().search('kanban')).map((h) => h.name), ['kanban-board']);
  assert.deepEqual(await client().search('no-such-words'), []);
});

test('the packument carries each version\'s plinth manifest and the README', async () => {
  const doc = await client().packument('kanban-board');
  assert.deepEqual(doc.versions['1.0.0']?.plinth?.capabilities, ['tasks.read']);
  assert.equal(doc.versions['1.0.0']?.engines?.plinth, '^1.0.0');
  assert.match(doc.readme ?? '', /# kanban-board/);
  assert.match(doc.versions['1.0.0']!.dist.integrity!, /^sha512-/);
  await assert.rejects(client().packument('does-not-exist'), { code: 'NOT_FOUND', message: /has no package "does-not-exist"/ });
});

test('a download is checked against dist.integrity; a tampered tarball is deleted, never kept', async () => {
  const doc = await client().packument('kanban-board');
  const version = doc.versions['1.0.0']!;
  const file = path.join(work, 'ok.tgz');
  const seen: number[] = [];
  const result = await client().download(version, file, (p) => seen.push(p.received));
  assert.equal(result.integrity, version.dist.integrity);
  assert.equal((await readFile(file)).length, result.bytes);
  assert.ok(seen.length > 0 && seen.at(-1) === result.bytes, 'progress reaches the full size');

  const stored = await registry.tarballPath('kanban-board', '1.0.0');
  const bytes = await readFile(stored);
  const tampered = Buffer.from(bytes);
  tampered[tampered.length - 10] = (tampered[tampered.length - 10]! + 1) % 256;
  await writeFile(stored, tampered);
  try {
    const bad = path.join(work, 'bad.tgz');
    await assert.rejects(client().download(version, bad), (error: Error & { code?: string; data?: { reason?: string } }) => {
      assert.equal(error.code, 'INVALID_INPUT');
      assert.equal(error.data?.reason, 'integrity');
      assert.match(error.message, /does not match the registry's integrity hash/);
      return true;
    });
    assert.equal(existsSync(bad), false, 'nothing is left to unpack');
  } finally {
    await writeFile(stored, bytes);
  }
  await assert.rejects(client().download({ ...version, dist: { tarball: version.dist.tarball } }, path.join(work, 'none.tgz')), { code: 'INVALID_INPUT', message: /no sha512 integrity/ });
});

test('an auth-protected scope needs the token of its per-scope registry', async () => {
  await assert.rejects(client().packument('@secure/vault'), (error: Error & { code?: string; data?: { reason?: string } }) => {
    assert.equal(error.code, 'NOT_READY');
    assert.equal(error.data?.reason, 'auth');
    assert.match(error.message, /add an auth token for this registry/);
    return true;
  });
  // The default registry is offline; only the scope's registry answers, with the token.
  const offline = `http://127.0.0.1:${await deadPort()}/`;
  const scoped = client({ url: offline, scopes: { '@secure': registry.url } }, access({ [registry.url]: registry.token }));
  assert.equal(scoped.registryFor('@secure/vault'), registry.url);
  const doc = await scoped.packument('@secure/vault');
  assert.deepEqual(Object.keys(doc.versions), ['2.0.0']);
  const file = path.join(work, 'secure.tgz');
  await scoped.download(doc.versions['2.0.0']!, file);
  assert.ok(existsSync(file));
  await assert.rejects(scoped.packument('kanban-board'), { code: 'NETWORK_ERROR' });
});

test('an offline registry is reported as such within seconds', async () => {
  const offline = client({ url: `http://127.0.0.1:${await deadPort()}/` });
  const started = Date.now();
  await assert.rejects(offline.search('kanban'), (error: Error & { code?: string; data?: { reason?: string } }) => {
    assert.equal(error.code, 'NETWORK_ERROR');
    assert.equal(error.data?.reason, 'offline');
    assert.match(error.message, /Cannot reach http:\/\/127\.0\.0\.1:\d+\/ .*nothing was changed/);
    return true;
  });
  assert.ok(Date.now() - started < 15_000, 'one quick retry, not minutes of them');
});

test('requests go through the proxy the app resolves', async (t) => {
  const seen: string[] = [];
  // A forward HTTP proxy: requests arrive with the absolute URL and are passed on.
  const proxy: Server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const upstream = request(req.url ?? '', { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  const asked: string[] = [];
  const viaProxy = client({}, { token: () => undefined, proxyFor: async (url) => { asked.push(url); return proxyUrl; } });
  assert.deepEqual((await viaProxy.search('kanban')).map((h) => h.name), ['kanban-board']);
  assert.ok(asked.includes(registry.url));
  assert.ok(seen.some((u) => u.startsWith(`${registry.url}-/v1/search`)), `the proxy saw the search: ${seen.join(', ')}`);
});
