/**
 * The worker process entry, started by a launcher with `--plinth-entry=<abs path>`. The build
 * bundles it into ONE module, `sdk/dist/worker-runtime.mjs` (scripts/build-worker.ts), which is
 * what launchers fork: no TypeScript is stripped at run time in a worker.
 *
 * 1. Maps the bare specifier `@plinth/sdk` to this very module, which re-exports the SDK, so a
 *    plugin folder of plain ES modules without `node_modules` runs (docs/plugin-api.md §1) and shares the
 *    runtime's SDK instance.
 * 2. Turns unhandled promise rejections into warnings on stderr, the same in Node and in
 *    Electron's utilityProcess, so one forgotten `await` in a plugin does not kill its worker.
 * 3. With `--plinth-sandbox=<folder>`, has the runtime enter the sandbox (sandbox/index.ts)
 *    before the plugin's entry loads; without it (only for `system.unsandboxed`), the plugin
 *    runs as a full Node program.
 * 4. With `--plinth-spare` (a spare worker, started before the host knows its plugin), hardens
 *    the process for the sandbox at once, says it is ready and waits for the host's assignment
 *    (entry, plugin folder, working directory, environment), then serves that plugin.
 * 5. Picks the transport: Electron's `process.parentPort` (the first message carries the
 *    MessagePort) or Node's IPC channel, and serves `WorkerApi` on it. The process exits
 *    when the host closes the channel.
 */
export * from '../index.ts';
import process from 'node:process';
import type { RawEndpoint } from '../rpc/endpoint.ts';
import { entryFromArgv, isSpareAssignment, sandboxRootFromArgv, type SpareReady, WORKER_SPARE_ARG } from './bootstrap-path.ts';
import { killWorkerProcesses, WORKER_MARK_VAR } from './process-tree.ts';
import { registerSdkSpecifier } from './sdk-specifier.ts';
import { prepareSandbox, serveWorker } from './serve.ts';
import { messagePortEndpoint, nodeIpcEndpoint, type ParentPortLike } from './transports.ts';

registerSdkSpecifier(import.meta.url);

process.on('unhandledRejection', (reason) => {
  const text = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
  process.stderr.write(`[plinth] Unhandled promise rejection in plugin "${pluginId}" (the worker keeps running): ${text}\n`);
});

let pluginId = process.env.PLINTH_PLUGIN_ID ?? '?';
const spare = process.argv.includes(WORKER_SPARE_ARG);
const entryPath = entryFromArgv(process.argv);
const sandboxRoot = sandboxRootFromArgv(process.argv);
const sandbox = sandboxRoot === undefined ? {} : { sandbox: { root: sandboxRoot } };
const exitWithHost = () => {
  // The host is gone (stopped, crashed or killed): an unsandboxed plugin's processes go with this worker.
  const mark = process.env[WORKER_MARK_VAR];
  if (!spare && sandboxRoot === undefined && mark) killWorkerProcesses(process.pid, mark);
  process.exit(0);
};

/** Serves the plugin of the arguments, or (a spare) hardens first and serves the plugin the host assigns. */
function run(endpoint: RawEndpoint): void {
  if (!spare) {
    serveWorker(endpoint, { entryPath: entryPath!, ...sandbox });
    return;
  }
  void prepareSandbox().then(() => {
    const unsubscribe = endpoint.onMessage((message) => {
      if (!isSpareAssignment(message)) return;
      unsubscribe();
      pluginId = message.pluginId;
      Object.assign(process.env, message.env, { PLINTH_PLUGIN_ID: message.pluginId });
      process.chdir(message.cwd);
      serveWorker(endpoint, { entryPath: message.entry, sandbox: { root: message.sandboxRoot } });
    });
    const ready: SpareReady = { plinthSpare: 'ready' };
    endpoint.postMessage(ready);
  }, (error: unknown) => {
    // The host sees the spare exit before it was ready and starts the worker the ordinary way.
    process.stderr.write(`[plinth] The spare worker could not harden itself: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;

if (!entryPath && !spare) {
  console.error('[plinth] The worker bootstrap needs --plinth-entry=<path>; it is started by the Plinth host, not by hand');
  process.exit(2);
} else if (parentPort) {
  parentPort.once('message', (event) => {
    const port = event.ports[0];
    if (!port) {
      console.error('[plinth] The host sent no MessagePort');
      process.exit(2);
    }
    run(messagePortEndpoint(port, exitWithHost));
  });
} else if (process.send) {
  run(nodeIpcEndpoint(exitWithHost));
} else {
  console.error('[plinth] The worker bootstrap found no host channel (neither process.parentPort nor an IPC channel)');
  process.exit(2);
}
