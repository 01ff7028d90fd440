// Lint, including the layering rules that keep the architecture honest:
// shared/ is pure, renderer/ knows nothing of Node or Electron, and the core
// never imports electron (so it runs the same under Electron, the CLI and tests).
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronImport = { name: 'electron', message: 'Only electron/main.ts, electron/preload.ts and their own modules may import electron.' };

export default tseslint.config(
  { ignores: ['dist/**', 'dist-electron/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport, ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure: no Node built-ins.' }))],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ depends on nothing of ours.' }],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronImport, ...nodeBuiltins.map((name) => ({ name, message: 'The renderer has no Node: talk to window.station.' }))],
          patterns: [{ group: ['**/electron/**'], message: 'The renderer reaches the core only through window.station.' }],
        },
      ],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronImport], patterns: [{ group: ['**/renderer/**'], message: 'The core does not know the UI.' }] }],
    },
  },
  {
    // The core's host runs in the utility process or is tested under plain Node; only
    // vendor-fork.ts (main's utilityProcess.fork of the vendor child) touches Electron.
    files: ['electron/host/**/*.ts'],
    ignores: ['electron/host/vendor-fork.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'electron/host/ is plain Node (utility process, tests): only vendor-fork.ts may import electron.' }] },
      ],
    },
  },
  {
    files: ['test/harness/bridge.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
