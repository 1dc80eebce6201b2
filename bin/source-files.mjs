// The files dist/ is built from — one rule for bin/k8ts.mjs (is dist/ current?) and
// scripts/build.mjs (which assets to copy beside the compiled code).
import { readdirSync } from 'node:fs';
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
