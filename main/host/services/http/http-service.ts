/**
 * Outbound HTTP for plugins (`ctx.http.fetch`, CONTRACT §4, §5). The host makes the request,
 * so the capability check is the guard: the URL's host must match a declared
 * `http.outbound:<host>` — exactly, or for `*.<suffix>` any subdomain of the suffix (not the
 * suffix itself). HTTPS only; plain HTTP only to `localhost`/`127.0.0.1` in Developer mode.
 * Redirects are followed by hand so every hop is checked again. Bodies are UTF-8 text.
 *
 * Every hop's resolved addresses must be public (address-guard.ts: no loopback, private or
 * link-local address, so DNS rebinding reaches nothing local), checked in the connection's
 * own lookup; `localhost` reaches loopback only in Developer mode. An unsandboxed worker can
 * still open sockets itself (ARCHITECTURE.md: workers are not OS-sandboxed).
 */
import { Agent, fetch as undiciFetch } from 'undici';
import { HTTP_OUTBOUND_PREFIX, type Capability } from '@plinth/sdk/protocol/capabilities';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import type { HttpRequest, HttpResponse } from '@plinth/sdk/protocol/rpc';
import { checkLiteralHost, createGuardedLookup, type LookupFunction } from './address-guard.ts';

/** Default budget of one request including redirects and reading the body (ms); a slow API, not a hung one. */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;
/** Default largest response body (bytes, 5 MiB); leaves room under the 8 MiB RPC message cap. */
export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
/** Largest request body (bytes of UTF-8, 5 MiB), for the same reason. */
export const MAX_REQUEST_BODY_BYTES = 5 * 1024 * 1024;
/** Redirect hops followed before giving up (browsers allow 20; APIs need one or two). */
export const MAX_REDIRECTS = 5;
/** Longest URL (characters); beyond it servers refuse anyway. */
export const MAX_URL_LENGTH = 8_192;
/** Methods a plugin may use; TRACE and CONNECT have no place in an API client. */
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
/** Request headers the host owns: framing, routing and proxy headers a plugin must not forge. */
const FORBIDDEN_HEADERS = new Set([
  'host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'te', 'trailer',
  'expect', 'proxy-authorization', 'proxy-connection',
]);
/** Headers dropped when a redirect leaves the origin, as the Fetch standard does for `Authorization`. */
const CROSS_ORIGIN_DROPPED_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];
/** Hosts plain `http:` may reach in Developer mode. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);
/** Statuses whose `Location` is followed. */
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** What the HTTP service needs from the host. */
export interface HttpServiceOptions {
  /** True in Developer mode: plain `http:` to localhost / 127.0.0.1 is then allowed. Read per request. */
  allowInsecureLocalhost(): boolean;
  /** Whole-request budget (ms), default {@link DEFAULT_HTTP_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Response body cap (bytes), default {@link DEFAULT_MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  /** The fetch to use; default undici's (tests inject a stub). It is given the guarded `dispatcher`. */
  fetchImpl?: typeof fetch;
  /** The DNS lookup behind the address check; default `dns.lookup` (tests inject a resolver). */
  lookup?: LookupFunction;
}

/** The outbound HTTP service, shared by all plugins. */
export interface HttpService {
  /**
   * Performs `req` for `pluginId`, whose approved capabilities are `declared`.
   * @throws PlinthError `CAPABILITY_DENIED` naming `http.outbound:<host>` when the host (of
   *   the URL or of a redirect) is not declared; `INVALID_INPUT` for a bad URL, scheme,
   *   method, header or body, or credentials in the URL; `TIMEOUT` after `timeoutMs`;
   *   `PAYLOAD_TOO_LARGE` over `maxResponseBytes`; `NETWORK_ERROR` when no response came
   *   (DNS, connection, TLS) or after {@link MAX_REDIRECTS} redirects.
   */
  fetch(pluginId: string, declared: readonly Capability[], req: HttpRequest): Promise<HttpResponse>;
}

/**
 * The declared `http.outbound:<pattern>` that allows `hostname`, or `null`. `*.example.com`
 * matches `api.example.com` and `a.b.example.com`, not `example.com`. Case-insensitive; a
 * trailing dot of a fully qualified name is ignored.
 */
export function matchOutboundHost(declared: readonly Capability[], hostname: string): Capability | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  for (const capability of declared) {
    if (!capability.startsWith(HTTP_OUTBOUND_PREFIX)) continue;
    const pattern = capability.slice(HTTP_OUTBOUND_PREFIX.length).toLowerCase();
    if (pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) && host.length > pattern.length - 1 : host === pattern) {
      return capability;
    }
  }
  return null;
}

function invalid(message: string): PlinthError {
  return new PlinthError('INVALID_INPUT', message);
}

/** Checks one hop's URL: scheme, credentials and the capability. `from` is set for a redirect. */
function checkUrl(pluginId: string, declared: readonly Capability[], url: URL, insecureLocal: boolean, from?: URL): void {
  const where = from ? `Redirect from ${from.origin} to ${url.origin}` : `Request to ${url.origin}`;
  if (url.username || url.password) throw invalid(`${where}: credentials in the URL are not allowed; send an Authorization header`);
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local && insecureLocal)) {
    throw invalid(`${where}: only https:// URLs are allowed${url.protocol === 'http:' && local ? ' (http://localhost needs Developer mode)' : ''}`);
  }
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  checkLiteralHost(host, insecureLocal);
  if (!matchOutboundHost(declared, host)) {
    const capability = `${HTTP_OUTBOUND_PREFIX}${host}`;
    throw new PlinthError('CAPABILITY_DENIED', `${where} refused: plugin ${pluginId} does not declare the capability "${capability}"`, { capability });
  }
}

function parseRequest(req: HttpRequest): { url: URL; method: string; headers: Headers; body: string | undefined } {
  if (!req || typeof req !== 'object') throw invalid('http.fetch needs a request object { url, method?, headers?, body? }');
  if (typeof req.url !== 'string' || req.url.length > MAX_URL_LENGTH) throw invalid(`The request url must be a string of at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw invalid(`${JSON.stringify(req.url.slice(0, 200))} is not an absolute URL`);
  }
  const method = (req.method ?? 'GET').toUpperCase();
  if (!(ALLOWED_METHODS as readonly string[]).includes(method)) throw invalid(`Method ${JSON.stringify(req.method)} is not allowed; use one of ${ALLOWED_METHODS.join(', ')}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers ?? {})) {
    if (FORBIDDEN_HEADERS.has(name.toLowerCase())) throw invalid(`Header "${name}" is set by the host and may not be set by a plugin`);
    if (typeof value !== 'string') throw invalid(`Header "${name}" must have a string value`);
    try {
      headers.append(name, value);
    } catch {
      throw invalid(`Header "${name}" has an invalid name or value`);
    }
  }
  const body = req.body;
  if (body !== undefined && body !== null) {
    if (typeof body !== 'string') throw invalid('The request body must be a string');
    if (method === 'GET' || method === 'HEAD') throw invalid(`A ${method} request cannot have a body`);
    if (Buffer.byteLength(body, 'utf8') > MAX_REQUEST_BODY_BYTES) throw invalid(`The request body may be at most ${MAX_REQUEST_BODY_BYTES} bytes`);
  }
  return { url, method, headers, body: body ?? undefined };
}

/**
 * Reads a response body, counting bytes while streaming; stops and cancels the stream as soon as
 * it passes `maxBytes` (a declared `Content-Length` over the cap is refused before reading).
 * @throws PlinthError `PAYLOAD_TOO_LARGE` naming `origin`.
 */
export async function readCappedBytes(response: Response, maxBytes: number, origin: string): Promise<Buffer> {
  const tooLarge = () => new PlinthError('PAYLOAD_TOO_LARGE', `The response from ${origin} is larger than ${maxBytes} bytes`);
  const declaredLength = Number(response.headers.get('content-length') ?? NaN);
  if (declaredLength > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Stop reading: cancelling closes the connection instead of buffering the rest.
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * The error of a fetch that got no response: the address guard's own refusal (it travels as the
 * failure's cause), else `NETWORK_ERROR` naming `url`'s origin and the cause's code.
 */
function fetchFailure(error: unknown, url: URL): PlinthError {
  if (error instanceof PlinthError) return error; // refused before it was sent (e.g. a proxied name the guard checked)
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause instanceof PlinthError) return cause;
  return new PlinthError('NETWORK_ERROR', `Request to ${url.origin} failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
}

/** How {@link fetchFollowingRedirects} makes, checks and reads the requests of one fetch. */
export interface RedirectLoop<T> {
  /** Whole-fetch budget (ms), redirects and reading the body included. */
  timeoutMs: number;
  /** Sends one request to `url` (redirects are never followed by it: `redirect: 'manual'`). */
  request(url: URL, signal: AbortSignal): Promise<Response>;
  /** Checks a redirect's target before it is requested; throws to refuse it. `status` is the redirect's. */
  redirect(next: URL, from: URL, status: number): void;
  /** Reads the final (non-redirect) response; runs within the budget. */
  answer(response: Response, url: URL): Promise<T>;
  /** The error text when there are more than {@link MAX_REDIRECTS} redirects. */
  tooManyRedirects: string;
  /** The error text when the budget runs out. */
  timedOut: string;
}

/**
 * One fetch with its redirects followed by hand, so every hop is checked before it is requested
 * (a plugin's outbound request and a README image both go through it). A request that got no
 * response is `fetchFailure`'s error; more than {@link MAX_REDIRECTS} redirects or an unparsable
 * `Location` is `NETWORK_ERROR`; a budget that ran out is `TIMEOUT`.
 * @throws PlinthError as above, or whatever `redirect` and `answer` throw
 */
export async function fetchFollowingRedirects<T>(first: URL, loop: RedirectLoop<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), loop.timeoutMs);
  let url = first;
  try {
    for (let hop = 0; ; hop++) {
      let response: Response;
      try {
        response = await loop.request(url, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) throw error;
        throw fetchFailure(error, url);
      }
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return await loop.answer(response, url);
      await response.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) throw new PlinthError('NETWORK_ERROR', loop.tooManyRedirects);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new PlinthError('NETWORK_ERROR', `${url.origin} redirected to an invalid URL`);
      }
      loop.redirect(next, url, response.status);
      url = next;
    }
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof PlinthError)) throw new PlinthError('TIMEOUT', loop.timedOut);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = record[name] === undefined ? value : `${record[name]}, ${value}`;
  });
  return record;
}

/** Creates the outbound HTTP service. */
export function createHttpService(options: HttpServiceOptions): HttpService {
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const fetchImpl = options.fetchImpl ?? (undiciFetch as unknown as typeof fetch);
  // Every connection resolves through the guard, so the address checked is the one connected to.
  const dispatcher = new Agent({ connect: { lookup: createGuardedLookup(() => options.allowInsecureLocalhost(), options.lookup) } });

  return {
    async fetch(pluginId, declared, req) {
      const parsed = parseRequest(req);
      const insecureLocal = options.allowInsecureLocalhost();
      checkUrl(pluginId, declared, parsed.url, insecureLocal);
      let { method, body } = parsed;
      const headers = parsed.headers;
      return fetchFollowingRedirects(parsed.url, {
        timeoutMs,
        request: (url, signal) => fetchImpl(url, { method, headers, body, redirect: 'manual', signal, dispatcher } as RequestInit),
        redirect(next, from, status) {
          checkUrl(pluginId, declared, next, insecureLocal, from);
          // Fetch standard §4.4: 303, and 301/302 after POST, become a GET without a body.
          if (status === 303 || ((status === 301 || status === 302) && method === 'POST')) {
            if (method !== 'HEAD') method = 'GET';
            body = undefined;
            headers.delete('content-type');
          }
          if (next.origin !== from.origin) for (const name of CROSS_ORIGIN_DROPPED_HEADERS) headers.delete(name);
        },
        answer: async (response, url) => ({
          status: response.status, headers: headersRecord(response.headers),
          body: new TextDecoder().decode(await readCappedBytes(response, maxResponseBytes, url.origin)),
        }),
        tooManyRedirects: `Request to ${parsed.url.origin} was redirected more than ${MAX_REDIRECTS} times`,
        timedOut: `Request to ${parsed.url.origin} did not complete within ${timeoutMs} ms`,
      });
    },
  };
}
