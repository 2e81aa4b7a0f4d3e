/**
 * Outbound HTTP checks where a request really goes: the resolved address of every hop. DNS is
 * simulated with an injected resolver (no internet needed): a declared host that resolves, or
 * is rebound, to loopback, a private network or link-local is refused before any byte is sent.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { isPublicAddress } from '../../main/host/services/http/address-guard.ts';
import { fakeDns } from '../support/fake-dns.ts';
import { createHttpService } from '../../main/host/services/http/http-service.ts';
import type { AfterHook } from '../support/plugin-folders.ts';

/** A local HTTP server counting requests; `redirectTo` makes it answer 302 to that URL. */
async function localServer(t: AfterHook, redirectTo?: string) {
  let requests = 0;
  const server = createServer((_req, res) => {
    requests++;
    if (redirectTo) res.writeHead(302, { location: redirectTo }).end();
    else res.end('local');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as AddressInfo).port, requests: () => requests };
}

test('only public unicast addresses count as public', () => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '::1', 'fe80::1', 'fc00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
    assert.equal(isPublicAddress(address), false, address);
  }
  for (const address of ['93.184.216.34', '1.1.1.1', '2606:4700::1111', '::ffff:8.8.8.8']) assert.equal(isPublicAddress(address), true, address);
});

test('a declared host that resolves to loopback is refused before any request is sent (DNS rebinding)', async (t) => {
  const server = await localServer(t);
  const http = createHttpService({ allowInsecureLocalhost: () => true, lookup: fakeDns({ 'api.example.com': '127.0.0.1' }) });
  await assert.rejects(
    http.fetch('p', ['http.outbound:api.example.com'], { url: `https://api.example.com:${server.port}/` }),
    { code: 'NETWORK_ERROR', message: /api\.example\.com refused: it resolves to 127\.0\.0\.1 \(loopback\), not a public address/ },
  );
  assert.equal(server.requests(), 0);
});

test('every redirect hop is checked: a hop to a host resolving to a private address is refused', async (t) => {
  const server = await localServer(t, 'https://api.example.com/next');
  const http = createHttpService({
    allowInsecureLocalhost: () => true,
    lookup: fakeDns({ localhost: '127.0.0.1', 'api.example.com': '10.0.0.5' }),
  });
  await assert.rejects(
    http.fetch('p', ['http.outbound:localhost', 'http.outbound:api.example.com'], { url: `http://localhost:${server.port}/start` }),
    { code: 'NETWORK_ERROR', message: /resolves to 10\.0\.0\.5 \(private\)/ },
  );
  assert.equal(server.requests(), 1, 'the first hop (localhost in Developer mode) was made, the second was not');
});

test('localhost reaches loopback only in Developer mode; IP literals of non-public addresses are refused', async (t) => {
  const server = await localServer(t);
  let developer = true;
  const http = createHttpService({ allowInsecureLocalhost: () => developer, lookup: fakeDns({ localhost: '127.0.0.1' }) });
  const ok = await http.fetch('p', ['http.outbound:localhost'], { url: `http://localhost:${server.port}/` });
  assert.equal(ok.body, 'local');
  developer = false;
  await assert.rejects(http.fetch('p', ['http.outbound:localhost'], { url: `https://localhost:${server.port}/` }), { code: 'NETWORK_ERROR', message: /loopback/ });
  await assert.rejects(http.fetch('p', ['http.outbound:169.254.169.254'], { url: 'https://169.254.169.254/latest/meta-data' }),
    { code: 'NETWORK_ERROR', message: /169\.254\.169\.254 \(linkLocal\), not a public address/ });
  assert.equal(server.requests(), 1);
});
