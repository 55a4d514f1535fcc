// Lint rules for the whole tree (`npm run lint`, also in CI). Formatting is Prettier's job (.prettierrc.json); this
// file keeps the rules that find bugs: promises nobody awaits, unused code, `any` where a type exists, import order.
import js from '@eslint/js';
import simpleImportSort from 'eslint-plugin-simple-import-sort';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'exports/',
      'coverage/',
      'test/artifacts/',
      '.cache/',
      '.stryker-tmp/',
      'reports/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'simple-import-sort': simpleImportSort },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'simple-import-sort/imports': 'error',
      'simple-import-sort/exports': 'error',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      // The CLI loads each command's code lazily with a typed require() so that `loa --help` starts fast (README,
      // "Speed"); an `import` at the top would load every command's dependencies on every start.
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // One module system in the product: a module loaded on demand comes by a typed require(), as the CLI's do. An
    // import() goes through Node's ESM loader, which the sources' tsx hook (bin/loa.js, when dist/ is older than the
    // sources) does not serve: /desk/bao-cao answered 500 that way.
    files: ['src/**/*.ts', 'channels/**/*.ts', 'worker/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression',
          message:
            'Nạp module khi cần bằng require(...) as typeof import(...), không dùng import() (xem eslint.config.mjs).',
        },
      ],
    },
  },
  {
    // Migrations are written against the schema as it was when each shipped, not today's types: Kysely's own advice
    // is `Kysely<any>` there (and in the few helpers that migrations and the store share).
    files: [
      'src/store/migrations/**/*.ts',
      'src/store/migrate.ts',
      'src/store/db-clock.ts',
      'src/store/catalog.ts',
      'src/store/table-copy.ts',
      'src/backup/*.ts',
    ],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/http/pages/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        FormData: 'readonly',
        URLSearchParams: 'readonly',
        AbortController: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
