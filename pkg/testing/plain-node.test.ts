/**
 * The public packages work from plain `node` (no TypeScript loader), as a user's project
 * gets them after `npm ci`: package.json `exports` point plain node at the compiled dist/
 * (built by `npm ci`'s prepare script and by scripts/test.sh).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = `
import { startTestControlPlane } from 'k8ts/testing';
import { createClient } from 'k8ts/client';
import { Manager, newControllerBuilder } from 'k8ts/runtime';
const cp = await startTestControlPlane();
const client = createClient({ kubeconfig: cp.kubeconfigPath });
const names = (await client.namespaces.list()).items.map((n) => n.metadata.name).sort();
console.log(JSON.stringify({ names, manager: typeof Manager, builder: typeof newControllerBuilder }));
await client.close();
await cp.stop();
`;

describe('plain node', () => {
  it('imports k8ts/testing, k8ts/client and k8ts/runtime and starts a control plane', async () => {
    expect(existsSync(`${root}/dist/pkg/testing/index.js`), 'dist/ is missing: run `npm run build` (npm ci and scripts/test.sh do)').toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 30_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({ names: ['default', 'kube-node-lease', 'kube-public', 'kube-system'], manager: 'function', builder: 'function' });
  });
});
