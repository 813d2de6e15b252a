// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'client/public/**',
      'tests/artifacts/**',
      'bench/results/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // The domain is pure: no I/O, no framework. It is imported by server and client alike.
    files: ['packages/domain/src/**/*.ts', 'packages/protocol/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'express',
                '@hocuspocus/*',
                'better-sqlite3',
                'react',
                'react-dom',
                'ws',
                'node:*',
                'pino',
              ],
              message: 'packages/domain et packages/protocol restent sans entrées/sorties ni framework.',
            },
          ],
        },
      ],
    },
  },
  {
    // The shared schema must load in the browser and in Node without a DOM or a server.
    files: ['packages/editor/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['express', '@hocuspocus/server', 'better-sqlite3', 'react', 'node:*'],
              message: 'packages/editor est partagé par le client et le serveur.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['express', '@hocuspocus/server', 'better-sqlite3', 'node:*', '@essaim/server'],
              message: 'Le client ne dépend pas du serveur.',
            },
          ],
        },
      ],
    },
  },
);
