/**
 * Remote images of registry READMEs, fetched by the main process for the shell's image route
 * (`/readme-image?url=…` on the app origin, main/shell/app-protocol.ts). The shell's CSP names no
 * remote origin, so a README image reaches the window only through here, and only when the user
 * allowed it (the `readmeRemoteImages` preference or "Show images" on one README).
 *
 * What the image's server gets: a plain GET of the https URL, with no cookies, no credentials
 * and no Referer (Node's fetch has no cookie jar; nothing of the window is forwarded). What the
 * window gets: the bytes and an image content type, nothing else of the answer (no Set-Cookie).
 * Every hop, redirects included (at most {@link MAX_REDIRECTS}), must be https and resolve to
 * public addresses only: the same address guard as plugins' `http.outbound`
 * (services/http/address-guard.ts), checked in the connection's own lookup. Through a proxy (the
 * user's proxy settings, `proxyFor`) the proxy resolves the name, so the guard checks the name
 * just before the request instead, which leaves a DNS-rebinding window between the two lookups.
 */
import { Agent, ProxyAgent, Socks5ProxyAgent, fetch as undiciFetch, type Dispatcher } from 'undici';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { checkLiteralHost, createGuardedLookup, type LookupFunction } from '../services/http/address-guard.ts';
import { MAX_REDIRECTS, MAX_URL_LENGTH, fetchFollowingRedirects, readCappedBytes } from '../services/http/http-service.ts';

/**
 * Content types served. SVG is included because README badges are SVG; the route serves every
 * image with a CSP that forbids scripts and sandboxes the document, and inside `<img>` an SVG
 * runs no script and loads nothing anyway.
 */
export const README_IMAGE_TYPES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'image/svg+xml']);
/** Largest image (bytes, 5 MiB, counted while streaming): far above any README picture, small enough to hold in memory. */
export const README_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
/** Budget of one image including redirects and the body (ms): a README should not wait on a hung server. */
export const README_IMAGE_TIMEOUT_MS = 15_000;
/** What the request asks for, as a browser's image request does. */
const ACCEPT = 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8';

/** One fetched image. */
export interface ReadmeImage {
  /** The media type, one of {@link README_IMAGE_TYPES} (parameters dropped). */
  contentType: string;
  body: Buffer;
}

/** Options of {@link createReadmeImages}. */
export interface ReadmeImagesOptions {
  /** The proxy for a URL (`http://`, `https://` or `socks://host:port`), `null` for direct; the host's `proxyFor`. Without it, direct. */
  proxyFor?(url: string): Promise<string | null | undefined>;
  /** Whole-request budget (ms), default {@link README_IMAGE_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Test seam: the DNS lookup behind the address guard (default `dns.lookup`). */
  lookup?: LookupFunction;
  /**
   * Test seam, never set by the app: lets `127.0.0.1`, `::1` and `localhost` reach loopback, so
   * an e2e test can serve images from a local https server. Every other non-public address is
   * still refused.
   */
  allowLoopbackForTests?: boolean;
  /** Test seam: a CA certificate (PEM) to trust besides the system's, for a test server's self-signed certificate. */
  ca?: string;
}

/** The README image fetcher. */
export interface ReadmeImages {
  /**
   * Fetches the image at `url`.
   * @throws PlinthError `INVALID_INPUT` for a URL that is not https, has credentials or is too
   *   long, and (with `data.unsupportedType`) for an answer that is not one of
   *   {@link README_IMAGE_TYPES}; `NETWORK_ERROR` for an address that is not public, no answer,
   *   an error status or too many redirects; `PAYLOAD_TOO_LARGE` over the cap; `TIMEOUT`.
   */
  fetch(url: string): Promise<ReadmeImage>;
}

function invalid(message: string, data?: { unsupportedType: string }): PlinthError {
  return new PlinthError('INVALID_INPUT', message, data);
}

/** Checks one hop's URL: https, no credentials, an IP literal only when public. */
function checkHop(url: URL, allowLoopback: boolean): void {
  if (url.protocol !== 'https:') throw invalid(`README images load only from https:// URLs, not ${url.protocol}`);
  if (url.username || url.password) throw invalid('README image URLs may not carry credentials');
  checkLiteralHost(url.hostname.toLowerCase(), allowLoopback);
}

/** The media type of a `Content-Type` value, lower case, without parameters. */
function mediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Creates the fetcher; connections are pooled across calls. */
export function createReadmeImages(options: ReadmeImagesOptions = {}): ReadmeImages {
  const timeoutMs = options.timeoutMs ?? README_IMAGE_TIMEOUT_MS;
  const allowLoopback = options.allowLoopbackForTests === true;
  const guardedLookup = createGuardedLookup(() => allowLoopback, options.lookup);
  const tls = options.ca ? { ca: options.ca } : {};
  const direct = new Agent({ connect: { lookup: guardedLookup, ...tls } });
  const proxies = new Map<string, Dispatcher>();

  /** Resolves `hostname` through the guard without connecting (the proxy will connect). */
  const checkName = (hostname: string) => new Promise<void>((resolve, reject) => {
    guardedLookup(hostname.replace(/^\[|\]$/g, ''), { all: true }, (error) => {
      if (!error) return resolve();
      reject(error instanceof PlinthError ? error : new PlinthError('NETWORK_ERROR', `Cannot resolve ${hostname}: ${error.code ?? error.message}`));
    });
  });

  /** The dispatcher for `url`: the user's proxy when one applies, else a direct guarded connection. */
  async function dispatcherFor(url: URL): Promise<Dispatcher> {
    const proxy = await options.proxyFor?.(url.href);
    if (!proxy) return direct;
    await checkName(url.hostname);
    let dispatcher = proxies.get(proxy);
    if (!dispatcher) {
      dispatcher = proxy.startsWith('socks')
        ? new Socks5ProxyAgent(proxy.replace(/^socks\d?:/, 'socks5:'))
        : new ProxyAgent({ uri: proxy, requestTls: tls });
      proxies.set(proxy, dispatcher);
    }
    return dispatcher;
  }

  return {
    async fetch(raw) {
      if (raw.length > MAX_URL_LENGTH) throw invalid(`README image URLs may be at most ${MAX_URL_LENGTH} characters`);
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw invalid(`${JSON.stringify(raw.slice(0, 200))} is not an absolute URL`);
      }
      checkHop(url, allowLoopback);
      return fetchFollowingRedirects(url, {
        timeoutMs,
        request: async (hop, signal) => undiciFetch(hop, {
          redirect: 'manual', signal, dispatcher: await dispatcherFor(hop), headers: { accept: ACCEPT },
          credentials: 'omit', referrerPolicy: 'no-referrer',
        }) as unknown as Promise<Response>,
        redirect: (next) => checkHop(next, allowLoopback),
        async answer(response, hop) {
          if (response.status < 200 || response.status > 299) {
            await response.body?.cancel().catch(() => {});
            throw new PlinthError('NETWORK_ERROR', `${hop.origin} answered ${response.status}`);
          }
          const type = mediaType(response.headers.get('content-type'));
          if (!README_IMAGE_TYPES.has(type)) {
            await response.body?.cancel().catch(() => {});
            throw invalid(`${hop.origin} did not send an image (${type || 'no content type'})`, { unsupportedType: type });
          }
          return { contentType: type, body: await readCappedBytes(response, README_IMAGE_MAX_BYTES, hop.origin) };
        },
        tooManyRedirects: `${url.origin} redirected more than ${MAX_REDIRECTS} times`,
        timedOut: `The image from ${url.origin} did not arrive within ${timeoutMs} ms`,
      });
    },
  };
}
