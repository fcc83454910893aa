import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Real engines, real clients: keep files isolated so each gets its own table and module state.
    isolate: true,
    allowOnly: false,
    // A poll waits for something the page or the engines do; on a busy 2-core machine a request
    // through the browser, the local gateway and DynamoDB Local can take longer than the default 1 s.
    expect: { poll: { timeout: 10_000 } },
  },
});
