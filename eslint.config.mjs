// Flat config: typescript-eslint's recommended rules on every TypeScript file of the monorepo.
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'storage/', 'bench/results/', 'test/.groups/']),
  tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // `_`-prefixed parameters and destructured leftovers are deliberate (e.g. omitting a field).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Its 400 does not name the parameter; apps/api/src/common/uuid-param.ts's does (IS_UUID).
      'no-restricted-imports': [
        'error',
        { paths: [{ name: '@nestjs/common', importNames: ['ParseUUIDPipe'], message: 'Use UuidParam(name) or uuidPipe(name) from apps/api/src/common/uuid-param.ts.' }] },
      ],
    },
  },
  {
    // CommonJS files run by Node and Jest directly (config, transformer).
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
