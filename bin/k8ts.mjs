#!/usr/bin/env node
// Entry point of the `k8ts` command. Runs the compiled dist/ (built by `npm ci`'s prepare step
// and scripts/test.sh; starts in about half the time and holds less memory than compiling on the
// fly) when its build stamp is newer than every source file; otherwise — an edited checkout, or
// K8TS_FROM_SOURCE=1 — registers the TypeScript loader and runs the sources, so stale code never runs.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['pkg', 'apiserver', 'scheduler', 'controller-manager', 'kubelet', 'proxy', 'dns', 'cli'];

function newestSourceMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testdata') newest = Math.max(newest, newestSourceMs(path));
    } else if (!entry.name.includes('.test.') && !entry.name.endsWith('.md')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function distIsCurrent() {
  const stamp = join(root, 'dist', '.build-stamp');
  if (process.env.K8TS_FROM_SOURCE === '1' || !existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.every((dir) => newestSourceMs(join(root, dir)) <= built);
}

let main;
if (distIsCurrent()) {
  ({ main } = await import(pathToFileURL(join(root, 'dist', 'cli', 'main.js')).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../cli/main.ts'));
}
await main(process.argv.slice(2));
