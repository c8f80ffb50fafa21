import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** shared/ is the pure domain: nothing with I/O, no UI framework, no server framework. */
const sharedMustStayPure = {
  patterns: [
    { group: ['node:*'], message: 'shared/ is pure: no Node built-ins.' },
    {
      group: ['**/web/**', '**/server/**', '@schoolping/web', '@schoolping/server'],
      message: 'shared/ must not import the apps.',
    },
    {
      group: ['svelte', 'svelte/*', '@sveltejs/*', 'dexie', 'hono', 'hono/*', '@hono/*', 'better-sqlite3'],
      message: 'shared/ is pure: no frameworks, storage or I/O.',
    },
  ],
  paths: ['fs', 'path', 'crypto', 'os', 'child_process', 'http', 'net', 'url'].map((name) => ({
    name,
    message: 'shared/ is pure: no Node built-ins.',
  })),
};

export default tseslint.config(
  {
    ignores: ['**/node_modules', 'data', 'web/build', 'web/.svelte-kit', 'test-results', 'playwright-report'],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: true,
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    files: ['shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedMustStayPure] },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
