// Lint with type-aware rules (floating promises, misused promises) and layer boundaries:
// Koa only in the http layer, the database drivers (better-sqlite3, pg) only in src/storage, sharp/geotiff only in
// src/raster and src/tiles, the AWS SDK only in the file store (src/files).
import tseslint from 'typescript-eslint';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });
const koa = { group: ['koa', '@koa/*'], message: 'Koa belongs to the http layer (src/http).' };
const sqlite = { group: ['better-sqlite3', 'pg', 'pg-*'], message: 'The database drivers (better-sqlite3, pg) belong to the storage layer (src/storage).' };
const imaging = { group: ['sharp', 'geotiff'], message: 'sharp and geotiff belong to the raster engine (src/raster) and the tile renderer (src/tiles).' };
const aws = { group: ['@aws-sdk/*'], message: 'The S3 client belongs to the file store (src/files).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'test/fixtures/**', 'bin/**', 'eslint.config.js', 'scripts/**/*.mjs', 'scripts/**/*.py', 'src/**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  // Layer boundaries. One block per layer (a later block's no-restricted-imports replaces an earlier one's).
  {
    files: ['src/**/*.ts'],
    rules: restrict([koa, sqlite, imaging, aws]),
  },
  {
    files: ['src/files/**/*.ts'],
    rules: restrict([koa, sqlite, imaging]),
  },
  {
    files: ['src/http/**/*.ts', 'src/server/**/*.ts', 'src/tiles/tile.routes.ts'],
    rules: restrict([sqlite, imaging, aws]),
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: restrict([koa, imaging, aws]),
  },
  {
    files: ['src/tiles/**/*.ts'],
    ignores: ['src/tiles/tile.routes.ts'],
    rules: restrict([koa, sqlite, aws]),
  },
  {
    files: ['src/raster/**/*.ts'],
    rules: restrict([koa, sqlite, aws, { group: ['**/http/**', '**/storage/**', '**/jobs/**', '**/operations/**', '**/tiles/**'], message: 'The raster engine knows nothing of HTTP, SQL, jobs or tiles.' }]),
  },
  {
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    // The build config reads the registry at build time; the page itself imports only the SDK.
    ignores: ['web/vite.config.ts'],
    rules: restrict([koa, sqlite, imaging, { group: ['**/src/*', '**/src/*/**', '!**/src/client', '!**/src/client/**'], message: 'The console talks to the server only through the SDK (src/client).' }]),
  },
  {
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-unsafe-return': 'off', '@typescript-eslint/no-unsafe-assignment': 'off', '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-argument': 'off', '@typescript-eslint/no-unsafe-call': 'off' },
  },
);
