/**
 * Development loop (run: `node scripts/dev.ts`): rebuilds out/ on every change and runs
 * Electron on it. Best effort: it cannot be run in this build environment (no Electron binary).
 *
 * Why watch builds instead of the vite dev server URL: the shell is only correct when served
 * by the app protocol (its CSP forbids the dev server's inline scripts, and plugin frames and
 * plugin files must come from `plinth://app` with their own headers). So vite rebuilds
 * out/renderer in watch mode and, with PLINTH_DEV=1, main/index.ts reloads every window after
 * each rebuild. Changes to main/ are re-emitted by `tsc -w`; restart with Ctrl+C and run again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { findElectronBinary } from './start.ts';
import { REPO_ROOT, VITE_CONFIG, buildAll, copyFrameStylesheet, frameBuildOptions, preloadBuildOptions } from './build.ts';

async function main(): Promise<void> {
  await buildAll();
  const children: ChildProcess[] = [];
  const stop = () => {
    for (const child of children) child.kill();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  await viteBuild({ configFile: VITE_CONFIG, logLevel: 'warn', build: { watch: {} } });
  const frame = await esbuild.context({ ...frameBuildOptions(), plugins: [...(frameBuildOptions().plugins ?? []), {
    name: 'copy-frame-css',
    setup(build) {
      build.onEnd(() => copyFrameStylesheet());
    },
  }] });
  await frame.watch();
  await (await esbuild.context(preloadBuildOptions())).watch();
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  children.push(spawn(process.execPath, [tsc, '-w', '--preserveWatchOutput', '-p', path.join(REPO_ROOT, 'tsconfig.build.json')], { stdio: 'inherit', cwd: REPO_ROOT }));

  const binary = findElectronBinary(REPO_ROOT);
  if (!binary.ok) throw new Error(binary.message);
  const electron = spawn(binary.path, ['.'], { stdio: 'inherit', cwd: REPO_ROOT, env: { ...process.env, PLINTH_DEV: '1' } });
  children.push(electron);
  electron.on('exit', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
