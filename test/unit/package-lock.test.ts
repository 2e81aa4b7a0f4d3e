/**
 * `npm install` leaves package-lock.json as it is: the lock records `hasInstallScript` exactly
 * for the installed packages npm itself flags, those with a preinstall/install/postinstall
 * script or a `binding.gyp` (npm treats the latter as an implicit `node-gyp rebuild` install
 * script: @npmcli/package-json's "gypfile" normalisation). A lock that disagrees is rewritten on
 * every install, leaving a dirty checkout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

test('package-lock.json flags every installed package with an install script, and no other', () => {
  const lock = JSON.parse(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean; link?: boolean }> };
  const disagreements: string[] = [];
  let checked = 0;
  for (const [where, entry] of Object.entries(lock.packages)) {
    const manifestPath = path.join(ROOT, where, 'package.json');
    if (where === '' || entry.link || !where.startsWith('node_modules/') || !existsSync(manifestPath)) continue;
    const scripts = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
    const real = Boolean(scripts.preinstall || scripts.install || scripts.postinstall || existsSync(path.join(ROOT, where, 'binding.gyp')));
    checked += 1;
    if (real !== (entry.hasInstallScript === true)) disagreements.push(`${where}: lock says ${entry.hasInstallScript === true}, the package says ${real}`);
  }
  assert.ok(checked > 100, `only ${checked} installed packages were checked; is node_modules installed?`);
  assert.deepEqual(disagreements, []);
});
