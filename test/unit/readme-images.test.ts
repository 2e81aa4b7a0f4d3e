/**
 * The app origin's README image route (`/readme-image?url=…`) over the real fetcher against a
 * local https server: only https, only public addresses on every hop (DNS simulated with an
 * injected resolver; the local server is reachable only through the loopback test seam), only
 * image types, a size cap counted while streaming, a timeout, and nothing of the image server's
 * answer but the bytes and the type.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createReadmeImages, README_IMAGE_MAX_BYTES, type ReadmeImagesOptions } from '../../main/host/catalog/readme-images.ts';
import { handleAppRequest } from '../../main/shell/app-protocol.ts';
import { README_IMAGE_PATH } from '../../sdk/protocol/registry-catalog.ts';
import { createAppOrigins, pluginOriginKey } from '../../main/shell/plugin-origins.ts';
import { fakeDns } from '../support/fake-dns.ts';
import { startImageServer, testPng } from '../support/image-server.ts';

const ORIGIN = 'plinth://app';

/** GETs `target` through the route, as a shell page would (or a plugin frame's origin, `from`). */
function requestImage(target: string, options: ReadmeImagesOptions, from = ORIGIN) {
  const readmeImages = createReadmeImages(options);
  return handleAppRequest({ url: `${from}${README_IMAGE_PATH}?url=${encodeURIComponent(target)}`, method: 'GET' }, {
    rendererDir: '/nonexistent',
    host: { resolvePluginAsset: async () => null, config: { view: () => { throw new Error('no config'); } }, readmeImages },
    origins: createAppOrigins(ORIGIN, 'plinth-plugin://{key}', () => ['@acme/hello']),
  });
}

test('a good image passes with its image type and nothing else of the answer; no cookie, credential or referrer is sent', async (t) => {
  const server = await startImageServer(t);
  const answer = await requestImage(`${server.origin}/pixel.png?x=1`, { allowLoopbackForTests: true, ca: server.ca });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['Content-Type'], 'image/png');
  assert.deepEqual(answer.body, testPng());
  assert.equal(Object.keys(answer.headers).some((name) => name.toLowerCase() === 'set-cookie'), false, 'no Set-Cookie forwarded');
  assert.match(answer.headers['Content-Security-Policy'] ?? '', /default-src 'none'.*sandbox/);
  assert.equal(answer.headers['Cross-Origin-Resource-Policy'], 'same-origin');
  assert.equal(answer.headers['Referrer-Policy'], 'no-referrer');
  assert.equal(server.requests.length, 1);
  const seen = server.requests[0]!;
  assert.equal(seen.url, '/pixel.png?x=1');
  for (const name of ['cookie', 'referer', 'authorization', 'origin']) assert.equal(seen.headers[name], undefined, name);
  assert.match(seen.headers.accept ?? '', /^image\//);
});

test('only https URLs without credentials are fetched; the rest is refused before any request', async (t) => {
  const server = await startImageServer(t);
  const plain = server.origin.replace('https:', 'http:');
  for (const url of [`${plain}/a.png`, 'ftp://example.com/a.png', 'file:///etc/passwd', 'data:image/png;base64,AAAA', 'javascript:alert(1)',
    `https://user:pw@${server.origin.slice('https://'.length)}/a.png`, 'not a url']) {
    const answer = await requestImage(url, { allowLoopbackForTests: true, ca: server.ca });
    assert.equal(answer.status, 400, url);
  }
  assert.equal((await handleAppRequest({ url: `${ORIGIN}${README_IMAGE_PATH}`, method: 'GET' }, {
    rendererDir: '/nonexistent', host: { resolvePluginAsset: async () => null, config: { view: () => { throw new Error('no'); } }, readmeImages: createReadmeImages() },
    origins: createAppOrigins(ORIGIN, 'plinth-plugin://{key}', () => []),
  })).status, 400, 'no url parameter');
  assert.equal(server.requests.length, 0);
});

test('loopback, private and link-local addresses are refused, after DNS too; loopback only through the test seam', async (t) => {
  const server = await startImageServer(t);
  const port = new URL(server.origin).port;
  const lookup = fakeDns({ 'img.example.com': '10.0.0.5', 'meta.example.com': '169.254.169.254', 'local.example.com': '127.0.0.1', 'v6.example.com': 'fe80::1' });
  const refused = async (url: string, options: ReadmeImagesOptions) => {
    const answer = await requestImage(url, { lookup, ca: server.ca, ...options });
    assert.equal(answer.status, 502, url);
    assert.match(String(answer.body), /not a public address/, url);
  };
  await refused(`${server.origin}/pixel.png`, {}); // the default: the local server is unreachable
  await refused(`https://localhost:${port}/pixel.png`, { lookup: fakeDns({ localhost: '127.0.0.1' }) });
  await refused(`https://local.example.com:${port}/pixel.png`, { allowLoopbackForTests: true }); // rebinding to loopback: only literal loopback names pass the seam
  for (const url of ['https://img.example.com/a.png', 'https://meta.example.com/latest', 'https://v6.example.com/a.png', 'https://192.168.1.1/a.png', 'https://[::1]/a.png']) {
    await refused(url, {});
  }
  assert.equal(server.requests.length, 0);
});

test('every redirect hop is checked: to a private address or to http it is refused, a public hop is followed', async (t) => {
  let target = '';
  const server = await startImageServer(t, (req, res) => {
    if (req.url === '/final.png') res.writeHead(200, { 'Content-Type': 'image/png' }).end(testPng(2, 2));
    else res.writeHead(302, { Location: target }).end();
  });
  const options = { allowLoopbackForTests: true, ca: server.ca, lookup: fakeDns({ 'internal.example.com': '10.1.2.3' }) };
  target = 'https://internal.example.com/x.png';
  let answer = await requestImage(`${server.origin}/start.png`, options);
  assert.equal(answer.status, 502);
  assert.match(String(answer.body), /internal\.example\.com refused: it resolves to 10\.1\.2\.3/);
  target = server.origin.replace('https:', 'http:') + '/final.png';
  assert.equal((await requestImage(`${server.origin}/start.png`, options)).status, 400);
  target = '/final.png';
  answer = await requestImage(`${server.origin}/start.png`, options);
  assert.equal(answer.status, 200);
  assert.deepEqual(answer.body, testPng(2, 2));
  target = '/again.png'; // a redirect loop ends after MAX_REDIRECTS hops
  answer = await requestImage(`${server.origin}/start.png`, options);
  assert.equal(answer.status, 502);
  assert.match(String(answer.body), /redirected more than \d+ times/);
});

test('an answer that is not an image type is refused with 415; svg is served under the no-script CSP', async (t) => {
  const types: Record<string, string> = { '/page': 'text/html; charset=utf-8', '/script': 'application/javascript', '/none': '', '/badge.svg': 'image/svg+xml; charset=utf-8' };
  const server = await startImageServer(t, (req, res) => {
    const type = types[req.url ?? ''] ?? '';
    res.writeHead(200, type ? { 'Content-Type': type } : {}).end(type.startsWith('image/svg') ? '<svg xmlns="http://www.w3.org/2000/svg"/>' : '<script>alert(1)</script>');
  });
  for (const path of ['/page', '/script', '/none']) {
    const answer = await requestImage(`${server.origin}${path}`, { allowLoopbackForTests: true, ca: server.ca });
    assert.equal(answer.status, 415, path);
  }
  const svg = await requestImage(`${server.origin}/badge.svg`, { allowLoopbackForTests: true, ca: server.ca });
  assert.equal(svg.status, 200);
  assert.equal(svg.headers['Content-Type'], 'image/svg+xml');
  assert.match(svg.headers['Content-Security-Policy'] ?? '', /default-src 'none'/);
  assert.doesNotMatch(svg.headers['Content-Security-Policy'] ?? '', /script-src/);
});

test('an image over 5 MiB is refused while streaming (no Content-Length) and at once by its Content-Length; an error status is refused', async (t) => {
  const block = Buffer.alloc(64 * 1024, 1);
  let sent = 0;
  const server = await startImageServer(t, (req, res) => {
    if (req.url === '/declared.png') return res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': String(README_IMAGE_MAX_BYTES + 1) }).end();
    if (req.url === '/missing.png') return res.writeHead(404, { 'Content-Type': 'image/png' }).end();
    res.writeHead(200, { 'Content-Type': 'image/png' });
    // Endless: only the cap on counted bytes can stop it.
    const pump = () => {
      while (res.write(block)) sent += block.length;
      sent += block.length;
    };
    res.on('drain', pump);
    res.on('error', () => undefined);
    pump();
  });
  const streamed = await requestImage(`${server.origin}/endless.png`, { allowLoopbackForTests: true, ca: server.ca });
  assert.equal(streamed.status, 413);
  assert.match(String(streamed.body), /larger than 5242880 bytes/);
  assert.ok(sent < 4 * README_IMAGE_MAX_BYTES, `reading stopped soon after the cap (${sent} bytes sent)`);
  assert.equal((await requestImage(`${server.origin}/declared.png`, { allowLoopbackForTests: true, ca: server.ca })).status, 413);
  const missing = await requestImage(`${server.origin}/missing.png`, { allowLoopbackForTests: true, ca: server.ca });
  assert.equal(missing.status, 502);
  assert.match(String(missing.body), /answered 404/);
});

test('a server that does not answer times out with 504', async (t) => {
  const server = await startImageServer(t, () => { /* never answers */ });
  const answer = await requestImage(`${server.origin}/slow.png`, { allowLoopbackForTests: true, ca: server.ca, timeoutMs: 200 });
  assert.equal(answer.status, 504);
  assert.match(String(answer.body), /did not arrive within 200 ms/);
});

test("through the user's proxy the name is checked before the request; a plugin's origin has no image route", async (t) => {
  const proxied: string[] = [];
  const answer = await requestImage('https://img.example.com/a.png', {
    lookup: fakeDns({ 'img.example.com': '10.0.0.5' }),
    proxyFor: async (url) => { proxied.push(url); return 'http://127.0.0.1:9'; },
  });
  assert.deepEqual(proxied, ['https://img.example.com/a.png']);
  assert.equal(answer.status, 502);
  assert.match(String(answer.body), /img\.example\.com refused: it resolves to 10\.0\.0\.5/);

  const server = await startImageServer(t);
  const fromFrame = await requestImage(`${server.origin}/pixel.png`, { allowLoopbackForTests: true, ca: server.ca }, `plinth-plugin://${pluginOriginKey('@acme/hello')}`);
  assert.equal(fromFrame.status, 404);
  assert.equal(server.requests.length, 0);
});

test("with the user's proxy the image goes through it (CONNECT tunnel), still only the bytes and the type", async (t) => {
  const server = await startImageServer(t);
  const tunnels: string[] = [];
  const proxy = createServer();
  proxy.on('connect', (req, client, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { proxy.closeAllConnections(); proxy.close(() => resolve()); }));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const answer = await requestImage(`${server.origin}/pixel.png`, { allowLoopbackForTests: true, ca: server.ca, proxyFor: async () => proxyUrl });
  assert.equal(answer.status, 200);
  assert.equal(answer.headers['Content-Type'], 'image/png');
  assert.deepEqual(tunnels, [new URL(server.origin).host]);
  assert.equal(server.requests.length, 1);
  assert.equal(server.requests[0]!.headers.cookie, undefined);
});
