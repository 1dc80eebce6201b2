/**
 * `node --import tsx cli/up/images/prebuild.ts`: builds the catalog's images into the machine
 * cache now (about a minute on a fresh machine, instant afterwards), so tests and `k8ts up` with
 * short time limits find them built. scripts/install-deps.sh runs it.
 */
import { buildImages } from './build.ts';
import { imageCacheDir } from './cache.ts';

const t0 = Date.now();
await buildImages({ cacheDir: imageCacheDir(), progress: (line) => process.stdout.write(`built ${line}\n`) });
process.stdout.write(`k8ts images ready in ${imageCacheDir()} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
