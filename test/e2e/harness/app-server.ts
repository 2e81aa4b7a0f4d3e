/**
 * The harness's stand-in for Electron's `plinth://app` and `plinth-plugin://<key>` protocols: a
 * Node http server on 127.0.0.1 that answers every request with the same `handleAppRequest` the
 * app uses. The shell is `http://127.0.0.1:<port>`; each plugin's frames are
 * `http://<key>.test:<port>`, which Chromium resolves to the same server
 * (`--host-resolver-rules`, see chromium.ts), so every plugin is its own site as in the app.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAppRequest, sendAppResponse, type AppProtocolDeps } from '../../../main/shell/app-protocol.ts';
import { createAppOrigins, type AppOrigins } from '../../../main/shell/plugin-origins.ts';
import type { Host } from '../../../main/host/host.ts';

/** Host-name suffix of plugin origins in the harness (mapped to 127.0.0.1 by the browser). */
export const PLUGIN_HOST_SUFFIX = '.test';

/** A running app server. */
export interface AppServer {
  /** `http://127.0.0.1:<port>`, the app origin for this run. */
  origin: string;
  port: number;
  /** The shell's and the plugins' origins. */
  origins: AppOrigins;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startAppServer(deps: Omit<AppProtocolDeps, 'origins' | 'host'> & { host: AppProtocolDeps['host'] & Pick<Host, 'pluginIds'> }): Promise<AppServer> {
  // Known once the server listens (the port is part of every origin); no request arrives before.
  const known: { origins?: AppOrigins } = {};
  const server = http.createServer((req, res) => {
    // The Host header says which origin the browser asked for: the shell's or a plugin's.
    const url = `http://${req.headers.host ?? ''}${req.url ?? '/'}`;
    sendAppResponse(res, handleAppRequest({ url, method: req.method ?? 'GET' }, { ...deps, origins: known.origins! }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const origins = createAppOrigins(origin, `http://{key}${PLUGIN_HOST_SUFFIX}:${port}`, () => deps.host.pluginIds());
  known.origins = origins;
  return {
    origin, port, origins,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
