import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import noImportCycle from './eslint-rules/no-import-cycle.js';

/** Test support (fixtures, stand-in servers, temporary databases) lives in test/ and stays there. */
const noTestSupport = {
  group: ['**/test/**', '**/test', 'fast-check', 'vitest', 'vitest/*', '@playwright/*'],
  message: 'Product code must not import test support: it belongs in a test/ folder, used by tests only.',
};

/** Product code in every package: `src/`, but not the tests beside it. */
const PRODUCT_FILES = ['server/src/**/*.ts', 'shared/src/**/*.ts', 'web/src/**/*.ts', 'web/src/**/*.svelte'];
const TEST_FILES = ['**/*.test.ts', '**/*.spec.ts'];

/** shared/ is the pure domain: nothing with I/O, no UI framework, no server framework. */
const sharedMustStayPure = {
  patterns: [
    noTestSupport,
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
    // One direction: a module never reaches itself through its imports.
    files: ['server/**/*.ts', 'shared/**/*.ts', 'web/src/**/*.ts', 'scripts/**/*.ts'],
    plugins: { schoolping: { rules: { 'no-import-cycle': noImportCycle } } },
    rules: { 'schoolping/no-import-cycle': 'error' },
  },
  {
    files: PRODUCT_FILES,
    ignores: TEST_FILES,
    rules: { 'no-restricted-imports': ['error', { patterns: [noTestSupport] }] },
  },
  {
    // The sync engine reaches storage only through the SyncStore interface (db/sync-store/), so
    // another database can stand in for SQLite without touching the hub.
    files: ['server/src/sync/**/*.ts', 'server/src/intents/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            noTestSupport,
            {
              group: [
                '**/db/database*',
                'better-sqlite3',
                '**/db/sync-store/sqlite*',
                '**/db/sync-store/docs*',
              ],
              message:
                'The sync engine uses storage through the SyncStore interface (db/sync-store/store.ts).',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma|exec)$/]',
          message: 'SQL belongs in db/sync-store/, behind the SyncStore interface.',
        },
      ],
    },
  },
  {
    files: ['shared/src/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', sharedMustStayPure],
      // The domain is given the time and does no I/O: the callers decide both.
      'no-restricted-globals': [
        'error',
        ...['fetch', 'process', 'crypto', 'setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask'].map(
          (name) => ({ name, message: 'shared/ is pure: no I/O, timers or process state.' }),
        ),
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'shared/ is given the time; it never reads the clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'shared/ is given the time; it never reads the clock.',
        },
      ],
    },
  },
  {
    // The tests beside the domain may use test support, and still nothing impure.
    files: ['shared/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...sharedMustStayPure,
          patterns: sharedMustStayPure.patterns.filter((each) => each !== noTestSupport),
        },
      ],
    },
  },
  {
    files: ['eslint.config.js', 'eslint-rules/**/*.js', 'server/bin/**/*.js', 'web/static/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Scripts the service worker imports run in its global scope.
    files: ['web/static/**/*.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
);
