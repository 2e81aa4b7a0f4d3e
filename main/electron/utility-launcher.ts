/**
 * The Electron launcher: one `utilityProcess` per plugin worker, talking over a
 * `MessageChannelMain` whose second port is handed to the child in its first message
 * (the bootstrap reads it from `process.parentPort`). Same semantics as the Node launcher:
 * scrubbed env, heap cap, output piped line by line, one raw endpoint. Call only after
 * `app` is ready (utilityProcess requirement).
 */
import { MessageChannelMain, utilityProcess } from 'electron';
import { dirname } from 'node:path';
import type { RawEndpoint } from '../../sdk/rpc/endpoint.ts';
import { defaultBootstrapPath, WORKER_SPARE_ARG, workerArgs } from '../../sdk/worker/bootstrap-path.ts';
import { type WorkerExit, type WorkerLauncher, type WorkerProcess, workerCwd } from '../host/workers/launcher.ts';
import { watchWorkerOutput } from '../host/workers/output-lines.ts';
import { buildWorkerEnv } from '../host/workers/worker-env.ts';

/** Options of {@link createElectronLauncher}. */
export interface ElectronLauncherOptions {
  /** The bootstrap module (a `.js` file of the build); default: beside the built SDK. */
  bootstrapPath?: string;
}

/**
 * Creates a launcher over Electron's utilityProcess.
 * The heap cap is passed as the V8 flag `--js-flags=--max-old-space-size=<heapMb>` (the
 * utility process takes Chromium switches in `execArgv`, V8 flags through `--js-flags`).
 * Unhandled rejections only warn: the bootstrap installs an `unhandledRejection` listener.
 * `spawnSpare` forks the same bootstrap with `--plinth-spare` (a spare sandboxed worker whose
 * plugin the host assigns later over the same MessagePort).
 */
export function createElectronLauncher(options: ElectronLauncherOptions = {}): WorkerLauncher {
  const bootstrapPath = options.bootstrapPath ?? defaultBootstrapPath();

  function start(args: string[], heapMb: number, extraEnv: Record<string, string>, cwd: string, serviceName: string): WorkerProcess {
    const child = utilityProcess.fork(bootstrapPath, args, {
      cwd,
      env: buildWorkerEnv(extraEnv),
      execArgv: [`--js-flags=--max-old-space-size=${heapMb}`],
      stdio: 'pipe',
      serviceName,
    });
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ type: 'plinth:port' }, [port2]);

    let running = true;
    const output = watchWorkerOutput(child.stdout, child.stderr);
    // V8 fatal errors (heap exhaustion among them) are also reported as an 'error' event.
    child.on('error', (_type, location) => {
      if (/out of memory|heap/i.test(location)) output.markOutOfMemory();
    });

    const exited = new Promise<WorkerExit>((resolve) => {
      child.once('exit', (code) => {
        running = false;
        port1.close();
        void output.drain().then(() => resolve({ code, signal: null, outOfMemory: output.outOfMemory }));
      });
    });

    let portClosed = false;
    const endpoint: RawEndpoint = {
      postMessage(message) {
        if (!portClosed) port1.postMessage(message);
      },
      onMessage(listener) {
        const handler = (event: { data: unknown }) => listener(event.data);
        port1.on('message', handler);
        port1.start();
        return () => port1.off('message', handler);
      },
      close() {
        portClosed = true;
        port1.close();
      },
    };

    const kill = () => {
      if (!running) return;
      // SIGKILL where there are signals: a plugin may trap SIGTERM, which kill() sends.
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(child.pid, 'SIGKILL');
      else child.kill();
    };
    return { endpoint, get pid() { return child.pid; }, onOutput: output.onOutput, kill, exited };
  }

  return {
    spawn(entry, opts): WorkerProcess {
      return start(workerArgs(entry, opts.sandboxRoot), opts.heapMb, { ...opts.env, PLINTH_PLUGIN_ID: opts.pluginId },
        workerCwd(entry, opts.cwd), `Plinth plugin ${opts.pluginId}`);
    },
    spawnSpare(opts): WorkerProcess {
      // A neutral working directory until the assignment moves it to the plugin's folder.
      return start([WORKER_SPARE_ARG], opts.heapMb, opts.env, dirname(bootstrapPath), 'Plinth plugin (spare)');
    },
  };
}
