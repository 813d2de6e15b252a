import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of the workspace packages (the `@essaim/source`
// export condition), except the crash tests, which start the built server as a child process.
const resolve = { conditions: ['@essaim/source'] };
// Workspace packages are symlinked into node_modules: inline them so Vite (not Node) resolves
// them, with the condition above.
const server = { deps: { inline: [/@essaim\//, /\/(packages|server)\/[^/]+\/src\//] } };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ['@essaim/source'], externalConditions: ['@essaim/source'] } },
  test: {
    // Polls wait for what a loaded 2-core machine may take (a page opening a fiche, a server
    // answering): 1 s, the default, fails on a busy machine, not on a wrong result.
    expect: { poll: { timeout: 10_000 } },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          server,
          include: [
            'packages/*/src/**/*.test.ts',
            'server/src/**/*.test.ts',
            'client/src/**/*.test.{ts,tsx}',
          ],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          server,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          server,
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
