/**
 * `npm run bench`: every Plinth benchmark in one run. Each line prints the measured value, the
 * physical floor it is compared with (measured in the same run), their ratio (how many times
 * slower or bigger than the floor: measured/floor for times and sizes, floor/measured for
 * rates) and the target, then a table of every figure. bench/README.md says how each floor is made.
 *
 * Flags:
 * - `--quick`  fewer samples and configurations (the CI perf check; about 30 s on an idle machine).
 * - `--check`  exit 1 when a figure is a gross regression: its ratio more than
 *              {@link GROSS_REGRESSION}× its target (hot reload, whose target is an absolute
 *              time: more than `RELOAD_CHECK_LIMIT`× its notify + fork floor). A group with such a figure is measured again
 *              (up to {@link CHECK_ATTEMPTS} times in all) and its best ratio counts, because a
 *              shared 2-core machine can slow one run down; a real regression fails every time.
 *              On a machine loaded past {@link OVERLOADED_PER_CORE} per core a failure is
 *              printed but not judged (exit 0).
 * - `--only=worker,events,…`  run only these groups (names below); `dashboard` runs in `--quick` only when named here.
 * Benchmarks, not tests: nothing else asserts. The load average is printed because the machine may be shared.
 */
import { cpus, loadavg } from 'node:os';
import { runDashboardBench } from './dashboard-bench.ts';
import { runEventBench } from './event-bench.ts';
import { runMemoryBench } from './memory-bench.ts';
import { runReloadBench } from './reload-bench.ts';
import { runSandboxBench } from './sandbox-bench.ts';
import { runStartupBench } from './startup-bench.ts';
import { runStateBench } from './state-bench.ts';
import { meets, ratio, RELOAD_CHECK_LIMIT, results, type BenchOptions, type BenchResult } from './support.ts';
import { runWorkerBench } from './worker-bench.ts';

/** A figure fails the check past this multiple of its target. */
export const GROSS_REGRESSION = 2;
/** Measurements of a group in check mode before a gross regression counts. */
export const CHECK_ATTEMPTS = 3;
/**
 * 1-minute load per core past which a failing check is reported but not judged: with several
 * times more runnable work than cores, a figure and its floor are no longer slowed alike.
 */
export const OVERLOADED_PER_CORE = 4;

const GROUPS: Record<string, (options: BenchOptions) => Promise<void>> = {
  worker: runWorkerBench,
  events: runEventBench,
  state: runStateBench,
  memory: runMemoryBench,
  startup: runStartupBench,
  reload: runReloadBench,
  sandbox: runSandboxBench,
  dashboard: runDashboardBench,
};
/** Groups `--quick` (the CI check) leaves out unless `--only` names them: each takes far longer than the check's budget (bench/README.md). */
const NOT_QUICK = new Set(['dashboard']);

const args = process.argv.slice(2);
const options: BenchOptions = { quick: args.includes('--quick') };
const check = args.includes('--check');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
const unknown = only?.filter((name) => !(name in GROUPS)) ?? [];
if (unknown.length > 0) {
  console.error(`Unknown benchmark group(s) ${unknown.join(', ')}; the groups are ${Object.keys(GROUPS).join(', ')}`);
  process.exit(2);
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const limitOf = (r: BenchResult) => r.checkLimit ?? (r.target === undefined ? Infinity : GROSS_REGRESSION * r.target);
const gross = (r: BenchResult) => r.ratio > limitOf(r);

const started = performance.now();
console.log(`Plinth benchmarks${options.quick ? ' (quick)' : ''} — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load ${load()}`);

const final: BenchResult[] = [];
for (const [name, run] of Object.entries(GROUPS)) {
  if (only ? !only.includes(name) : options.quick && NOT_QUICK.has(name)) continue;
  let best: BenchResult[] | undefined;
  for (let attempt = 1; attempt <= (check ? CHECK_ATTEMPTS : 1); attempt++) {
    const from = results.length;
    await run(options);
    const these = results.slice(from);
    // Per figure, the better of this attempt and the earlier ones.
    best = best ? best.map((prev, i) => (these[i] && these[i].ratio < prev.ratio ? these[i] : prev)) : these;
    if (!best.some(gross)) break;
    if (check && attempt < CHECK_ATTEMPTS) console.log(`  (${best.filter(gross).map((r) => r.name).join('; ')} over ${GROSS_REGRESSION}× target; measuring ${name} again, load ${load()})`);
  }
  final.push(...(best ?? []));
}

console.log(`\nSummary (ratio = measured / floor; target = the ratio to reach)`);
console.log(`| figure | measured | floor | ratio | target | |`);
console.log(`|---|---|---|---|---|---|`);
for (const r of final) {
  const verdict = r.target === undefined ? '' : meets(r) ? 'met' : gross(r) ? 'GROSS REGRESSION' : 'not met';
  console.log(`| ${r.name.trim()} | ${r.measured} | ${r.floor} | ${ratio(r.ratio)} | ${r.target === undefined ? '—' : `≤ ${ratio(r.target)}`} | ${verdict} |`);
}
const targeted = final.filter((r) => r.target !== undefined);
console.log(`\n${targeted.filter(meets).length} of ${targeted.length} targets met. Total ${((performance.now() - started) / 1000).toFixed(1)} s; load ${load()}`);

if (check) {
  const failed = final.filter(gross);
  const perCore = loadavg()[0]! / cpus().length;
  if (failed.length > 0 && perCore > OVERLOADED_PER_CORE) {
    // Ratios stop meaning anything when other work outnumbers the cores several times over.
    console.warn(`\nPerf check NOT JUDGED: ${failed.map((r) => r.name.trim()).join('; ')} over the limit, but the machine is overloaded (load ${load()} on ${cpus().length} cores, over ${OVERLOADED_PER_CORE} per core). Re-run on a quieter machine.`);
  } else if (failed.length > 0) {
    console.error(`\nPerf check FAILED: ${failed.map((r) => `${r.name.trim()} at ${ratio(r.ratio)} (limit ${ratio(limitOf(r))})`).join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log(`Perf check passed: no figure over ${GROSS_REGRESSION}× its target (hot reload: over ${RELOAD_CHECK_LIMIT}× its floor).`);
  }
}
