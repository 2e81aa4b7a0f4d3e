// Lint: correctness rules plus the layer rules of docs/architecture.md ("Folder = layer"),
// modelled on VS Code's code-layering rule, each proven by test/unit/lint-layering.test.ts:
// - only main/electron/, main/index.ts and preload/index.ts import 'electron';
// - sdk/ imports nothing outside sdk/ by path (the host core is the package '@plinth/host');
// - main/host/ imports nothing outside main/host/ by path (the SDK is '@plinth/sdk/…'), so
//   nothing from preload/, main/shell/, main/electron/ or renderer/;
// - preload/ imports only preload/ and sdk/protocol/ by path (the contract is a leaf);
// - renderer/ imports only types from preload/api.ts, plus sdk/protocol/ (types and constant
//   tables; the plugin frame also sdk/ui/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import plinth from './eslint-rules/layer-imports.js';

const electronBan = {
  name: 'electron',
  message: "Only main/electron/, main/index.ts and preload/ may import 'electron' (ARCHITECTURE.md: transports are injected).",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'sdk/dist/**', 'release/**', '.tools/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [{ group: ['electron/*'], message: electronBan.message }] }],
    },
  },
  {
    // preload/bridge.ts stays Electron-free: the e2e harness injects it into a plain browser page.
    files: ['main/electron/**', 'main/index.ts', 'preload/index.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { plugins: { plinth } },
  {
    files: ['sdk/**'],
    rules: {
      'plinth/layer-imports': ['error', {
        allow: [{ dir: 'sdk/' }],
        message: "sdk/ is a package and imports nothing outside sdk/ by path; the host core is '@plinth/host'",
      }],
    },
  },
  {
    files: ['main/host/**'],
    rules: {
      'plinth/layer-imports': ['error', {
        allow: [{ dir: 'main/host/' }],
        message: "main/host/ is the plain-Node host core and imports nothing outside main/host/ by path (not preload/, main/shell/, main/electron/ or renderer/); the SDK is '@plinth/sdk/…'",
      }],
    },
  },
  {
    // The renderer ⇄ main contract and the bridge: a leaf that both sides import.
    files: ['preload/**'],
    rules: {
      'plinth/layer-imports': ['error', {
        allow: [{ dir: 'preload/' }, { dir: 'sdk/protocol/' }],
        message: 'preload/ is the renderer ⇄ main contract and imports only preload/ and sdk/protocol/ by path (nothing of main/, renderer/ or the rest of sdk/)',
      }],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan] }],
      'plinth/layer-imports': ['error', {
        allow: [{ dir: 'renderer/' }, { dir: 'preload/api.ts', typeOnly: true }, { dir: 'sdk/protocol/' }],
        message: 'The renderer never imports main-process code; it imports only types from preload/api.ts, and sdk/protocol/ (ARCHITECTURE.md)',
        typeOnlyMessage: 'The renderer imports only types from preload/api.ts: write `import type`',
      }],
    },
  },
  {
    // The plugin frame's bootstrap runs the SDK's UI client inside the plugin iframe.
    files: ['renderer/frame/**'],
    rules: {
      'plinth/layer-imports': ['error', {
        allow: [{ dir: 'renderer/' }, { dir: 'preload/api.ts', typeOnly: true }, { dir: 'sdk/protocol/' }, { dir: 'sdk/ui/' }],
        message: 'The plugin frame imports only renderer/frame/, sdk/ui/ and sdk/protocol/ (and types from preload/api.ts)',
        typeOnlyMessage: 'The renderer imports only types from preload/api.ts: write `import type`',
      }],
    },
  },
  {
    // Playwright evals a string waitForFunction predicate again on every poll, outside DevTools'
    // evaluation, so the shell CSP (no 'unsafe-eval') refuses it as soon as the first check is
    // false: a timing-dependent failure. A function predicate is evaluated once, a locator never.
    files: ['test/e2e/**'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "CallExpression[callee.property.name='waitForFunction'] > :matches(Literal, TemplateLiteral):first-child",
        message: "Pass waitForFunction a function or wait on a locator: a string predicate is eval'd on each poll, which the shell CSP refuses",
      }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
