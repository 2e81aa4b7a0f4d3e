/**
 * The harness's stand-in for Electron's `plinth://app` protocol: a Node http server on
 * 127.0.0.1 that answers every request with the same `handleAppRequest` the app uses.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAppRequest, type AppProtocolDeps } from '../../../main/shell/app-protocol.ts';

/** A running app server. */
export interface AppServer {
  /** `http://127.0.0.1:<port>`, the app origin for this run. */
  origin: string;
  close(): Promise<void>;
}

/** Starts the server on a free loopback port. */
export async function startAppServer(deps: AppProtocolDeps): Promise<AppServer> {
  let origin = '';
  const server = http.createServer((req, res) => {
    handleAppRequest({ url: origin + (req.url ?? '/'), method: req.method ?? 'GET' }, deps).then(
      (answer) => {
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
