import { defaultClientConditions, defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // `k8ts/*` imports resolve to the TypeScript sources (package.json `source` condition), not the
  // compiled dist/ that plain node uses.
  resolve: { conditions: ['source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['source', ...defaultServerConditions] } },
  test: {
    // bench/*.ts are the benchmarks themselves (long runs); the tests of their pure parts live in bench/lib and bench/density.
    exclude: ['node_modules/**', 'bench/*.ts', 'dist/**'],
    include: ['**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
