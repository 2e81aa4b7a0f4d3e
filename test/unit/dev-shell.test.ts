/**
 * The dev shell's gate and transport (main/dev): which upgrade requests may open the bridge
 * socket (token, Origin, Host, shell document), the browser-side transport over a socket, and
 * the server itself over real sockets with a stand-in host: shell documents get the bridge
 * script, calls go through the IPC handler table, events are pushed, strangers are refused.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import WebSocket from 'ws';
import type { Host } from '../../main/host/host.ts';
import { checkUpgrade, createDevToken, tokenMatches } from '../../main/dev/auth.ts';
import { startDevServer } from '../../main/dev/dev-server.ts';
import { BRIDGE_SCRIPT_PATH, parseCallMessage } from '../../main/dev/socket-messages.ts';
import { createSocketTransport, type SocketLike } from '../../main/dev/socket-transport.ts';
import { openerCommand } from '../../sdk/cli/commands/dev.ts';
import { openBridgeSocket } from '../support/dev-cli.ts';
import { createTempDir } from '../support/plugin-folders.ts';

const APP = 'http://127.0.0.1:4321';
const TOKEN = createDevToken();
const upgrade = (query: string, headers: { origin?: string; host?: string } = {}) =>
  checkUpgrade({ url: `/__plinth/bridge?${query}`, headers: { origin: APP, host: '127.0.0.1:4321', ...headers } }, APP, TOKEN);

test('a token is 256 random bits, URL-safe, and compared exactly', () => {
  assert.match(TOKEN, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(createDevToken(), TOKEN);
  assert.equal(tokenMatches(TOKEN, TOKEN), true);
  assert.equal(tokenMatches(TOKEN, TOKEN.slice(0, -1)), false);
  assert.equal(tokenMatches(TOKEN, `${TOKEN}x`), false);
  assert.equal(tokenMatches(TOKEN, ''), false);
});

test('the bridge socket opens for the shell page with the token, and names the document it runs in', () => {
  assert.deepEqual(upgrade(`token=${TOKEN}&document=%2Findex.html`), { ok: true, document: '/index.html' });
  assert.deepEqual(upgrade(`token=${TOKEN}&document=%2Fsettings.html`), { ok: true, document: '/settings.html' });
});

test('the bridge socket is refused without the right token, from another origin or host, or for another document', () => {
  const status = (query: string, headers?: { origin?: string; host?: string }) => {
    const check = upgrade(query, headers);
    return check.ok ? 'open' : check.status;
  };
  const doc = 'document=%2Findex.html';
  assert.equal(status(`token=wrong&${doc}`), 401);
  assert.equal(status(doc), 401);
  assert.equal(status(`token=${TOKEN.slice(1)}&${doc}`), 401);
  // Another web page in the author's browser, a sandboxed plugin frame (origin "null"), no Origin at all.
  assert.equal(status(`token=${TOKEN}&${doc}`, { origin: 'https://evil.example' }), 403);
  assert.equal(status(`token=${TOKEN}&${doc}`, { origin: 'null' }), 403);
  assert.equal(status(`token=${TOKEN}&${doc}`, { origin: 'http://p0123.localhost:4321' }), 403);
  assert.equal(checkUpgrade({ url: `/__plinth/bridge?token=${TOKEN}&${doc}`, headers: { host: '127.0.0.1:4321' } }, APP, TOKEN).ok, false);
  // A name rebound to 127.0.0.1 sends its own Host.
  assert.equal(status(`token=${TOKEN}&${doc}`, { host: 'rebound.example:4321' }), 403);
  assert.equal(status(`token=${TOKEN}&document=%2Fframe.html`), 403);
  assert.equal(status(`token=${TOKEN}`), 403);
  assert.equal(checkUpgrade({ url: `/elsewhere?token=${TOKEN}&${doc}`, headers: { origin: APP, host: '127.0.0.1:4321' } }, APP, TOKEN).ok, false);
});

test('a call message is an integer id and a method name; anything else is not a call', () => {
  assert.deepEqual(parseCallMessage('{"id":1,"method":"app.info"}'), { id: 1, method: 'app.info', payload: undefined });
  for (const text of ['', 'null', '[]', '{"id":"1","method":"x"}', '{"id":1.5,"method":"x"}', '{"id":1}', '{']) {
    assert.equal(parseCallMessage(text), null, text);
  }
});

/** A socket the test drives by hand. */
function fakeSocket() {
  const listeners: Record<string, Array<(event?: { data: unknown }) => void>> = {};
  const sent: string[] = [];
  const socket = {
    readyState: 0,
    send: (text: string) => void sent.push(text),
    addEventListener: (type: string, listener: (event?: { data: unknown }) => void) => void (listeners[type] ??= []).push(listener),
  };
  const fire = (type: string, event?: { data: unknown }) => { for (const l of listeners[type] ?? []) l(event); };
  return {
    socket: socket as unknown as SocketLike, sent,
    open() { socket.readyState = 1; fire('open'); },
    message(value: unknown) { fire('message', { data: JSON.stringify(value) }); },
    close() { socket.readyState = 3; fire('close'); },
  };
}

test('the socket transport sends calls once open, matches answers by id, delivers events and fails calls when closed', async () => {
  const s = fakeSocket();
  const transport = createSocketTransport(s.socket);
  const events: unknown[] = [];
  transport.subscribe((event, payload) => events.push([event, payload]));
  const first = transport.invoke('app.info', undefined);
  const second = transport.invoke('plugins.list', undefined);
  assert.deepEqual(s.sent, []);
  s.open();
  assert.deepEqual(s.sent.map((text) => JSON.parse(text) as unknown), [{ id: 1, method: 'app.info' }, { id: 2, method: 'plugins.list' }]);
  s.message({ id: 2, result: { ok: true, value: [] } });
  s.message({ event: 'plugins.changed', payload: { pluginId: 'x', reload: true } });
  assert.deepEqual(await second, { ok: true, value: [] });
  assert.deepEqual(events, [['plugins.changed', { pluginId: 'x', reload: true }]]);
  s.close();
  await assert.rejects(first, /connection to plinth-plugin dev is closed/);
  await assert.rejects(transport.invoke('app.info', undefined), /connection to plinth-plugin dev is closed/);
  await transport.closed;
});

test('the browser opener is the platform one', () => {
  assert.deepEqual(openerCommand('linux', 'http://x/'), { command: 'xdg-open', args: ['http://x/'] });
  assert.deepEqual(openerCommand('darwin', 'http://x/'), { command: 'open', args: ['http://x/'] });
  assert.equal(openerCommand('win32', 'http://x/').command, 'cmd');
});

/** A host with no plugins, enough for the handler table, the app protocol and the event hooks. */
function standInHost() {
  const changed = new Set<(event: { pluginId?: string; reload?: boolean }) => void>();
  const host = {
    catalog: { plugins: new Map() },
    onPluginsChanged: (listener: (event: { pluginId?: string }) => void) => { changed.add(listener); return () => changed.delete(listener); },
    onPermissionRequests: () => () => undefined,
    preferences: { onChange: () => () => undefined },
    ui: { subscribeStream: () => () => undefined },
    resolvePluginAsset: async () => null,
    config: { view: () => ({ schema: null }) },
  };
  return { host: host as unknown as Host, emit: (event: { pluginId?: string; reload?: boolean }) => { for (const l of changed) l(event); } };
}

function get(url: string, hostHeader?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: hostHeader ? { host: hostHeader } : {} }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the dev server adds the bridge to shell documents, answers calls through the handler table, pushes events and refuses strangers', async (t) => {
  const rendererDir = createTempDir(t, 'plinth-dev-shell-');
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><script type="module" src="/app.js"></script></head><body></body></html>');
  const { host, emit } = standInHost();
  const appInfo = { version: 'test', pluginApiVersion: '1.0.0', platform: 'linux' };
  const server = await startDevServer({ host, rendererDir, appInfo });
  t.after(() => server.close());
  assert.match(server.url('/dev/x'), /^http:\/\/127\.0\.0\.1:\d+\/index\.html\?token=[\w-]{43}#\/dev\/x$/);

  const page = await get(`${server.origin}/index.html`);
  assert.equal(page.status, 200);
  assert.ok(page.body.startsWith(`<!doctype html><html><head><script src="${BRIDGE_SCRIPT_PATH}"></script><script type="module"`), page.body);
  const script = await get(`${server.origin}${BRIDGE_SCRIPT_PATH}`);
  assert.equal(script.status, 200);
  assert.match(script.body, /__plinth\/bridge/);
  // Another name for the same address (DNS rebinding) is not the shell's origin.
  assert.equal((await get(`${server.origin}/index.html`, `rebound.example:${server.port}`)).status, 404);

  assert.equal(await openBridgeSocket(server.origin, 'wrong', server.origin), 401);

  const ws = await openBridgeSocket(server.origin, server.token, server.origin);
  assert.ok(ws instanceof WebSocket, `the right token opens the socket (got ${String(ws)})`);
  const messages: unknown[] = [];
  const next = () => new Promise<unknown>((resolve) => ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
  assert.equal(server.connections(), 1);
  let answer = next();
  ws.send(JSON.stringify({ id: 7, method: 'app.info' }));
  messages.push(await answer);
  answer = next();
  ws.send(JSON.stringify({ id: 8, method: 'plugins.setEnabled', payload: { pluginId: 42 } }));
  messages.push(await answer);
  answer = next();
  emit({ pluginId: 'x', reload: true });
  messages.push(await answer);
  assert.deepEqual(messages[0], { id: 7, result: { ok: true, value: appInfo } });
  assert.equal((messages[1] as { result: { error: { code: string } } }).result.error.code, 'INVALID_INPUT');
  assert.deepEqual(messages[2], { event: 'plugins.changed', payload: { pluginId: 'x', reload: true } });

  // Something that is not a call ends the connection.
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  ws.send('not json');
  assert.equal(await closed, 1008);
});

test('the packed dev shell imports the host core and the SDK by the subpath that exports each file', async () => {
  const { exportedAs } = await import('../../scripts/build-packages.ts');
  const exports = { '.': './host.ts', './supervision': './supervision/index.ts', './protocol/*': './protocol/*.ts' };
  assert.equal(exportedAs(exports, './host.ts'), '.');
  assert.equal(exportedAs(exports, './supervision/index.ts'), './supervision');
  assert.equal(exportedAs(exports, './protocol/errors.ts'), './protocol/errors');
  assert.equal(exportedAs(exports, './db/database.ts'), undefined);
  assert.equal(exportedAs(exports, './protocol/errors.js'), undefined);
});

test('a port already in use is refused with CONFLICT, naming the port and the way out', async (t) => {
  const { host } = standInHost();
  const appInfo = { version: 'test', pluginApiVersion: '1.0.0', platform: 'linux' };
  const first = await startDevServer({ host, rendererDir: tmpdir(), appInfo });
  t.after(() => first.close());
  await assert.rejects(startDevServer({ host, rendererDir: tmpdir(), appInfo, port: first.port }), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'CONFLICT');
    assert.match(error.message, new RegExp(`Port ${first.port} on 127\\.0\\.0\\.1 is in use: choose another with --port`));
    return true;
  });
});
