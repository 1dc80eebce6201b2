import { defaultClientConditions, defaultServerConditions } from 'vite';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { EndToEndFirstSequencer } from './vitest.sequencer.ts';

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
    // Vitest's default is one worker fewer than the CPUs: a single worker on the 2-core machines
    // CI runs on, where the suite took 28 min. Most long files wait on processes (etcd,
    // containerd, kubectl, clusters) rather than compute, so one worker per CPU but at least two
    // cut it by a third there; three workers on 2 CPUs ran slower and starved timing-sensitive
    // tests. Capped at 4 so a big machine does not start a dozen clusters at once.
    maxWorkers: Math.min(4, Math.max(2, availableParallelism())),
    sequence: { sequencer: EndToEndFirstSequencer },
  },
});
