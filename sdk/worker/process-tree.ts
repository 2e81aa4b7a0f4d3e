/**
 * The processes a worker started, so that none outlives its plugin. Two ways to find them,
 * because neither alone is enough: a process that detaches (`setsid`, a new process group)
 * leaves the worker's process group, and one whose parent exits is re-parented away from the
 * worker's tree. So every worker gets a mark in its environment, {@link WORKER_MARK_VAR},
 * which its children inherit, and at kill time the host takes the union of the worker's
 * descendants (by parent pid) and every process carrying its mark.
 *
 * Where each comes from:
 * - Linux: `/proc` gives parent pids and environments, so both ways work.
 * - macOS and other POSIX systems: `ps -A -o pid= -o ppid=` gives the parent pids, so the
 *   worker's descendants are found; other processes' environments are not readable there, so
 *   a descendant whose parent has already exited (re-parented to launchd) is not.
 * - Windows: `taskkill /PID <worker> /T /F` ends the worker with its tree of children. A job
 *   object (which would also hold a child whose parent exited) needs a native module and is not
 *   used.
 *
 * A program that clears its environment and double-forks before the worker is killed escapes
 * both: that is a `system.unsandboxed` plugin, which has full access to the computer anyway
 * (and a sandboxed worker cannot start processes at all).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';

/** The environment variable carrying a worker's mark; inherited by everything it starts. */
export const WORKER_MARK_VAR = 'PLINTH_WORKER_MARK';

/** A fresh mark for one worker process: unique per host process and worker. */
export function createWorkerMark(pluginId: string): string {
  return `${process.pid}.${randomBytes(6).toString('hex')}.${pluginId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

/** `child_process`, loaded only where it is used (not on Linux), so a worker does not pay for it. */
const childProcess = () => process.getBuiltinModule('node:child_process');

/**
 * Where the process table is read: `proc` (Linux's `/proc`, with environments), `ps` (any POSIX
 * system: parent pids only) or `none` (Windows, where `taskkill /T` walks the tree itself).
 */
export type ProcessTableSource = 'proc' | 'ps' | 'none';

/** The source this platform uses (decided once: the platform does not change while running). */
const PLATFORM_SOURCE: ProcessTableSource = process.platform === 'win32' ? 'none' : existsSync('/proc/self/stat') ? 'proc' : 'ps';

/** The source this platform uses. */
export function defaultProcessTableSource(): ProcessTableSource {
  return PLATFORM_SOURCE;
}

/** Parent pid of `pid` from `/proc/<pid>/stat`, or `undefined` when it is gone or unreadable. */
function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may contain spaces: parse after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** Every live process with its parent pid; empty when the table cannot be read. */
function processTable(source: ProcessTableSource): Array<{ pid: number; ppid: number }> {
  if (source === 'proc') {
    let names: string[];
    try {
      names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const ppid = parentOf(Number(name));
      return ppid === undefined ? [] : [{ pid: Number(name), ppid }];
    });
  }
  if (source === 'ps') {
    let text: string;
    try {
      text = childProcess().execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid='], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return [];
    }
    return text.split('\n').flatMap((line) => {
      const [pid, ppid] = line.trim().split(/\s+/).map(Number);
      return Number.isInteger(pid) && Number.isInteger(ppid) ? [{ pid: pid!, ppid: ppid! }] : [];
    });
  }
  return [];
}

/** True when the environment of `pid` (as it was at its exec) carries `mark`. */
function carriesMark(pid: number, mark: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${WORKER_MARK_VAR}=${mark}`);
  } catch {
    return false;
  }
}

/**
 * Every live process started by the worker `pid` or carrying `mark`, without `pid` itself and
 * without the calling process. The mark is only read where environments are (`proc`); the
 * result is empty with source `none`.
 *
 * @param source where the process table is read; default {@link defaultProcessTableSource}.
 */
export function findWorkerProcesses(pid: number | undefined, mark: string, source: ProcessTableSource = defaultProcessTableSource()): number[] {
  // Without a worker pid only the mark can find anything, and only /proc shows it.
  if (pid === undefined && source !== 'proc') return [];
  const table = processTable(source);
  const children = new Map<number, number[]>();
  for (const { pid: p, ppid: parent } of table) {
    const list = children.get(parent);
    if (list) list.push(p);
    else children.set(parent, [p]);
  }
  const found = new Set<number>();
  const queue = pid === undefined ? [] : [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.pop()!;
    if (found.has(p)) continue;
    found.add(p);
    queue.push(...(children.get(p) ?? []));
  }
  if (source === 'proc') for (const { pid: p } of table) if (!found.has(p) && carriesMark(p, mark)) found.add(p);
  found.delete(process.pid);
  if (pid !== undefined) found.delete(pid);
  return [...found];
}

/**
 * SIGKILLs every process of {@link findWorkerProcesses}. Processes are collected first, then
 * killed, so none can start another in between unnoticed except by racing this very call. On
 * Windows (source `none`) `taskkill /PID <pid> /T /F` ends the worker `pid` and its tree instead.
 *
 * @param source where the process table is read; default {@link defaultProcessTableSource}.
 * @returns the pids signalled (on Windows, just `pid` when taskkill was run).
 */
export function killWorkerProcesses(pid: number | undefined, mark: string, source: ProcessTableSource = defaultProcessTableSource()): number[] {
  if (source === 'none') {
    if (pid === undefined) return [];
    try {
      childProcess().execFileSync('taskkill', ['/PID', String(pid), '/T', '/F'], { stdio: 'ignore', windowsHide: true });
    } catch {
      // Already gone, or taskkill is missing: the launcher's own kill still ends the worker.
    }
    return [pid];
  }
  const pids = findWorkerProcesses(pid, mark, source);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}
