/**
 * The app protocol. The app origin serves the shell documents and their files; each plugin's
 * own origin (main/shell/plugin-origins.ts) serves the plugin frame document, the frame's vendor
 * modules and that plugin's files only. Electron binds it to `plinth://app/` and
 * `plinth-plugin://<key>/` with `protocol.handle` (main/electron/app-protocol.ts); the e2e
 * harness binds it to a Node http server on 127.0.0.1 and `<key>.test`. Both call
 * {@link handleAppRequest}, so the browser sees the same headers in tests as in the app.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { README_IMAGE_PATH } from '../../sdk/protocol/registry-catalog.ts';
import type { Host } from '../host/host.ts';
import type { ReadmeImages } from '../host/catalog/readme-images.ts';
import { CONFIG_VALIDATOR_PREFIX, TOOL_VALIDATOR_PREFIX, configValidatorModule } from './config-validator.ts';
import { frameCsp, pluginDocumentCsp, readmeImageCsp, shellCsp } from './csp.ts';
import { renderFrameDocument } from './frame-document.ts';
import { mimeTypeFor } from './mime.ts';
import type { AppOrigins } from './plugin-origins.ts';
import { SHELL_DOCUMENTS } from './shell-documents.ts';

/** One request as either binding sees it. `url` is absolute. */
export interface AppRequest { url: string; method: string }
/** The answer; `body` is empty for `HEAD`. */
export interface AppResponse { status: number; headers: Record<string, string>; body: Buffer | string }

/** The part of Node's `http.ServerResponse` that {@link sendAppResponse} writes to. */
export interface NodeHttpResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  end(body: Buffer | string): unknown;
}

/**
 * Writes an answer of {@link handleAppRequest} to a Node http response, for the servers that
 * stand in for Electron's protocol handler (the e2e harness, `plinth-plugin dev`). An answer
 * that failed becomes a 500 with the error's text.
 */
export function sendAppResponse(res: NodeHttpResponse, answering: Promise<AppResponse>): void {
  answering.then(
    (answer) => {
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    },
    (error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(error));
    },
  );
}
/** What the handler reads from. */
export interface AppProtocolDeps {
  /** The built renderer folder (`out/renderer`). */
  rendererDir: string;
  /**
   * `services` serves the tool forms' validators; without it `/tool-validators/` answers 404.
   * `readmeImages` fetches README images for {@link README_IMAGE_PATH}; without it that route answers 404.
   */
  host: {
    resolvePluginAsset: Host['resolvePluginAsset']; config: Pick<Host['config'], 'view'>;
    services?: { tools: Pick<Host['services']['tools'], 'get'> }; readmeImages?: Pick<ReadmeImages, 'fetch'>;
  };
  /** Which origin is the shell's and which are plugins'. */
  origins: AppOrigins;
}

/** Bytes of entropy in the frame document's nonce (128 bits, as CSP3 recommends). */
const NONCE_BYTES = 16;
/** URL prefix of plugin files: `/plugins/<urlencoded pluginId>/<path>`. */
export const PLUGINS_PREFIX = '/plugins/';

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
} as const;

function textResponse(status: number, text: string, method: string): AppResponse {
  return {
    status,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
    body: method === 'HEAD' ? '' : text,
  };
}

/** `scheme://host[:port]`; WHATWG URL reports `null` as the origin of non-special schemes such as `plinth:`. */
function originOf(url: URL): string {
  return `${url.protocol}//${url.host}`;
}

/**
 * Splits a URL path into decoded segments, or `null` when any segment could escape a folder:
 * `.`/`..` (also percent-encoded), an encoded `/` or `\`, a NUL byte, or bad encoding.
 */
export function safeSegments(pathname: string): string[] | null {
  if (pathname.includes('\\')) return null;
  const out: string[] = [];
  for (const raw of pathname.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    out.push(segment);
  }
  return out;
}

/** Reads a regular file whose real path lies inside `root`; `null` otherwise (missing, a folder, or a symlink out). */
async function readInside(root: string, relative: string[]): Promise<{ file: string; data: Buffer } | null> {
  if (relative.length === 0 || relative.some((s) => s === '')) return null;
  try {
    const realRoot = await fs.realpath(root);
    const real = await fs.realpath(path.join(realRoot, ...relative));
    if (!real.startsWith(realRoot + path.sep)) return null;
    const stat = await fs.stat(real);
    if (!stat.isFile()) return null;
    return { file: real, data: await fs.readFile(real) };
  } catch {
    return null;
  }
}

/** Decodes the plugin id segment; scoped ids arrive as one segment with an encoded `/` (`%40acme%2Fhello`). */
function decodePluginId(raw: string): string | null {
  try {
    const id = decodeURIComponent(raw);
    return id && !/[\\\0]/.test(id) && !id.split('/').some((part) => part === '.' || part === '..') ? id : null;
  } catch {
    return null;
  }
}

/** `owner`: the plugin whose origin asks (only its files), or `undefined` for the shell (icons of every plugin). */
async function servePluginFile(rawPath: string, origin: string, owner: string | undefined, method: string, deps: AppProtocolDeps): Promise<AppResponse> {
  const slash = rawPath.indexOf('/');
  const pluginId = slash > 0 ? decodePluginId(rawPath.slice(0, slash)) : null;
  const rest = slash > 0 ? safeSegments(rawPath.slice(slash)) : null;
  // A plugin's origin serves that plugin's files only: a frame cannot read another plugin's code or assets.
  if (owner !== undefined && pluginId !== owner) return textResponse(404, 'Not found', method);
  if (!pluginId || !rest || rest.length === 0 || rest.some((s) => s === '')) return textResponse(404, 'Not found', method);
  let resolved: string | null;
  try {
    resolved = await deps.host.resolvePluginAsset(pluginId, rest.join('/'));
  } catch {
    resolved = null;
  }
  if (!resolved) return textResponse(404, 'Not found', method);
  let data: Buffer;
  try {
    const stat = await fs.stat(resolved);
    if (!stat.isFile()) return textResponse(404, 'Not found', method);
    data = await fs.readFile(resolved);
  } catch {
    return textResponse(404, 'Not found', method);
  }
  const type = mimeTypeFor(resolved);
  const headers: Record<string, string> = {
    ...BASE_HEADERS,
    'Content-Type': type,
    // Plugin modules are fetched by opaque-origin frames: module scripts are CORS requests from origin `null`.
    'Access-Control-Allow-Origin': '*',
    // Any plugin file a frame navigates to (.html, .svg…) keeps the frame's limits: opaque origin, no network.
    'Content-Security-Policy': pluginDocumentCsp(origin, deps.origins.app),
  };
  return { status: 200, headers, body: method === 'HEAD' ? '' : data };
}

/** A generated validator module, as a 200 answer. */
function validatorResponse(source: string, method: string): AppResponse {
  return {
    status: 200,
    headers: { ...BASE_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' },
    body: method === 'HEAD' ? '' : source,
  };
}

/**
 * The precompiled validator module of a plugin's config form (main/shell/config-validator.ts).
 * Served without `Access-Control-Allow-Origin`: module scripts are CORS requests, so only the
 * shell's own documents can load it, never a plugin frame (opaque origin).
 */
function serveConfigValidator(rawId: string, method: string, deps: AppProtocolDeps): AppResponse {
  const pluginId = rawId.endsWith('.js') ? decodePluginId(rawId.slice(0, -'.js'.length)) : null;
  if (!pluginId) return textResponse(404, 'Not found', method);
  let source: string;
  try {
    const schema = deps.host.config.view(pluginId).schema;
    if (!schema) return textResponse(404, 'Not found', method);
    source = configValidatorModule(schema);
  } catch (error) {
    // An unknown plugin is NOT_FOUND; anything else is a schema ajv cannot compile.
    const notFound = (error as { code?: unknown }).code === 'NOT_FOUND';
    return textResponse(notFound ? 404 : 500, notFound ? 'Not found' : `Could not compile the settings schema: ${(error as Error).message}`, method);
  }
  return validatorResponse(source, method);
}

/**
 * The precompiled validator of a published tool's `parametersSchema` (the command palette's
 * tool form), by qualified tool name; like {@link serveConfigValidator}, not CORS-open.
 */
function serveToolValidator(rawName: string, method: string, deps: AppProtocolDeps): AppResponse {
  let name: string | null;
  try {
    name = rawName.endsWith('.js') ? decodeURIComponent(rawName.slice(0, -'.js'.length)) : null;
  } catch {
    name = null;
  }
  const entry = name ? deps.host.services?.tools.get(name) : undefined;
  if (!entry) return textResponse(404, 'Not found', method);
  let source: string;
  try {
    source = configValidatorModule(entry.tool.parametersSchema);
  } catch (error) {
    return textResponse(500, `Could not compile the tool's parametersSchema: ${(error as Error).message}`, method);
  }
  return validatorResponse(source, method);
}

/** HTTP status of a refused README image, by the fetcher's error code. */
function readmeImageStatus(error: unknown): number {
  const code = (error as { code?: unknown }).code;
  if (code === 'INVALID_INPUT') return (error as { data?: { unsupportedType?: unknown } }).data?.unsupportedType !== undefined ? 415 : 400;
  if (code === 'PAYLOAD_TOO_LARGE') return 413;
  if (code === 'TIMEOUT') return 504;
  if (code === 'NETWORK_ERROR') return 502;
  return 500;
}

/**
 * A remote README image, fetched by the main process (main/host/catalog/readme-images.ts). Only
 * the bytes and the image type go back: no header of the image's server (no Set-Cookie), with a
 * CSP that forbids scripts should the answer ever be opened as a document, and only for the
 * app origin's own pages (`Cross-Origin-Resource-Policy`), never a plugin frame.
 */
async function serveReadmeImage(url: URL, method: string, deps: AppProtocolDeps): Promise<AppResponse> {
  const images = deps.host.readmeImages;
  if (!images) return textResponse(404, 'Not found', method);
  const target = url.searchParams.get('url');
  if (!target) return textResponse(400, 'The url parameter is missing', method);
  try {
    const image = await images.fetch(target);
    return {
      status: 200,
      headers: { ...BASE_HEADERS, 'Content-Type': image.contentType, 'Content-Security-Policy': readmeImageCsp(), 'Cross-Origin-Resource-Policy': 'same-origin' },
      body: method === 'HEAD' ? '' : image.body,
    };
  } catch (error) {
    return textResponse(readmeImageStatus(error), (error as Error).message, method);
  }
}

/**
 * Answers one app-protocol request.
 *
 * Routes on the app origin: `/` and `/index.html` (main window), `/settings.html`,
 * `/plugins/<urlencoded pluginId>/<path>` (plugin icons the shell shows),
 * `/config-validators/<urlencoded pluginId>.js` (the config form's validators),
 * `/tool-validators/<urlencoded tool name>.js` (the palette's tool forms),
 * `/readme-image?url=<https URL>` (a README image fetched by the main process), and any other
 * built file under `rendererDir` except `frame/`. On a plugin's origin: `/frame.html` (plugin
 * frame, fresh nonce each time), `/frame/*` (frame bootstrap and vendor modules, CORS-open) and
 * `/plugins/<urlencoded pluginId>/<path>` of that plugin only (via `host.resolvePluginAsset`).
 * Never throws: other origins, paths that try to leave their folder, unknown files and plugins
 * give 404; methods other than GET/HEAD give 405.
 */
export async function handleAppRequest(req: AppRequest, deps: AppProtocolDeps): Promise<AppResponse> {
  const method = req.method.toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') {
    const response = textResponse(405, 'Method not allowed', method);
    response.headers.Allow = 'GET, HEAD';
    return response;
  }
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    return textResponse(400, 'Bad request', method);
  }
  const origin = originOf(url);
  const owner = origin === deps.origins.app ? undefined : deps.origins.pluginOf(origin);
  if (origin !== deps.origins.app && owner === undefined) return textResponse(404, 'Not found', method);
  if (owner !== undefined) return servePluginOrigin(url.pathname, origin, owner, method, deps);
  // The shell shows plugin icons; frames cannot load them from here (their CSP names only their own origin).
  if (url.pathname.startsWith(PLUGINS_PREFIX)) return servePluginFile(url.pathname.slice(PLUGINS_PREFIX.length), origin, undefined, method, deps);
  if (url.pathname.startsWith(CONFIG_VALIDATOR_PREFIX)) return serveConfigValidator(url.pathname.slice(CONFIG_VALIDATOR_PREFIX.length), method, deps);
  if (url.pathname.startsWith(TOOL_VALIDATOR_PREFIX)) return serveToolValidator(url.pathname.slice(TOOL_VALIDATOR_PREFIX.length), method, deps);
  if (url.pathname === README_IMAGE_PATH) return serveReadmeImage(url, method, deps);
  const segments = safeSegments(url.pathname);
  if (!segments || segments[0] === 'frame' || segments[0] === 'frame.html') return textResponse(404, 'Not found', method);
  return serveRendererFile(segments, method, deps);
}

/** What a plugin's origin serves: its frame document, the frame modules, its own files. */
async function servePluginOrigin(pathname: string, origin: string, owner: string, method: string, deps: AppProtocolDeps): Promise<AppResponse> {
  if (pathname.startsWith(PLUGINS_PREFIX)) return servePluginFile(pathname.slice(PLUGINS_PREFIX.length), origin, owner, method, deps);
  const segments = safeSegments(pathname);
  if (!segments) return textResponse(404, 'Not found', method);
  if (segments.join('/') === 'frame.html') {
    const nonce = randomBytes(NONCE_BYTES).toString('base64');
    return {
      status: 200,
      headers: { ...BASE_HEADERS, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': frameCsp(origin, deps.origins.app, nonce) },
      body: method === 'HEAD' ? '' : renderFrameDocument(nonce),
    };
  }
  if (segments[0] !== 'frame' || segments.length < 2) return textResponse(404, 'Not found', method);
  return serveRendererFile(segments, method, deps);
}

/** A built file of the renderer; HTML only for the two shell documents. */
async function serveRendererFile(segments: string[], method: string, deps: AppProtocolDeps): Promise<AppResponse> {
  const pathname = '/' + segments.join('/');
  const relative = pathname === '/' ? ['index.html'] : segments;
  const found = await readInside(deps.rendererDir, relative);
  if (!found) return textResponse(404, 'Not found', method);
  const type = mimeTypeFor(found.file);
  const headers: Record<string, string> = { ...BASE_HEADERS, 'Content-Type': type };
  if (type.startsWith('text/html')) {
    // Only the two shell documents are pages; any other HTML in the build is not served.
    if (!SHELL_DOCUMENTS.includes(pathname === '/' ? '/index.html' : pathname)) return textResponse(404, 'Not found', method);
    headers['Content-Security-Policy'] = shellCsp(deps.origins.pluginSource);
  }
  if (segments[0] === 'frame') headers['Access-Control-Allow-Origin'] = '*';
  return { status: 200, headers, body: method === 'HEAD' ? '' : found.data };
}
