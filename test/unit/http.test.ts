import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpService, matchOutboundHost } from '../../main/host/services/http/http-service.ts';
import type { Capability } from '../../sdk/protocol/capabilities.ts';
import { hasCode } from '../../sdk/protocol/errors.ts';

const LOCAL: Capability[] = ['http.outbound:127.0.0.1'];

/** A real HTTP server on 127.0.0.1 that answers with `handler`; closed after the test. */
async function localServer(t: TestContext, handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const devMode = { allowInsecureLocalhost: () => true };
const denied = (capability: string) => (error: Error) =>
  hasCode(error, 'CAPABILITY_DENIED') && error.message.includes(`"${capability}"`);

test('a declared host is fetched: status, headers and text body come back', async (t) => {
  const base = await localServer(t, (req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json', 'x-echo': req.headers['x-token'] ?? '' });
      res.end(JSON.stringify({ method: req.method, path: req.url, body }));
    });
  });
  const http = createHttpService(devMode);
  const response = await http.fetch('@acme/a', LOCAL, { url: `${base}/items?q=1`, method: 'post', headers: { 'X-Token': 't1' }, body: 'hello' });
  assert.equal(response.status, 201);
  assert.equal(response.headers['content-type'], 'application/json');
  assert.equal(response.headers['x-echo'], 't1');
  assert.deepEqual(JSON.parse(response.body), { method: 'POST', path: '/items?q=1', body: 'hello' });
});

test('plain http to localhost needs Developer mode, checked on every request', async (t) => {
  const base = await localServer(t, (_req, res) => res.end('ok'));
  let developer = false;
  const http = createHttpService({ allowInsecureLocalhost: () => developer });
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: base }), (error: Error) => hasCode(error, 'INVALID_INPUT') && /Developer mode/.test(error.message));
  developer = true;
  assert.equal((await http.fetch('@acme/a', LOCAL, { url: base })).body, 'ok');
});

test('undeclared hosts are denied naming http.outbound:<host>; *. matches subdomains only', async () => {
  const requested: string[] = [];
  const http = createHttpService({
    allowInsecureLocalhost: () => false,
    fetchImpl: async (input) => { requested.push(String(input)); return new Response('ok'); },
  });
  const declared: Capability[] = ['http.outbound:api.github.com', 'http.outbound:*.example.com'];
  assert.equal((await http.fetch('@acme/a', declared, { url: 'https://api.github.com/user' })).body, 'ok');
  assert.equal((await http.fetch('@acme/a', declared, { url: 'https://API.GitHub.com./x' })).status, 200);
  assert.equal((await http.fetch('@acme/a', declared, { url: 'https://a.b.example.com/' })).status, 200);
  await assert.rejects(http.fetch('@acme/a', declared, { url: 'https://example.com/' }), denied('http.outbound:example.com'));
  await assert.rejects(http.fetch('@acme/a', declared, { url: 'https://evil-example.com/' }), denied('http.outbound:evil-example.com'));
  await assert.rejects(http.fetch('@acme/a', declared, { url: 'https://github.com/' }), denied('http.outbound:github.com'));
  await assert.rejects(http.fetch('@acme/a', [], { url: 'https://api.github.com/' }), denied('http.outbound:api.github.com'));
  assert.equal(requested.length, 3, 'denied requests never leave the host');
  assert.equal(matchOutboundHost(declared, 'x.example.com'), 'http.outbound:*.example.com');
});

test('bad URLs, schemes, methods, credentials, headers and bodies are refused before any request', async () => {
  let calls = 0;
  const http = createHttpService({ allowInsecureLocalhost: () => true, fetchImpl: async () => { calls++; return new Response(''); } });
  const declared: Capability[] = ['http.outbound:api.github.com'];
  const bad = async (req: Parameters<typeof http.fetch>[2], pattern: RegExp) =>
    assert.rejects(http.fetch('@acme/a', declared, req), (error: Error) => hasCode(error, 'INVALID_INPUT') && pattern.test(error.message));
  await bad({ url: 'not a url' }, /not an absolute URL/);
  await bad({ url: 'ftp://api.github.com/' }, /only https/);
  await bad({ url: 'http://api.github.com/' }, /only https/);
  await bad({ url: 'https://user:pw@api.github.com/' }, /credentials/);
  await bad({ url: 'https://api.github.com/', method: 'TRACE' }, /TRACE/);
  await bad({ url: 'https://api.github.com/', headers: { Host: 'evil.com' } }, /Host/);
  await bad({ url: 'https://api.github.com/', body: 'x' }, /GET request cannot have a body/);
  assert.equal(calls, 0);
});

test('redirects are re-checked on every hop: same host followed, another host refused', async (t) => {
  let finalHits = 0;
  const base = await localServer(t, (req, res) => {
    const port = (req.socket.address() as AddressInfo).port;
    if (req.url === '/start') { res.writeHead(302, { location: '/final' }); res.end(); return; }
    if (req.url === '/final') { finalHits++; res.end('arrived'); return; }
    if (req.url === '/away') { res.writeHead(307, { location: `http://localhost:${port}/final` }); res.end(); return; }
    if (req.url === '/loop') { res.writeHead(301, { location: '/loop' }); res.end(); return; }
    res.writeHead(404).end();
  });
  const http = createHttpService(devMode);
  assert.equal((await http.fetch('@acme/a', LOCAL, { url: `${base}/start` })).body, 'arrived');
  assert.equal(finalHits, 1);
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: `${base}/away` }), denied('http.outbound:localhost'));
  assert.equal(finalHits, 1, 'the refused hop was never requested');
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: `${base}/loop` }), (error: Error) => hasCode(error, 'NETWORK_ERROR') && /more than 5/.test(error.message));
});

test('a response over the size cap is refused, with or without Content-Length', async (t) => {
  const base = await localServer(t, (req, res) => {
    if (req.url === '/declared') { res.writeHead(200, { 'content-length': '2048' }); res.end('x'.repeat(2048)); return; }
    res.writeHead(200); // chunked, no length
    res.write('x'.repeat(1000));
    res.end('y'.repeat(1000));
  });
  const http = createHttpService({ ...devMode, maxResponseBytes: 1024 });
  const tooLarge = (error: Error) => hasCode(error, 'PAYLOAD_TOO_LARGE') && /1024 bytes/.test(error.message);
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: `${base}/declared` }), tooLarge);
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: `${base}/chunked` }), tooLarge);
});

test('a server that never answers ends in TIMEOUT; a refused connection in NETWORK_ERROR', async (t) => {
  // The server accepts the connection and never answers. "Connected" is the server's
  // `connection` event, which fires even when the client has already given up: under load the
  // 150 ms timeout can end the request before the server parses it.
  const silent = createServer(() => { /* never answers */ });
  const connected = new Promise<void>((resolve) => silent.once('connection', () => resolve()));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => { silent.closeAllConnections(); silent.close(); });
  const base = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const http = createHttpService({ ...devMode, timeoutMs: 150 });
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: base }), (error: Error) => hasCode(error, 'TIMEOUT') && /150 ms/.test(error.message));
  await connected;

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await assert.rejects(http.fetch('@acme/a', LOCAL, { url: `http://127.0.0.1:${port}/` }), (error: Error) => hasCode(error, 'NETWORK_ERROR') && /ECONNREFUSED/.test(error.message));
});
