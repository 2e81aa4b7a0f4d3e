/**
 * Who may open the dev shell's bridge socket. The socket carries every `window.plinth` call,
 * so it is as powerful as the app's IPC: only the shell page the CLI opened may use it. A
 * WebSocket upgrade is not bound by the same-origin policy (any web page in the author's
 * browser may try `new WebSocket('ws://127.0.0.1:<port>/…')`), so the upgrade is checked here:
 *
 * - the random token the CLI put in the URL it opened, compared in constant time;
 * - the `Origin` the browser sends: exactly the shell's origin (a plugin frame has an opaque
 *   origin, `null`, and another site its own);
 * - the `Host` header: the loopback address the server listens on (no DNS-rebound name);
 * - the shell document the bridge runs in (`/index.html` or `/settings.html`), which becomes
 *   the sender URL the IPC handlers check, as Electron reports the sender frame.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { BRIDGE_SOCKET_PATH, DOCUMENT_PARAM, SHELL_DOCUMENTS, TOKEN_PARAM } from './socket-messages.ts';
/** Bytes of entropy in a token (256 bits). */
const TOKEN_BYTES = 32;

/** A fresh random token, URL-safe. */
export function createDevToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The parts of an upgrade request the check reads. */
export interface UpgradeRequest {
  /** The request target as sent, e.g. `/__plinth/bridge?token=…&document=%2Findex.html`. */
  url: string;
  headers: { origin?: string | undefined; host?: string | undefined };
}

/** The outcome of {@link checkUpgrade}: the shell document, or the HTTP status to refuse with and why. */
export type UpgradeCheck =
  | { ok: true; document: string }
  | { ok: false; status: 400 | 401 | 403 | 404; reason: string };

/** Constant-time comparison of two tokens (different lengths never match). */
export function tokenMatches(expected: string, presented: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(presented, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Decides whether an upgrade request may open the bridge socket.
 * @param appOrigin the shell's origin, `http://127.0.0.1:<port>`
 * @param token the token of this dev session
 */
export function checkUpgrade(request: UpgradeRequest, appOrigin: string, token: string): UpgradeCheck {
  let url: URL;
  try {
    url = new URL(request.url, appOrigin);
  } catch {
    return { ok: false, status: 400, reason: 'Bad request' };
  }
  if (url.pathname !== BRIDGE_SOCKET_PATH) return { ok: false, status: 404, reason: 'Not found' };
  if (request.headers.host !== new URL(appOrigin).host) {
    return { ok: false, status: 403, reason: `Refused: the socket is served on ${new URL(appOrigin).host} only` };
  }
  if (request.headers.origin !== appOrigin) {
    return { ok: false, status: 403, reason: `Refused: only the dev shell's own page (${appOrigin}) may connect, not ${request.headers.origin ?? 'a request without an Origin'}` };
  }
  if (!tokenMatches(token, url.searchParams.get(TOKEN_PARAM) ?? '')) {
    return { ok: false, status: 401, reason: 'Refused: wrong or missing token; open the URL plinth-plugin dev printed' };
  }
  const document = url.searchParams.get(DOCUMENT_PARAM) ?? '';
  if (!SHELL_DOCUMENTS.includes(document)) return { ok: false, status: 403, reason: `Refused: ${document || 'no document'} is not a shell window` };
  return { ok: true, document };
}
