/**
 * Memory and CPU of a worker process for the Running plugins view, read from
 * `/proc/<pid>/stat` and `/proc/<pid>/status` on Linux. Other platforms have no `/proc`; there
 * every figure is `null` and the view shows "n/a" (Electron's `app.getAppMetrics()` could fill
 * them in the Electron adapter later).
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * Clock ticks per second of the CPU times in `/proc/<pid>/stat` (USER_HZ). The kernel reports
 * them in USER_HZ, which is 100 on every Linux ABI Node runs on, whatever the kernel's HZ.
 */
export const CLOCK_TICKS_PER_SECOND = 100;
/** Time between the two CPU samples of {@link measureProcess}: 25 ticks, enough for a stable %. */
export const CPU_SAMPLE_MS = 250;

/** Resource use of one process. `null` where the platform cannot tell or the process is gone. */
export interface ProcessStats {
  /** Resident set size (bytes). */
  rssBytes: number | null;
  /** CPU used between two samples as a percentage of ONE core (like `top`; may exceed 100). */
  cpuPercent: number | null;
}

/** One reading of a process. */
export interface ProcessSample {
  /** User + system CPU time used since the process started (seconds). */
  cpuSeconds: number;
  rssBytes: number;
  /** When the sample was taken (`performance.now()`, ms). */
  at: number;
}

/**
 * The CPU times of a `/proc/<pid>/stat` line, in clock ticks. The command name (field 2) is in
 * parentheses and may itself contain spaces and `)`, so fields are counted after the LAST `)`.
 * @throws Error when the text is not a stat line.
 */
export function parseProcStat(text: string): { utimeTicks: number; stimeTicks: number } {
  const close = text.lastIndexOf(')');
  // After ")": state (field 3), ppid (4), … utime (14), stime (15).
  const fields = close < 0 ? [] : text.slice(close + 1).trim().split(/\s+/);
  const utimeTicks = Number(fields[11]);
  const stimeTicks = Number(fields[12]);
  if (!Number.isFinite(utimeTicks) || !Number.isFinite(stimeTicks) || fields.length < 13) {
    throw new Error('Not a /proc/<pid>/stat line');
  }
  return { utimeTicks, stimeTicks };
}

/** The `VmRSS` of a `/proc/<pid>/status` text in bytes, or `null` when absent (kernel threads, zombies). */
export function parseVmRss(text: string): number | null {
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(text);
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * Reads one sample of process `pid`; `null` when the process is gone, `/proc` is missing (not
 * Linux) or unreadable. Never throws.
 */
export async function readProcessSample(pid: number): Promise<ProcessSample | null> {
  if (process.platform !== 'linux' || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    const [stat, status] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/status`, 'utf8'),
    ]);
    const { utimeTicks, stimeTicks } = parseProcStat(stat);
    const rssBytes = parseVmRss(status);
    if (rssBytes === null) return null;
    return { cpuSeconds: (utimeTicks + stimeTicks) / CLOCK_TICKS_PER_SECOND, rssBytes, at: performance.now() };
  } catch {
    return null;
  }
}

/** CPU % of one core between two samples of the same process (0 when no time passed). */
export function cpuPercentBetween(earlier: ProcessSample, later: ProcessSample): number {
  const wallSeconds = (later.at - earlier.at) / 1000;
  if (wallSeconds <= 0) return 0;
  return Math.max(0, ((later.cpuSeconds - earlier.cpuSeconds) / wallSeconds) * 100);
}

/**
 * Measures process `pid`: RSS from the second sample and CPU % over `sampleMs`
 * (default {@link CPU_SAMPLE_MS}). Both `null` off Linux or when the process is gone; never
 * throws. A caller refreshing regularly can keep its own samples and use
 * {@link readProcessSample} + {@link cpuPercentBetween} instead of waiting.
 */
export async function measureProcess(pid: number, options: { sampleMs?: number } = {}): Promise<ProcessStats> {
  const first = await readProcessSample(pid);
  if (!first) return { rssBytes: null, cpuPercent: null };
  await delay(options.sampleMs ?? CPU_SAMPLE_MS);
  const second = await readProcessSample(pid);
  if (!second) return { rssBytes: null, cpuPercent: null };
  return { rssBytes: second.rssBytes, cpuPercent: cpuPercentBetween(first, second) };
}
