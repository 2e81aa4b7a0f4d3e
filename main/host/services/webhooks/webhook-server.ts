/**
 * The local webhook receiver (`onWebhook`, CONTRACT §2, §5): one HTTP server on 127.0.0.1
 * only, running only while some plugin has endpoints. Each endpoint's URL is
 * `http://127.0.0.1:<port>/hooks/<pluginId, URL-encoded>/<endpointKey>/<secret>`; the secret is
 * random, persisted, and compared in constant time. Outside senders reach it through a tunnel
 * the user sets up; the URL secret is the authentication.
 *
 * Answers, in the order checked: 404 unknown endpoint, 401 wrong secret, 429 over the
 * endpoint's rate, 503 plugin not ready, 413 body over the cap; otherwise the plugin's
 * `WebhookResult`, or 502 when its handler throws, times out or returns something invalid.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { WebhookDeclaration } from '@plinth/sdk/protocol/manifest';
import type { WebhookInput, WebhookResult } from '@plinth/sdk/protocol/rpc';
import type { Db } from '../../db/database.ts';
import { URL_SAFE_KEY } from '../../manifest/schema.ts';
import type { SecretStore } from '../secrets/secret-store.ts';
import { createEndpointSecrets, secretMatches } from './endpoint-secrets.ts';
import { createTokenBucket, type Rate, type TokenBucket } from './token-bucket.ts';

/** Largest request body (bytes, 1 MiB): webhook payloads are event notices, not uploads. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;
/** How long the plugin's handler may take (ms): senders such as GitHub give up after 10 s. */
export const WEBHOOK_HANDLER_TIMEOUT_MS = 10_000;
/** Default per-endpoint rate: one a second sustained, bursts of 30 (a batch of events after an outage). */
export const DEFAULT_WEBHOOK_RATE: Rate = { perMinute: 60, burst: 30 };
/** Port 0 asks the OS for any free port. */
const ANY_FREE_PORT = 0;
/** Time to receive a whole request (ms), so a trickling client cannot hold a socket open. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Time to receive the request headers (ms). */
const HEADERS_TIMEOUT_MS = 10_000;
/** Retry-After of a 503 (seconds): enabling a plugin is a user action, so senders should back off a while. */
const NOT_READY_RETRY_AFTER_S = 60;
/** The only interface the server binds: never reachable from the network without a tunnel. */
const LOOPBACK = '127.0.0.1';
/** Response headers the server owns (framing and connection management). */
const RESERVED_RESPONSE_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'trailer']);

/** What the webhook server needs from the host. */
export interface WebhookServerOptions {
  /** Preferred port; 0 (default) takes any free one. When it is busy, any free port is used (see `port`). */
  port?: number;
  /** Hands a request to the plugin's worker (`onWebhook`), starting it if needed. */
  handle(pluginId: string, input: WebhookInput): Promise<WebhookResult>;
  /** False while the plugin cannot take webhooks (disabled, error, upgrade pending): senders get 503. */
  isReady(pluginId: string): boolean;
  /** The host database (migration 003), where endpoint secrets are kept. */
  db: Db;
  /** Encrypts endpoint secrets at rest. */
  secretStore: SecretStore;
  /** Handler budget (ms), default {@link WEBHOOK_HANDLER_TIMEOUT_MS}. */
  handlerTimeoutMs?: number;
  /** Body cap (bytes), default {@link MAX_WEBHOOK_BODY_BYTES}. */
  maxBodyBytes?: number;
  /** Per-endpoint rate, default {@link DEFAULT_WEBHOOK_RATE}. */
  rate?: Rate;
  /** Millisecond clock of the rate limiter; injectable for tests. */
  now?: () => number;
  /** Told about failures with no caller: an automatic start that failed, a replaced secret. */
  onError?: (error: unknown) => void;
}

/** The webhook server. */
export interface WebhookServer {
  /**
   * Sets a plugin's endpoints (its manifest's `plinth.webhooks`), creating secrets for new
   * ones, and starts or stops the server as needed (in the background; `start()` awaits it).
   * @throws PlinthError `INVALID_INPUT` for a malformed or duplicate endpoint key.
   */
  setEndpoints(pluginId: string, endpoints: WebhookDeclaration[]): void;
  /** Removes a plugin's endpoints (disable, uninstall); their secrets are kept for a return. */
  removePlugin(pluginId: string): void;
  /** Removes a plugin's endpoints and deletes their secrets (uninstall purge). */
  purge(pluginId: string): void;
  /** The endpoint's URL while the server is listening, else `null` (also for unknown endpoints). */
  urlFor(pluginId: string, endpointKey: string): string | null;
  /** Allows the server to run and waits until it listens when there are endpoints. @throws when it cannot listen. */
  start(): Promise<void>;
  /** Stops the server and keeps it stopped until `start()`; open connections are closed. */
  stop(): Promise<void>;
  /** True while listening. */
  readonly running: boolean;
  /** The port listened on, or `null`. Keep it and pass it as `port` next time for stable URLs. */
  readonly port: number | null;
}

interface Endpoint { secret: string; bucket: TokenBucket }

/** Parses `/hooks/<pluginId>/<endpointKey>/<secret>`; `null` for any other path. */
function route(rawUrl: string | undefined): { pluginId: string; endpointKey: string; secret: string; query: Record<string, string> } | null {
  const url = new URL(rawUrl ?? '/', 'http://localhost');
  const parts = url.pathname.split('/');
  if (parts.length !== 5 || parts[0] !== '' || parts[1] !== 'hooks') return null;
  try {
    const [pluginId, endpointKey, secret] = parts.slice(2).map(decodeURIComponent) as [string, string, string];
    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams) if (!(name in query)) query[name] = value;
    return { pluginId, endpointKey, secret, query };
  } catch {
    return null;
  }
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${message}\n`);
}

/**
 * Reads the body as UTF-8; resolves `null` as soon as it exceeds `max` bytes (reading stops
 * there), or `undefined` when the client went away before sending all of it.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | null | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total > max) {
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('close', () => resolve(undefined)); // after 'end' this is a no-op: the promise is settled
    req.on('error', reject);
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new PlinthError('TIMEOUT', `no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** Creates the webhook server (not listening until a plugin has endpoints). */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const preferredPort = options.port ?? ANY_FREE_PORT;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? WEBHOOK_HANDLER_TIMEOUT_MS;
  const maxBodyBytes = options.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const rate = options.rate ?? DEFAULT_WEBHOOK_RATE;
  const now = options.now ?? Date.now;
  const onError = options.onError ?? (() => {});
  const secrets = createEndpointSecrets(options.db, options.secretStore, onError, () => new Date());
  const plugins = new Map<string, Map<string, Endpoint>>();
  let enabled = true;
  let server: Server | null = null;
  let port: number | null = null;
  let transitions: Promise<void> = Promise.resolve();

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = route(req.url);
    const endpoint = target ? plugins.get(target.pluginId)?.get(target.endpointKey) : undefined;
    if (!target || !endpoint) return reply(res, 404, 'Unknown webhook endpoint');
    if (!secretMatches(endpoint.secret, target.secret)) return reply(res, 401, 'Wrong webhook secret');
    const waitMs = endpoint.bucket.take();
    if (waitMs > 0) return reply(res, 429, 'Too many requests to this endpoint', { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    if (!options.isReady(target.pluginId)) return reply(res, 503, 'The plugin is not ready to receive webhooks', { 'retry-after': String(NOT_READY_RETRY_AFTER_S) });
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) return;
    if (body === null) {
      // Close the connection after answering so the rest of the body is never read.
      res.on('finish', () => req.socket.destroy());
      return reply(res, 413, `Body over ${maxBodyBytes} bytes`, { connection: 'close' });
    }
    const input: WebhookInput = {
      endpointKey: target.endpointKey, requestId: randomUUID(), method: req.method ?? 'GET',
      headers: headerRecord(req), query: target.query, body,
    };
    let result: WebhookResult;
    try {
      result = await withTimeout(options.handle(target.pluginId, input), handlerTimeoutMs);
    } catch (error) {
      const timedOut = error instanceof PlinthError && error.code === 'TIMEOUT';
      return reply(res, 502, timedOut ? 'The plugin did not answer in time' : 'The plugin failed to handle the webhook');
    }
    const status = result?.status;
    if (!Number.isInteger(status) || status < 200 || status > 599 || (result.body !== undefined && typeof result.body !== 'string')) {
      return reply(res, 502, 'The plugin returned an invalid webhook result');
    }
    try {
      for (const [name, value] of Object.entries(result.headers ?? {})) {
        if (!RESERVED_RESPONSE_HEADERS.has(name.toLowerCase())) res.setHeader(name, value);
      }
    } catch {
      return reply(res, 502, 'The plugin returned an invalid response header');
    }
    res.writeHead(status);
    res.end(result.body ?? '');
  }

  async function listen(): Promise<void> {
    const created = createServer((req, res) => {
      onRequest(req, res).catch((error: unknown) => {
        onError(error);
        reply(res, 500, 'Internal error');
      });
    });
    created.requestTimeout = REQUEST_TIMEOUT_MS;
    created.headersTimeout = HEADERS_TIMEOUT_MS;
    const attempt = (candidate: number) => new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(candidate, LOOPBACK, () => {
        created.off('error', reject);
        resolve();
      });
    });
    try {
      await attempt(preferredPort);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || preferredPort === 0) throw error;
      await attempt(0);
    }
    server = created;
    port = (created.address() as AddressInfo).port;
  }

  async function close(): Promise<void> {
    const closing = server;
    server = null;
    port = null;
    if (!closing) return;
    await new Promise<void>((resolve) => {
      closing.close(() => resolve());
      closing.closeAllConnections();
    });
  }

  /** Brings the server to the wanted state; transitions run one at a time, in order. */
  function reconcile(): Promise<void> {
    const step = async () => {
      const wanted = enabled && plugins.size > 0;
      if (wanted && !server) await listen();
      else if (!wanted && server) await close();
    };
    transitions = transitions.then(step, step);
    return transitions;
  }

  const background = () => { reconcile().catch(onError); };

  return {
    setEndpoints(pluginId, endpoints) {
      if (!Array.isArray(endpoints)) throw new PlinthError('INVALID_INPUT', `Webhooks of plugin ${pluginId} must be an array`);
      const keys = new Set<string>();
      for (const { endpointKey } of endpoints) {
        // The manifest's rule: a key the validator accepted is never refused here.
        if (typeof endpointKey !== 'string' || !URL_SAFE_KEY.test(endpointKey)) {
          throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: webhook endpointKey ${JSON.stringify(endpointKey)} must be 1-64 letters, digits, _ or -`);
        }
        if (keys.has(endpointKey)) throw new PlinthError('INVALID_INPUT', `Plugin ${pluginId}: webhook "${endpointKey}" is declared twice`);
        keys.add(endpointKey);
      }
      const previous = plugins.get(pluginId);
      const next = new Map<string, Endpoint>();
      for (const endpointKey of keys) {
        next.set(endpointKey, previous?.get(endpointKey) ?? { secret: secrets.get(pluginId, endpointKey), bucket: createTokenBucket(rate, now) });
      }
      if (next.size > 0) plugins.set(pluginId, next);
      else plugins.delete(pluginId);
      background();
    },
    removePlugin(pluginId) {
      if (plugins.delete(pluginId)) background();
    },
    purge(pluginId) {
      plugins.delete(pluginId);
      secrets.purge(pluginId);
      background();
    },
    urlFor(pluginId, endpointKey) {
      const endpoint = plugins.get(pluginId)?.get(endpointKey);
      if (!endpoint || port === null) return null;
      return `http://${LOOPBACK}:${port}/hooks/${encodeURIComponent(pluginId)}/${encodeURIComponent(endpointKey)}/${endpoint.secret}`;
    },
    async start() {
      enabled = true;
      await reconcile();
    },
    async stop() {
      enabled = false;
      await reconcile();
    },
    get running() {
      return server !== null;
    },
    get port() {
      return port;
    },
  };
}
