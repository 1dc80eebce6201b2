// Compiles the TypeScript sources to dist/ (so plain `node` can import k8ts/client,
// k8ts/runtime, k8ts/testing, … after `npm ci`) and copies the runtime assets the code reads
// next to itself (.proto files, generated JSON tables).
import { execFileSync } from 'node:child_process';
import { cpSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sourceFiles } from '../bin/source-files.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Taken before compiling: a source saved during the build leaves dist/ older than it (bin/k8ts.mjs
// then runs the sources).
const startedAt = new Date();
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

// Everything the code reads beside itself: the source files that are not TypeScript.
for (const path of sourceFiles(root)) if (!path.endsWith('.ts')) cpSync(path, join(root, 'dist', relative(root, path)));
// bin/k8ts.mjs runs dist/ only while this stamp is newer than every source file.
writeFileSync(join(root, 'dist', '.build-stamp'), `${startedAt.toISOString()}\n`);
utimesSync(join(root, 'dist', '.build-stamp'), startedAt, startedAt);
