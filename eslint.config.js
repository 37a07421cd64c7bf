// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

const databaseModules = ['mongoose', 'mongodb', 'ltijs'];

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', 'data/', 'dist/', 'coverage/', 'test-results/', 'public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Config is the one place of the application that reads the environment.
    files: ['src/**'],
    ignores: ['src/shared/config/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through src/shared/config only.' },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Unit tests never reach a database.
    files: ['test/unit/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: databaseModules.map((name) => ({ name, message: 'Unit tests cannot reach a database.' })) },
      ],
    },
  },
  {
    // Mongoose appears only in repositories and in the database connection.
    files: ['src/**'],
    ignores: ['src/*/infrastructure/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: databaseModules.map((name) => ({
            name,
            message: 'Only infrastructure talks to the database.',
          })),
        },
      ],
    },
  },
  {
    // The domain is pure: no database, no HTTP, no wall clock, no ambient randomness.
    files: ['src/*/domain/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...databaseModules, 'express'].map((name) => ({ name, message: 'The domain stays pure.' })),
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Inject a clock.',
        },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a clock.' },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']",
          message: 'Inject a PRNG.',
        },
      ],
    },
  },
  prettier,
);
