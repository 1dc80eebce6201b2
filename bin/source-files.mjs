// The files dist/ is built from — one rule for bin/k8ts.mjs and the benchmarks (is dist/
// current?) and scripts/build.mjs (which assets to copy beside the compiled code).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The top-level folders compiled into dist/ (tsconfig.build.json's `include`). */
export const SOURCE_DIRS = ['pkg', 'apiserver', 'scheduler', 'controller-manager', 'kubelet', 'proxy', 'dns', 'cli'];

/** Every file under the source folders that dist/ depends on: not tests, docs or test data. */
export function* sourceFiles(root) {
  for (const dir of SOURCE_DIRS) yield* walk(join(root, dir));
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata') yield* walk(path);
    } else if (!entry.name.includes('.test.') && !entry.name.endsWith('.md')) yield path;
  }
}

/**
 * Whether dist/ under `root` may run: its build stamp is newer than every source file, and
 * K8TS_FROM_SOURCE=1 is not set. bin/k8ts.mjs runs dist/ only then; so do benchmarks that load
 * k8ts modules in their own process, so that they measure the code `k8ts` runs.
 */
export function distIsCurrent(root) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (process.env.K8TS_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  for (const path of sourceFiles(root)) if (statSync(path).mtimeMs > built) return false;
  return true;
}
