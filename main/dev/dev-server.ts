/**
 * The shell in the author's browser, for `plinth-plugin dev`: the same app protocol the app and
 * the e2e harness serve (main/shell/app-protocol.ts) on a Node http server bound to 127.0.0.1,
 * and the same IPC handler table (main/shell/ipc-handlers.ts: sender check, zod schema per
 * method, handler) reached over a local WebSocket instead of Electron IPC.
 *
 * - The shell is `http://127.0.0.1:<port>`; each plugin's frames get their own site,
 *   `http://<key>.localhost:<port>` (browsers resolve `*.localhost` to the loopback address).
 * - Every shell document gets the bridge script (browser/bridge-entry.ts) ahead of its modules.
 * - The socket is refused unless it presents this session's token, comes from the shell's own
 *   origin and names a shell document (auth.ts); main → renderer events go down the same socket.
 */
import { STATUS_CODES, createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Host } from '@plinth/host';
import { handleAppRequest, sendAppResponse, type AppResponse } from '../shell/app-protocol.ts';
import { createIpcHandlers } from '../shell/ipc-handlers.ts';
import { createAppOrigins, type AppOrigins } from '../shell/plugin-origins.ts';
import type { IpcPushTarget } from '../shell/stream-subscriptions.ts';
import type { AppInfo, MainEvents } from '../../preload/api.ts';
import { PlinthError } from '../../sdk/protocol/errors.ts';
import { checkUpgrade, createDevToken } from './auth.ts';
import { devBridgeScript } from './bridge-bundle.ts';
import { BRIDGE_SCRIPT_PATH, TOKEN_PARAM, parseCallMessage, type EventMessage, type ResultMessage } from './socket-messages.ts';

/** Largest message the browser may send (bytes): a call's payload, e.g. a config form. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** WebSocket close code for a message that is not a call (RFC 6455 "policy violation"). */
const CLOSE_POLICY = 1008;

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  /** The host core the shell shows (started). */
  host: Host;
  /** The built renderer folder (`out/renderer`). */
  rendererDir: string;
  /** What `window.plinth.appInfo()` reports. */
  appInfo: AppInfo;
  /** Port on 127.0.0.1; default 0, a free one. */
  port?: number;
  /** Opens a link the user chose to open in the system browser (the shell asks first); default: refused. */
  openExternal?: (url: string) => Promise<void> | void;
}

/** A running dev server. */
export interface DevServer {
  /** `http://127.0.0.1:<port>`, the shell's origin. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  /** The shell's and the plugins' origins. */
  readonly origins: AppOrigins;
  /**
   * The URL to open: the main window with the token, at the hash route `route` (e.g. `/dev/my-plugin`).
   */
  url(route?: string): string;
  /** Number of bridge sockets open now (one per shell tab). */
  connections(): number;
  /** Closes every socket and the server. */
  close(): Promise<void>;
}

/** The shell document with the bridge script as its first script. */
function withBridgeScript(answer: AppResponse): AppResponse {
  const html = answer.body.toString();
  const tag = `<script src="${BRIDGE_SCRIPT_PATH}"></script>`;
  const at = html.indexOf('<head>');
  const body = at < 0 ? `${tag}${html}` : `${html.slice(0, at + '<head>'.length)}${tag}${html.slice(at + '<head>'.length)}`;
  return { ...answer, body };
}

/** Refuses an upgrade with a plain HTTP answer and closes the connection. */
function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${reason}\n`);
}

/** Starts the server on 127.0.0.1. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { host } = options;
  const token = createDevToken();
  const known: { origins?: AppOrigins } = {};
  const sockets = new Set<WebSocket>();

  const server = createServer((req, res) => {
    const origins = known.origins!;
    // The Host header says which origin the browser asked for: the shell's or a plugin's.
    const url = `http://${req.headers.host ?? ''}${req.url ?? '/'}`;
    const method = req.method ?? 'GET';
    const isShell = req.headers.host === new URL(origins.app).host;
    const answering: Promise<AppResponse> = isShell && new URL(url).pathname === BRIDGE_SCRIPT_PATH
      ? devBridgeScript().then((script) => ({
        status: 200,
        headers: { 'Content-Type': 'text/javascript; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' },
        body: method === 'HEAD' ? '' : script,
      }))
      : handleAppRequest({ url, method }, { rendererDir: options.rendererDir, host, origins }).then((answer) =>
        (isShell && answer.status === 200 && method !== 'HEAD' && answer.headers['Content-Type']?.startsWith('text/html') ? withBridgeScript(answer) : answer));
    sendAppResponse(res, answering);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new PlinthError('CONFLICT', `Port ${options.port} on 127.0.0.1 is in use: choose another with --port, or leave it out for a free one`)
        : error);
    });
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const origins = createAppOrigins(origin, `http://{key}.localhost:${port}`, () => host.pluginIds());
  known.origins = origins;

  const send = (ws: WebSocket, message: ResultMessage | EventMessage): Promise<void> => new Promise((resolve) => {
    if (ws.readyState !== ws.OPEN) {
      resolve(); // a tab that is closing misses the message, as a closed window would
      return;
    }
    ws.send(JSON.stringify(message), () => resolve());
  });

  const broadcast = <E extends keyof MainEvents>(event: E, payload: MainEvents[E]) => {
    for (const ws of sockets) void send(ws, { event, payload });
  };
  const { dispatch, streams } = createIpcHandlers({
    host,
    appInfo: options.appInfo,
    pluginOrigin: origins.pluginOrigin,
    // The bridge opens the settings tab itself (browser/bridge-entry.ts); nothing to do here.
    openSettings: () => undefined,
    // Every tab follows the theme preference (renderer/src/theme.ts): a browser has no nativeTheme.
    onPreferencesChanged: (preferences) => broadcast('preferences.changed', preferences),
    ...(options.openExternal ? { openExternal: options.openExternal } : {}),
  });

  let nextSocketId = 1;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const connected = (ws: WebSocket, document: string) => {
    sockets.add(ws);
    const sender = { url: `${origin}${document}`, isMainFrame: true };
    const target: IpcPushTarget = {
      id: `socket:${nextSocketId++}`,
      push: <E extends keyof MainEvents>(event: E, payload: MainEvents[E]) => send(ws, { event, payload }),
      onGone: (listener) => void ws.once('close', listener),
    };
    ws.once('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      const call = isBinary ? null : parseCallMessage(data.toString());
      if (!call) {
        ws.close(CLOSE_POLICY, 'Not a call');
        return;
      }
      void dispatch(call.method, call.payload, { ...sender, target }, origin).then((result) => send(ws, { id: call.id, result }));
    });
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const check = checkUpgrade({ url: req.url ?? '/', headers: req.headers }, origin, token);
    if (!check.ok) {
      refuseUpgrade(socket, check.status, check.reason);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => connected(ws, check.document));
  });

  const stops = [
    host.onPluginsChanged((event) => broadcast('plugins.changed', event)),
    host.onPermissionRequests(() => broadcast('permissions.changed', {})),
  ];

  let closing: Promise<void> | undefined;
  return {
    origin, port, token, origins,
    url: (route = '/') => `${origin}/index.html?${new URLSearchParams({ [TOKEN_PARAM]: token })}#${route}`,
    connections: () => sockets.size,
    close() {
      closing ??= (async () => {
        for (const stop of stops) stop();
        streams.closeAll();
        for (const ws of sockets) ws.terminate();
        await new Promise<void>((resolve) => wss.close(() => resolve()));
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}
