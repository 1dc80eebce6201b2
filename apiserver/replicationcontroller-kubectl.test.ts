/**
 * ReplicationController, PodTemplate and ComponentStatus through real kubectl (the oldest and
 * newest installed minor, `KUBECTL_RANGE_ENDS`, each against its own in-process control plane
 * running the replicationcontroller and garbage collector controllers; no kubelet, so nothing
 * becomes ready): the kubernetes.io ReplicationController example applied verbatim, `get rc`
 * (plain and wide), `scale`, `expose`, `delete` with its pods collected, a 422 with upstream's
 * message, `get podtemplates`, and `get cs` with the deprecation warning.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-rc-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);

const FILES: Record<string, string> = {
  // kubernetes.io/examples/controllers/replication.yaml
  'replication.yaml': `apiVersion: v1
kind: ReplicationController
metadata:
  name: nginx
spec:
  replicas: 3
  selector:
    app: nginx
  template:
    metadata:
      name: nginx
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
`,
  'bad-rc.yaml': `apiVersion: v1
kind: ReplicationController
metadata:
  name: bad
spec:
  selector:
    app: other
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx
`,
  'podtemplate.yaml': `apiVersion: v1
kind: PodTemplate
metadata:
  name: web-template
template:
  metadata:
    labels:
      app: web
      tier: frontend
  spec:
    containers:
    - name: web
      image: nginx:1.27
    - name: sidecar
      image: busybox
`,
};

let healthz: Server;
let healthzUrl: string;

beforeAll(async () => {
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
  healthz = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => healthz.listen(0, '127.0.0.1', resolve));
  healthzUrl = `http://127.0.0.1:${(healthz.address() as AddressInfo).port}/healthz`;
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await new Promise((resolve) => healthz?.close(resolve));
});

const cells = (line: string) => line.trim().split(/\s{2,}/);

describe.skipIf(!minors.length).each(minors)('kubectl %s and ReplicationController, PodTemplate, ComponentStatus', (minor) => {
  let cp: TestControlPlane;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: join(dir, minor) }));
  const livePods = async () => (await cp.client.pods.inNamespace('default').list({ labelSelector: 'app=nginx' })).items.filter((p) => !p.metadata.deletionTimestamp);

  beforeAll(async () => {
    // The controller-manager "listens" on a port nothing serves: it shows Unhealthy.
    cp = await startTestControlPlane({ controllers: ['replicationcontroller', 'garbagecollector'], componentStatus: { schedulerUrl: healthzUrl, controllerManagerUrl: 'http://127.0.0.1:1/healthz' } });
  });
  afterAll(async () => {
    await cp?.stop();
  });

  it('applies the docs ReplicationController, which creates its pods, and lists it as upstream prints it', async () => {
    expect(await ok('apply', '-f', join(dir, 'replication.yaml'))).toBe('replicationcontroller/nginx created\n');
    await waitFor('3 pods', async () => (await livePods()).length === 3, { timeoutMs: 15_000, intervalMs: 100 });
    for (const p of await livePods()) expect(p.metadata.ownerReferences).toEqual([expect.objectContaining({ apiVersion: 'v1', kind: 'ReplicationController', name: 'nginx', controller: true })]);
    await waitFor('status', async () => (await cp.client.replicationControllers.inNamespace('default').get('nginx')).status?.replicas === 3, { timeoutMs: 15_000, intervalMs: 100 });
    const [header, row] = (await ok('get', 'rc')).split('\n');
    expect(cells(header!)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    expect(cells(row!)).toEqual(['nginx', '3', '3', '0', expect.stringMatching(/^\d+s$/)]);
    const [wideHeader, wideRow] = (await ok('get', 'replicationcontrollers', '-o', 'wide')).split('\n');
    expect(cells(wideHeader!)).toEqual(['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    expect(cells(wideRow!).slice(5)).toEqual(['nginx', 'nginx', 'app=nginx']);
    expect(await ok('get', 'all', '-o', 'name')).toContain('replicationcontroller/nginx\n');
    expect(await ok('apply', '-f', join(dir, 'replication.yaml'))).toBe('replicationcontroller/nginx unchanged\n');
    // Server-side apply takes over from client-side apply without touching the spec.
    expect(await ok('apply', '--server-side', '--force-conflicts', '-f', join(dir, 'replication.yaml'))).toBe('replicationcontroller/nginx serverside-applied\n');
    expect(await ok('get', 'rc', 'nginx', '-o', 'jsonpath={.metadata.generation} {.spec.template.spec.containers[0].ports}')).toBe('1 [{"containerPort":80,"protocol":"TCP"}]');
    const described = await ok('describe', 'rc', 'nginx');
    expect(described).toMatch(/^Selector:\s+app=nginx$/m);
    expect(described).toMatch(/^Replicas:\s+3 current \/ 3 desired$/m);
    expect(described).toMatch(/^Pods Status:\s+0 Running \/ 3 Waiting \/ 0 Succeeded \/ 0 Failed$/m);
    expect(described).toMatch(/^ {2}Normal\s+SuccessfulCreate\s+\S+\s+replication-controller\s+Created pod: nginx-[a-z0-9]{5}$/m);
  });

  it('scales it through the scale subresource', async () => {
    expect(await ok('scale', 'rc', 'nginx', '--replicas=1')).toBe('replicationcontroller/nginx scaled\n');
    await waitFor('1 pod', async () => (await livePods()).length === 1, { timeoutMs: 15_000, intervalMs: 100 });
    expect(await ok('get', 'rc', 'nginx', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}')).toBe('1 2');
  });

  it('exposes it as a Service selecting its pods', async () => {
    expect(await ok('expose', 'rc', 'nginx', '--port=80', '--target-port=8000')).toBe('service/nginx exposed\n');
    expect(await ok('get', 'service', 'nginx', '-o', 'jsonpath={.spec.selector} {.spec.ports[0].port} {.spec.ports[0].targetPort}')).toBe('{"app":"nginx"} 80 8000');
  });

  it('refuses a selector its template labels miss with 422 and upstream\'s message', async () => {
    const res = await run('apply', '-f', join(dir, 'bad-rc.yaml'));
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('The ReplicationController "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`');
  });

  it('deletes it and its pods are collected', async () => {
    expect(await ok('delete', 'rc', 'nginx')).toBe('replicationcontroller "nginx" deleted\n');
    await waitFor('pods gone', async () => (await livePods()).length === 0, { timeoutMs: 15_000, intervalMs: 100 });
    const gone = await run('get', 'rc', 'nginx');
    expect(gone.stderr).toBe('Error from server (NotFound): replicationcontrollers "nginx" not found\n');
  });

  it('stores PodTemplates and lists them with their containers, images and pod labels', async () => {
    expect(await ok('apply', '-f', join(dir, 'podtemplate.yaml'))).toBe('podtemplate/web-template created\n');
    const [header, row] = (await ok('get', 'podtemplates')).split('\n');
    expect(cells(header!)).toEqual(['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS']);
    expect(cells(row!)).toEqual(['web-template', 'web,sidecar', 'nginx:1.27,busybox', 'app=web,tier=frontend']);
    expect(await ok('get', 'podtemplate', 'web-template', '-o', 'jsonpath={.template.spec.restartPolicy}')).toBe('Always');
    expect(await ok('apply', '--server-side', '-f', join(dir, 'podtemplate.yaml'))).toBe('podtemplate/web-template serverside-applied\n');
    expect(await ok('delete', 'podtemplate', 'web-template')).toBe('podtemplate "web-template" deleted\n');
  });

  it('lists the three kinds in api-resources', async () => {
    const rows = (await ok('api-resources', '--api-group=', '-o', 'wide')).split('\n').map(cells);
    expect(rows.find((r) => r[0] === 'replicationcontrollers')).toEqual(['replicationcontrollers', 'rc', 'v1', 'true', 'ReplicationController', 'create,delete,deletecollection,get,list,patch,update,watch', 'all']);
    expect(rows.find((r) => r[0] === 'podtemplates')).toEqual(['podtemplates', 'v1', 'true', 'PodTemplate', 'create,delete,deletecollection,get,list,patch,update,watch']);
    expect(rows.find((r) => r[0] === 'componentstatuses')).toEqual(['componentstatuses', 'cs', 'v1', 'false', 'ComponentStatus', 'get,list']);
  });

  it('shows component statuses with the deprecation warning', async () => {
    const res = await run('get', 'cs');
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('Warning: v1 ComponentStatus is deprecated in v1.19+\n');
    const [header, ...rows] = res.stdout.trimEnd().split('\n');
    expect(cells(header!)).toEqual(['NAME', 'STATUS', 'MESSAGE', 'ERROR']);
    expect(rows.map(cells)).toEqual([
      ['scheduler', 'Healthy', 'ok'],
      ['controller-manager', 'Unhealthy', 'Get "http://127.0.0.1:1/healthz": dial tcp 127.0.0.1:1: connect: connection refused'],
      ['etcd-0', 'Healthy', 'ok'],
    ]);
    const one = await run('get', 'componentstatus', 'etcd-0', '-o', 'jsonpath={.conditions[0].type}={.conditions[0].status}');
    expect(one.stdout).toBe('Healthy=True');
  });
});
