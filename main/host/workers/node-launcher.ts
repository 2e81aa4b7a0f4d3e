/**
 * The Node launcher: the worker bootstrap in a child Node process, used by tests, the CLI
 * and benchmarks. Same semantics as the Electron launcher: scrubbed env, heap cap,
 * unhandled rejections warn, stdout/stderr piped, one JSON IPC channel as the raw endpoint.
 *
 * The child gets a Node IPC channel exactly as `fork` gives it (`NODE_CHANNEL_FD`, JSON
 * serialisation), but the host reads its end of the pipe itself (ipc-lines-endpoint.ts), so
 * bytes a hostile worker writes to the channel can end that worker and never the host.
 */
import { fork, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { dirname } from 'node:path';
import type { RawEndpoint } from '@plinth/sdk/rpc/endpoint';
import { PlinthError } from '@plinth/sdk/protocol/errors';
import { defaultBootstrapPath, WORKER_SPARE_ARG, workerArgs } from '@plinth/sdk/worker/bootstrap-path';
import { createIpcLinesEndpoint } from './ipc-lines-endpoint.ts';
import { watchWorkerOutput } from './output-lines.ts';
import { type WorkerExit, type WorkerLauncher, type WorkerProcess, workerCwd } from './launcher.ts';
import { buildWorkerEnv } from './worker-env.ts';

/** Options of {@link createNodeLauncher}. */
export interface NodeLauncherOptions {
  /** The worker runtime to fork; default: the bundled `dist/worker-runtime.mjs` of the SDK (`defaultBootstrapPath`). */
  bootstrapPath?: string;
}

/**
 * Creates a launcher that forks the worker bootstrap with Node.
 * The child gets `--max-old-space-size=<heapMb>` and `--unhandled-rejections=warn` (the
 * parent's `execArgv` is not inherited), the env of `buildWorkerEnv`, and
 * `--plinth-entry=<entry>` as its argument (`--plinth-spare` for a spare worker, `spawnSpare`).
 * `spawn` throws `PlinthError` `NOT_READY` when the worker runtime was not built, saying how to build it.
 */
export function createNodeLauncher(options: NodeLauncherOptions = {}): WorkerLauncher {
  const bootstrapPath = options.bootstrapPath ?? defaultBootstrapPath();

  function start(args: string[], heapMb: number, extraEnv: Record<string, string>, cwd: string): WorkerProcess {
    if (!existsSync(bootstrapPath)) {
      throw new PlinthError('NOT_READY', `The worker runtime ${bootstrapPath} is missing; build it with \`npm run build:worker\` (or \`npm run build\`)`);
    }
    const execArgv = [`--max-old-space-size=${heapMb}`, '--unhandled-rejections=warn'];
    const env = buildWorkerEnv(extraEnv);
    // Windows pipes frame IPC differently from a plain pipe, so there the channel stays Node's own.
    const child = process.platform === 'win32'
      ? fork(bootstrapPath, args, { cwd, env, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' })
      : spawn(process.execPath, [...execArgv, bootstrapPath, ...args], {
        cwd,
        // What `fork` sets up: Node in the child opens fd 3 as its IPC channel (and removes these from its env).
        env: { ...env, NODE_CHANNEL_FD: '3', NODE_CHANNEL_SERIALIZATION_MODE: 'json' },
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      });

    const output = watchWorkerOutput(child.stdout, child.stderr);

    const exited = new Promise<WorkerExit>((resolve) => {
      const finish = async (code: number | null, signal: string | null) => {
        await output.drain();
        resolve({ code, signal, outOfMemory: output.outOfMemory });
      };
      child.once('exit', (code, signal) => void finish(code, signal));
      // 'error' without 'exit' means the process never started.
      child.on('error', (error) => {
        if (child.pid === undefined) {
          output.emit('stderr', `[plinth] The worker process could not start: ${error.message}`);
          void finish(null, null);
        }
      });
    });

    const endpoint: RawEndpoint = process.platform !== 'win32' ? createIpcLinesEndpoint(child.stdio[3] as Duplex) : {
      postMessage(message) {
        // The callback receives "channel closed" errors; exit handling reports the crash.
        if (child.connected) child.send(message as never, undefined, undefined, () => undefined);
      },
      onMessage(listener) {
        const handler = (message: unknown) => listener(message);
        child.on('message', handler);
        return () => child.off('message', handler);
      },
      close() {
        if (child.connected) child.disconnect();
      },
    };

    // SIGKILL: a plugin may trap SIGTERM. Safe after exit.
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    return { endpoint, get pid() { return child.pid; }, onOutput: output.onOutput, kill, exited };
  }

  return {
    spawn(entry, opts): WorkerProcess {
      return start(workerArgs(entry, opts.sandboxRoot), opts.heapMb, { ...opts.env, PLINTH_PLUGIN_ID: opts.pluginId }, workerCwd(entry, opts.cwd));
    },
    spawnSpare(opts): WorkerProcess {
      // A neutral working directory until the assignment moves it to the plugin's folder.
      return start([WORKER_SPARE_ARG], opts.heapMb, opts.env, dirname(bootstrapPath));
    },
  };
}
