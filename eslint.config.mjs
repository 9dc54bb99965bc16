// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/*.cjs', 'dist/**', 'dist-vsix/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.mjs', 'test/*/*.mjs', '.ci/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  // Rooms (see README, "How it is built"): each block says what a room may not import.
  {
    // The Graph core is plain Node: it must never depend on the editor or on the layers above it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is vscode-free; inject what you need.' }],
        patterns: [{ regex: '^\\.\\./', message: 'src/core depends on nothing above it.' }],
      }],
    },
  },
  {
    // The text policy and other shared rules: editor-free, so every surface and every test applies the same ones.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/shared is vscode-free.' }],
        patterns: [{ regex: '^\\.\\./(?!core(/|$))', message: 'src/shared may use only src/core.' }],
      }],
    },
  },
  {
    // Shared editor helpers (notifications, labels): below every surface.
    files: ['src/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../tree/*', '../commands/*', '../webviews/*', '../webview-ui/*', '../lm/*'], message: 'src/ui sits below the surfaces.' }] }],
    },
  },
  {
    // The views do not reach into commands, chat tools or pages.
    files: ['src/tree/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../commands', '../commands/*', '../lm', '../lm/*', '../webviews/*', '../webview-ui/*'], message: 'The tree uses src/shared and src/ui, not another surface.' }] }],
    },
  },
  {
    files: ['src/webviews/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../commands', '../commands/*', '../lm', '../lm/*', '../tree/*'], message: 'Pages use src/shared and src/ui, not another surface.' }] }],
    },
  },
  {
    // Browser code: only the protocol, the form rules and the shared text policy.
    files: ['src/webview-ui/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Webview code runs in the browser.' }],
        patterns: [{ regex: '^\\.\\./(?!webviews/(protocol|formRules|guard)$|shared/|core/)', message: 'Webview code may use only the protocol and its guards, the form rules, src/shared and the core.' }],
      }],
    },
  },
  {
    files: ['src/lm/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../commands', '../commands/*', '../tree/*', '../webviews/*', '../webview-ui/*'], message: 'Chat tools use src/shared and src/ui, not another surface.' }] }],
    },
  },
  {
    files: ['**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' } },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // node:test's describe/it return promises that the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
    },
  },
);
