/**
 * networking.k8s.io/v1 (Ingress, IngressClass, NetworkPolicy) and policy/v1 (PodDisruptionBudget)
 * through real kubectl (the oldest and newest installed minor, `KUBECTL_RANGE_ENDS`) against the
 * in-process control plane with the disruption controller: the kubernetes.io docs' examples
 * applied verbatim, the default IngressClass given to an Ingress without a class, `kubectl get`
 * columns and `kubectl describe` of each kind, 422s with upstream's messages for typical mistakes,
 * `kubectl create ingress` and `kubectl create pdb`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KUBECTL_RANGE_ENDS, installedKubectls, strictKubectlRunner } from '../e2e/harness/kubectl.ts';
import type { PodDisruptionBudget } from '../pkg/api/policy/v1/poddisruptionbudget.ts';
import { BUILTIN_COORDINATES as C } from '../pkg/client/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../pkg/testing/control-plane.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-netpol-kubectl-'));
const minors = installedKubectls(KUBECTL_RANGE_ENDS);
let cp: TestControlPlane;

// kubernetes.io/docs/concepts/services-networking/ingress (minimal-ingress.yaml, default-ingressclass.yaml, test-ingress.yaml)
const MINIMAL_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: minimal-ingress
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  ingressClassName: nginx-example
  rules:
  - http:
      paths:
      - path: /testpath
        pathType: Prefix
        backend:
          service:
            name: test
            port:
              number: 80
`;
const DEFAULT_INGRESS_CLASS = `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  labels:
    app.kubernetes.io/component: controller
  name: nginx-example
  annotations:
    ingressclass.kubernetes.io/is-default-class: "true"
spec:
  controller: k8s.io/ingress-nginx
`;
const TEST_INGRESS = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: test-ingress
spec:
  defaultBackend:
    service:
      name: test
      port:
        number: 80
`;
// kubernetes.io/docs/concepts/services-networking/network-policies (networkpolicy.yaml)
const NETWORK_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: test-network-policy
  namespace: default
spec:
  podSelector:
    matchLabels:
      role: db
  policyTypes:
  - Ingress
  - Egress
  ingress:
  - from:
    - ipBlock:
        cidr: 172.17.0.0/16
        except:
        - 172.17.1.0/24
    - namespaceSelector:
        matchLabels:
          project: myproject
    - podSelector:
        matchLabels:
          role: frontend
    ports:
    - protocol: TCP
      port: 6379
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/24
    ports:
    - protocol: TCP
      port: 5978
`;
// kubernetes.io/docs/tasks/run-application/configure-pdb (zookeeper-pod-disruption-budget-minavailable.yaml)
const ZK_PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: zk-pdb
spec:
  minAvailable: 2
  selector:
    matchLabels:
      app: zookeeper
`;
const NO_PATH_TYPE = MINIMAL_INGRESS.replace('name: minimal-ingress', 'name: no-path-type').replace('        pathType: Prefix\n', '');
const RELATIVE_PATH = MINIMAL_INGRESS.replace('name: minimal-ingress', 'name: relative').replace('path: /testpath', 'path: testpath');
const BOTH_BOUNDS = ZK_PDB.replace('name: zk-pdb', 'name: both').replace('  minAvailable: 2\n', '  minAvailable: 2\n  maxUnavailable: 1\n');

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['disruption'] });
  const files: Record<string, string> = { 'minimal-ingress.yaml': MINIMAL_INGRESS, 'default-ingressclass.yaml': DEFAULT_INGRESS_CLASS, 'test-ingress.yaml': TEST_INGRESS, 'networkpolicy.yaml': NETWORK_POLICY, 'zk-pdb.yaml': ZK_PDB, 'no-path-type.yaml': NO_PATH_TYPE, 'relative.yaml': RELATIVE_PATH, 'both.yaml': BOTH_BOUNDS };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
});

afterAll(async () => {
  await cp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lines = (out: string) => out.split('\n').filter(Boolean);
const header = (out: string) => lines(out)[0]!.split(/\s{2,}/).map((s) => s.trim());
const rowOf = (out: string, name: string) => out.split('\n').find((l) => l.startsWith(`${name} `))?.split(/\s{2,}/).map((s) => s.trim());

describe.skipIf(!minors.length).each(minors)('kubectl %s with Ingress, IngressClass, NetworkPolicy and PodDisruptionBudget', (minor) => {
  const ns = `netpol-${minor.replace('.', '-')}`;
  const { run, ok } = strictKubectlRunner(minor, () => ({ kubeconfig: cp.kubeconfigPath, home: dir }));
  const file = (name: string) => join(dir, name);

  beforeAll(async () => {
    await cp.client.namespaces.create({ metadata: { name: ns } });
  });

  it('applies the docs\' Ingress and default IngressClass; an Ingress without a class gets the default', async () => {
    expect(await ok('apply', '-f', file('default-ingressclass.yaml'))).toBe('ingressclass.networking.k8s.io/nginx-example created\n');
    expect(await ok('apply', '-n', ns, '-f', file('minimal-ingress.yaml'))).toBe('ingress.networking.k8s.io/minimal-ingress created\n');
    expect(await ok('apply', '-n', ns, '-f', file('test-ingress.yaml'))).toBe('ingress.networking.k8s.io/test-ingress created\n');
    const ing = await cp.client.resource(C.ingresses).inNamespace(ns).get('test-ingress');
    expect(ing.spec).toMatchObject({ ingressClassName: 'nginx-example' });
    expect(ing.status).toEqual({ loadBalancer: {} });
    const get = await ok('get', 'ing', '-n', ns);
    expect(header(get)).toEqual(['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE']);
    expect(lines(get)[1]).toMatch(/^minimal-ingress\s+nginx-example\s+\*\s+80\s+\d+s$/);
    expect(lines(get)[2]).toMatch(/^test-ingress\s+nginx-example\s+\*\s+80\s+\d+s$/);
    const classes = await ok('get', 'ingressclass');
    expect(header(classes)).toEqual(['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE']);
    expect(rowOf(classes, 'nginx-example')?.slice(0, 3)).toEqual(['nginx-example', 'k8s.io/ingress-nginx', '<none>']);
    expect(await ok('apply', '-f', file('default-ingressclass.yaml'))).toBe('ingressclass.networking.k8s.io/nginx-example unchanged\n');
  });

  it('describes an Ingress and an IngressClass', async () => {
    // kubectl before 1.33 reads the backends' v1 Endpoints, so it prints the server's deprecation warning.
    const described = await run('describe', 'ingress', 'minimal-ingress', '-n', ns);
    expect(described.code).toBe(0);
    expect(described.stderr).toBe(Number(minor.split('.')[1]) < 33 ? 'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n' : '');
    const ing = described.stdout;
    expect(ing).toMatch(/^Name:\s+minimal-ingress$/m);
    expect(ing).toMatch(/^Ingress Class:\s+nginx-example$/m);
    expect(ing).toMatch(/\/testpath\s+test:80/);
    expect(ing).toMatch(/nginx\.ingress\.kubernetes\.io\/rewrite-target: \//);
    const ic = await ok('describe', 'ingressclass', 'nginx-example');
    expect(ic).toMatch(/^Controller:\s+k8s\.io\/ingress-nginx$/m);
  });

  it('applies the docs\' NetworkPolicy, gets and describes it', async () => {
    expect(await ok('apply', '-f', file('networkpolicy.yaml'))).toBe('networkpolicy.networking.k8s.io/test-network-policy created\n');
    const get = await ok('get', 'netpol', '-n', 'default');
    expect(header(get)).toEqual(['NAME', 'POD-SELECTOR', 'AGE']);
    expect(rowOf(get, 'test-network-policy')?.slice(0, 2)).toEqual(['test-network-policy', 'role=db']);
    const described = await ok('describe', 'networkpolicy', 'test-network-policy', '-n', 'default');
    expect(described).toMatch(/^\s*PodSelector:\s+role=db$/m);
    expect(described).toMatch(/To Port: 6379\/TCP/);
    expect(described).toMatch(/IPBlock:\s*\n\s*CIDR: 172\.17\.0\.0\/16\s*\n\s*Except: 172\.17\.1\.0\/24/);
    expect(await ok('delete', '-f', file('networkpolicy.yaml'))).toBe('networkpolicy.networking.k8s.io "test-network-policy" deleted\n');
  });

  it('applies the docs\' zk-pdb, gets and describes it', async () => {
    expect(await ok('apply', '-n', ns, '-f', file('zk-pdb.yaml'))).toBe('poddisruptionbudget.policy/zk-pdb created\n');
    await waitFor('zk-pdb observed', async () => (await cp.client.resource<PodDisruptionBudget>(C.podDisruptionBudgets).inNamespace(ns).get('zk-pdb')).status?.observedGeneration === 1);
    const get = await ok('get', 'pdb', '-n', ns);
    expect(header(get)).toEqual(['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
    expect(rowOf(get, 'zk-pdb')?.slice(0, 4)).toEqual(['zk-pdb', '2', 'N/A', '0']);
    const described = await ok('describe', 'pdb', 'zk-pdb', '-n', ns);
    expect(described).toMatch(/^Min available:\s+2$/m);
    expect(described).toMatch(/^Selector:\s+app=zookeeper$/m);
    expect(described).toMatch(/^\s+Allowed disruptions:\s+0$/m);
  });

  it('422s with upstream messages: missing pathType, relative path, both minAvailable and maxUnavailable', async () => {
    const noType = await run('apply', '-n', ns, '-f', file('no-path-type.yaml'));
    expect(noType.code).toBe(1);
    expect(noType.stderr).toContain('The Ingress "no-path-type" is invalid: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified');
    const relative = await run('apply', '-n', ns, '-f', file('relative.yaml'));
    expect(relative.code).toBe(1);
    expect(relative.stderr).toContain('The Ingress "relative" is invalid: spec.rules[0].http.paths[0].path: Invalid value: "testpath": must be an absolute path');
    const both = await run('apply', '-n', ns, '-f', file('both.yaml'));
    expect(both.code).toBe(1);
    expect(both.stderr).toMatch(/The PodDisruptionBudget "both" is invalid: spec: Invalid value: policy\.PodDisruptionBudgetSpec\{MinAvailable:\(\*intstr\.IntOrString\)\(0xc[0-9a-f]+\), .*\}: minAvailable and maxUnavailable cannot be both set/);
  });

  it('kubectl create ingress and kubectl create pdb', async () => {
    expect(await ok('create', 'ingress', 'simple', '--rule=foo.com/bar=svc1:8080', '-n', ns)).toBe('ingress.networking.k8s.io/simple created\n');
    const simple = await cp.client.resource(C.ingresses).inNamespace(ns).get('simple');
    expect(simple.spec).toEqual({ ingressClassName: 'nginx-example', rules: [{ host: 'foo.com', http: { paths: [{ path: '/bar', pathType: 'Exact', backend: { service: { name: 'svc1', port: { number: 8080 } } } }] } }] });
    expect(rowOf(await ok('get', 'ing', 'simple', '-n', ns), 'simple')?.slice(0, 4)).toEqual(['simple', 'nginx-example', 'foo.com', '80']);
    expect(await ok('create', 'pdb', 'my-pdb', '--selector=app=rails', '--min-available=1', '-n', ns)).toBe('poddisruptionbudget.policy/my-pdb created\n');
    expect((await cp.client.resource(C.podDisruptionBudgets).inNamespace(ns).get('my-pdb')).spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: 'rails' } } });
    // Leave no default class behind for the next minor's "created".
    expect(await ok('delete', 'ingressclass', 'nginx-example')).toBe('ingressclass.networking.k8s.io "nginx-example" deleted\n');
  });
});
