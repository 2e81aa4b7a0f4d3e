/**
 * `plinth-plugin dev` as a child process, the way an author starts it: the test reads the URL
 * from its `Open` line, and can check a socket upgrade the way a browser (or a stranger) sends it.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { authorEnv } from './author-env.ts';

/** A running `plinth-plugin dev`. */
export interface DevCli {
  child: ChildProcessWithoutNullStreams;
  /** The URL of the `Open` line (with the token). */
  url: string;
  /** Everything printed so far, stdout then stderr. */
  output(): string;
  /** Sends `signal` (default SIGTERM) and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `command args… dev dir --no-open --port 0` in `cwd` and resolves once it printed its URL.
 * @throws when the process exits first (with what it printed)
 */
export async function startDevCli(command: string, args: string[], dir: string, cwd?: string): Promise<DevCli> {
  const child = spawn(command, [...args, 'dev', dir, '--no-open', '--port', '0'], { stdio: ['pipe', 'pipe', 'pipe'], env: authorEnv(), ...(cwd ? { cwd } : {}) });
  const exited = once(child, 'exit') as Promise<[number | null]>;
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^ {2}Open {5}(\S+)$/m.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(([code]) => reject(new Error(`plinth-plugin dev exited with ${code} before printing its URL:\n${out}\n${err}`)));
  });
  return {
    child, url,
    output: () => `${out}\n${err}`,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}

/**
 * Opens the bridge socket of the dev shell at `url` with `token` and `Origin: origin`.
 * @returns the open socket, or the HTTP status the upgrade was refused with
 */
export function openBridgeSocket(url: string, token: string, origin: string): Promise<WebSocket | number> {
  const base = new URL(url);
  const target = `ws://${base.host}/__plinth/bridge?token=${encodeURIComponent(token)}&document=%2Findex.html`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target, { origin });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', reject); // no server there at all: fail at once rather than at the test's timeout
  });
}

/** Makes one call over an open bridge socket; resolves with main's `IpcResult`. */
export function callOverSocket(ws: WebSocket, method: string, payload?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as { id?: number; result?: never };
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message.result!);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, payload }));
  });
}

/**
 * The live worker processes (spare included) a host in process `pid` started, found by the mark
 * each carries in its environment (`PLINTH_WORKER_MARK=<host pid>.…`), so they are found even
 * after that process exited. Linux only (`/proc`).
 */
export function workersMarkedBy(pid: number): number[] {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').some((entry) => entry.startsWith(`PLINTH_WORKER_MARK=${pid}.`));
    } catch {
      return false; // gone meanwhile, or not ours to read
    }
  });
}

