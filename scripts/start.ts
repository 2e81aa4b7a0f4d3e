/**
 * `npm start` after the build: launches Electron on the built app. Electron's npm package
 * downloads its binary from GitHub on install; when that download failed or was skipped
 * (offline, a proxy, `--ignore-scripts`), its own launcher only says "Electron failed to install
 * correctly". This says what is missing and how to get it instead, then exits 1.
 *
 * Run: `node scripts/start.ts [electron args]` (the `start` script does, after `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the Electron binary is, or why it cannot be run and what to do about it. */
export type ElectronBinary = { ok: true; path: string } | { ok: false; message: string };

/**
 * Finds the Electron binary the `electron` npm package installed under `root`, the way its own
 * `index.js` does (`path.txt` names the executable inside `dist/`; `ELECTRON_OVERRIDE_DIST_PATH`
 * replaces `dist/`), without starting a download.
 * @param root the folder whose `node_modules/electron` is used
 * @param env the environment (for `ELECTRON_OVERRIDE_DIST_PATH`)
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): ElectronBinary {
  const pkgDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(pkgDir, 'package.json'))) {
    return { ok: false, message: 'The electron package is not installed (node_modules/electron is missing). Run `npm install` first.' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkgDir, 'dist');
  const full = executable ? path.join(distDir, executable) : undefined;
  if (full && existsSync(full)) return { ok: true, path: full };
  return {
    ok: false,
    message: [
      `Plinth was built, but it cannot start: the Electron binary is not installed (${full ?? path.join(pkgDir, 'path.txt')} is missing).`,
      'The electron npm package downloads it from github.com when it is installed; that download failed or was skipped (no network, a proxy, or --ignore-scripts).',
      'To fix it, with access to github.com (or a mirror in ELECTRON_MIRROR), run:',
      '  node node_modules/electron/install.js',
      'or point ELECTRON_OVERRIDE_DIST_PATH at a folder holding an Electron 45 build.',
      'Without Electron, `npm test` still checks the whole app in Chromium through the e2e harness, and `npx plinth-plugin` runs plugins in the real host core.',
    ].join('\n'),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const binary = findElectronBinary(ROOT);
  if (!binary.ok) {
    process.stderr.write(`${binary.message}\n`);
    process.exit(1);
  }
  const child = spawn(binary.path, ['.', ...process.argv.slice(2)], { stdio: 'inherit', cwd: ROOT });
  child.on('exit', (code, signal) => { process.exitCode = code ?? (signal ? 1 : 0); });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
}
