/**
 * The users' journeys against `k8ts up --nodes 3`, with the real kubectl, from the tutorial
 * manifests in ../shared/fixtures/seeds (used unchanged). The cluster runs inside a network
 * namespace this test creates; its three nodes each get their own namespace, containerd,
 * kubelet and proxy.
 *
 * 1. my-nginx-app on the oldest and the newest installed kubectl (the minors between are held
 *    to the same API by e2e/kubectl-api.test.ts and the kubectl suites): 3/3 Running, the
 *    NodePort answers from pods on every node IP, scale 3→5 and the endpoints follow, set image
 *    → rollout → undo, delete → Terminating → "No resources found".
 * 2. flask-redis-nginx (legacy extensions/v1beta1 Deployments): nginx's NodePort answers
 *    through flaskapp to redis by Service name; the visit counter counts.
 * 3. redis-nodeselector + `kubectl label node` + taint/untaint.
 * 4. logs, exec and port-forward to a pod on another node; pods reach each other by pod IP
 *    across nodes and a ClusterIP answers from every node.
 * 5. faults during a rollout: the API server, a kubelet, the scheduler and the
 *    controller-manager are SIGKILLed one at a time (and `k8ts up` starts them again, as a
 *    service manager would) — the rollout completes, no object is lost, no healthy container
 *    restarts; a node cut off from the network goes NotReady and its pods are replaced elsewhere.
 * 6. an in-cluster client (Python's urllib in a pod) reads its projected service-account token,
 *    CA and namespace, finds the API server as client-go does (KUBERNETES_SERVICE_HOST/PORT) and
 *    by https://kubernetes.default.svc, lists pods as its RoleBinding
 *    allows, and is refused Secrets; `kubectl create token` issues a token, and a legacy token
 *    Secret is filled in and authenticates (TokenReview) until its account is deleted.
 * 7. workloads beyond Deployments: Jobs (`kubectl create job` and one of 3 completions) run to
 *    completion (`kubectl wait --for=condition=complete`, `kubectl logs job/…`); a DaemonSet
 *    runs one pod on each node; the tutorial's StatefulSet starts web-0..2 behind its headless
 *    Service, with their hostnames and stable DNS names.
 * 8. storage: the default StorageClass `standard (default)`; the docs' PersistentVolume +
 *    claim + pod (a static hostPath volume bound to its claim); the StatefulSet tutorial's
 *    `volumeClaimTemplates` get one provisioned volume per pod on the pod's node, what a pod
 *    writes survives its deletion, and deleting the claims deletes the volumes and their
 *    directories.
 * 9. autoscaling (the docs' "HorizontalPodAutoscaler Walkthrough" with a busy loop for
 *    php-apache): `kubectl top pod/node` read the kubelets' usage through metrics.k8s.io, the
 *    kubelet's summary answers through the node proxy, `kubectl autoscale` scales the busy
 *    Deployment out to its maximum, and back in once its pods go idle.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectlPath } from './harness/kubectl.ts';
import { fixturesDir } from './harness/fixtures.ts';
import { createUpTestbed, type UpTestbed } from './harness/up-testbed.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const minors = installedKubectls(ALL_KUBECTL_MINORS);
const newest = minors.at(-1) as string;
/** Journey 1's kubectl minors: the two ends of the supported range. */
const journeyOneMinors = [...new Set([minors[0], newest])].filter(Boolean) as string[];
const NODE_IPS = ['10.250.0.11', '10.250.0.12', '10.250.0.13'];
let tb: UpTestbed;

const fixture = (name: string) => join(fixturesDir, name);
const curl = (url: string) => tb.exec('curl', ['-sS', '--max-time', '5', url], 10_000).then((r) => r.stdout);
/** Runs `cmd` inside one node's network namespace, as if on that machine. */
const onNode = (node: string, cmd: string[]) => {
  const netns = tb.state()?.nodes.find((n) => n.name === node)?.netns as string;
  return tb.exec('nsenter', [`--net=/var/run/netns/${netns}`, ...cmd], 15_000).then((r) => r.stdout);
};
const pid = (component: string) => tb.state()?.components.find((c) => c.name === component)?.pid as number;

beforeAll(async () => {
  tb = createUpTestbed('jrn');
  await tb.k8ts('up', '--skip-install', '--nodes', '3');
}, 300_000);

afterAll(() => tb?.destroy(), 180_000);

describe.skipIf(!newest)('journeys on k8ts up --nodes 3', () => {
  describe.each(journeyOneMinors)('journey 1 with kubectl %s: my-nginx-app.yaml', (minor) => {
    it('runs, answers on every node IP, scales, rolls out and back, and deletes', async () => {
      const { ok, run } = tb.kubectl(minor);
      const deploy = 'deployment/my-nginx-app-deployment';
      onTestFinished(async () => {
        await run(['delete', '-f', fixture('my-nginx-app.yaml'), '--ignore-not-found'], { timeoutMs: 90_000 });
        await waitFor('no my-nginx-app pods', async () => (await run(['get', 'pods', '-l', 'app=my-nginx-app', '-o', 'name'])).stdout === '', { timeoutMs: 90_000, intervalMs: 500 });
      });
      expect(await ok(['apply', '-f', fixture('my-nginx-app.yaml')])).toBe('deployment.apps/my-nginx-app-deployment created\nservice/my-nginx-app-svc created\n');
      await ok(['rollout', 'status', deploy, '--timeout=120s'], { timeoutMs: 130_000 });
      const pods = await ok(['get', 'pods', '-l', 'app=my-nginx-app']);
      expect(pods.match(/^my-nginx-app-deployment-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s/gm)).toHaveLength(3);
      expect(await ok(['get', 'svc', 'my-nginx-app-svc'])).toMatch(/^my-nginx-app-svc\s+NodePort\s+10\.\d+\.\d+\.\d+\s+<none>\s+80:32143\/TCP\s/m);
      for (const ip of NODE_IPS) {
        const page = await waitFor(`NodePort on ${ip}`, () => curl(`http://${ip}:32143/`).catch(() => undefined), { timeoutMs: 30_000, intervalMs: 500 });
        expect(page).toContain('<title>Welcome to nginx!</title>');
      }

      await ok(['scale', deploy, '--replicas=5']);
      const endpoints = await waitFor('5 endpoints', async () => {
        const ips = (await ok(['get', 'endpoints', 'my-nginx-app-svc', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'])).split(' ').filter(Boolean);
        return ips.length === 5 && ips;
      }, { timeoutMs: 60_000, intervalMs: 500 });
      // kubectl 1.33 describes a Service from its EndpointSlices, which their own controller
      // writes a moment after (or before) the Endpoints: wait for the describe to catch up.
      const shown = endpoints.slice(0, 3).map((ip) => `${ip}:80`).join(',');
      const describedEndpoints = new RegExp(`^Endpoints:\\s+${shown.replaceAll('.', '\\.')} \\+ 2 more\\.\\.\\.$`, 'm');
      await waitFor('describe shows 5 endpoints', async () => describedEndpoints.test(await ok(['describe', 'svc', 'my-nginx-app-svc'])), { timeoutMs: 30_000, intervalMs: 500 });

      expect(await ok(['set', 'image', deploy, 'nginx=nginx:1.15.8-alpine'])).toBe('deployment.apps/my-nginx-app-deployment image updated\n');
      await ok(['rollout', 'status', deploy, '--timeout=120s'], { timeoutMs: 130_000 });
      expect(await ok(['get', deploy, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx:1.15.8-alpine');
      expect((await ok(['get', 'rs', '-l', 'app=my-nginx-app', '-o', 'name'])).trim().split('\n')).toHaveLength(2);
      expect(await ok(['rollout', 'undo', deploy])).toBe('deployment.apps/my-nginx-app-deployment rolled back\n');
      await ok(['rollout', 'status', deploy, '--timeout=120s'], { timeoutMs: 130_000 });
      expect(await ok(['get', deploy, '-o', 'jsonpath={.spec.template.spec.containers[0].image}'])).toBe('nginx');
      expect(await ok(['get', deploy])).toMatch(/^my-nginx-app-deployment\s+5\/5\s+5\s+5\s/m);

      // Delete: a watch sees the pods Terminating, then nothing is left.
      const watch = spawn('nsenter', [`--net=/var/run/netns/${tb.netns}`, kubectlPath(minor), 'get', 'pods', '-l', 'app=my-nginx-app', '-w', '--output-watch-events'], { env: { PATH: process.env.PATH, HOME: tb.dir, KUBECONFIG: tb.kubeconfig } });
      let seen = '';
      watch.stdout.on('data', (d: Buffer) => (seen += d.toString()));
      try {
        await waitFor('watch started', async () => seen.includes('ADDED'), { timeoutMs: 15_000, intervalMs: 100 });
        await ok(['delete', '-f', fixture('my-nginx-app.yaml')], { timeoutMs: 90_000 });
        await waitFor('pods gone', async () => (await run(['get', 'pods', '-l', 'app=my-nginx-app'])).stderr === 'No resources found in default namespace.\n', { timeoutMs: 90_000, intervalMs: 500 });
        expect(seen).toMatch(/MODIFIED\s+my-nginx-app-deployment-\S+\s+\d\/1\s+Terminating\s/);
        expect(seen).toMatch(/DELETED\s+my-nginx-app-deployment-/);
      } finally {
        watch.kill('SIGTERM');
      }
    }, 420_000);
  });

  it('journey 2: flask-redis-nginx answers through nginx → flaskapp → redis by Service names', async () => {
    const { ok } = tb.kubectl(newest);
    const applied = await ok(['apply', '-f', fixture('flask-redis-nginx')]);
    expect(applied).toContain('deployment.extensions/flaskapp created');
    expect(applied).toContain('configmap/nginx-config created');
    for (const d of ['redis', 'flaskapp', 'nginx']) await ok(['rollout', 'status', `deployment/${d}`, '--timeout=120s'], { timeoutMs: 130_000 });
    expect(await ok(['get', 'deployment', 'nginx', '-o', 'jsonpath={.apiVersion} {.spec.selector.matchLabels.name}'])).toBe('apps/v1 nginx');
    const nodePort = Number(await ok(['get', 'svc', 'nginx', '-o', 'jsonpath={.spec.ports[0].nodePort}']));
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    expect(nodePort).toBeLessThanOrEqual(32767);
    // The fixture has no readiness probes: a flaskapp pod is Ready when its container starts, and
    // until Python has imported Flask and listens, nginx answers 502 (as on any cluster).
    const first = await waitFor('nginx → flaskapp', async () => {
      const page = await curl(`http://${NODE_IPS[0]}:${nodePort}/`).catch(() => '');
      return /flaskapp-[a-z0-9]+-[a-z0-9]{5}/.test(page) && page;
    }, { timeoutMs: 60_000, intervalMs: 1000 });
    const count = (page: string) => Number(/(\d+)/.exec(page.replace(/flaskapp-[a-z0-9-]+/g, ''))?.[1]);
    const second = await curl(`http://${NODE_IPS[1]}:${nodePort}/`);
    expect(first).toMatch(/flaskapp-[a-z0-9]+-[a-z0-9]{5}/);
    expect(count(second)).toBe(count(first) + 1);

    // Scaling flaskapp spreads requests over its pods.
    await ok(['scale', 'deployment', 'flaskapp', '--replicas=3']);
    await ok(['rollout', 'status', 'deployment/flaskapp', '--timeout=120s'], { timeoutMs: 130_000 });
    const hosts = new Set<string>();
    await waitFor('answers from 3 flaskapp pods', async () => {
      const page = await curl(`http://${NODE_IPS[2]}:${nodePort}/`).catch(() => '');
      const host = /flaskapp-[a-z0-9]+-[a-z0-9]{5}/.exec(page)?.[0];
      if (host) hosts.add(host);
      return hosts.size === 3;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    await ok(['delete', '-f', fixture('flask-redis-nginx')], { timeoutMs: 90_000 });
  }, 420_000);

  it('journey 3: redis-nodeselector waits for storage=ssd; a taint keeps pods off a node', async () => {
    const { ok } = tb.kubectl(newest);
    await ok(['apply', '-f', fixture('redis-nodeselector.yaml')]);
    const pending = await waitFor('redis Pending with FailedScheduling', async () => {
      const events = await ok(['get', 'events', '--field-selector', 'reason=FailedScheduling', '-o', 'jsonpath={.items[*].message}']);
      return events.includes("didn't match Pod's node affinity/selector") && events;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(pending).toContain("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    expect(await ok(['get', 'pods', '-l', 'name=redis'])).toMatch(/^redis-\S+\s+0\/1\s+Pending\s/m);
    expect(await ok(['label', 'node', 'k8ts-node-2', 'storage=ssd'])).toBe('node/k8ts-node-2 labeled\n');
    const placed = await waitFor('redis placed', async () => (await ok(['get', 'pods', '-l', 'name=redis', '-o', 'jsonpath={.items[*].spec.nodeName}'])) || undefined, { timeoutMs: 60_000, intervalMs: 500 });
    expect(placed).toBe('k8ts-node-2');
    await ok(['rollout', 'status', 'deployment/redis', '--timeout=120s'], { timeoutMs: 130_000 });

    expect(await ok(['taint', 'nodes', 'k8ts-node-2', 'dedicated=special:NoSchedule'])).toBe('node/k8ts-node-2 tainted\n');
    await ok(['create', 'deployment', 'spread', '--image=busybox', '--replicas=4', '--', 'sleep', '3600']);
    const spread = await waitFor('spread pods scheduled', async () => {
      const nodes = (await ok(['get', 'pods', '-l', 'app=spread', '-o', 'jsonpath={.items[*].spec.nodeName}'])).split(/\s+/).filter(Boolean);
      return nodes.length === 4 && nodes;
    }, { timeoutMs: 60_000, intervalMs: 500 });
    expect(spread).not.toContain('k8ts-node-2');
    expect(await ok(['taint', 'nodes', 'k8ts-node-2', 'dedicated=special:NoSchedule-'])).toBe('node/k8ts-node-2 untainted\n');
    await ok(['delete', 'deployment', 'spread', 'redis']);
    await ok(['label', 'node', 'k8ts-node-2', 'storage-']);
  }, 240_000);

  it('journey 4: logs, exec and port-forward to pods on other nodes; pod IPs and ClusterIPs work from every node', async () => {
    const { ok } = tb.kubectl(newest);
    for (const i of [1, 3]) {
      await ok(['run', `web${i}`, '--image=busybox', '--restart=Never', `--overrides={"spec":{"nodeName":"k8ts-node-${i}"}}`, '--', 'sh', '-c', 'mkdir /w; hostname > /w/index.html; echo serving $(hostname); exec httpd -f -v -p 8080 -h /w']);
    }
    await ok(['wait', '--for=condition=Ready', 'pod/web1', 'pod/web3', '--timeout=90s'], { timeoutMs: 100_000 });
    expect(await ok(['logs', 'web3'])).toBe('serving web3\n');
    expect(await ok(['exec', 'web3', '--', 'sh', '-c', 'echo exec on $(hostname)'])).toBe('exec on web3\n');
    const ip3 = await ok(['get', 'pod', 'web3', '-o', 'jsonpath={.status.podIP}']);
    expect(ip3).toMatch(/^10\.244\.3\.\d+$/);
    expect(await ok(['exec', 'web1', '--', 'wget', '-q', '-O', '-', `http://${ip3}:8080/`])).toBe('web3\n');

    await ok(['expose', 'pod', 'web3', '--port=80', '--target-port=8080', '--name=web3']);
    const clusterIp = await ok(['get', 'svc', 'web3', '-o', 'jsonpath={.spec.clusterIP}']);
    for (const node of ['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3']) {
      const page = await waitFor(`ClusterIP from ${node}`, () => onNode(node, ['curl', '-sS', '--max-time', '3', `http://${clusterIp}/`]).catch(() => undefined), { timeoutMs: 30_000, intervalMs: 500 });
      expect(page).toBe('web3\n');
    }

    const forward = spawn('nsenter', [`--net=/var/run/netns/${tb.netns}`, kubectlPath(newest), 'port-forward', 'pod/web3', '18080:8080'], { env: { PATH: process.env.PATH, HOME: tb.dir, KUBECONFIG: tb.kubeconfig } });
    try {
      const page = await waitFor('port-forward', () => curl('http://127.0.0.1:18080/').catch(() => undefined), { timeoutMs: 30_000, intervalMs: 300 });
      expect(page).toBe('web3\n');
    } finally {
      forward.kill('SIGTERM');
    }
    // httpd logged the forwarded request as coming from inside the pod (port-forward enters its network namespace).
    expect(await ok(['logs', 'web3'])).toMatch(/^\[::ffff:127\.0\.0\.1\]:\d+: response:200$/m);
    await ok(['delete', 'pod', 'web1', 'web3', '--grace-period=1']);
    await ok(['delete', 'svc', 'web3']);
  }, 240_000);

  it('journey 6: an in-cluster client authenticates with its projected service-account token and is held to its RBAC grant', async () => {
    // Its own namespace: the pod lists what it may see, and the other journeys leave pods in default.
    const NS = 'journey6';
    const kubectl = tb.kubectl(newest);
    const ok = (args: string[], extra?: Parameters<typeof kubectl.ok>[1]) => kubectl.ok([...args, '-n', NS], extra);
    await kubectl.ok(['create', 'namespace', NS]);
    const script = [
      'import json, os, ssl, urllib.request, urllib.error',
      "d = '/var/run/secrets/kubernetes.io/serviceaccount/'",
      "token = open(d + 'token').read(); ns = open(d + 'namespace').read()",
      "ctx = ssl.create_default_context(cafile=d + 'ca.crt')",
      '# As client-go InClusterConfig finds the API server: the kubelet\'s service variables; then by DNS name.',
      "env = 'https://' + os.environ['KUBERNETES_SERVICE_HOST'] + ':' + os.environ['KUBERNETES_SERVICE_PORT']",
      'def get(path, base=env):',
      "    req = urllib.request.Request(base + path, headers={'Authorization': 'Bearer ' + token})",
      '    try:',
      '        with urllib.request.urlopen(req, context=ctx, timeout=10) as r: return r.status, json.load(r)',
      '    except urllib.error.HTTPError as e: return e.code, json.load(e)',
      "code, body = get('/api/v1/namespaces/' + ns + '/pods')",
      "print('pods', code, sorted(p['metadata']['name'] for p in body['items']))",
      "code, body = get('/api/v1/namespaces/' + ns + '/secrets', 'https://kubernetes.default.svc')",
      "print('secrets', code, body['message'])",
    ].join('\n');
    const manifest = `apiVersion: v1
kind: ServiceAccount
metadata: {name: pod-lister}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-lister}
rules:
- apiGroups: [""]
  resources: [pods]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pod-lister}
subjects: [{kind: ServiceAccount, name: pod-lister}]
roleRef: {kind: Role, name: pod-lister, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: Pod
metadata: {name: in-cluster}
spec:
  serviceAccountName: pod-lister
  restartPolicy: Never
  containers:
  - name: client
    image: flaskapp:0.0.2
    command: [python3, -c, ${JSON.stringify(script)}]
`;
    await ok(['apply', '-f', '-'], { stdin: manifest });
    const phase = await waitFor('in-cluster pod done', async () => {
      const p = await ok(['get', 'pod', 'in-cluster', '-o', 'jsonpath={.status.phase}']);
      return p === 'Succeeded' || p === 'Failed' ? p : undefined;
    }, { timeoutMs: 120_000, intervalMs: 1000 });
    const logs = await ok(['logs', 'in-cluster']);
    expect(phase, logs).toBe('Succeeded');
    expect(logs).toBe(`pods 200 ['in-cluster']\nsecrets 403 secrets is forbidden: User "system:serviceaccount:journey6:pod-lister" cannot list resource "secrets" in API group "" in the namespace "journey6"\n`);
    const volume = await ok(['get', 'pod', 'in-cluster', '-o', 'jsonpath={.spec.volumes[0].name}']);
    expect(volume).toMatch(/^kube-api-access-[a-z0-9]{5}$/);
    expect(await ok(['get', 'configmap', 'kube-root-ca.crt', '-o', 'jsonpath={.data.ca\\.crt}'])).toContain('BEGIN CERTIFICATE');
    expect((await ok(['create', 'token', 'pod-lister'])).split('.')).toHaveLength(3);
    // A legacy token Secret (as the dashboard tutorial creates one) is filled in by the controller-manager and authenticates.
    await ok(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: pod-lister-token\n  annotations: {kubernetes.io/service-account.name: pod-lister}\ntype: kubernetes.io/service-account-token\n' });
    const legacy = await waitFor('legacy token filled in', async () => (await ok(['get', 'secret', 'pod-lister-token', '-o', 'jsonpath={.data.token}'])) || undefined, { timeoutMs: 30_000, intervalMs: 500 });
    const review = `{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"${Buffer.from(legacy, 'base64').toString()}"}}`;
    expect(await ok(['create', '-f', '-', '-o', 'jsonpath={.status.user.username}'], { stdin: review })).toBe('system:serviceaccount:journey6:pod-lister');
    await ok(['delete', 'pod', 'in-cluster', '--grace-period=1']);
    await ok(['delete', 'rolebinding,role,serviceaccount', 'pod-lister']);
    // The account is gone, so is its token Secret.
    await waitFor('token Secret deleted', async () => (await kubectl.run(['get', 'secret', 'pod-lister-token', '-n', NS])).code !== 0 || undefined, { timeoutMs: 30_000, intervalMs: 500 });
    await kubectl.ok(['delete', 'namespace', NS, '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
  }, 180_000);

  it('journey 7: a Job runs to completion, a DaemonSet covers every node, a StatefulSet starts web-0..2 in order with stable DNS names', async () => {
    const NS = 'journey7';
    const kubectl = tb.kubectl(newest);
    // The namespace goes first: `kubectl create job … -- cmd` passes everything after `--` to the container.
    const ok = (args: string[], extra?: Parameters<typeof kubectl.ok>[1]) => kubectl.ok(['-n', NS, ...args], extra);
    await kubectl.ok(['create', 'namespace', NS]);
    // Job: as `kubectl create job` builds it, and one from YAML with 3 completions, 2 at a time.
    await ok(['create', 'job', 'hello', '--image=busybox', '--', 'sh', '-c', 'echo hello from $(hostname)']);
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: batch/v1
kind: Job
metadata: {name: count}
spec:
  completions: 3
  parallelism: 2
  backoffLimit: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: count, image: busybox, command: [sh, -c, 'echo done']}
` });
    await ok(['wait', '--for=condition=complete', 'job/hello', 'job/count', '--timeout=120s'], { timeoutMs: 130_000 });
    expect(await ok(['logs', 'job/hello'])).toMatch(/^hello from hello-[a-z0-9]{5}\n$/);
    expect(await ok(['get', 'job', 'count', '-o', 'jsonpath={.status.succeeded} {.status.conditions[?(@.type=="Complete")].status}'])).toBe('3 True');
    expect(await ok(['get', 'jobs'])).toMatch(/^count\s+Complete\s+3\/3\s+\S+\s+\S+$/m);

    // DaemonSet: one pod on each of the three nodes.
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - {name: agent, image: busybox, command: [sleep, '100000']}
` });
    await ok(['rollout', 'status', 'daemonset/agent', '--timeout=120s'], { timeoutMs: 130_000 });
    const dsNodes = (await ok(['get', 'pods', '-l', 'app=agent', '-o', 'jsonpath={range .items[*]}{.spec.nodeName}{"\\n"}{end}'])).trim().split('\n').sort();
    expect(dsNodes).toEqual(['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3']);
    expect(await ok(['get', 'ds', 'agent'])).toMatch(/^agent\s+3\s+3\s+3\s+3\s+3\s+<none>\s/m);

    // StatefulSet: the tutorial's headless Service and web-0..2, reachable by their stable names.
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 3
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: nginx
        ports: [{containerPort: 80, name: web}]
` });
    await ok(['rollout', 'status', 'statefulset/web', '--timeout=180s'], { timeoutMs: 190_000 });
    const started = (await ok(['get', 'pods', '-l', 'app=nginx', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.startTime}{"\\n"}{end}'])).trim().split('\n');
    expect(started.map((l) => l.split(' ')[0]).sort()).toEqual(['web-0', 'web-1', 'web-2']);
    // OrderedReady: each pod started after the one before it.
    const startOf = (n: string) => started.find((l) => l.startsWith(`${n} `))!.split(' ')[1]!;
    expect(startOf('web-0') <= startOf('web-1') && startOf('web-1') <= startOf('web-2')).toBe(true);
    // The hostname and the stable DNS name, from the first pod to the last.
    expect(await ok(['exec', 'web-0', '--', 'hostname'])).toBe('web-0\n');
    const page = await ok(['exec', 'web-2', '--', 'sh', '-c', 'getent hosts web-0.nginx >/dev/null && echo resolved']);
    expect(page).toBe('resolved\n');
    await kubectl.ok(['delete', 'namespace', NS, '--wait=true', '--timeout=90s'], { timeoutMs: 100_000 });
  }, 420_000);

  it('journey 8: claims bind to a static PersistentVolume and to volumes provisioned on the pod\'s node; data outlives the pod', async () => {
    const NS = 'journey8';
    const kubectl = tb.kubectl(newest);
    const ok = (args: string[], extra?: Parameters<typeof kubectl.ok>[1]) => kubectl.ok(['-n', NS, ...args], extra);
    await kubectl.ok(['create', 'namespace', NS]);
    expect(await kubectl.ok(['get', 'storageclass'])).toMatch(/^standard \(default\)\s+k8ts\.io\/hostpath\s+Delete\s+WaitForFirstConsumer\s+false\s/m);

    // The docs' task "Configure a Pod to Use a PersistentVolume for Storage", its hostPath in the test's dir.
    const staticDir = join(tb.dir, 'mnt-data');
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: v1
kind: PersistentVolume
metadata:
  name: task-pv-volume
  labels: {type: local}
spec:
  storageClassName: manual
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: "${staticDir}", type: DirectoryOrCreate}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: task-pv-claim}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 3Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: task-pv-pod}
spec:
  terminationGracePeriodSeconds: 1
  volumes:
  - name: task-pv-storage
    persistentVolumeClaim: {claimName: task-pv-claim}
  containers:
  - name: task-pv-container
    image: busybox
    command: [sh, -c, 'echo hello from the claim > /data/index.html && sleep 100000']
    volumeMounts: [{mountPath: /data, name: task-pv-storage}]
` });
    await ok(['wait', '--for=condition=Ready', 'pod/task-pv-pod', '--timeout=90s'], { timeoutMs: 100_000 });
    expect(await ok(['get', 'pvc', 'task-pv-claim'])).toMatch(/^task-pv-claim\s+Bound\s+task-pv-volume\s+10Gi\s+RWO\s+manual\s/m);
    expect(await kubectl.ok(['get', 'pv', 'task-pv-volume'])).toMatch(new RegExp(`^task-pv-volume\\s+10Gi\\s+RWO\\s+Retain\\s+Bound\\s+${NS}/task-pv-claim\\s+manual\\s`, 'm'));
    expect((await tb.exec('cat', [join(staticDir, 'index.html')], 5_000)).stdout).toBe('hello from the claim\n');

    // The StatefulSet tutorial with its volumeClaimTemplates: one volume per pod, on the pod's node.
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: v1
kind: Service
metadata: {name: nginx, labels: {app: nginx}}
spec:
  ports: [{port: 80, name: web}]
  clusterIP: None
  selector: {app: nginx}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: nginx
  replicas: 2
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: nginx
        image: nginx
        ports: [{containerPort: 80, name: web}]
        volumeMounts: [{name: www, mountPath: /usr/share/nginx/html}]
  volumeClaimTemplates:
  - metadata: {name: www}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
` });
    await ok(['rollout', 'status', 'statefulset/web', '--timeout=180s'], { timeoutMs: 190_000 });
    const claims = await ok(['get', 'pvc', '-l', 'app=nginx']);
    for (const n of [0, 1]) expect(claims).toMatch(new RegExp(`^www-web-${n}\\s+Bound\\s+pvc-[0-9a-f-]{36}\\s+1Gi\\s+RWO\\s+standard\\s`, 'm'));
    const volumeOf = async (claim: string) => ok(['get', 'pvc', claim, '-o', 'jsonpath={.spec.volumeName}']);
    const pv0 = await volumeOf('www-web-0');
    const node0 = await ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.spec.nodeName}']);
    expect(await kubectl.ok(['get', 'pv', pv0, '-o', 'jsonpath={.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'])).toBe(node0);
    for (const n of [0, 1]) await ok(['exec', `web-${n}`, '--', 'sh', '-c', `echo web-${n} > /usr/share/nginx/html/index.html`]);
    // The pod goes; its replacement gets the same claim and finds what the first one wrote.
    const uid = await ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid}']);
    await ok(['delete', 'pod', 'web-0', '--wait=true']);
    await waitFor('web-0 replaced and Running', async () => {
      const [newUid, phase] = (await ok(['get', 'pod', 'web-0', '-o', 'jsonpath={.metadata.uid} {.status.phase}']).catch(() => '')).split(' ');
      return newUid !== uid && phase === 'Running';
    }, { timeoutMs: 120_000, intervalMs: 500 });
    expect(await ok(['exec', 'web-0', '--', 'cat', '/usr/share/nginx/html/index.html'])).toBe('web-0\n');
    expect(await ok(['exec', 'web-1', '--', 'cat', '/usr/share/nginx/html/index.html'])).toBe('web-1\n');
    const dir0 = await kubectl.ok(['get', 'pv', pv0, '-o', 'jsonpath={.spec.hostPath.path}']);
    expect((await tb.exec('cat', [join(dir0, 'index.html')], 5_000)).stdout).toBe('web-0\n');

    // Claims outlive their StatefulSet (retention Retain); deleting them deletes the volumes and their data.
    await ok(['delete', 'statefulset', 'web', '--wait=true']);
    await waitFor('web pods gone', async () => (await ok(['get', 'pods', '-l', 'app=nginx', '-o', 'name'])) === '', { timeoutMs: 60_000, intervalMs: 500 });
    await ok(['delete', 'pvc', '-l', 'app=nginx', '--wait=true', '--timeout=60s'], { timeoutMs: 70_000 });
    await waitFor('provisioned volumes deleted', async () => (await kubectl.ok(['get', 'pv', '-o', 'name'])).trim() === 'persistentvolume/task-pv-volume', { timeoutMs: 90_000, intervalMs: 500 });
    expect((await tb.exec('sh', ['-c', `test -e ${dir0} && echo left || echo gone`], 5_000)).stdout).toBe('gone\n');
    await kubectl.ok(['delete', 'namespace', NS, '--wait=true', '--timeout=90s'], { timeoutMs: 100_000 });
    // The claim is gone, so the Retain volume is Released and kept with its data.
    await waitFor('task-pv-volume Released', async () => (await kubectl.ok(['get', 'pv', 'task-pv-volume', '-o', 'jsonpath={.status.phase}'])) === 'Released', { timeoutMs: 60_000, intervalMs: 500 });
    expect((await tb.exec('cat', [join(staticDir, 'index.html')], 5_000)).stdout).toBe('hello from the claim\n');
    await kubectl.ok(['delete', 'pv', 'task-pv-volume']);
  }, 480_000);

  it('journey 9: kubectl top shows the pods\' CPU, kubectl autoscale scales a busy Deployment out and back in', async () => {
    const NS = 'journey9';
    const kubectl = tb.kubectl(newest);
    const ok = (args: string[], extra?: Parameters<typeof kubectl.ok>[1]) => kubectl.ok(['-n', NS, ...args], extra);
    await kubectl.ok(['create', 'namespace', NS]);
    // The walkthrough's php-apache burns CPU per request; a busy loop capped at 200m does it without a load generator.
    await ok(['apply', '-f', '-'], { stdin: `apiVersion: apps/v1
kind: Deployment
metadata: {name: burner}
spec:
  selector: {matchLabels: {app: burner}}
  template:
    metadata: {labels: {app: burner}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: burner
        image: busybox
        command: [sh, -c, 'while true; do :; done']
        resources: {requests: {cpu: 100m}, limits: {cpu: 200m}}
` });
    await ok(['rollout', 'status', 'deployment/burner', '--timeout=120s'], { timeoutMs: 130_000 });
    // The kubelet needs two samples (10 s apart) for a rate; then the busy pod shows about its 200m limit.
    const top = await waitFor('kubectl top pod shows the burner', async () => {
      const out = await ok(['top', 'pod', '-l', 'app=burner']).catch(() => '');
      const m = /^burner-\S+\s+(\d+)m\s+(\d+)Mi\s*$/m.exec(out);
      return m && Number(m[1]) >= 100 ? m : undefined;
    }, { timeoutMs: 90_000, intervalMs: 2_000 });
    expect(Number(top[1])).toBeLessThanOrEqual(260);
    const nodes = await kubectl.ok(['top', 'node']);
    for (const n of ['k8ts-node-1', 'k8ts-node-2', 'k8ts-node-3']) expect(nodes).toMatch(new RegExp(`^${n}\\s+\\d+m\\s+\\d+%\\s+\\d+Mi\\s+\\d+%\\s*$`, 'm'));
    const burnerNode = await ok(['get', 'pods', '-l', 'app=burner', '-o', 'jsonpath={.items[0].spec.nodeName}']);
    const summary = JSON.parse(await kubectl.ok(['get', '--raw', `/api/v1/nodes/${burnerNode}/proxy/stats/summary`])) as { node: { nodeName: string }; pods: Array<{ podRef: { namespace: string } }> };
    expect(summary.node.nodeName).toBe(burnerNode);
    expect(summary.pods.some((p) => p.podRef.namespace === NS)).toBe(true);

    // 200m used of 100m requested is 200 % against a 50 % target: out to the maximum of 3.
    expect(await ok(['autoscale', 'deployment', 'burner', '--cpu-percent=50', '--min=1', '--max=3'])).toBe('horizontalpodautoscaler.autoscaling/burner autoscaled\n');
    await waitFor('the HPA scales burner to 3', async () => (await ok(['get', 'deployment', 'burner', '-o', 'jsonpath={.spec.replicas}'])) === '3', { timeoutMs: 120_000, intervalMs: 1_000 });
    await ok(['rollout', 'status', 'deployment/burner', '--timeout=120s'], { timeoutMs: 130_000 });
    const row = await waitFor('kubectl get hpa shows usage and 3 replicas', async () => {
      const out = await ok(['get', 'hpa', 'burner']);
      return /^burner\s+Deployment\/burner\s+cpu: \d+%\/50%\s+1\s+3\s+3\s/m.test(out) ? out : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1_000 });
    expect(row).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE$/m);
    const events = await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={.items[*].message}']);
    expect(events).toMatch(/New size: [23]; reason: cpu resource utilization \(percentage of request\) above target/);
    expect(await ok(['get', 'hpa', 'burner', '-o', 'jsonpath={.status.conditions[?(@.type=="ScalingLimited")].reason}'])).toBe('TooManyReplicas');

    // The pods go idle; with no scale-down stabilization the HPA comes back to the minimum.
    await ok(['patch', 'hpa', 'burner', '--type=merge', '-p', '{"spec":{"behavior":{"scaleDown":{"stabilizationWindowSeconds":0}}}}']);
    await ok(['patch', 'deployment', 'burner', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/containers/0/command","value":["sleep","100000"]}]']);
    await waitFor('the HPA scales burner back to 1', async () => (await ok(['get', 'deployment', 'burner', '-o', 'jsonpath={.spec.replicas}'])) === '1', { timeoutMs: 150_000, intervalMs: 1_000 });
    expect(await ok(['get', 'events', '--field-selector', 'involvedObject.kind=HorizontalPodAutoscaler,reason=SuccessfulRescale', '-o', 'jsonpath={.items[*].message}'])).toMatch(/New size: 1; reason: All metrics below target/);
    await kubectl.ok(['delete', 'namespace', NS, '--wait=true', '--timeout=90s'], { timeoutMs: 100_000 });
  }, 480_000);

  describe('journey 5: faults', () => {
    /** Every object a fault must not lose: everything but pods, replica sets, events and leases (they churn). */
    const inventory = async () => {
      const { ok } = tb.kubectl(newest);
      const names = await ok(['get', 'deployments,services,configmaps,secrets,serviceaccounts,namespaces,nodes,priorityclasses', '-A', '-o', 'name']);
      return names.trim().split('\n').sort();
    };
    /** name → [containerID, restartCount] of the bystander pods, which no fault may restart. */
    const bystanders = async () => {
      const { ok } = tb.kubectl(newest);
      const out = await ok(['get', 'pods', '-l', 'app=bystander', '-o', 'jsonpath={range .items[*]}{.metadata.name} {.status.containerStatuses[0].containerID} {.status.containerStatuses[0].restartCount}{"\\n"}{end}']);
      return out.trim().split('\n').sort();
    };

    it('a rollout completes while the API server, a kubelet, the scheduler and the controller-manager are SIGKILLed one at a time', async () => {
      const { ok } = tb.kubectl(newest);
      for (let i = 0; i < 20; i++) await ok(['create', 'configmap', `keep-${i}`, `--from-literal=i=${i}`]);
      await ok(['create', 'deployment', 'bystander', '--image=busybox', '--replicas=3', '--', 'sleep', '100000']);
      await ok(['apply', '-f', '-'], { stdin: faultsDeployment });
      await ok(['rollout', 'status', 'deployment/bystander', '--timeout=120s'], { timeoutMs: 130_000 });
      await ok(['rollout', 'status', 'deployment/faults', '--timeout=120s'], { timeoutMs: 130_000 });
      const before = await inventory();
      const bystandersBefore = await bystanders();
      expect(bystandersBefore).toHaveLength(3);
      for (const line of bystandersBefore) expect(line).toMatch(/ containerd:\/\/[0-9a-f]{64} 0$/);

      await ok(['set', 'env', 'deployment/faults', 'ROUND=2']);
      for (const component of ['apiserver', 'kubelet-k8ts-node-2', 'scheduler', 'controller-manager']) {
        process.kill(pid(component), 'SIGKILL');
        await new Promise((r) => setTimeout(r, 1500));
        const restarted = await tb.k8ts('up', '--skip-install');
        expect(restarted.stdout).toContain(`restarted ${component} `);
        await waitFor('API server answers', async () => (await tb.kubectl(newest).run(['get', '--raw', '/readyz'])).stdout === 'ok', { timeoutMs: 60_000, intervalMs: 500 });
      }
      await ok(['rollout', 'status', 'deployment/faults', '--timeout=240s'], { timeoutMs: 250_000 });
      // The old pods finish terminating (grace period 2 s); then all six run the new template.
      const envs = await waitFor('only new pods left', async () => {
        const values = (await ok(['get', 'pods', '-l', 'app=faults', '-o', 'jsonpath={range .items[*]}{.spec.containers[0].env[0].value}{"\\n"}{end}'])).trim().split('\n');
        return values.every((v) => v === '2') && values;
      }, { timeoutMs: 60_000, intervalMs: 500 });
      expect(envs).toEqual(Array(6).fill('2'));
      expect(await ok(['get', 'deployment', 'faults'])).toMatch(/^faults\s+6\/6\s+6\s+6\s/m);
      expect(await inventory()).toEqual(before);
      expect(await bystanders()).toEqual(bystandersBefore);
    }, 600_000);

    it('a node cut off from the network goes NotReady and its pods are replaced on the other nodes', async () => {
      const { ok } = tb.kubectl(newest);
      const onNode3 = async () => (await ok(['get', 'pods', '-l', 'app=faults', '--field-selector=spec.nodeName=k8ts-node-3', '-o', 'name'])).trim().split('\n').filter(Boolean);
      const victims = await onNode3();
      expect(victims.length).toBeGreaterThan(0);
      await tb.exec('ip', ['link', 'set', 'k8ts-veth3', 'down']);
      try {
        await waitFor('k8ts-node-3 NotReady', async () => /^k8ts-node-3\s+NotReady\s/m.test(await ok(['get', 'nodes'])), { timeoutMs: 120_000, intervalMs: 1000 });
        const replaced = await waitFor('6 live faults pods off node 3', async () => {
          const rows = (await ok(['get', 'pods', '-l', 'app=faults', '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.metadata.deletionTimestamp} {.status.phase}{"\\n"}{end}'])).trim().split('\n');
          const live = rows.map((r) => r.split(' ')).filter(([node, deleted, phase]) => node && !deleted && phase === 'Running');
          return live.length === 6 && live.every(([node]) => node !== 'k8ts-node-3') && live;
        }, { timeoutMs: 120_000, intervalMs: 1000 });
        expect(replaced).toHaveLength(6);
        expect(await ok(['get', 'node', 'k8ts-node-3', '-o', 'jsonpath={.spec.taints[*].key}'])).toContain('node.kubernetes.io/unreachable');
      } finally {
        await tb.exec('ip', ['link', 'set', 'k8ts-veth3', 'up']);
      }
      await waitFor('k8ts-node-3 Ready again', async () => /^k8ts-node-3\s+Ready\s/m.test(await ok(['get', 'nodes'])), { timeoutMs: 120_000, intervalMs: 1000 });
      // Back on the network, the kubelet finishes the evicted pods and they go away.
      await waitFor('evicted pods gone', async () => (await onNode3()).length === 0, { timeoutMs: 120_000, intervalMs: 1000 });
    }, 420_000);
  });
});

/** Six replicas spread over the nodes; tolerating an unreachable node for 10 s (not the default 300 s) keeps the node-loss case short. */
const faultsDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: faults
spec:
  replicas: 6
  minReadySeconds: 2
  selector:
    matchLabels: {app: faults}
  template:
    metadata:
      labels: {app: faults}
    spec:
      terminationGracePeriodSeconds: 2
      topologySpreadConstraints:
      - maxSkew: 1
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
        labelSelector:
          matchLabels: {app: faults}
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
      - {key: node.kubernetes.io/not-ready, operator: Exists, effect: NoExecute, tolerationSeconds: 10}
      containers:
      - name: main
        image: busybox
        command: [sleep, "100000"]
        env:
        - {name: ROUND, value: "1"}
`;
