/**
 * The worker process entry, started by a launcher with `--plinth-entry=<abs path>`.
 *
 * 1. Maps the bare specifier `@plinth/sdk` to this SDK (the very module instance imported
 *    below), so a plugin folder of plain ES modules without `node_modules` runs (CONTRACT §1).
 *    `module.registerHooks` is synchronous and in-thread (Node ≥ 22.15, Electron 45).
 * 2. Turns unhandled promise rejections into warnings on stderr, the same in Node and in
 *    Electron's utilityProcess, so one forgotten `await` in a plugin does not kill its worker.
 * 3. Picks the transport: Electron's `process.parentPort` (the first message carries the
 *    MessagePort) or Node's IPC channel, and serves `WorkerApi` on it. The process exits
 *    when the host closes the channel.
 */
import { registerHooks } from 'node:module';
import '../index.ts';
import { entryFromArgv } from './bootstrap-path.ts';
import { serveWorker } from './serve.ts';
import { messagePortEndpoint, nodeIpcEndpoint, type ParentPortLike } from './transports.ts';

const ownPath = new URL(import.meta.url).pathname;
/** URL of the SDK entry imported above: same extension as this file, so it is one module. */
const SDK_URL = new URL(`../index${ownPath.slice(ownPath.lastIndexOf('.'))}`, import.meta.url).href;
/** The bare specifier plugins import the worker SDK by (CONTRACT §5). */
const SDK_SPECIFIER = '@plinth/sdk';

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === SDK_SPECIFIER) return { url: SDK_URL, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});

process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  console.warn(`[plinth] Unhandled promise rejection in plugin "${process.env.PLINTH_PLUGIN_ID ?? '?'}" (the worker keeps running): ${text}`);
});

const entryPath = entryFromArgv(process.argv);
const exitWithHost = () => process.exit(0);
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;

if (!entryPath) {
  console.error('[plinth] The worker bootstrap needs --plinth-entry=<path>; it is started by the Plinth host, not by hand');
  process.exit(2);
} else if (parentPort) {
  parentPort.once('message', (event) => {
    const port = event.ports[0];
    if (!port) {
      console.error('[plinth] The host sent no MessagePort');
      process.exit(2);
    }
    serveWorker(messagePortEndpoint(port, exitWithHost), { entryPath });
  });
} else if (process.send) {
  serveWorker(nodeIpcEndpoint(exitWithHost), { entryPath });
} else {
  console.error('[plinth] The worker bootstrap found no host channel (neither process.parentPort nor an IPC channel)');
  process.exit(2);
}
