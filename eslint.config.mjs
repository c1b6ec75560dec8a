// Layers by runtime, enforced here so a wrong import fails `npm test`:
//   src/shared       contract only: neither Node nor the DOM nor Electron
//   src/main/engine  plain Node: never 'electron' (it must run in the headless host)
//   src/renderer     browser only: no Node built-ins, no Electron, no engine code
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = { group: ['node:*'], message: 'Node built-ins are not allowed in this layer.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vigil-data/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.map((name) => ({ name, message: 'src/shared is the contract: no Node.' })), { name: 'electron', message: 'src/shared is the contract: no Electron.' }, { name: 'react', message: 'src/shared is the contract: no UI.' }],
          patterns: [nodePatterns, { group: ['**/main/**', '**/renderer/**', '**/preload/**'], message: 'src/shared imports nothing from the hosts.' }],
        },
      ],
      'no-restricted-globals': ['error', 'window', 'document', 'process', 'Buffer', 'require'],
    },
  },
  {
    files: ['src/main/engine/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The engine runs under plain Node: put Electron glue in src/main/desktop.' }],
          patterns: [{ group: ['**/desktop/**', '**/renderer/**', '**/preload/**'], message: 'The engine imports neither the hosts nor the UI.' }],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins.map((name) => ({ name, message: 'The renderer runs in a browser: no Node.' })), { name: 'electron', message: 'The renderer reaches native features only through the preload bridge.' }],
          patterns: [nodePatterns, { group: ['**/main/**', '**/preload/**'], message: 'The renderer talks to the engine only through its API client.' }],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
);
