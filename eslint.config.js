// Lint: correctness rules plus the layering rule of ARCHITECTURE.md ("The folder says the
// runtime"), modelled on VS Code's code-layering rule. Only main/electron, main/index.ts and
// preload/index.ts may import 'electron'; the renderer imports nothing from main, only types from preload.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: "Only main/electron/, main/index.ts and preload/ may import 'electron' (ARCHITECTURE.md: transports are injected).",
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', '.tools/**', 'test-results/**'] },
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
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [
          { group: ['**/main/**', '../main/*', '../../main/*'], message: 'The renderer never imports main-process code (ARCHITECTURE.md).' },
          { group: ['**/preload/*', '!**/preload/api.ts', '!**/preload/api'], message: 'The renderer imports only types from preload/api.ts.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
