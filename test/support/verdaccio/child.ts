/**
 * The Verdaccio child process of `start-verdaccio.ts`: runs a real npm registry from the config
 * file given as argv[2], listening on 127.0.0.1 at a port the OS picks, and reports that port
 * over IPC once the socket listens (the readiness signal). It ends when the parent disconnects.
 */
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfigFile, runServer } from 'verdaccio';

const configPath = process.argv[2];
if (!configPath || !process.send) throw new Error('usage: child.ts <config.yaml>, forked with an IPC channel');
readFileSync(configPath); // fails early with the path when the file is missing
const app = (await runServer(parseConfigFile(configPath))) as {
  listen(port: number, host: string, cb: () => void): Server;
};
const server = app.listen(0, '127.0.0.1', () => {
  process.send?.({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => {
  server.close();
  process.exit(0);
});
