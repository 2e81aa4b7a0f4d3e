/** Shared helpers of the benchmarks: percentiles, RSS of a pid, printing and collecting results against their targets. */
import { readFileSync } from 'node:fs';

/** How a benchmark run is sized. `quick` is the CI perf check (`npm run perf:check`): fewer samples, same figures. */
export interface BenchOptions { quick: boolean }

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
/** Formats a rate per second. */
export const rate = (value: number): string => `${Math.round(value)}/s`;
/** Formats a ratio. */
export const ratio = (value: number): string => `${value.toFixed(2)}×`;

/** One printed figure. `ratio` is how many times slower or bigger than the floor (floor/measured for rates). */
export interface BenchResult {
  name: string;
  measured: string;
  floor: string;
  ratio: number;
  /** The target for the ratio (≤), when the figure has one. */
  target?: number;
  /**
   * Ratio past which the CI check fails (default 2 × `target`); `Infinity` for a figure the
   * check must not judge (an absolute time, which a loaded machine moves without any regression).
   */
  checkLimit?: number;
}

/** Every figure reported in this process, in order (bench/run.ts prints the table and checks them). */
export const results: BenchResult[] = [];

/** True when the figure has a target and meets it. */
export const meets = (result: BenchResult): boolean => result.target === undefined || result.ratio <= result.target;

/** Prints one benchmark line (name, measured value, floor, ratio, target and whether it is met) and records it. */
export function report(name: string, measured: string, floor: string, r: number, target?: number, checkLimit?: number): void {
  const result: BenchResult = { name, measured, floor, ratio: r, ...(target !== undefined ? { target } : {}), ...(checkLimit !== undefined ? { checkLimit } : {}) };
  results.push(result);
  const goal = target === undefined ? '' : `  target ≤ ${ratio(target)} ${meets(result) ? 'met' : 'NOT MET'}`;
  console.log(`${name.padEnd(48)} ${measured.padStart(14)}  floor ${floor.padStart(14)}  ratio ${ratio(r).padStart(7)}${goal}`);
}

/** The targets of the performance issue, each a ratio measured in one run (bench/README.md explains each floor). */
export const TARGETS = {
  activation: 1.3,
  idleRss: 1.15,
  callP50: 1.3,
  fanoutThroughput: 1.5,
  fanoutP50: 2,
  state: 1.3,
  start50Lazy: 1.15,
  start10OnStartup: 1.2,
  /** Hot reload: ≤ 200 ms absolute; as a ratio of the notify + fork floor it has no fixed target. */
  reloadMs: 200,
} as const;

/**
 * Rate limits of the benchmark hosts: far above any rate measured, so a loop of calls is
 * measured rather than refused. The limiter still runs on every call, as it does in the app.
 */
export const UNLIMITED_RATES = {
  ui: { perSecond: 1e9, burst: 1e9 },
  worker: { perSecond: 1e9, burst: 1e9 },
};

/**
 * The CI check's limit for hot reload against its notify + fork floor. The target is
 * absolute (200 ms), which a loaded machine misses with no regression; the ratio moves less.
 * Measured 1.3–2.7× on a loaded 2-core machine: past 5× the debounce or the restart regressed.
 */
export const RELOAD_CHECK_LIMIT = 5;
