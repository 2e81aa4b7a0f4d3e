/**
 * The worker process entry, started by a launcher with `--plinth-entry=<abs path>`. The build
 * bundles it into ONE module, `sdk/dist/worker-runtime.mjs` (scripts/build-worker.ts), which is
 * what launchers fork: no TypeScript is stripped at run time in a worker.
 *
 * 1. Maps the bare specifier `@plinth/sdk` to this very module, which re-exports the SDK, so a
 *    plugin folder of plain ES modules without `node_modules` runs (CONTRACT §1) and shares the
 *    runtime's SDK instance.
 * 2. Turns unhandled promise rejections into warnings on stderr, the same in Node and in
 *    Electron's utilityProcess, so one forgotten `await` in a plugin does not kill its worker.
 * 3. With `--plinth-sandbox=<folder>`, has the runtime enter the sandbox (sandbox/index.ts)
 *    before the plugin's entry loads; without it (only for `system.unsandboxed`), the plugin
 *    runs as a full Node program.
 * 4. Picks the transport: Electron's `process.parentPort` (the first message carries the
 *    MessagePort) or Node's IPC channel, and serves `WorkerApi` on it. The process exits
 *    when the host closes the channel.
 */
export * from '../index.ts';
import process from 'node:process';
import { entryFromArgv, sandboxRootFromArgv } from './bootstrap-path.ts';
import { killWorkerProcesses, WORKER_MARK_VAR } from './process-tree.ts';
import { registerSdkSpecifier } from './sdk-specifier.ts';
import { serveWorker } from './serve.ts';
import { messagePortEndpoint, nodeIpcEndpoint, type ParentPortLike } from './transports.ts';

registerSdkSpecifier(import.meta.url);

process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  process.stderr.write(`[plinth] Unhandled promise rejection in plugin "${pluginId}" (the worker keeps running): ${text}\n`);
});

const pluginId = process.env.PLINTH_PLUGIN_ID ?? '?';
const entryPath = entryFromArgv(process.argv);
const sandboxRoot = sandboxRootFromArgv(process.argv);
const sandbox = sandboxRoot === undefined ? {} : { sandbox: { root: sandboxRoot } };
const exitWithHost = () => {
  // The host is gone (stopped, crashed or killed): an unsandboxed plugin's processes go with this worker.
  const mark = process.env[WORKER_MARK_VAR];
  if (sandboxRoot === undefined && mark) killWorkerProcesses(process.pid, mark);
  process.exit(0);
};
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
    serveWorker(messagePortEndpoint(port, exitWithHost), { entryPath, ...sandbox });
  });
} else if (process.send) {
  serveWorker(nodeIpcEndpoint(exitWithHost), { entryPath, ...sandbox });
} else {
  console.error('[plinth] The worker bootstrap found no host channel (neither process.parentPort nor an IPC channel)');
  process.exit(2);
}
