import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from './package-root.ts';

describe('packageRoot', () => {
  it('finds the directory holding bin/k8ts.mjs from a source module and from its dist/ path', () => {
    const root = packageRoot(import.meta.url);
    expect(existsSync(join(root, 'bin', 'k8ts.mjs'))).toBe(true);
    expect(packageRoot(pathToFileURL(join(root, 'dist', 'cli', 'up', 'up.js')).href)).toBe(root);
  });

  it('fails clearly outside the package', () => {
    expect(() => packageRoot('file:///usr/lib/x.js')).toThrow('no k8ts package.json above /usr/lib/x.js');
  });
});
