// @ts-check
/**
 * Lint rules. The recommended sets of ESLint and typescript-eslint, tuned so
 * that the code as it stands passes; plus, for workflows/, the rules of
 * Temporal's deterministic sandbox: no I/O, no server-side libraries, no
 * ambient time, randomness or timers (the SDK provides those), and no promise
 * left floating. Type-aware linting runs on workflows/ only, to stay fast.
 */
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const TIME_ONLY_IN_CLOCK = 'time in a workflow comes from workflows/support/clock.ts (nowMs, nowIso), which is deterministic';

/** What a workflow must not import: it runs in Temporal's deterministic sandbox and replays from history. */
const workflowImports = {
  paths: [
    ...builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'Node built-ins do I/O or read the environment: not in a workflow; use an activity' })),
    ...['client', 'worker', 'activity', 'testing'].map((p) => ({ name: `@temporalio/${p}`, message: 'a workflow imports only @temporalio/workflow (and @temporalio/common)' })),
    { name: 'typeorm', message: 'database access belongs in an activity' },
    { name: 'pg', message: 'database access belongs in an activity' },
  ],
  patterns: [
    { group: ['node:*'], message: 'Node built-ins do I/O or read the environment: not in a workflow; use an activity' },
    { group: ['@nestjs/*'], message: 'NestJS is the API’s and worker’s, not a workflow’s' },
    { group: ['@temporalio/client/*', '@temporalio/worker/*', '@temporalio/activity/*', '@temporalio/testing/*'], message: 'a workflow imports only @temporalio/workflow' },
    {
      group: ['**/*.activities', '**/*.service', '**/*.activities.js', '**/*.service.js'],
      allowTypeImports: true,
      message: 'a workflow may import activities and services only as types (import type …): proxyActivities calls them',
    },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', '.data/**', '.tools/**', 'node_modules/**', 'tests/replay/histories/**', 'coverage/**', '**/*.js', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs'],
    rules: {
      // Unused names are errors, except the deliberately ignored (`_x`) and rest siblings used to drop fields.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Tests and a few typed boundaries (JSON from the API, raw SQL rows) use `any` on purpose.
      '@typescript-eslint/no-explicit-any': 'off',
      // Non-null assertions mark facts the type system cannot see (a child process's piped stdout).
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `require` appears where a CommonJS module must be loaded lazily (the workflow bundle, binaries).
      '@typescript-eslint/no-require-imports': 'off',
      // Chinese official documents use the full-width space (U+3000) in their text on purpose.
      'no-irregular-whitespace': ['error', { skipStrings: true, skipTemplates: true, skipRegExps: true, skipComments: true }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', workflowImports],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate'].map((name) => ({
          name,
          message: 'timers in a workflow are sleep() / condition() from @temporalio/workflow',
        })),
        { name: 'process', message: 'a workflow must not read the environment or the process: pass what it needs in its input' },
        { name: 'require', message: 'a workflow imports modules statically' },
        { name: 'crypto', message: 'randomness in a workflow is uuid4() from @temporalio/workflow' },
        { name: 'performance', message: TIME_ONLY_IN_CLOCK },
        { name: 'fetch', message: 'I/O belongs in an activity' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'randomness in a workflow is uuid4() / the SDK’s seeded Math.random is not to be relied on here' },
        { object: 'Date', property: 'now', message: TIME_ONLY_IN_CLOCK },
        { object: 'globalThis', property: 'setTimeout', message: 'timers in a workflow are sleep() / condition()' },
        { object: 'globalThis', property: 'process', message: 'a workflow must not read the process' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: TIME_ONLY_IN_CLOCK },
        { selector: "CallExpression[callee.name='Date']", message: TIME_ONLY_IN_CLOCK },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The first blocker workflow, frozen as it ran so that its histories replay; it predates clock.ts.
    files: ['workflows/blocker-escalation-v1.ts'],
    rules: { 'no-restricted-syntax': 'off', 'no-restricted-properties': 'off' },
  },
  {
    // The one place a workflow reads the clock (deterministic inside the sandbox; see the file).
    files: ['workflows/support/clock.ts'],
    rules: { 'no-restricted-syntax': 'off', 'no-restricted-properties': 'off' },
  },
);
