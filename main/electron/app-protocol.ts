/**
 * Binds the app protocol (`plinth://app/`) to main/shell/app-protocol.ts. The scheme must be
 * registered as privileged before `app` is ready: standard (real origins and relative URLs),
 * secure (like https), fetch and CORS support (plugin frames load modules as CORS requests).
 */
import { protocol, type Session } from 'electron';
import { handleAppRequest, type AppProtocolDeps } from '../shell/app-protocol.ts';

/** The app's URL scheme. */
export const APP_SCHEME = 'plinth';
/** Origin of every shell document. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** Registers the scheme's privileges; call before `app.whenReady()`. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  ]);
}

/** Serves the scheme in `session` with the shared handler. */
export function serveAppProtocol(session: Session, deps: AppProtocolDeps): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const answer = await handleAppRequest({ url: request.url, method: request.method }, deps);
    const body = typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body);
    return new Response(request.method === 'HEAD' ? null : body, { status: answer.status, headers: answer.headers });
  });
}
