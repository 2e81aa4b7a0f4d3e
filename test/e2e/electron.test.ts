// The packaged wiring in real Electron (ARCHITECTURE.md "How it is tested", step 3). Runs
// only where the Electron binary is installed; elsewhere it reports itself skipped with the
// reason. Never imports 'electron': the binary is found through the package's path.txt.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { _electron } from 'playwright-core';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const ELECTRON_PKG = path.join(REPO, 'node_modules', 'electron');

/** The Electron executable, or why there is none. */
function findElectron(): { path: string } | { missing: string } {
  const pathTxt = path.join(ELECTRON_PKG, 'path.txt');
  if (!existsSync(pathTxt)) return { missing: 'node_modules/electron/path.txt not found (the binary was never downloaded)' };
  const binary = path.join(ELECTRON_PKG, 'dist', readFileSync(pathTxt, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `${path.relative(REPO, binary)} not found` };
  return { path: binary };
}

test('Electron: the main window shows the Hello widget and settings open in their own window', async (t) => {
  const electron = findElectron();
  if ('missing' in electron) {
    t.skip(`Electron binary not present: ${electron.missing}`);
    return;
  }
  assert.ok(existsSync(path.join(REPO, 'out', 'main', 'index.js')), 'out/main/index.js exists: run `node scripts/build.ts` first');
  const profile = mkdtempSync(path.join(tmpdir(), 'plinth-electron-'));
  t.after(() => rmSync(profile, { recursive: true, force: true }));
  const app = await _electron.launch({
    executablePath: electron.path,
    args: [REPO, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
    cwd: REPO,
    env: { ...process.env, PLINTH_USER_DATA_DIR: profile },
  });
  t.after(() => app.close());

  const main = await app.firstWindow();
  await main.locator('[data-plugins-loaded="true"]').waitFor();
  assert.match(main.url(), /^plinth:\/\/app\//);
  await main.frameLocator('[data-testid="slot-frame"][data-plugin-id="plinth-hello"]').getByTestId('hello-message').waitFor();
  assert.equal(await main.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined', 'no Node in the renderer');

  const opened = app.waitForEvent('window');
  await main.getByTestId('open-settings').click();
  const settings = await opened;
  await settings.locator('[data-testid="plugin-card"][data-plugin-id="plinth-hello"]').waitFor();
});
