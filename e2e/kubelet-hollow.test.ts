/**
 * `k8ts kubelet --container-runtime fake --hollow-nodes 2` as a real process against etcd + `k8ts apiserver`: the hollow
 * node registers and is Ready in `kubectl get nodes`, a pod bound to it shows `1/1 Running`, and
 * `kubectl delete pod` completes because the kubelet confirms the deletion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from './harness/kubectl.ts';
import { freePort, startComponent, type ComponentProcess } from './harness/processes.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1);
let cp: E2EControlPlane;
let kubelet: ComponentProcess;
let home: string;

async function ok(args: string[]): Promise<string> {
  const res = await kubectl(minor as string, args, { kubeconfig: cp.kubeconfig, home, timeoutMs: 60_000 });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const until = (what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<boolean> => waitFor(what, check, { timeoutMs, intervalMs: 250, explain: () => `kubelet log: ${kubelet.logFile}` });

beforeAll(async () => {
  if (!minor) return;
  cp = await startE2EControlPlane({ storage: 'etcd' });
  home = cp.newHome();
  kubelet = startComponent({
    name: 'kubelet',
    args: ['kubelet', '--kubeconfig', cp.kubeconfig, '--container-runtime', 'fake', '--hollow-nodes', '2', '--node-name', 'hollow', '--root-dir', join(cp.dir, 'kubelet'), '--healthz-port', String(await freePort()), '--port', String(await freePort()), '--node-status-update-frequency', '1s', '--node-ip', '10.0.0.7'],
    logDir: cp.dir,
  });
}, 90_000);

afterAll(async () => {
  await kubelet?.stop();
  await cp?.stop();
});

describe.skipIf(!minor)('hollow kubelet process', () => {
  it('registers Ready nodes (two hollow nodes in one process)', async () => {
    await until('nodes Ready', async () => {
      const out = (await kubectl(minor as string, ['get', 'nodes'], { kubeconfig: cp.kubeconfig, home })).stdout;
      return /^hollow-0\s+Ready\s+<none>\s+\S+\s+v1\.33\.0\+k8ts$/m.test(out) && /^hollow-1\s+Ready\s+<none>\s+\S+\s+v1\.33\.0\+k8ts$/m.test(out);
    });
    expect(await ok(['get', 'node', 'hollow-1', '-o', 'wide'])).toMatch(/hollow-1\s+Ready\s+<none>\s+\S+\s+v1\.33\.0\+k8ts\s+10\.0\.0\.7\s+<none>/);
  });

  it('runs a pod bound to it (1/1 Running) and confirms its deletion', async () => {
    const manifest = join(cp.dir, 'pod.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hollow-pod\nspec:\n  nodeName: hollow-1\n  automountServiceAccountToken: false\n  containers:\n  - name: app\n    image: nginx\n');
    await ok(['apply', '-f', manifest]);
    await until('pod Running', async () => /^hollow-pod\s+1\/1\s+Running\s+0\s+/m.test(await ok(['get', 'pod', 'hollow-pod'])));
    expect(await ok(['get', 'pod', 'hollow-pod', '-o', 'wide'])).toMatch(/hollow-pod\s+1\/1\s+Running\s+0\s+\S+\s+10\.244\.0\.\d+\s+hollow-1/);
    expect(await ok(['delete', 'pod', 'hollow-pod', '--timeout=30s'])).toContain('pod "hollow-pod" deleted');
    expect((await kubectl(minor as string, ['get', 'pod', 'hollow-pod'], { kubeconfig: cp.kubeconfig, home })).stderr).toContain('NotFound');
  });
});
