/**
 * `kubectl top` against the built-in metrics.k8s.io (the oldest and newest installed minor,
 * `KUBECTL_RANGE_ENDS`, each against its own in-process control plane) with fake kubelets
 * serving `/stats/summary` behind the nodes: n1 and n2 answer, n3's kubelet is down. `top node`
 * (percentages of allocatable, a node without metrics), `top pod` in a namespace, `-A`,
 * `--containers`, `-l`, a named pod, a pod without metrics yet as metrics-server's 404, and an
 * unknown pod; `kubectl api-resources` and `kubectl get podmetrics` through discovery.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, kubectlRunner, kubectlTable } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { nodeFor, startFakeStatsKubelet, summaryOf, type FakeStatsKubelet } from './metrics-api/testing/fake-kubelet.ts';
import { freePort } from '../e2e/harness/processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-metrics-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
const Mi = 1024 * 1024;

afterAll(() => rmSync(dir, { recursive: true, force: true }));


/** Whitespace-separated cells of every line after the header. */
const rows = (out: string) => out.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/));
const header = (out: string) => out.split('\n')[0]!.trim().split(/\s{2,}/);

describe.skipIf(!minors.length).each(minors)('kubectl %s top', (minor) => {
  let cp: TestControlPlane;
  const kubelets: FakeStatsKubelet[] = [];
  const { run, ok } = kubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));

  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${cp.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as { metadata: { uid: string } };
  };
  const addNode = async (node: Record<string, unknown>) => {
    const created = await send('POST', '/api/v1/nodes', { ...node, status: undefined });
    await send('PUT', `/api/v1/nodes/${(node.metadata as { name: string }).name}/status`, { ...created, status: node.status });
  };
  const addPod = async (namespace: string, name: string, nodeName: string, labels: Record<string, string>, containers: string[]) =>
    (await send('POST', `/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels }, spec: { nodeName, containers: containers.map((c) => ({ name: c, image: 'busybox' })) } })).metadata.uid;

  beforeAll(async () => {
    cp = await startTestControlPlane();
    const [k1, k2] = [await startFakeStatsKubelet({}), await startFakeStatsKubelet({})];
    kubelets.push(k1, k2);
    await addNode(nodeFor('n1', k1.port, { zone: 'a' }));
    await addNode(nodeFor('n2', k2.port, { zone: 'b' }));
    await addNode(nodeFor('n3', await freePort(), { zone: 'a' }));
    await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    const uid = {
      web1: await addPod('default', 'web-1', 'n1', { app: 'web' }, ['nginx', 'sidecar']),
      web2: await addPod('default', 'web-2', 'n2', { app: 'web' }, ['nginx']),
      db: await addPod('default', 'db', 'n1', { app: 'db' }, ['postgres']),
      starting: await addPod('default', 'starting', 'n2', { app: 'new' }, ['a']),
      cart: await addPod('shop', 'cart', 'n2', { app: 'cart' }, ['cart']),
    };
    k1.summary = summaryOf({
      node: 'n1',
      cpu: 250_000_000,
      memory: 1536 * Mi,
      pods: [
        { name: 'web-1', uid: uid.web1, containers: [{ name: 'nginx', cpu: 1_234_567, memory: 12 * Mi }, { name: 'sidecar', cpu: 2_000_000, memory: 3 * Mi }] },
        { name: 'db', uid: uid.db, containers: [{ name: 'postgres', cpu: 100_000_000, memory: 64 * Mi + 4096 }] },
      ],
    });
    k2.summary = summaryOf({
      node: 'n2',
      cpu: 1_500_000_000,
      memory: 2048 * Mi,
      pods: [
        { name: 'web-2', uid: uid.web2, containers: [{ name: 'nginx', cpu: 3_000_000, memory: 20 * Mi }] },
        { name: 'starting', uid: uid.starting, containers: [{ name: 'a' }] },
        { name: 'cart', namespace: 'shop', uid: uid.cart, containers: [{ name: 'cart', cpu: 250_000_000, memory: 100 * Mi }] },
      ],
    });
  });
  afterAll(async () => {
    await cp?.stop();
    for (const k of kubelets) await k.close();
  });

  it('kubectl top node: usage and share of allocatable per node, <unknown> for a node whose kubelet is down', async () => {
    const out = await ok(['top', 'node']);
    // kubectl ≤ 1.2x heads the shares `CPU%` / `MEMORY%`, later ones `CPU(%)` / `MEMORY(%)`.
    expect([
      ['NAME', 'CPU(cores)', 'CPU%', 'MEMORY(bytes)', 'MEMORY%'],
      ['NAME', 'CPU(cores)', 'CPU(%)', 'MEMORY(bytes)', 'MEMORY(%)'],
    ]).toContainEqual(header(out));
    const table = kubectlTable(out);
    expect(table.row('n1')).toEqual(['n1', '250m', '6%', '1536Mi', '18%']);
    expect(table.row('n2')).toEqual(['n2', '1500m', '37%', '2048Mi', '25%']);
    expect(table.row('n3')?.slice(1)).toEqual(['<unknown>', '<unknown>', '<unknown>', '<unknown>']);
    expect(kubectlTable(await ok(['top', 'node', '-l', 'zone=b'])).row('n2')?.slice(1, 2)).toEqual(['1500m']);
    expect(rows(await ok(['top', 'node', 'n1']))).toEqual([['n1', '250m', '6%', '1536Mi', '18%']]);
  });

  it('kubectl top pod: the namespace\'s pods with metrics (CPU rounded up to millicores, memory in Mi)', async () => {
    const out = await ok(['top', 'pod']);
    expect(header(out)).toEqual(['NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(rows(out)).toEqual([
      ['db', '100m', '64Mi'],
      ['web-1', '4m', '15Mi'],
      ['web-2', '3m', '20Mi'],
    ]);
  });

  it('kubectl top pod -A: every namespace', async () => {
    const out = await ok(['top', 'pod', '-A']);
    expect(header(out)).toEqual(['NAMESPACE', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(rows(out)).toEqual([
      ['default', 'db', '100m', '64Mi'],
      ['default', 'web-1', '4m', '15Mi'],
      ['default', 'web-2', '3m', '20Mi'],
      ['shop', 'cart', '250m', '100Mi'],
    ]);
  });

  it('kubectl top pod --containers: one line per container', async () => {
    const out = await ok(['top', 'pod', 'web-1', '--containers']);
    expect(header(out)).toEqual(['POD', 'NAME', 'CPU(cores)', 'MEMORY(bytes)']);
    expect(rows(out).sort()).toEqual([
      ['web-1', 'nginx', '2m', '12Mi'],
      ['web-1', 'sidecar', '2m', '3Mi'],
    ]);
  });

  it('kubectl top pod -l app=web, -n, and a named pod', async () => {
    expect(rows(await ok(['top', 'pod', '-l', 'app=web']))).toEqual([
      ['web-1', '4m', '15Mi'],
      ['web-2', '3m', '20Mi'],
    ]);
    expect(rows(await ok(['top', 'pod', '-n', 'shop']))).toEqual([['cart', '250m', '100Mi']]);
    expect(rows(await ok(['top', 'pod', 'db']))).toEqual([['db', '100m', '64Mi']]);
    // Asked for protobuf, kubectl accepts the JSON the server answers.
    expect(rows(await ok(['top', 'pod', 'db', '--use-protocol-buffers']))).toEqual([['db', '100m', '64Mi']]);
    expect(rows(await ok(['top', 'node', 'n2', '--use-protocol-buffers']))[0]?.slice(0, 2)).toEqual(['n2', '1500m']);
  });

  it('a pod without metrics yet is metrics-server\'s NotFound; an unknown pod the pod\'s', async () => {
    const starting = await run(['top', 'pod', 'starting']);
    expect({ code: starting.code, stdout: starting.stdout, stderr: starting.stderr }).toEqual({ code: 1, stdout: '', stderr: 'Error from server (NotFound): podmetrics.metrics.k8s.io "default/starting" not found\n' });
    const unknown = await run(['top', 'pod', 'nope']);
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({ code: 1, stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    // A selector whose pods are all too young to be measured: kubectl checks their age itself.
    const young = await run(['top', 'pod', '-l', 'app=new']);
    expect({ code: young.code, stdout: young.stdout, stderr: young.stderr }).toEqual({ code: 1, stdout: '', stderr: 'error: metrics not available yet\n' });
    const none = await run(['top', 'pod', '-l', 'app=nope']);
    expect({ code: none.code, stdout: none.stdout, stderr: none.stderr }).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
  });

  it('kubectl api-resources lists nodes and pods of metrics.k8s.io; kubectl get podmetrics prints metrics-server\'s columns', async () => {
    const resources = await ok(['api-resources', '--api-group=metrics.k8s.io']);
    expect(rows(resources)).toEqual([
      ['nodes', 'metrics.k8s.io/v1beta1', 'false', 'NodeMetrics'],
      ['pods', 'metrics.k8s.io/v1beta1', 'true', 'PodMetrics'],
    ]);
    // `pods` and `nodes` still mean the core kinds (the core group comes first, as upstream).
    expect(await ok(['get', 'pods', '-n', 'shop', '-o', 'name'])).toBe('pod/cart\n');
    expect(await ok(['get', 'no', '-o', 'name'])).toBe('node/n1\nnode/n2\nnode/n3\n');
    expect(await ok(['get', 'nodemetrics', 'n1', '-o', 'jsonpath={.usage.cpu} {.window}'])).toBe('250m 10s');
    const out = await ok(['get', 'podmetrics', '-n', 'shop']);
    expect(header(out)).toEqual(['NAME', 'CPU', 'MEMORY', 'WINDOW']);
    expect(rows(out)).toEqual([['cart', '250m', '100Mi', '10s']]);
  });
});
