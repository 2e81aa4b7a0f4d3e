/**
 * Builds the npm packages plugin authors install outside this repository:
 * - `@plinth/sdk`: the worker API, `./ui`, `./testing`, the `plinth-plugin` bin and the bundled
 *   worker runtime, as JavaScript with `.d.ts` beside every module;
 * - `@plinth/host`: the host core the harness and the CLI run, as JavaScript with `.d.ts`;
 * - `create-plinth-plugin`: the scaffolder behind `npm create plinth-plugin`.
 *
 * Each is staged under `out/packages/<name>/` from `tsc` output (relative `.ts` imports
 * rewritten to `.js`), with a package.json whose `exports` point at the `.js` files and their
 * types, then packed with `npm pack` into `out/packages/*.tgz`.
 *
 * Run: `node scripts/build-packages.ts` (prints the tarball paths, one per line).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildWorkerRuntime, WORKER_RUNTIME_FILE } from './build-worker.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Where the packages are staged and packed. */
export const PACKAGES_DIR = path.join(ROOT, 'out', 'packages');
const TREE = path.join(PACKAGES_DIR, 'tree');

type PackageJson = Record<string, unknown> & { name: string; version: string; exports?: Record<string, unknown>; dependencies?: Record<string, string> };

/** `./x.ts` (or a `*` pattern) → `{ types: './x.d.ts', default: './x.js' }`. */
export function compiledExports(exports: Record<string, unknown>): Record<string, { types: string; default: string }> {
  return Object.fromEntries(Object.entries(exports).map(([subpath, target]) => {
    const base = String(target).replace(/\.ts$/, '');
    return [subpath, { types: `${base}.d.ts`, default: `${base}.js` }];
  }));
}

/**
 * Compiles `sdk/` and `main/host/` with tsc into {@link TREE}. Type errors are the job of
 * `npm run typecheck`, so this only emits (`--noCheck`); a declaration that cannot be written
 * fails the build, except in `preload/`, which no package ships (the host's view-model types
 * reach it, and they are not part of any author-facing type).
 */
async function compile(): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.packages.json'), '--noCheck'], { cwd: ROOT })
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  const problems = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line) && !line.startsWith('preload/'));
  if (problems.length > 0) throw new Error(`tsc could not emit the packages:\n${problems.join('\n')}`);
}

async function readJson(file: string): Promise<PackageJson> {
  return JSON.parse(await readFile(file, 'utf8')) as PackageJson;
}

async function writeManifest(dir: string, manifest: PackageJson): Promise<void> {
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

const COMMON = {
  license: 'MIT',
  engines: { node: '>=22.12' },
  repository: { type: 'git', url: 'https://github.com/plinth-app/plinth' },
};

async function stageSdk(): Promise<string> {
  const dir = path.join(PACKAGES_DIR, 'sdk');
  const source = await readJson(path.join(ROOT, 'sdk', 'package.json'));
  await cp(path.join(TREE, 'sdk'), dir, { recursive: true });
  await buildWorkerRuntime();
  await cp(WORKER_RUNTIME_FILE, path.join(dir, 'dist', 'worker-runtime.mjs'));
  for (const file of ['README.md', 'testing/README.md', 'cli/node-version.js', 'cli/node-version.d.ts']) {
    await cp(path.join(ROOT, 'sdk', file), path.join(dir, file));
  }
  // bin.js loads the CLI's TypeScript entry from the sources; the package ships it compiled.
  const bin = await readFile(path.join(ROOT, 'sdk', 'cli', 'bin.js'), 'utf8');
  await writeFile(path.join(dir, 'cli', 'bin.js'), bin.replace("import('./main.ts')", "import('./main.js')"), { mode: 0o755 });
  const { private: _private, ...rest } = source;
  await writeManifest(dir, {
    ...rest, ...COMMON,
    exports: compiledExports((source.exports ?? {}) as Record<string, unknown>),
    types: './index.d.ts',
    bin: { 'plinth-plugin': './cli/bin.js' },
    keywords: ['plinth', 'plinth-plugin', 'plugin-sdk'],
    peerDependenciesMeta: { react: { optional: true } },
  });
  return dir;
}

async function stageHost(): Promise<string> {
  const dir = path.join(PACKAGES_DIR, 'host');
  const source = await readJson(path.join(ROOT, 'main', 'host', 'package.json'));
  await cp(path.join(TREE, 'main', 'host'), dir, { recursive: true });
  const { private: _private, ...rest } = source;
  await writeManifest(dir, { ...rest, ...COMMON, exports: compiledExports(source.exports ?? {}), types: './host.d.ts' });
  return dir;
}

async function stageCreate(): Promise<string> {
  const dir = path.join(PACKAGES_DIR, 'create-plinth-plugin');
  await cp(path.join(ROOT, 'packages', 'create-plinth-plugin'), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  return dir;
}

/** Packs `dir` with `npm pack` into {@link PACKAGES_DIR}; resolves with the tarball's path. */
async function pack(dir: string): Promise<string> {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', PACKAGES_DIR], { cwd: dir });
  const [info] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!info) throw new Error(`npm pack printed nothing for ${dir}`);
  return path.join(PACKAGES_DIR, info.filename);
}

/** Builds and packs every package; resolves with the tarball paths (sdk, host, create). */
export async function buildPackages(): Promise<string[]> {
  await rm(PACKAGES_DIR, { recursive: true, force: true });
  await mkdir(PACKAGES_DIR, { recursive: true });
  await compile();
  const dirs = [await stageSdk(), await stageHost(), await stageCreate()];
  const tarballs: string[] = [];
  for (const dir of dirs) tarballs.push(await pack(dir));
  return tarballs;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildPackages().then(
    (tarballs) => { for (const tarball of tarballs) console.log(tarball); },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
