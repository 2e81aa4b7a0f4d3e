/**
 * Builds the worker runtime: `sdk/worker/bootstrap.ts` and everything it imports (the SDK,
 * comlink) bundled by esbuild into ONE ES module, `sdk/dist/worker-runtime.mjs`. It is what
 * every launcher forks (Electron's utilityProcess, the Node launcher of the CLI, the tests and
 * the benchmarks), so no worker ever strips TypeScript at run time, and it lives inside the SDK
 * folder so a packed SDK ships it (`defaultBootstrapPath()` in sdk/worker/bootstrap-path.ts).
 *
 * Run: `node scripts/build-worker.ts` (also part of `node scripts/build.ts`, `npm install`'s
 * `prepare` and `npm run test:unit`). `--if-stale` rebuilds only when a bundled source changed.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The bootstrap source the bundle is made from. */
export const WORKER_RUNTIME_SOURCE = path.join(ROOT, 'sdk', 'worker', 'bootstrap.ts');
/** Where the bundle is written; must match `defaultBootstrapPath()` run from the sources. */
export const WORKER_RUNTIME_FILE = path.join(ROOT, 'sdk', 'dist', 'worker-runtime.mjs');
/** Sidecar listing the bundle's inputs (esbuild metafile), so a stale bundle is detected. */
const INPUTS_FILE = `${WORKER_RUNTIME_FILE}.inputs.json`;

/** esbuild options of the worker runtime. Not minified: stack traces of plugin errors stay readable. */
export function workerRuntimeBuildOptions(): esbuild.BuildOptions & { write: false; metafile: true } {
  return {
    entryPoints: [WORKER_RUNTIME_SOURCE],
    bundle: true,
    format: 'esm',
    platform: 'node',
    // Electron 45 ships Node 22; the CLI requires Node ≥ 22.12 (package.json engines).
    target: 'node22',
    // comlink's `main` is a UMD build; its ES module build bundles without a CommonJS shim.
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    legalComments: 'inline',
    // Non-ASCII characters escaped: one character above U+00FF makes V8 keep the whole source
    // (every worker parses it) as two-byte text, about 0.7 MB instead of 0.35 MB per worker.
    // Comments esbuild keeps are not escaped, so the sources' comments stay Latin-1 (checked by
    // test/integration/worker-bundled-sdk.test.ts).
    charset: 'ascii',
    logLevel: 'warning',
  };
}

/**
 * Bundles the worker runtime into `outfile`. The file is replaced atomically (written beside it,
 * then renamed), so test processes building at the same time never fork a half-written bundle.
 *
 * @param outfile destination (default {@link WORKER_RUNTIME_FILE}).
 * @throws Error when esbuild reports an error (the message lists them).
 */
export async function buildWorkerRuntime(outfile = WORKER_RUNTIME_FILE): Promise<void> {
  const result = await esbuild.build(workerRuntimeBuildOptions());
  const code = result.outputFiles[0]?.contents;
  if (!code) throw new Error('esbuild produced no worker runtime');
  await mkdir(path.dirname(outfile), { recursive: true });
  const tmp = `${outfile}.${process.pid}.tmp`;
  await writeFile(tmp, code);
  await rename(tmp, outfile);
  if (outfile === WORKER_RUNTIME_FILE) {
    const inputs = Object.keys(result.metafile.inputs).map((input) => path.resolve(ROOT, input));
    const tmpInputs = `${INPUTS_FILE}.${process.pid}.tmp`;
    await writeFile(tmpInputs, JSON.stringify(inputs));
    await rename(tmpInputs, INPUTS_FILE);
  }
}

/** True when the bundle is missing or older than any file it was built from. */
export function workerRuntimeIsStale(): boolean {
  if (!existsSync(WORKER_RUNTIME_FILE) || !existsSync(INPUTS_FILE)) return true;
  const builtAt = statSync(WORKER_RUNTIME_FILE).mtimeMs;
  const inputs = JSON.parse(readFileSync(INPUTS_FILE, 'utf8')) as string[];
  return inputs.some((input) => !existsSync(input) || statSync(input).mtimeMs > builtAt);
}

/** Builds the bundle when {@link workerRuntimeIsStale}; cheap (a few `stat`s) when it is current. */
export async function ensureWorkerRuntime(): Promise<void> {
  if (workerRuntimeIsStale()) await buildWorkerRuntime();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const build = process.argv.includes('--if-stale') ? ensureWorkerRuntime() : buildWorkerRuntime();
  build.then(
    () => console.log(`Worker runtime ${path.relative(ROOT, WORKER_RUNTIME_FILE)} ready in ${Date.now() - started} ms`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
