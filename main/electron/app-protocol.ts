/**
 * Binds the app protocol (`plinth://app/` for the shell, `plinth-plugin://<key>/` for each
 * plugin's frames) to main/shell/app-protocol.ts. The schemes must be registered as privileged
 * before `app` is ready: standard (real origins, so each plugin key is its own site and gets its
 * own renderer process, and relative URLs), secure (like https), fetch and CORS support (plugin
 * frames load modules as CORS requests).
 */
import { protocol, type Session } from 'electron';
import { handleAppRequest, type AppProtocolDeps } from '../shell/app-protocol.ts';

/** The app's URL scheme. */
export const APP_SCHEME = 'plinth';
/** Origin of every shell document. */
export const APP_ORIGIN = `${APP_SCHEME}://app`;
/** The scheme of plugin frames: one origin per plugin, `plinth-plugin://<key>` (main/shell/plugin-origins.ts). */
export const PLUGIN_SCHEME = 'plinth-plugin';
/** The plugin origin template for `createAppOrigins`. */
export const PLUGIN_ORIGIN_TEMPLATE = `${PLUGIN_SCHEME}://{key}`;

/**
 * Registers the schemes' privileges; call before `app.whenReady()`. `codeCache` lets V8 keep the
 * compiled code of the shell's and the frames' scripts (React DOM among them) between loads, as
 * it does for http(s): every plugin frame is a process of its own and would otherwise compile
 * the same scripts from scratch at each start (bench/README.md, dashboard group).
 */
export function registerAppScheme(): void {
  const privileges = { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, codeCache: true };
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges },
    { scheme: PLUGIN_SCHEME, privileges },
  ]);
}

/** Serves both schemes in `session` with the shared handler (it tells the origins apart). */
export function serveAppProtocol(session: Session, deps: AppProtocolDeps): void {
  for (const scheme of [APP_SCHEME, PLUGIN_SCHEME]) {
    session.protocol.handle(scheme, async (request) => {
      const answer = await handleAppRequest({ url: request.url, method: request.method }, deps);
      const body = typeof answer.body === 'string' ? answer.body : new Uint8Array(answer.body);
      return new Response(request.method === 'HEAD' ? null : body, { status: answer.status, headers: answer.headers });
    });
  }
}
