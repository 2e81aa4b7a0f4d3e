/**
 * `npm run bench`: every Plinth benchmark in one run. Each line prints the measured value, the
 * physical floor it is compared with, and their ratio (how many times slower or bigger than the
 * floor: measured/floor for times and sizes, floor/measured for rates). Benchmarks, not tests:
 * nothing asserts. The load average is printed because the machine may be shared.
 */
import { cpus, loadavg } from 'node:os';
import { runEventBench } from './event-bench.ts';
import { runReloadBench } from './reload-bench.ts';
import { runStartupBench } from './startup-bench.ts';
import { runStateBench } from './state-bench.ts';
import { runWorkerBench } from './worker-bench.ts';

const started = performance.now();
console.log(`Plinth benchmarks — node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
await runWorkerBench();
await runEventBench();
await runStateBench();
await runStartupBench();
await runReloadBench();
console.log(`\nTotal ${((performance.now() - started) / 1000).toFixed(1)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
