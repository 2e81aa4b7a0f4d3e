import assert from 'node:assert/strict';
import { test } from 'node:test';
import { guardHostApi } from '../../main/host/rpc/capability-guard.ts';
import { matchOutboundHost } from '../../main/host/services/http/http-service.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import { hasCode, type PlinthError } from '../../sdk/protocol/errors.ts';
import { HOST_API_CAPABILITIES, type HostApi, type HostMethod } from '../../sdk/protocol/rpc.ts';
import type { RpcHandlers } from '../../sdk/rpc/types.ts';

/** An implementation that records what reaches it and answers `ok`. */
function recordingImpl() {
  const seen: Array<{ method: HostMethod; args: unknown[] }> = [];
  const impl = Object.fromEntries((Object.keys(HOST_API_CAPABILITIES) as HostMethod[]).map((method) => [
    method, (...args: unknown[]) => (seen.push({ method, args }), 'ok'),
  ])) as unknown as RpcHandlers<HostApi>;
  return { impl, seen };
}

/** Calls a guarded method with arguments of any shape, as a hostile worker could. */
const callRaw = (api: HostApi, method: HostMethod, ...args: unknown[]) =>
  (api[method] as (...a: unknown[]) => Promise<unknown>)(...args);

test('a call without its capability is denied naming the capability; the implementation never sees it', async () => {
  const { impl, seen } = recordingImpl();
  const api = guardHostApi('acme-sync', ['plugin.state.read'], impl);
  await assert.rejects(callRaw(api, 'state.set', { scopeKind: 'instance', stateKey: 'k' }, 1), (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && e.message.includes('"plugin.state.write"') && e.message.includes('acme-sync')
    && (e.data as { capability: string }).capability === 'plugin.state.write');
  await assert.rejects(callRaw(api, 'tasks.list'), (e: PlinthError) => e.code === 'CAPABILITY_DENIED' && e.message.includes('"tasks.read"'));
  assert.equal(seen.length, 0);
  assert.equal(await callRaw(api, 'state.get', { scopeKind: 'instance', stateKey: 'k' }), 'ok');
  assert.equal(await callRaw(api, 'log', 'info', 'hello'), 'ok', 'log needs no capability');
  assert.deepEqual(seen.map((s) => s.method), ['state.get', 'log']);
});

test('malformed arguments reject with INVALID_INPUT naming the method and the field, before the implementation', async () => {
  const { impl, seen } = recordingImpl();
  const api = guardHostApi('acme-sync', ['plugin.state.read', 'plugin.state.write', 'tasks.write'], impl);
  const cases: Array<[HostMethod, unknown[], RegExp]> = [
    ['state.set', [{ scopeKind: 'galaxy', stateKey: 'k' }, 1], /state\.set: key\.scopeKind/],
    ['state.get', [{ scopeKind: 'project', stateKey: 'k' }], /state\.get: key\.scopeId: is required when scopeKind is "project"/],
    ['state.set', [{ scopeKind: 'instance', stateKey: 'k' }], /state\.set: expected arguments \(key, value\)/],
    ['tasks.create', [{ projectId: 'p', title: 'T', colour: 'red' }], /tasks\.create: input\.colour: unknown field/],
    ['tasks.update', ['t1', { status: 'finished' }], /tasks\.update: patch\.status/],
    ['state.get', ['not an object'], /state\.get: key/],
  ];
  for (const [method, args, message] of cases) {
    await assert.rejects(callRaw(api, method, ...args), (e: PlinthError) => e.code === 'INVALID_INPUT' && message.test(e.message), `${method} ${JSON.stringify(args)}`);
  }
  assert.equal(seen.length, 0);
});

test('valid arguments reach the implementation as parsed', async () => {
  const { impl, seen } = recordingImpl();
  const api = guardHostApi('acme-sync', ['tasks.read', 'events.subscribe'], impl);
  await callRaw(api, 'tasks.list', { projectId: 'p1', status: ['todo', 'done'] });
  await callRaw(api, 'tasks.list');
  await callRaw(api, 'events.subscribe', 'sub-1', 'task.*', { projectId: 'p1' });
  assert.deepEqual(seen[0], { method: 'tasks.list', args: [{ projectId: 'p1', status: ['todo', 'done'] }] });
  assert.equal(seen.length, 3);
});

test('http.fetch needs an http.outbound capability matching the URL host, and names the one missing', async () => {
  const { impl, seen } = recordingImpl();
  const api = guardHostApi('acme-sync', ['http.outbound:api.github.com', 'http.outbound:*.example.com'], impl);
  assert.equal(await callRaw(api, 'http.fetch', { url: 'https://api.github.com/repos' }), 'ok');
  assert.equal(await callRaw(api, 'http.fetch', { url: 'https://a.b.example.com/x', method: 'POST', body: '{}' }), 'ok');
  assert.equal(await callRaw(api, 'http.fetch', { url: 'https://API.GitHub.com./x' }), 'ok', 'case and a trailing dot do not matter, as in the HTTP service');
  await assert.rejects(callRaw(api, 'http.fetch', { url: 'https://evil.com/steal' }), (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && e.message.includes('"http.outbound:evil.com"'));
  await assert.rejects(callRaw(api, 'http.fetch', { url: 'https://example.com/' }), (e: PlinthError) =>
    e.code === 'CAPABILITY_DENIED' && e.message.includes('"http.outbound:example.com"'));
  await assert.rejects(callRaw(api, 'http.fetch', { url: 'file:///etc/passwd' }), (e: Error) => hasCode(e, 'INVALID_INPUT'));
  await assert.rejects(callRaw(api, 'http.fetch', { url: 'not a url' }), (e: Error) => hasCode(e, 'INVALID_INPUT') && /request\.url/.test(e.message));
  assert.equal(seen.length, 3);
});

test('http.outbound host matching: exact names, and *. patterns match subdomains only', () => {
  const declared: Capability[] = ['http.outbound:api.github.com', 'http.outbound:*.example.com', 'tasks.read'];
  const table: Array<[string, boolean]> = [
    ['api.github.com', true],
    ['API.GitHub.com', true],
    ['github.com', false],
    ['evilapi.github.com', false],
    ['api.github.com.evil.net', false],
    ['a.example.com', true],
    ['a.b.example.com', true],
    ['example.com', false],
    ['badexample.com', false],
    ['example.com.evil.net', false],
  ];
  for (const [host, allowed] of table) assert.equal(matchOutboundHost(declared, host) !== null, allowed, host);
  assert.equal(matchOutboundHost([], 'api.github.com'), null);
});
