/**
 * The k8ts package's root directory (where package.json and bin/ live), found from any module
 * inside it — the same answer whether the module runs from its TypeScript source or from the
 * compiled copy under dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Walks up from `moduleUrl` to the nearest directory whose package.json names `k8ts`. */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'k8ts') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no k8ts package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
