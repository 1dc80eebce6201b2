/**
 * The Deployment journey users run against a cluster, with etcd + `k8ts apiserver` +
 * `k8ts controller-manager` as real processes and the newest installed kubectl: apply
 * my-nginx-app.yaml, scale, set image, rollout undo, delete the Deployment, delete the namespace.
 * No kubelet runs; a fake one marks pods Ready so rollouts can progress.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_CONTROLLERS } from '../controller-manager/controllers/index.ts';
import { join } from 'node:path';
import { startE2EControlPlane, type E2EControlPlane } from './harness/control-plane.ts';
import { startFakeKubelet, type FakeKubelet } from './harness/fake-kubelet.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from './harness/kubectl.ts';
import { freePort, startComponent, waitForHttpOk, type ComponentProcess } from './harness/processes.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1);
const hasController = (name: string) => BUILTIN_CONTROLLERS.some((c) => c.name === name);
const ns = 'journey';

let cp: E2EControlPlane;
let cm: ComponentProcess;
let fake: FakeKubelet;
let home: string;

async function ok(args: string[]): Promise<string> {
  const res = await kubectl(minor as string, args, { kubeconfig: cp.kubeconfig, home });
  expect(res.code, `kubectl ${args.join(' ')}: ${res.stderr}`).toBe(0);
  return res.stdout;
}

const until = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<boolean> =>
  waitFor(what, check, {
    timeoutMs,
    intervalMs: 250,
    explain: async () => `controller-manager log: ${cm.logFile}\n${(await kubectl(minor as string, ['get', 'deploy,rs,pods', '-n', ns, '-o', 'wide'], { kubeconfig: cp.kubeconfig, home })).stdout}`,
  });

const names = async (kind: string): Promise<string[]> => (await ok(['get', kind, '-n', ns, '-o', 'jsonpath={.items[*].metadata.name}'])).split(/\s+/).filter(Boolean);
const livePods = async (): Promise<string[]> =>
  (JSON.parse(await ok(['get', 'pods', '-n', ns, '-o', 'json'])) as { items: Array<{ metadata: { name: string; deletionTimestamp?: string } }> }).items.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);

beforeAll(async () => {
  if (!minor) return;
  cp = await startE2EControlPlane({ storage: 'etcd' });
  home = cp.newHome();
  const port = await freePort();
  cm = startComponent({ name: 'controller-manager', args: ['controller-manager', '--kubeconfig', cp.kubeconfig, '--secure-port', String(port), '--leader-elect-retry-period', '500ms'], logDir: cp.dir });
  await waitForHttpOk(`http://127.0.0.1:${port}/readyz`, 30_000, cm);
  await ok(['create', 'namespace', ns]);
  fake = startFakeKubelet({ kubeconfig: cp.kubeconfig, namespace: ns });
}, 90_000);

afterAll(async () => {
  await fake?.stop();
  await cm?.stop();
  await cp?.stop();
});

describe.skipIf(!minor)('Deployment journey with the controller-manager', () => {
  it('apply gives one ReplicaSet <deployment>-<hash> and 3 pods <rs>-<5 chars>', async () => {
    expect(await ok(['apply', '-n', ns, '-f', join(fixturesDir, 'my-nginx-app.yaml')])).toContain('deployment.apps/my-nginx-app-deployment created');
    await until('3 pods', async () => (await livePods()).length === 3);
    const rs = await names('rs');
    expect(rs).toHaveLength(1);
    expect(rs[0]).toMatch(/^my-nginx-app-deployment-[a-z0-9]{6,10}$/);
    for (const pod of await livePods()) expect(pod).toMatch(new RegExp(`^${rs[0]}-[a-z0-9]{5}$`));
    await until('rollout complete', async () => (await kubectl(minor as string, ['rollout', 'status', 'deployment/my-nginx-app-deployment', '-n', ns, '--timeout=2s'], { kubeconfig: cp.kubeconfig, home })).code === 0);
    expect(await ok(['get', 'deployment', 'my-nginx-app-deployment', '-n', ns])).toMatch(/my-nginx-app-deployment\s+3\/3\s+3\s+3\s+\d+s/);
  });

  it('scale to 5 gives 5 pods', async () => {
    await ok(['scale', 'deployment/my-nginx-app-deployment', '-n', ns, '--replicas=5']);
    await until('5 pods', async () => (await livePods()).length === 5);
  });

  it('set image creates a second ReplicaSet; rollout undo returns to the first', async () => {
    const [first] = await names('rs');
    await ok(['set', 'image', 'deployment/my-nginx-app-deployment', '-n', ns, 'nginx=nginx:1.27']);
    await until('a second ReplicaSet', async () => (await names('rs')).length === 2);
    await until('rollout of nginx:1.27', async () => (await kubectl(minor as string, ['rollout', 'status', 'deployment/my-nginx-app-deployment', '-n', ns, '--timeout=2s'], { kubeconfig: cp.kubeconfig, home })).code === 0);
    expect(await ok(['get', 'rs', first, '-n', ns, '-o', 'jsonpath={.spec.replicas}'])).toBe('0');
    // The kubernetes.io Deployment page: the change cause annotated on the Deployment shows for the current revision.
    await ok(['annotate', 'deployment/my-nginx-app-deployment', '-n', ns, 'kubernetes.io/change-cause=image updated to 1.27']);
    await until('change cause on the new ReplicaSet', async () => /2\s+image updated to 1\.27\n/.test(await ok(['rollout', 'history', 'deployment/my-nginx-app-deployment', '-n', ns])));
    expect(await ok(['rollout', 'history', 'deployment/my-nginx-app-deployment', '-n', ns])).toMatch(/REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+image updated to 1\.27\n/);
    expect(await ok(['get', 'deployment', 'my-nginx-app-deployment', '-n', ns, '-o', "jsonpath={.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"])).toBe('2');
    expect(await ok(['rollout', 'undo', 'deployment/my-nginx-app-deployment', '-n', ns])).toContain('rolled back');
    await until('the first ReplicaSet back at 5', async () => (await ok(['get', 'rs', first, '-n', ns, '-o', 'jsonpath={.spec.replicas}'])) === '5');
    await until('rollout back complete', async () => (await kubectl(minor as string, ['rollout', 'status', 'deployment/my-nginx-app-deployment', '-n', ns, '--timeout=2s'], { kubeconfig: cp.kubeconfig, home })).code === 0);
    expect(await ok(['get', 'deployment', 'my-nginx-app-deployment', '-n', ns, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx');
    expect(await ok(['get', 'rs', first, '-n', ns, '-o', "jsonpath={.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"])).toBe('3');
    await until('the Deployment at revision 3', async () => (await ok(['get', 'deployment', 'my-nginx-app-deployment', '-n', ns, '-o', "jsonpath={.metadata.annotations['deployment\\.kubernetes\\.io/revision']}"])) === '3');
  });

  it('describe shows the ScalingReplicaSet events', async () => {
    expect(await ok(['describe', 'deployment', 'my-nginx-app-deployment', '-n', ns])).toMatch(/Normal\s+ScalingReplicaSet\s+\S+\s+deployment-controller\s+Scaled up replica set my-nginx-app-deployment-\S+ (from 0 )?to 3/);
  });

  it.skipIf(!hasController('garbagecollector'))('deleting the Deployment removes its ReplicaSets and pods', async () => {
    await ok(['delete', 'deployment', 'my-nginx-app-deployment', '-n', ns]);
    await until('no ReplicaSets', async () => (await names('rs')).length === 0);
    await until('no pods', async () => (await names('pods')).length === 0);
  });

  it.skipIf(!hasController('namespace'))('deleting a namespace empties it, then it disappears', async () => {
    await ok(['create', 'configmap', 'leftover', '-n', ns, '--from-literal=a=1']);
    await ok(['apply', '-n', ns, '-f', join(fixturesDir, 'my-nginx-app.yaml')]);
    await until('pods again', async () => (await livePods()).length === 3);
    await ok(['delete', 'namespace', ns, '--wait=false']);
    await until('namespace gone', async () => (await kubectl(minor as string, ['get', 'namespace', ns], { kubeconfig: cp.kubeconfig, home })).code !== 0, 60_000);
  });
});
