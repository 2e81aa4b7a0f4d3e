/**
 * A local https image server for the README image tests: a self-signed certificate for
 * 127.0.0.1 made with `openssl` in a temp folder, every request recorded (path and headers), and
 * answers given by the test's handler (default: {@link testPng} as `image/png`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { createTempDir, type AfterHook } from './plugin-folders.ts';

/** One request the server saw. */
export interface SeenRequest { url: string; headers: IncomingHttpHeaders }

/** A running image server. */
export interface ImageServer {
  /** `https://127.0.0.1:<port>`. */
  origin: string;
  /** The certificate (PEM) to trust: the fetcher's `ca` seam. */
  ca: string;
  /** Requests so far, in order. */
  requests: SeenRequest[];
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A `width`×`height` PNG of one opaque colour (`rgb`, e.g. `[37, 99, 235]`). */
export function testPng(width = 120, height = 40, rgb: [number, number, number] = [37, 99, 235]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits, RGB, deflate, no filter, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Starts the server on 127.0.0.1; closed after the test. */
export async function startImageServer(t: AfterHook, handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<ImageServer> {
  const dir = createTempDir(t, 'plinth-image-server-');
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const ca = readFileSync(cert, 'utf8');
  const requests: SeenRequest[] = [];
  const png = testPng();
  const server = createServer({ key: readFileSync(key), cert: ca }, (req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (handler) return handler(req, res);
    res.writeHead(200, { 'Content-Type': 'image/png', 'Set-Cookie': 'tracker=1; Path=/' }).end(png);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`, ca, requests };
}
