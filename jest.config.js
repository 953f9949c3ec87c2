/** One config, three projects: pure units, emulator-backed integration tests, and spawned-CLI e2e tests. */
// Type-checking is `npm run typecheck`'s job: tsconfig's isolatedModules makes ts-jest only transpile, which keeps runs fast.
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json' }];
const common = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': tsJest },
  setupFiles: ['<rootDir>/test/support/setup.ts'],
};
module.exports = {
  verbose: true,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      slowTestThreshold: 30,
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'], slowTestThreshold: 30 },
  ],
};
