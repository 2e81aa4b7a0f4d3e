/**
 * Builds the app into out/ (run: `node scripts/build.ts`):
 * - out/renderer/          the shell windows (vite, two HTML entries)
 * - out/renderer/frame/    the plugin frame bootstrap, `@plinth/sdk/ui` and ESM wrappers of
 *                          React (esbuild, ONE run with splitting so React is one instance)
 * - out/preload/index.cjs  the preload, one CommonJS file (sandboxed preloads cannot require files)
 * - out/main, out/sdk      main process and SDK as ESM .js (tsc -p tsconfig.build.json)
 * - sdk/dist/worker-runtime.mjs, copied to out/sdk/dist/   the ONE bundled worker runtime every
 *                          launcher forks (scripts/build-worker.ts)
 * Flags: `--skip-tsc` skips the main-process emit (the e2e harness needs only the renderer).
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { buildWorkerRuntime, WORKER_RUNTIME_FILE } from './build-worker.ts';
import { FRAME_BOOTSTRAP_FILE, FRAME_MODULES, FRAME_STYLESHEET_FILE } from '../main/shell/frame-document.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(ROOT, 'out');
const FRAME_OUT = path.join(OUT, 'renderer', 'frame');
/** Chromium of Electron 45 (and Debian's, for the e2e harness) runs this level of JS natively. */
const BROWSER_TARGET = 'chrome140';
const VENDOR_NAMESPACE = 'plinth-vendor';
/** Specifiers esbuild bundles from node_modules; '@plinth/sdk/ui' is our own source. */
const SDK_UI_ENTRY = path.join(ROOT, 'sdk', 'ui', 'index.ts');

// React picks its production build from NODE_ENV at require time; the wrappers must list those exports.
process.env.NODE_ENV = 'production';
const require = createRequire(import.meta.url);
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * An ESM wrapper of a CommonJS package: its `module.exports` as default plus one explicit named
 * export per key, enumerated now, because esbuild cannot see CJS export names statically.
 */
export function vendorWrapper(specifier: string): string {
  const names = Object.keys(require(specifier) as object).filter((name) => IDENTIFIER.test(name) && name !== 'default');
  return [
    `import mod from ${JSON.stringify(specifier)};`,
    'export default mod;',
    ...names.map((name) => `export const ${name} = mod.${name};`),
    '',
  ].join('\n');
}

const vendorPlugin: esbuild.Plugin = {
  name: VENDOR_NAMESPACE,
  setup(build) {
    build.onResolve({ filter: new RegExp(`^${VENDOR_NAMESPACE}:`) }, (args) => ({
      path: args.path.slice(VENDOR_NAMESPACE.length + 1),
      namespace: VENDOR_NAMESPACE,
    }));
    build.onLoad({ filter: /.*/, namespace: VENDOR_NAMESPACE }, (args) => ({
      contents: vendorWrapper(args.path),
      resolveDir: ROOT,
      loader: 'js',
    }));
  },
};

/** esbuild options of the frame bootstrap, `@plinth/sdk/ui` and the React wrappers, sharing chunks. */
export function frameBuildOptions(): esbuild.BuildOptions {
  const entryPoints = Object.entries(FRAME_MODULES).map(([specifier, file]) => ({
    in: specifier === '@plinth/sdk/ui' ? SDK_UI_ENTRY : `${VENDOR_NAMESPACE}:${specifier}`,
    out: file.replace(/\.js$/, ''),
  }));
  entryPoints.push({ in: path.join(ROOT, 'renderer', 'frame', 'bootstrap.tsx'), out: FRAME_BOOTSTRAP_FILE.replace(/\.js$/, '') });
  return {
    entryPoints,
    outdir: FRAME_OUT,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: BROWSER_TARGET,
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    chunkNames: 'chunks/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [vendorPlugin],
    logLevel: 'warning',
  };
}

/** Copies the frame's base stylesheet next to its modules. */
export async function copyFrameStylesheet(): Promise<void> {
  await copyFile(path.join(ROOT, 'renderer', 'frame', 'frame.css'), path.join(FRAME_OUT, FRAME_STYLESHEET_FILE));
}

async function buildFrame(): Promise<void> {
  await esbuild.build(frameBuildOptions());
  await copyFrameStylesheet();
}

/** esbuild options of the preload: one CommonJS file, `electron` left external. */
export function preloadBuildOptions(): esbuild.BuildOptions {
  return {
    entryPoints: [path.join(ROOT, 'preload', 'index.ts')],
    outfile: path.join(OUT, 'preload', 'index.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node22',
    external: ['electron'],
    logLevel: 'warning',
  };
}

async function buildPreload(): Promise<void> {
  await esbuild.build(preloadBuildOptions());
}

/** Path of the vite config. */
export const VITE_CONFIG = path.join(ROOT, 'vite.config.ts');

async function buildShell(): Promise<void> {
  await viteBuild({ configFile: VITE_CONFIG, logLevel: 'warn' });
}

/** Repository root. */
export const REPO_ROOT = ROOT;

function runTsc(): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: ROOT });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tsc -p tsconfig.build.json exited with ${code}`))));
  });
}

/** Runs every step; steps are independent, so they run in parallel. */
export async function buildAll(options: { tsc?: boolean } = {}): Promise<void> {
  await rm(OUT, { recursive: true, force: true });
  await mkdir(FRAME_OUT, { recursive: true });
  const steps: Array<[string, Promise<void>]> = [
    ['renderer', buildShell()],
    ['frame', buildFrame()],
    ['preload', buildPreload()],
  ];
  const worker = buildWorkerRuntime();
  steps.push(['worker runtime', worker]);
  if (options.tsc !== false) {
    // The built app's SDK (out/sdk) finds the runtime in its own dist/ folder, as the sources do.
    const copied = worker.then(() => mkdir(path.join(OUT, 'sdk', 'dist'), { recursive: true }))
      .then(() => copyFile(WORKER_RUNTIME_FILE, path.join(OUT, 'sdk', 'dist', path.basename(WORKER_RUNTIME_FILE))));
    steps.push(['main (tsc)', runTsc()], ['worker runtime into out/sdk', copied]);
  }
  const results = await Promise.allSettled(steps.map(([, p]) => p));
  const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [`${steps[i]?.[0]}: ${String(r.reason)}`] : []));
  if (failed.length > 0) throw new Error(`Build failed:\n${failed.join('\n')}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  buildAll({ tsc: !process.argv.includes('--skip-tsc') }).then(
    () => console.log(`Built out/ in ${((Date.now() - started) / 1000).toFixed(1)} s`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
