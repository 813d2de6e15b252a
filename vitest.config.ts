import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of the workspace packages (the `@essaim/source`
// export condition), except the crash tests, which start the built server as a child process.
const resolve = { conditions: ['@essaim/source'] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ['@essaim/source'], externalConditions: ['@essaim/source'] } },
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'],
          environment: 'node',
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve,
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 60_000,
          // One Chromium at a time on a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
});
