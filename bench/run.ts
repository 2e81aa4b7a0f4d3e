/**
 * `npm run bench`: every Plinth benchmark in one run. Each line prints the measured value, the
 * physical floor it is compared with, and their ratio. Benchmarks, not tests: nothing asserts.
 */
import { runWorkerBench } from './worker-bench.ts';

console.log(`Plinth benchmarks — node ${process.version}, ${process.platform}/${process.arch}`);
await runWorkerBench();
