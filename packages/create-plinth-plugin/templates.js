// The files of a new plugin, as { relative path: text }. One set of sources serves both
// languages: TypeScript gets type annotations, JavaScript the same types through JSDoc and
// `// @ts-check`, so both authors get the same checking from the SDK's types.

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

/** @returns {Record<string, string>} */
export function templates({ name, displayName, lang, worker, ui, capability }) {
  const ts = lang === 'ts';
  const src = ts ? 'src/' : '';
  const out = ts ? 'dist/' : '';
  const ext = ts ? 'ts' : 'js';
  const capabilities = [...(worker ? ['plugin.state.read', 'plugin.state.write'] : []), ...(capability ? [capability] : [])];
  const files = {};
  const build = ts ? 'npm run build && ' : '';
  files['package.json'] = json({
    name, version: '0.1.0', description: `${displayName}: a Plinth plugin`, type: 'module', private: true,
    engines: { plinth: '^1.0.0' },
    files: ts ? ['dist', 'README.md'] : [...(worker ? ['worker.js'] : []), ...(ui ? ['ui'] : []), 'README.md'],
    scripts: {
      ...(ts ? { build: 'tsc -p .' } : {}),
      typecheck: ts ? 'tsc -p . --noEmit && tsc -p test' : 'tsc -p . && tsc -p test',
      validate: `${build}plinth-plugin validate .`,
      start: worker ? `${build}plinth-plugin run . --data greeting --params '{"name":"Plinth"}'` : `${build}plinth-plugin validate .`,
      test: `${build}node --test "test/**/*.test.${ext}"`,
      pack: `${build}plinth-plugin pack .`,
    },
    plinth: {
      displayName,
      ...(worker ? { worker: `${out}worker.js` } : {}),
      ...(ui ? { ui: { entry: `${out}ui/index.js`, slots: [{ type: ui, id: 'main', displayName, exportName: 'Main' }] } } : {}),
      capabilities,
    },
    devDependencies: {
      '@plinth/sdk': '^1.0.0', typescript: '~6.0.3', '@types/node': '^24.0.0',
      ...(ui ? { '@types/react': '^19.2.0' } : {}),
    },
    // npm ≥ 11.16 reads this list of dependencies allowed to run install scripts. better-sqlite3
    // (under @plinth/host, which the CLI and harness run) ships prebuilt binaries; its inferred
    // `node-gyp rebuild` would only need a compiler, and fail without one.
    allowScripts: { 'better-sqlite3': false },
  });
  files['tsconfig.json'] = json({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', lib: ['ES2022', 'DOM'], types: [],
      strict: true, skipLibCheck: true, noUncheckedIndexedAccess: true,
      ...(ts ? { rootDir: 'src', outDir: 'dist' } : { allowJs: true, checkJs: true, noEmit: true }),
    },
    include: ts ? ['src'] : [...(worker ? ['worker.js'] : []), ...(ui ? ['ui'] : [])],
  });
  // The tests are checked too, on their own: only they get Node's types (node:test, node:assert),
  // so a worker or UI that reaches for a Node global still fails its own check.
  files['test/tsconfig.json'] = json({
    extends: '../tsconfig.json',
    compilerOptions: { rootDir: '..', noEmit: true, types: ['node'], ...(ts ? {} : { allowJs: true, checkJs: true }) },
    include: ['.'],
  });
  if (worker) files[`${src}worker.${ext}`] = workerSource(ts);
  if (ui) files[`${src}ui/index.${ext}`] = uiSource(ts, worker);
  files[`test/plugin.test.${ext}`] = testSource(ts, worker, ui);
  files['README.md'] = readme({ name, displayName, ts, worker, ui });
  return files;
}

function workerSource(ts) {
  const check = ts ? '' : '// @ts-check\n';
  const params = ts ? '(params: { name?: string } | null)' : '(params)';
  const jsdoc = ts ? '' : '    /** @param {{ name?: string } | null} params */\n';
  return `${check}import { definePlugin, runWorker } from '@plinth/sdk';
${ts ? "import type { StateKey } from '@plinth/sdk';\n" : ''}
/** Where the counter lives in the plugin's state (kept by the host, survives restarts). */
${ts ? "const COUNTER: StateKey = { scopeKind: 'instance', stateKey: 'count' };" : "/** @type {import('@plinth/sdk').StateKey} */\nconst COUNTER = { scopeKind: 'instance', stateKey: 'count' };"}

const plugin = definePlugin({
  async setup(ctx) {
${jsdoc}    ctx.data.register('greeting', async ${params} => ({ message: \`Hello, \${params?.name ?? 'world'}\` }));
    ctx.actions.register('increment', async () => {
      const count = Number((await ctx.state.get(COUNTER)) ?? 0) + 1;
      await ctx.state.set(COUNTER, count);
      ctx.logger.info('counter incremented', { count });
      return { count };
    });
  },
});

export default plugin;
runWorker(plugin, import.meta.url);
`;
}

function uiSource(ts, worker) {
  const check = ts ? '' : '// @ts-check\n';
  const props = ts ? '{ context }: { context: HostContext }' : '{ context }';
  const jsdoc = ts ? '' : "/** @param {{ context: import('@plinth/sdk/ui').HostContext }} props */\n";
  const typeImport = ts ? "import type { HostContext } from '@plinth/sdk/ui';\n" : '';
  if (!worker) {
    return `${check}import { createElement as h } from 'react';
${typeImport}
${jsdoc}export function Main(${props}) {
  return h('p', null, \`Hello from \${context.pluginId} in a \${context.slotType} slot (\${context.theme} theme)\`);
}
`;
  }
  const generic = ts ? '<{ message: string }>' : '';
  const actionGeneric = ts ? '<{ count: number }>' : '';
  const jsData = ts ? '' : "  /** @type {import('@plinth/sdk/ui').PluginData<{ message: string }>} */\n";
  const jsAction = ts ? '' : "  /** @type {(params?: import('@plinth/sdk/ui').Json) => Promise<{ count: number }>} */\n";
  const state = ts ? 'useState<number | null>(null)' : 'useState(/** @type {number | null} */ (null))';
  return `${check}import { createElement as h, useState } from 'react';
import { usePluginAction, usePluginData } from '@plinth/sdk/ui';
${typeImport}
${jsdoc}export function Main(${props}) {
${jsData}  const greeting = usePluginData${generic}('greeting', { name: context.pluginId });
${jsAction}  const increment = usePluginAction${actionGeneric}('increment');
  const [count, setCount] = ${state};
  if (greeting.error) return h('p', { role: 'alert' }, \`\${greeting.error.code}: \${greeting.error.message}\`);
  return h('section', null,
    h('p', null, greeting.data?.message ?? 'Loading…'),
    h('button', { type: 'button', onClick: async () => setCount((await increment()).count) }, count === null ? 'Count' : \`Counted \${count}\`),
  );
}
`;
}

function testSource(ts, worker, ui) {
  const body = worker
    ? `  await harness.setup();
  assert.deepEqual(await harness.data('greeting', { name: 'Ada' }), { message: 'Hello, Ada' });
  assert.deepEqual(await harness.action('increment'), { count: 1 });
  assert.deepEqual(await harness.action('increment'), { count: 2 });
  assert.deepEqual(harness.state.get({ scopeKind: 'instance', stateKey: 'count' }), 2);`
    : `  assert.deepEqual(harness.warnings, []);
  assert.equal(harness.manifest.plinth.ui?.slots?.[0]?.exportName, 'Main');`;
  return `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createTestHarness } from '@plinth/sdk/testing';

/** The plugin folder: the harness validates its package.json as the app does${worker ? ' and loads plinth.worker' : ''}. */
const dir = fileURLToPath(new URL('..', import.meta.url));

test('${worker ? 'the greeting answers and increment counts in plugin state' : `the manifest is valid and names the ${ui} component`}', async (t) => {
  const harness = await createTestHarness({ manifest: dir });
  t.after(() => harness.close());
${body}
});
`;
}

function readme({ name, displayName, ts, worker, ui }) {
  return `# ${displayName}

A [Plinth](https://github.com/plinth-app/plinth) plugin (\`${name}\`)${worker ? ' with a worker' : ''}${worker && ui ? ' and' : ''}${ui ? ` a UI in the \`${ui}\` slot` : ''}.

\`\`\`sh
npm install          # @plinth/sdk: the plinth-plugin CLI, the types and the test harness${ts ? '\nnpm run build        # tsc: src/ → dist/ (what Plinth loads; no node_modules needed)' : ''}
npm test             # test/ through @plinth/sdk/testing
npm run typecheck    # ${ts ? 'tsc over src/ and test/' : 'the JavaScript and its tests checked against the SDK types (// @ts-check)'}
npm run validate     # checks the folder as Plinth will load it
npm start            # runs it in a local Plinth host and prints the result
npm run pack         # the .tgz Plinth installs (Settings → Install from file…)
\`\`\`

The plugin API is described in Plinth's docs/plugin-api.md and sdk/README.md.
`;
}
