/**
 * Loads k8ts modules into a benchmark's own process as `k8ts` runs them: the compiled dist/ when
 * it is current (bin/k8ts.mjs's rule), else the TypeScript sources. The sources go through tsx,
 * whose transform wraps every function created at run time in a `__name(fn, "name")` call; in hot
 * code that builds closures per item (a renderer, a plugin) this costs several per cent that the
 * shipped code does not pay. Run `npm run build` before benchmarking.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distIsCurrent } from '../../bin/source-files.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** True when {@link importShipped} loads dist/. Decided once per process. */
export const shippedFromDist: boolean = distIsCurrent(root);

/** What the benchmark says about the code it measured (one line for its output). */
export function shippedCodeNote(): string {
  return shippedFromDist ? 'code measured: dist/ (as `k8ts` runs it)' : 'code measured: TypeScript sources through tsx (dist/ is missing or older than the sources: run `npm run build`)';
}

/**
 * Import the k8ts module at `sourcePath` (relative to the repository root, e.g.
 * `proxy/iptables/exec.ts`) from dist/ when {@link shippedFromDist}, else from the source.
 * Type it with `typeof import('…')` of the same source file.
 */
export async function importShipped<T>(sourcePath: string): Promise<T> {
  const path = shippedFromDist ? join(root, 'dist', sourcePath.replace(/\.ts$/, '.js')) : join(root, sourcePath);
  return (await import(pathToFileURL(path).href)) as T;
}
