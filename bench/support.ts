/** Shared helpers of the benchmarks: percentiles, RSS of a pid, tiny plugin folders, printing. */
import { readFileSync } from 'node:fs';

/** The p-th percentile (0..100) of `samples` (ms), nearest-rank. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? NaN;
}

/** Resident set size of a process in bytes (Linux `/proc/<pid>/status` VmRSS). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}

/** Formats ms with 3 significant decimals. */
export const ms = (value: number): string => `${value.toFixed(3)} ms`;
/** Formats bytes as MB. */
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
/** Formats a ratio. */
export const ratio = (value: number): string => `${value.toFixed(2)}×`;

/** Prints one benchmark line: name, measured value, floor, ratio. */
export function report(name: string, measured: string, floor: string, r: number): void {
  console.log(`${name.padEnd(44)} ${measured.padStart(14)}  floor ${floor.padStart(14)}  ratio ${ratio(r)}`);
}
