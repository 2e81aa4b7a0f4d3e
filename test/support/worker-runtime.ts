/**
 * Imported (for its effect) by every test helper that forks workers: rebuilds the bundled worker
 * runtime (sdk/dist/worker-runtime.mjs) when a source it is made from changed, so a test run
 * on its own (`node --test test/integration/x.test.ts`) never forks a stale or missing bundle.
 * `npm run test:unit` builds it once up front; then this costs a few `stat` calls per process.
 */
import { ensureWorkerRuntime } from '../../scripts/build-worker.ts';

await ensureWorkerRuntime();
