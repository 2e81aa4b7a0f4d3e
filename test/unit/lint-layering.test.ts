import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** The banned module; the snippet is assembled so this test file itself imports nothing from it. */
const BANNED_MODULE = 'electron';
const IMPORT_ELECTRON = `import { app } from '${BANNED_MODULE}';\nexport const a = app;\n`;

test("the layering rule refuses 'electron' in main/host, sdk and renderer (ARCHITECTURE.md)", async () => {
  for (const file of ['main/host/x.ts', 'main/shell/x.ts', 'sdk/worker/x.ts', 'renderer/src/x.tsx', 'preload/api.ts', 'preload/bridge.ts']) {
    const errors = await importErrors(file, IMPORT_ELECTRON);
    assert.equal(errors.length, 1, `${file} must not import electron`);
    assert.match(errors[0]!, /Only main\/electron\/, main\/index\.ts and preload\//);
  }
});

test("main/electron, main/index.ts and the preload entry may import 'electron'", async () => {
  for (const file of ['main/electron/x.ts', 'main/index.ts', 'preload/index.ts']) {
    assert.deepEqual(await importErrors(file, IMPORT_ELECTRON), [], file);
  }
});

test('the renderer imports no main-process code, only types from preload/api.ts', async () => {
  const fromMain = await importErrors('renderer/src/x.ts', "import { createHost } from '../../main/host/host.ts';\nexport const h = createHost;\n");
  assert.match(fromMain[0] ?? '', /never imports main-process code/);
  const fromBridge = await importErrors('renderer/src/x.ts', "import { createBridge } from '../../preload/bridge.ts';\nexport const b = createBridge;\n");
  assert.match(fromBridge[0] ?? '', /only types from preload\/api\.ts/);
  assert.deepEqual(await importErrors('renderer/src/x.ts', "import type { PluginSummary } from '../../preload/api.ts';\nexport type P = PluginSummary;\n"), []);
});
