/**
 * Four projects: `unit` (no I/O beyond the process), `contract` (every channel adapter against the
 * sandbox over real sockets), `integration` (real FerretDB or MongoDB, real Redis, real child
 * processes) and `e2e` (the operator UI in Debian's chromium, driven by playwright-core, against a
 * real `vestnik start`). Type checking of tests is done by `npm run typecheck`
 * (tsc over test/ too), so ts-jest only transpiles here.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };

/** @type {import('jest').Config} */
module.exports = {
  // Integration tests start real processes (FerretDB, several Vestnik roles); 60 s is their ceiling.
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
    },
    {
      // Every adapter against the sandbox over real sockets; no database, so no global setup.
      displayName: 'contract',
      testMatch: ['<rootDir>/test/contract/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
    },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      testEnvironment: 'node',
      transform,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
    {
      // The same global setup (built dist/, FerretDB binary); jest runs a shared one only once.
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e.test.ts'],
      testEnvironment: 'node',
      transform,
      globalSetup: '<rootDir>/test/integration/global-setup.ts',
      globalTeardown: '<rootDir>/test/integration/global-teardown.ts',
    },
  ],
};
