import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'plinth/layer-imports').map((m) => m.message);
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

test('the renderer may not import values from preload/api.ts, nor the SDK beyond sdk/protocol/', async () => {
  const value = await importErrors('renderer/src/x.ts', "import { X } from '../../preload/api.ts';\nexport const x = X;\n");
  assert.match(value[0] ?? '', /only types from preload\/api\.ts/);
  const worker = await importErrors('renderer/src/views/x.ts', "import { definePlugin } from '../../../sdk/worker/define.ts';\nexport const d = definePlugin;\n");
  assert.match(worker[0] ?? '', /never imports main-process code; it imports only types from preload\/api\.ts, and sdk\/protocol\//);
  assert.deepEqual(await importErrors('renderer/src/views/x.ts', "import { TASK_STATUSES } from '../../../sdk/protocol/entities.ts';\nexport const t = TASK_STATUSES;\n"), []);
  const uiInShell = await importErrors('renderer/src/x.ts', "import { installFrameClient } from '../../sdk/ui/frame-client.ts';\nexport const i = installFrameClient;\n");
  assert.equal(uiInShell.length, 1, 'only the plugin frame runs the SDK UI client');
  assert.deepEqual(await importErrors('renderer/frame/x.ts', "import { installFrameClient } from '../../sdk/ui/frame-client.ts';\nexport const i = installFrameClient;\n"), []);
});

test('sdk/ imports nothing outside sdk/ by path: the host core is the package @plinth/host', async () => {
  for (const [file, specifier] of [
    ['sdk/testing/x.ts', '../../main/host/host.ts'],
    ['sdk/cli/commands/x.ts', '../../../main/host/manifest/index.ts'],
    ['sdk/cli/x.ts', '../../preload/api.ts'],
    ['sdk/x.ts', '../test/helpers/x.ts'],
  ] as const) {
    const errors = await importErrors(file, `import { a } from '${specifier}';\nexport const b = a;\n`);
    assert.equal(errors.length, 1, `${file} → ${specifier}`);
    assert.match(errors[0]!, /sdk\/ is a package and imports nothing outside sdk\//);
  }
  const typeOnly = await importErrors('sdk/testing/x.ts', "import type { Host } from '../../main/host/host.ts';\nexport type H = Host;\n");
  assert.equal(typeOnly.length, 1, 'a type-only import leaves the package too');
  assert.deepEqual(await importErrors('sdk/testing/x.ts', "import { createHost } from '@plinth/host';\nimport { PlinthError } from '../protocol/errors.ts';\nexport const h = [createHost, PlinthError];\n"), []);
});

test('main/host/ imports nothing from preload/, main/shell/, main/electron/, renderer/ or the SDK by path', async () => {
  for (const specifier of ['../shell/ipc-handlers.ts', '../electron/ipc.ts', '../../renderer/src/app.tsx', '../../preload/bridge.ts', '../../preload/api.ts', '../../sdk/protocol/errors.ts', '../index.ts']) {
    const errors = await importErrors('main/host/x.ts', `import { a } from '${specifier}';\nexport const b = a;\n`);
    assert.equal(errors.length, 1, specifier);
    assert.match(errors[0]!, /main\/host\/ is the plain-Node host core and imports nothing outside main\/host\//);
  }
  const typeOnly = await importErrors('main/host/x.ts', "import type { PluginSummary } from '../../preload/api.ts';\nexport type P = PluginSummary;\n");
  assert.equal(typeOnly.length, 1, 'not even the shell DTO types: view models live in main/shell/');
  for (const file of ['main/host/shell-ops.ts', 'main/host/catalog/registry-plugins.ts', 'main/host/dashboard-layout-store.ts']) {
    const errors = await importErrors(file, `import type { PluginSummary } from '${file.includes('catalog/') ? '../../..' : '../..'}/preload/api.ts';\nexport type P = PluginSummary;\n`);
    assert.equal(errors.length, 1, `${file} has no exception`);
  }
  const deep = await importErrors('main/host/services/jobs/x.ts', "import { a } from '../../../shell/app-protocol.ts';\nexport const b = a;\n");
  assert.equal(deep.length, 1, 'caught at any depth');
  assert.deepEqual(await importErrors('main/host/services/x.ts', "import { PlinthError } from '@plinth/sdk/protocol/errors';\nimport { a } from '../logs.ts';\nexport const b = [a, PlinthError];\n"), []);
});

test('preload/ imports only preload/ and sdk/protocol/ by path: the renderer ⇄ main contract is a leaf', async () => {
  for (const specifier of ['../main/host/host.ts', '../main/shell/plugin-views.ts', '../renderer/src/app.tsx', '../sdk/ui/index.ts']) {
    const errors = await importErrors('preload/x.ts', `import type { A } from '${specifier}';\nexport type B = A;\n`);
    assert.equal(errors.length, 1, specifier);
    assert.match(errors[0]!, /preload\/ is the renderer ⇄ main contract/);
  }
  assert.deepEqual(await importErrors('preload/x.ts', "import { SLOT_TYPES } from '../sdk/protocol/capabilities.ts';\nimport type { PlinthBridge } from './api.ts';\nexport const a: [typeof SLOT_TYPES, PlinthBridge?] = [SLOT_TYPES];\n"), []);
});

test("e2e tests may not give waitForFunction a string: it is eval'd on each poll, which the shell CSP refuses", async () => {
  const [stringPredicate] = await eslint.lintText("await page.waitForFunction('document.hasFocus()');\n", { filePath: join(ROOT, 'test/e2e/x.test.ts') });
  assert.deepEqual(stringPredicate?.messages.map((m) => m.ruleId), ['no-restricted-syntax']);
  const [functionPredicate] = await eslint.lintText('await page.waitForFunction(() => document.hasFocus());\n', { filePath: join(ROOT, 'test/e2e/x.test.ts') });
  assert.deepEqual(functionPredicate?.messages, []);
});
