/**
 * The processes a worker started, so that none outlives its plugin. Two ways to find them,
 * because neither alone is enough: a process that detaches (`setsid`, a new process group)
 * leaves the worker's process group, and one whose parent exits is re-parented away from the
 * worker's tree. So every worker gets a mark in its environment, {@link WORKER_MARK_VAR},
 * which its children inherit, and at kill time the host takes the union of the worker's
 * descendants (by parent pid) and every process carrying its mark.
 *
 * Linux reads `/proc`; elsewhere only the worker process itself is known (its children are
 * not tracked there yet). A program that clears its environment and double-forks before the
 * worker is killed escapes both: that is a `system.unsandboxed` plugin, which has full access
 * to the computer anyway (and a sandboxed worker cannot start processes at all).
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import process from 'node:process';

/** The environment variable carrying a worker's mark; inherited by everything it starts. */
export const WORKER_MARK_VAR = 'PLINTH_WORKER_MARK';

/** A fresh mark for one worker process: unique per host process and worker. */
export function createWorkerMark(pluginId: string): string {
  return `${process.pid}.${randomBytes(6).toString('hex')}.${pluginId.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
}

const procPids = (): number[] => {
  try {
    return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  } catch {
    return [];
  }
};

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
 * without the calling process. Empty where there is no `/proc`.
 */
export function findWorkerProcesses(pid: number | undefined, mark: string): number[] {
  const pids = procPids();
  const children = new Map<number, number[]>();
  for (const p of pids) {
    const parent = parentOf(p);
    if (parent === undefined) continue;
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
  for (const p of pids) if (!found.has(p) && carriesMark(p, mark)) found.add(p);
  found.delete(process.pid);
  if (pid !== undefined) found.delete(pid);
  return [...found];
}

/**
 * SIGKILLs every process of {@link findWorkerProcesses}. Processes are collected first, then
 * killed, so none can start another in between unnoticed except by racing this very call.
 *
 * @returns the pids signalled.
 */
export function killWorkerProcesses(pid: number | undefined, mark: string): number[] {
  const pids = findWorkerProcesses(pid, mark);
  for (const p of pids) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return pids;
}
