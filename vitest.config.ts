import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // workspace packages resolve to their TypeScript sources in tests (no build needed)
    conditions: ['revloop-source'],
  },
  ssr: { resolve: { conditions: ['revloop-source'] } },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'connectors/*/test/**/*.test.ts',
      'plugins/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'test/e2e/**/*.test.ts',
      'test/setup/**/*.test.ts',
    ],
    setupFiles: ['./test/setup/network-guard.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // REVLOOP_STATE_KEY: stored credentials (plugin state) are sealed with it; a test-only value
    env: { METADATA_SERVER_DETECTION: 'none', REVLOOP_STATE_KEY: 'revloop-tests-only-state-key-not-a-secret' },
    pool: 'forks',
  },
});
