/**
 * Builds the npm packages plugin authors install outside this repository:
 * - `@plinth/sdk`: the worker API, `./ui`, `./testing`, the `plinth-plugin` bin and the bundled
 *   worker runtime, as JavaScript with `.d.ts` beside every module;
 * - `@plinth/host`: the host core the harness and the CLI run, as JavaScript with `.d.ts`;
 * - `create-plinth-plugin`: the scaffolder behind `npm create plinth-plugin`;
 * - `@plinth/dev-shell`: the shell `plinth-plugin dev` serves (main/dev bundled into one module
 *   whose imports of the host core and the SDK are the packages', the built renderer, and the
 *   built bridge script), with the `.d.ts` of its entry and of what they import. It depends on `@plinth/sdk` and `@plinth/host`, as main/dev sits above
 *   both (docs/architecture.md); `@plinth/sdk` names it as an optional peer, which the author
 *   installs for `plinth-plugin dev`.
 *
 * Each is staged under `out/packages/<name>/` from `tsc` output (relative `.ts` imports
 * rewritten to `.js`), with a package.json whose `exports` point at the `.js` files and their
 * types, then packed with `npm pack` into `out/packages/*.tgz`.
 *
 * Run: `node scripts/build-packages.ts` (prints the tarball paths, one per line).
 */
import { execFile } from 'node:child_process';
import { copyFile, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { buildWorkerRuntime, WORKER_RUNTIME_FILE } from './build-worker.ts';
import { bundleDevBridge, PREBUILT_BRIDGE_FILE } from '../main/dev/bridge-bundle.ts';
import { FRAME_STYLESHEET_FILE } from '../main/shell/frame-document.ts';

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
 * Compiles `sdk/`, `main/host/` and `main/dev/` (with the files they import) with tsc into
 * {@link TREE}. Type errors are the job of `npm run typecheck`, so this only emits
 * (`--noCheck`); a declaration that cannot be written fails the build.
 */
async function compile(): Promise<void> {
  const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = await run(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.packages.json'), '--noCheck'], { cwd: ROOT })
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }));
  const problems = result.stdout.split('\n').filter((line) => /error TS\d+/.test(line));
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
  const devShell = await readJson(path.join(ROOT, 'main', 'dev', 'package.json'));
  await writeManifest(dir, {
    ...rest, ...COMMON,
    // `plinth-plugin dev` serves the shell of this package, which depends on this one: a peer
    // the author installs (the CLI says so when it is missing), not a dependency (a cycle).
    peerDependencies: { ...(source.peerDependencies as Record<string, string> | undefined), [devShell.name]: devShell.version },
    exports: compiledExports((source.exports ?? {}) as Record<string, unknown>),
    types: './index.d.ts',
    bin: { 'plinth-plugin': './cli/bin.js' },
    keywords: ['plinth', 'plinth-plugin', 'plugin-sdk'],
    peerDependenciesMeta: { react: { optional: true }, [devShell.name]: { optional: true } },
  });
  return dir;
}

/**
 * Type packages the host's `.d.ts` import (its public types name `better-sqlite3`'s `Database`,
 * `npm-registry-fetch`'s options, Node's streams and `NodeJS.ProcessEnv`), so they are
 * dependencies of the published package: without them an author's `tsc` reports TS7016/TS2591
 * inside `@plinth/host`, or, with `skipLibCheck`, silently types them `any`. The versions are the
 * repository's own; `@types/node` takes any version from the supported Node's on, so it dedupes
 * with the author's copy (two copies declare the same globals twice).
 */
async function hostTypeDependencies(): Promise<Record<string, string>> {
  const root = await readJson(path.join(ROOT, 'package.json'));
  const dev = (root.devDependencies ?? {}) as Record<string, string>;
  const pick = (name: string) => {
    const range = dev[name];
    if (!range) throw new Error(`package.json has no devDependency ${name}, which @plinth/host's types need`);
    return range;
  };
  return { '@types/better-sqlite3': pick('@types/better-sqlite3'), '@types/node': '>=22', '@types/npm-registry-fetch': pick('@types/npm-registry-fetch') };
}

async function stageHost(): Promise<string> {
  const dir = path.join(PACKAGES_DIR, 'host');
  const source = await readJson(path.join(ROOT, 'main', 'host', 'package.json'));
  await cp(path.join(TREE, 'main', 'host'), dir, { recursive: true });
  const { private: _private, ...rest } = source;
  const dependencies = { ...source.dependencies, ...(await hostTypeDependencies()) };
  await writeManifest(dir, { ...rest, ...COMMON, dependencies, exports: compiledExports(source.exports ?? {}), types: './host.d.ts' });
  return dir;
}

/** `./x` of a package's `exports` whose target is `file` (relative to the package, `./a/b.ts`), wildcards included. */
export function exportedAs(exports: Record<string, unknown>, file: string): string | undefined {
  for (const [subpath, target] of Object.entries(exports)) {
    const value = String(target);
    if (value === file) return subpath;
    const [before, after] = value.split('*');
    if (after !== undefined && file.startsWith(before!) && file.endsWith(after) && file.length >= before!.length + after.length) {
      return subpath.replace('*', file.slice(before!.length, file.length - after.length));
    }
  }
  return undefined;
}

/**
 * The package specifier (`@plinth/host/…`, `@plinth/sdk/…`) of a source file of `main/host/` or
 * `sdk/`, by the subpath that exports it; `undefined` for a file of neither. Throws when the
 * package does not export the file (`importer` imports it).
 */
type PackageOf = (file: string, importer: string) => string | undefined;

/** The {@link PackageOf} of `@plinth/host` and `@plinth/sdk`, from their package.json `exports`. */
async function workspacePackageOf(): Promise<PackageOf> {
  const packages = await Promise.all([['main/host', 'main/host/package.json'], ['sdk', 'sdk/package.json']].map(async ([dir, manifest]) => {
    const json = await readJson(path.join(ROOT, manifest!));
    return { dir: path.join(ROOT, dir!), name: json.name, exports: json.exports ?? {} };
  }));
  return (file, importer) => {
    const owner = packages.find((p) => file.startsWith(p.dir + path.sep));
    if (!owner) return undefined;
    const subpath = exportedAs(owner.exports, `./${path.relative(owner.dir, file).split(path.sep).join('/')}`);
    if (!subpath) throw new Error(`${path.relative(ROOT, file)} is imported by ${path.relative(ROOT, importer)} but ${owner.name} does not export it (add it to its package.json "exports")`);
    return `${owner.name}${subpath.slice(1)}`;
  };
}

/**
 * esbuild plugin: a relative import that lands in `main/host/` or `sdk/` becomes an import of
 * `@plinth/host` / `@plinth/sdk` by the subpath that exports it, so the dev shell shares the
 * installed host core and SDK (one `PlinthError` class, one host) instead of bundling copies.
 */
function workspaceImports(packageOf: PackageOf): esbuild.Plugin {
  return {
    name: 'plinth-workspace-imports',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        try {
          const specifier = packageOf(path.resolve(args.resolveDir, args.path), args.importer);
          return specifier === undefined ? undefined : { path: specifier, external: true };
        } catch (error) {
          return { errors: [{ text: (error as Error).message }] };
        }
      });
    },
  };
}

/**
 * Copies the dev shell's declarations into `dir/types/` (the tree's layout): its entry's and
 * those of every file they import, except that an import of a `main/host/` or `sdk/` file
 * becomes one of `@plinth/host` / `@plinth/sdk`, as in its bundle.
 * @returns the entry's declaration file, relative to `dir`
 */
async function copyDevShellTypes(dir: string, packageOf: PackageOf): Promise<string> {
  const entry = path.join(TREE, 'main', 'dev', 'index.d.ts');
  const queue = [entry];
  const copied = new Set<string>();
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (copied.has(file)) continue;
    copied.add(file);
    const text = (await readFile(file, 'utf8')).replace(/(\bfrom\s*|\bimport\s*\(\s*)(['"])(\.\.?\/[^'"]+)\2/g, (whole, lead: string, quote: string, specifier: string) => {
      const target = path.resolve(path.dirname(file), specifier);
      const inPackage = packageOf(path.join(ROOT, path.relative(TREE, target)), path.join(ROOT, path.relative(TREE, file)));
      if (inPackage !== undefined) return `${lead}${quote}${inPackage}${quote}`;
      queue.push(target.replace(/\.[jt]s$/, '.d.ts'));
      return whole;
    });
    const out = path.join(dir, 'types', path.relative(TREE, file));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, text);
  }
  return `./types/${path.relative(TREE, entry).split(path.sep).join('/')}`;
}

/** npm packages the dev shell's code imports at run time (the rest is bundled in). */
const DEV_SHELL_EXTERNALS = ['ws', 'zod', 'ajv', '@rjsf/validator-ajv8', '@rjsf/utils'];

async function stageDevShell(): Promise<string> {
  const dir = path.join(PACKAGES_DIR, 'dev-shell');
  const renderer = path.join(dir, 'renderer');
  const root = await readJson(path.join(ROOT, 'package.json'));
  const source = await readJson(path.join(ROOT, 'main', 'dev', 'package.json'));
  const [host, sdk] = await Promise.all([readJson(path.join(ROOT, 'main', 'host', 'package.json')), readJson(path.join(ROOT, 'sdk', 'package.json'))]);
  const packageOf = await workspacePackageOf();
  // The shell windows and the plugin frame modules, built as `node scripts/build.ts` builds
  // out/renderer, in production mode (which build.ts sets for the process when loaded, so it is
  // loaded here and NODE_ENV put back after: `npm install` run later by the caller must not
  // inherit it, or it would leave out devDependencies).
  const nodeEnv = process.env.NODE_ENV;
  try {
    const [{ frameBuildOptions, VITE_CONFIG }, { build: viteBuild }] = await Promise.all([import('./build.ts'), import('vite')]);
    process.env.NODE_ENV = 'production';
    await viteBuild({ configFile: VITE_CONFIG, logLevel: 'error', build: { outDir: renderer, emptyOutDir: false } });
    await esbuild.build({ ...frameBuildOptions(), outdir: path.join(renderer, 'frame') });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await copyFile(path.join(ROOT, 'renderer', 'frame', 'frame.css'), path.join(renderer, 'frame', FRAME_STYLESHEET_FILE));
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'main', 'dev', 'index.ts')],
    outfile: path.join(dir, 'index.js'),
    bundle: true, format: 'esm', platform: 'node', target: 'node22',
    external: [...DEV_SHELL_EXTERNALS, '@plinth/*', 'esbuild'],
    plugins: [workspaceImports(packageOf)],
    logLevel: 'warning',
  });
  const types = await copyDevShellTypes(dir, packageOf);
  await writeFile(path.join(dir, PREBUILT_BRIDGE_FILE), await bundleDevBridge());
  const rootDeps = (root.dependencies ?? {}) as Record<string, string>;
  const { private: _private, ...rest } = source;
  await writeManifest(dir, {
    ...rest, ...COMMON,
    exports: { '.': { types, default: './index.js' } },
    types,
    dependencies: {
      [host.name]: host.version, [sdk.name]: sdk.version,
      ...Object.fromEntries(DEV_SHELL_EXTERNALS.map((name) => [name, source.dependencies?.[name] ?? rootDeps[name] ?? '*'])),
    },
  });
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

/** Builds and packs every package; resolves with the tarball paths (sdk, host, create, dev shell). */
export async function buildPackages(): Promise<string[]> {
  await rm(PACKAGES_DIR, { recursive: true, force: true });
  await mkdir(PACKAGES_DIR, { recursive: true });
  await compile();
  const dirs = [await stageSdk(), await stageHost(), await stageCreate(), await stageDevShell()];
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
