/**
 * The kubelet against the real API server (in-process) and a real containerd running in a
 * network namespace this test creates: node registration, Ready status and Lease; a pod bound
 * to the node runs with a pod IP and downward-API/ConfigMap env; a crashing container backs
 * off; a missing image with pullPolicy Never waits; deletion is graceful and confirmed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { fixturesDir } from '../e2e/harness/fixtures.ts';
import { ALL_KUBECTL_MINORS, installedKubectls, kubectl } from '../e2e/harness/kubectl.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../pkg/api/core/v1/pod.ts';
import type { TestControlPlane } from '../pkg/testing/control-plane.ts';
import { BUSYBOX_IMAGE } from './containerd/process.ts';
import type { CriClient } from './cri/client.ts';
import { startNetnsNode, type NetnsNode } from './testing/netns-node.ts';
import { waitFor } from '../pkg/testing/wait.ts';

const NODE = 'node-a';
let fixture: NetnsNode | undefined;
let dir: string;
let netns: string;
let cp: TestControlPlane;
let cri: CriClient;

const until = <T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 30_000): Promise<T> => waitFor(what, fn, { timeoutMs, intervalMs: 200, retryErrors: true });

beforeAll(async () => {
  // Pods mount kube-api-access-* (token from the harness's fake token manager, ca.crt from the
  // kube-root-ca.crt the fixture's default root-ca-cert-publisher publishes).
  fixture = await startNetnsNode({ name: 'k8ts-kubelet', nodeName: NODE, podCidr: '10.244.9.0/24', busyboxAliases: ['k8s.gcr.io/busybox'] });
  ({ cp } = fixture);
  ({ dir, netns, cri } = fixture.node);
}, 120_000);

afterAll(() => fixture?.stop(), 60_000);

const pods = () => cp.client.pods.inNamespace('default');

function podOnNode(name: string, spec: Partial<NonNullable<Pod['spec']>>): Pod {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' }, spec: { nodeName: NODE, terminationGracePeriodSeconds: 2, ...spec } } as Pod;
}

describe('kubelet with containerd', () => {
  it('registers the node, reports Ready with capacity and nodeInfo, and renews its Lease', async () => {
    const node = await until('node Ready', async () => {
      const n = await cp.client.nodes.get(NODE);
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && n;
    });
    expect(node.metadata.labels).toMatchObject({ 'kubernetes.io/hostname': NODE, 'kubernetes.io/os': 'linux' });
    expect(node.status?.capacity).toMatchObject({ pods: '110' });
    expect(node.status?.nodeInfo).toMatchObject({ containerRuntimeVersion: 'containerd://1.6.20', operatingSystem: 'linux' });
    expect(node.status?.addresses).toEqual(expect.arrayContaining([{ type: 'InternalIP', address: '127.0.0.1' }]));
    expect(node.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
    const lease = await cp.client.leases.inNamespace('kube-node-lease').get(NODE);
    expect(lease.spec).toMatchObject({ holderIdentity: NODE, leaseDurationSeconds: 40 });
  });

  it('runs a pod: Running, Ready, pod IP from the node CIDR, env from the downward API and a ConfigMap, serving HTTP', async () => {
    await cp.client.configMaps.inNamespace('default').create({ metadata: { name: 'web-config' }, data: { GREETING: 'hello' } });
    await pods().create(podOnNode('web', {
      containers: [{
        name: 'httpd',
        image: BUSYBOX_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['sh', '-c', 'mkdir -p /www && echo "$GREETING from $POD_NAME at $POD_IP" > /www/index.html && exec httpd -f -p 8080 -h /www'],
        env: [
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'GREETING' } } },
        ],
      }],
    } as Partial<NonNullable<Pod['spec']>>));
    const pod = await until('web Running and Ready', async () => {
      const p = await pods().get('web');
      return p.status?.phase === 'Running' && p.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && p;
    });
    const ip = pod.status?.podIP as string;
    expect(ip).toMatch(/^10\.244\.9\.\d+$/);
    expect(pod.status?.containerStatuses?.[0]).toMatchObject({ name: 'httpd', ready: true, restartCount: 0, started: true, containerID: expect.stringMatching(/^containerd:\/\//) });
    const body = await until('HTTP answer', async () => execFileSync('ip', ['netns', 'exec', netns, 'busybox', 'wget', '-q', '-O', '-', `http://${ip}:8080/`], { timeout: 3000 }).toString());
    expect(body.trim()).toBe(`hello from web at ${ip}`);
    const events = (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'web').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual(expect.arrayContaining([`Pulled: Container image "${BUSYBOX_IMAGE}" already present on machine`, 'Created: Created container: httpd', 'Started: Started container httpd']));
  });

  it('holds Ready back until the pod\'s readiness gate condition, written by another controller, is True', async () => {
    const gate = 'example.com/load-balancer-ready';
    await pods().create(podOnNode('gated', { readinessGates: [{ conditionType: gate }], containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] }] } as Partial<NonNullable<Pod['spec']>>));
    const ready = async () => (await pods().get('gated')).status?.conditions?.find((c) => c.type === 'Ready');
    const missing = await until('Running with its containers ready', async () => {
      const p = await pods().get('gated');
      return p.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status === 'True' && p.status.conditions.find((c) => c.type === 'Ready');
    });
    expect(missing).toMatchObject({ status: 'False', reason: 'ReadinessGatesNotReady', message: `corresponding condition of pod readiness gate "${gate}" does not exist.` });
    const setGate = (status: string) => pods().patch('gated', { status: { conditions: [{ type: gate, status }] } }, { type: 'strategic', subresource: 'status' });
    await setGate('False');
    await until('the gate reported not True', async () => (await ready())?.message === `the status of pod readiness gate "${gate}" is not "True", but False`);
    await setGate('True');
    expect(await until('Ready once the gate is True', async () => (await ready())?.status === 'True' && ready())).toMatchObject({ status: 'True' });
    const conditions = (await pods().get('gated')).status?.conditions ?? [];
    expect(conditions.find((c) => c.type === gate)?.status).toBe('True');
    await pods().delete('gated', { gracePeriodSeconds: 0 });
  });

  it('mounts configMap (subPath), emptyDir shared by two containers, downwardAPI and hostPath volumes, and a kubelet-managed /etc/hosts', async () => {
    await cp.client.configMaps.inNamespace('default').create({ metadata: { name: 'nginx-conf' }, data: { 'nginx.conf': 'worker_processes 1;', other: 'x' } });
    const hostDir = join(dir, 'host-data');
    await pods().create(podOnNode('vols', {
      hostname: 'vols-0',
      subdomain: 'data',
      volumes: [
        { name: 'conf', configMap: { name: 'nginx-conf' } },
        { name: 'shared', emptyDir: {} },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
        { name: 'host', hostPath: { path: hostDir, type: 'DirectoryOrCreate' } },
      ],
      containers: [
        { name: 'writer', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo shared-hello > /shared/msg; echo from-pod > /host/out; exec sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }, { name: 'host', mountPath: '/host' }] },
        { name: 'reader', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'], volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true }, { name: 'shared', mountPath: '/in' }, { name: 'info', mountPath: '/etc/podinfo' }] },
      ],
    } as Partial<NonNullable<Pod['spec']>>));
    await cp.client.pods.inNamespace('default').patch('vols', { metadata: { labels: { app: 'vols' } } }, { type: 'merge' });
    await until('vols Running', async () => (await pods().get('vols')).status?.containerStatuses?.every((c) => c.ready));
    const reader = (await cri.listContainers()).find((c) => c.labels['io.kubernetes.pod.name'] === 'vols' && c.labels['io.kubernetes.container.name'] === 'reader' && c.state === 'CONTAINER_RUNNING');
    const sh = async (cmd: string) => (await cri.execSync(reader!.id, ['sh', '-c', cmd], 5)).stdout.toString();
    expect(await sh('cat /etc/nginx/nginx.conf')).toBe('worker_processes 1;');
    expect(await sh('ls /etc/nginx')).toBe('nginx.conf\n');
    expect(await until('shared file', async () => (await sh('cat /in/msg')) || undefined)).toBe('shared-hello\n');
    // The label was added after creation: the downwardAPI file follows on a later sync.
    expect(await until('labels file', async () => ((await sh('cat /etc/podinfo/labels')).includes('app=') ? sh('cat /etc/podinfo/labels') : undefined))).toBe('app="vols"');
    expect(await until('host file', async () => execFileSync('cat', [join(hostDir, 'out')]).toString() || undefined)).toBe('from-pod\n');
    const ip = (await pods().get('vols')).status?.podIP;
    const hosts = await sh('cat /etc/hosts');
    expect(hosts.startsWith('# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n')).toBe(true);
    expect(hosts.endsWith(`${ip}\tvols-0.data.default.svc.cluster.local\tvols-0\n`)).toBe(true);
    expect(await sh('hostname')).toBe('vols-0\n');
  });

  it('runs postStart and preStop hooks', async () => {
    const hostDir = join(dir, 'hooks');
    execFileSync('mkdir', ['-p', hostDir]);
    await pods().create(podOnNode('hooked', {
      volumes: [{ name: 'out', hostPath: { path: hostDir } }],
      containers: [{
        name: 'c',
        image: BUSYBOX_IMAGE,
        imagePullPolicy: 'IfNotPresent',
        command: ['sleep', '3600'],
        volumeMounts: [{ name: 'out', mountPath: '/out' }],
        lifecycle: { postStart: { exec: { command: ['sh', '-c', 'echo started > /out/post'] } }, preStop: { exec: { command: ['sh', '-c', 'echo stopping > /out/pre'] } } },
      }],
    } as Partial<NonNullable<Pod['spec']>>));
    await until('postStart file', async () => execFileSync('cat', [join(hostDir, 'post')]).toString());
    await pods().delete('hooked');
    await until('hooked gone', async () => pods().get('hooked').then(() => false, () => true));
    expect(execFileSync('cat', [join(hostDir, 'pre')]).toString()).toBe('stopping\n');
  });

  it('a crashing container is restarted, then held in CrashLoopBackOff', async () => {
    await pods().create(podOnNode('crasher', { containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'exit 3'] }] } as Partial<NonNullable<Pod['spec']>>));
    const status = await until('CrashLoopBackOff', async () => {
      const s = (await pods().get('crasher')).status?.containerStatuses?.[0];
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && s;
    });
    expect(status.restartCount).toBeGreaterThanOrEqual(1);
    expect(status.lastState?.terminated).toMatchObject({ exitCode: 3, reason: 'Error' });
    expect(status.state?.waiting?.message).toMatch(/^back-off (10|20)s restarting failed container=c pod=crasher_default\(/);
  });

  it('readiness and liveness exec probes: not Ready until the check passes; a failing liveness probe restarts the container', async () => {
    await pods().create(podOnNode('probed', {
      containers: [
        {
          name: 'app',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', '3600'],
          readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 },
        },
        {
          name: 'doomed',
          image: BUSYBOX_IMAGE,
          imagePullPolicy: 'IfNotPresent',
          command: ['sleep', '3600'],
          livenessProbe: { exec: { command: ['sh', '-c', 'exit 1'] }, periodSeconds: 1, failureThreshold: 2 },
        },
      ],
    } as Partial<NonNullable<Pod['spec']>>));
    await until('app running', async () => (await pods().get('probed')).status?.containerStatuses?.find((c) => c.name === 'app')?.state?.running);
    expect((await pods().get('probed')).status?.containerStatuses?.find((c) => c.name === 'app')?.ready).toBe(false);
    const app = (await cri.listContainers()).find((c) => c.labels['io.kubernetes.pod.name'] === 'probed' && c.labels['io.kubernetes.container.name'] === 'app');
    await cri.execSync(app!.id, ['touch', '/tmp/ready'], 5);
    await until('app ready', async () => (await pods().get('probed')).status?.containerStatuses?.find((c) => c.name === 'app')?.ready);
    const doomed = await until('doomed restarted', async () => {
      const s = (await pods().get('probed')).status?.containerStatuses?.find((c) => c.name === 'doomed');
      return (s?.restartCount ?? 0) >= 1 && s;
    });
    expect(doomed.lastState?.terminated).toBeTruthy();
    const events = (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'probed').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toEqual(expect.arrayContaining(['Killing: Container doomed failed liveness probe, will be restarted']));
    expect(events.some((e) => e.startsWith('Unhealthy: Liveness probe failed'))).toBe(true);
    expect(events.some((e) => e.startsWith('Unhealthy: Readiness probe failed: cat: can\'t open \'/tmp/ready\''))).toBe(true);
  });

  it('serves container logs through the API server (tailLines, timestamps, follow, errors as Status)', async () => {
    await pods().create(podOnNode('talker', { containers: [{ name: 'talk', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'echo one; echo two >&2; i=0; while true; i=$((i+1)); do echo tick $i; sleep 0.3; done'] }] } as Partial<NonNullable<Pod['spec']>>));
    const logUrl = (q = '') => `${cp.url}/api/v1/namespaces/default/pods/talker/log${q}`;
    const text = await until('logs', async () => {
      const res = await fetch(logUrl());
      const body = await res.text();
      return res.status === 200 && body.includes('tick 2') && body;
    });
    // stdout and stderr reach the log through separate pipes: their relative order may vary.
    expect(text.split('\n').slice(0, 3).sort()).toEqual(['one', 'tick 1', 'two']);
    expect(await (await fetch(logUrl('?tailLines=1'))).text()).toMatch(/^tick \d+\n$/);
    expect(await (await fetch(logUrl('?tailLines=1&timestamps=true'))).text()).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z tick \d+\n$/);
    const follow = await fetch(logUrl('?follow=true&tailLines=0'));
    const reader = follow.body!.getReader();
    const chunk = new TextDecoder().decode((await reader.read()).value);
    expect(chunk).toMatch(/^tick \d+\n/);
    await reader.cancel();
    const bad = await fetch(`${cp.url}/api/v1/namespaces/default/pods/vols/log`);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ kind: 'Status', reason: 'BadRequest', message: 'a container name must be specified for pod vols, choose one of: [writer reader]' });
    await pods().create(podOnNode('never-log', { containers: [{ name: 'c', image: 'docker.io/library/absent:1.0', imagePullPolicy: 'Never' }] } as Partial<NonNullable<Pod['spec']>>));
    await until('never-log waiting', async () => (await pods().get('never-log')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'ErrImageNeverPull');
    const waiting = await fetch(`${cp.url}/api/v1/namespaces/default/pods/never-log/log`);
    expect(await waiting.json()).toMatchObject({ code: 400, message: 'container "c" in pod "never-log" is waiting to start: ErrImageNeverPull' });
    const invalidOpts = await fetch(logUrl('?tailLines=-1'));
    expect(invalidOpts.status).toBe(422);
  });

  it('downward-api-env.yaml (unchanged) logs the node name, pod name, namespace, pod IP and service account', async () => {
    const manifest = parse(readFileSync(join(fixturesDir, 'downward-api-env.yaml'), 'utf8')) as Pod;
    // No scheduler runs here: bind the pod to this node as the scheduler would.
    await pods().create({ ...manifest, spec: { ...manifest.spec, nodeName: NODE } } as Pod);
    const pod = await until('dapi Running', async () => {
      const p = await pods().get('dapi-envars-fieldref');
      return p.status?.phase === 'Running' && p;
    });
    const logs = await until('dapi logs', async () => {
      const text = await (await fetch(`${cp.url}/api/v1/namespaces/default/pods/dapi-envars-fieldref/log`)).text();
      return text.includes(pod.status?.podIP as string) && text;
    });
    expect(logs.split('\n').filter(Boolean).slice(0, 5)).toEqual([NODE, 'dapi-envars-fieldref', 'default', pod.status?.podIP, 'default']);
  });

  it('a missing image with imagePullPolicy Never waits with ErrImageNeverPull', async () => {
    await pods().create(podOnNode('never', { containers: [{ name: 'c', image: 'docker.io/library/absent:1.0', imagePullPolicy: 'Never' }] } as Partial<NonNullable<Pod['spec']>>));
    // ContainerCreating first (the status written before the sandbox), then the reason.
    const waiting = await until('ErrImageNeverPull', async () => {
      const w = (await pods().get('never')).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason !== 'ContainerCreating' && w;
    });
    expect(waiting).toEqual({ reason: 'ErrImageNeverPull', message: 'Container image "docker.io/library/absent:1.0" is not present with pull policy of Never' });
    expect((await pods().get('never')).status?.phase).toBe('Pending');
  });

  it('runAsNonRoot: a root image is refused with CreateContainerConfigError; with runAsUser 1000 it runs as that user', async () => {
    const command = ['sh', '-c', 'id -u; sleep 3600'];
    await pods().create(podOnNode('nonroot', { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command }] } as Partial<NonNullable<Pod['spec']>>));
    const pod = await pods().get('nonroot');
    const waiting = await until('CreateContainerConfigError', async () => {
      const w = (await pods().get('nonroot')).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason !== 'ContainerCreating' && w;
    });
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: `container has runAsNonRoot and image will run as root (pod: "nonroot_default(${pod.metadata.uid})", container: c)` });
    await pods().create(podOnNode('nonroot-user', { securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [{ name: 'c', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command }] } as Partial<NonNullable<Pod['spec']>>));
    const log = await until('nonroot-user logs', async () => {
      const text = await (await fetch(`${cp.url}/api/v1/namespaces/default/pods/nonroot-user/log`)).text();
      return text.trim() === '1000' && text;
    });
    expect(log).toBe('1000\n');
    for (const name of ['nonroot', 'nonroot-user']) await pods().delete(name, { gracePeriodSeconds: 0 });
  });

  it('seccompProfile: RuntimeDefault runs the container under containerd\'s filter; without a profile it is unconfined', async () => {
    const show = { image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'grep "^Seccomp:" /proc/self/status; sleep 3600'] };
    await pods().create(podOnNode('seccomp', { containers: [{ name: 'filtered', ...show, securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, { name: 'open', ...show }] } as Partial<NonNullable<Pod['spec']>>));
    const logOf = (container: string) => until(`${container} logs`, async () => {
      const text = await (await fetch(`${cp.url}/api/v1/namespaces/default/pods/seccomp/log?container=${container}`)).text();
      return /^Seccomp:/.test(text) && text;
    });
    // 2 = SECCOMP_MODE_FILTER, 0 = disabled.
    expect(await logOf('filtered')).toMatch(/^Seccomp:\s+2\n$/);
    expect(await logOf('open')).toMatch(/^Seccomp:\s+0\n$/);
    await pods().delete('seccomp', { gracePeriodSeconds: 0 });
  });

  it('AppArmor on a host without it: a pod asking for a profile is rejected as upstream\'s kubelet rejects it; Unconfined runs', async () => {
    const busybox = { image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sleep', '3600'] };
    await pods().create(podOnNode('apparmor', { securityContext: { appArmorProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'app', ...busybox }] } as Partial<NonNullable<Pod['spec']>>));
    await pods().create(podOnNode('apparmor-off', { containers: [{ name: 'app', ...busybox, securityContext: { appArmorProfile: { type: 'Unconfined' } } }] } as Partial<NonNullable<Pod['spec']>>));
    const rejected = await until('apparmor pod rejected', async () => {
      const p = await pods().get('apparmor');
      return p.status?.phase === 'Failed' && p;
    });
    expect(rejected.status).toMatchObject({ reason: 'AppArmor', message: 'Pod was rejected: Cannot enforce AppArmor: AppArmor is not enabled on the host' });
    const events = (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'apparmor');
    expect(events.map((e) => [e.type, e.reason, e.message])).toContainEqual(['Warning', 'AppArmor', 'Cannot enforce AppArmor: AppArmor is not enabled on the host']);
    await until('unconfined pod running', async () => (await pods().get('apparmor-off')).status?.phase === 'Running');
    await pods().delete('apparmor', { gracePeriodSeconds: 0 });
    await pods().delete('apparmor-off', { gracePeriodSeconds: 0 });
  });

  it('the security-context tutorial: runAsUser 1000, runAsGroup 3000, fsGroup 2000 own what the pod writes to its emptyDir', async () => {
    // kubernetes.io "Configure a Security Context for a Pod or Container" (security-context.yaml).
    const script = 'id; echo hello > /data/demo/testfile; stat -c "%a %g" /data/demo; stat -c "%u %g" /data/demo/testfile; sleep 3600';
    await pods().create(podOnNode('security-context-demo', {
      securityContext: { runAsUser: 1000, runAsGroup: 3000, fsGroup: 2000 },
      volumes: [{ name: 'sec-ctx-vol', emptyDir: {} }],
      containers: [{ name: 'sec-ctx-demo', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', script], volumeMounts: [{ name: 'sec-ctx-vol', mountPath: '/data/demo' }], securityContext: { allowPrivilegeEscalation: false } }],
    } as Partial<NonNullable<Pod['spec']>>));
    const log = await until('security-context-demo logs', async () => {
      const text = await (await fetch(`${cp.url}/api/v1/namespaces/default/pods/security-context-demo/log`)).text();
      return text.split('\n').length > 3 && text;
    });
    expect(log.split('\n').slice(0, 3)).toEqual(['uid=1000 gid=3000 groups=2000,3000', '2777 2000', '1000 2000']);
    await pods().delete('security-context-demo', { gracePeriodSeconds: 0 });
  });

  it('a subPath the pod turned into a symlink out of its volume is refused (CVE-2017-1002101), the node\'s files stay out of reach', async () => {
    await pods().create(podOnNode('subpath-escape', {
      volumes: [{ name: 'scratch', emptyDir: {} }],
      initContainers: [{ name: 'plant', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'ln -s / /scratch/host && mkdir -p /scratch/ok && echo fine > /scratch/ok/f'], volumeMounts: [{ name: 'scratch', mountPath: '/scratch' }] }],
      containers: [
        { name: 'escape', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'ls /mnt; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/mnt', subPath: 'host' }] },
        { name: 'inside', image: BUSYBOX_IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'cat /mnt/f; sleep 3600'], volumeMounts: [{ name: 'scratch', mountPath: '/mnt', subPath: 'ok' }] },
      ],
    } as Partial<NonNullable<Pod['spec']>>));
    // Before the fix the escape container listed the node's root directory.
    const waiting = await until('escape refused', async () => {
      const w = (await pods().get('subpath-escape')).status?.containerStatuses?.find((s) => s.name === 'escape')?.state?.waiting;
      // PodInitializing while the init container runs, ContainerCreating briefly after it.
      return w && !['PodInitializing', 'ContainerCreating'].includes(w.reason ?? '') && w;
    });
    expect(waiting).toEqual({ reason: 'CreateContainerConfigError', message: 'failed to prepare subPath for volumeMount "scratch" of container "escape"' });
    const log = await until('inside logs', async () => {
      const text = await (await fetch(`${cp.url}/api/v1/namespaces/default/pods/subpath-escape/log?container=inside`)).text();
      return text.includes('fine') && text;
    });
    expect(log).toBe('fine\n');
    await pods().delete('subpath-escape', { gracePeriodSeconds: 0 });
  });

  const minor = installedKubectls(ALL_KUBECTL_MINORS).at(-1);
  it('an image that cannot be pulled fails with ErrImagePull, then waits in ImagePullBackOff, with the upstream events', async () => {
    // Nothing listens on 127.0.0.1:1 in the test's network namespace: the pull fails at once.
    // ErrImagePull is the status only until the next sync, so the events are what prove it.
    const image = '127.0.0.1:1/k8ts/unpullable:1.0';
    await pods().create(podOnNode('unpullable', { containers: [{ name: 'c', image }] } as Partial<NonNullable<Pod['spec']>>));
    const backOff = await until('ImagePullBackOff', async () => {
      const w = (await pods().get('unpullable')).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'ImagePullBackOff' && w;
    });
    // Upstream 1.33 carries the failed pull's error in the back-off's message.
    expect(backOff.message).toMatch(new RegExp(`^Back-off pulling image "${image.replace(/\./g, '\\.')}": ErrImagePull: rpc error: code = \\w+ desc = `));
    const events = (await cp.client.events.inNamespace('default').list()).items.filter((e) => e.involvedObject?.name === 'unpullable').map((e) => `${e.reason}: ${e.message}`);
    expect(events).toContain(`Pulling: Pulling image "${image}"`);
    expect(events.some((e) => e.startsWith(`Failed: Failed to pull image "${image}": `))).toBe(true);
    expect(events).toContain('Failed: Error: ErrImagePull');
    expect(events).toContain(`BackOff: Back-off pulling image "${image}"`);
    expect((await pods().get('unpullable')).status?.phase).toBe('Pending');
    await pods().delete('unpullable', { gracePeriodSeconds: 0 });
  });

  it.skipIf(!minor)('kubectl get pods shows the statuses users know', async () => {
    // The crasher runs for an instant at each restart (then `1/1 Running`): look until it shows back-off.
    const crashing = /^crasher\s+0\/1\s+(CrashLoopBackOff|Error)\s+\d+ \(\S+ ago\)\s+/m;
    const out = await until('crasher shown backing off', async () => {
      const text = (await kubectl(minor as string, ['get', 'pods', '-n', 'default'], { kubeconfig: cp.kubeconfigPath, home: join(dir, 'kubectl-home') })).stdout;
      return crashing.test(text) && text;
    });
    expect(out).toMatch(/^web\s+1\/1\s+Running\s+0\s+/m);
    expect(out).toMatch(/^vols\s+2\/2\s+Running\s+0\s+/m);
    expect(out).toMatch(/^never\s+0\/1\s+ErrImageNeverPull\s+0\s+/m);
  });

  it('a restarted kubelet adopts running containers and restarts none', async () => {
    // Healthy containers only: the crash-looping and liveness-failing ones restart by design.
    const healthy = async () => (await cri.listContainers({ state: 'CONTAINER_RUNNING' })).filter((c) => ['web', 'vols', 'talker'].includes(c.labels['io.kubernetes.pod.name'])).map((c) => c.id).sort();
    const before = await healthy();
    expect(before).toHaveLength(4);
    const web = (await pods().get('web')).status?.containerStatuses?.[0]?.containerID;
    await fixture!.restartKubelet();
    await new Promise((r) => setTimeout(r, 3000)); // several relists and a resync
    expect(await healthy()).toEqual(before);
    const after = (await pods().get('web')).status?.containerStatuses?.[0];
    expect(after).toMatchObject({ containerID: web, restartCount: 0, ready: true });
  });

  it('deleting a pod stops its containers, removes its sandbox and confirms the deletion', async () => {
    const uid = (await pods().get('web')).metadata.uid as string;
    // The pod is bound to a node: the API answers with it marked Terminating, not gone.
    const marked = (await pods().delete('web')) as Pod;
    expect(marked.metadata.deletionTimestamp).toBeTruthy();
    await until('web gone from the API', async () => (await pods().get('web').then(() => false, () => true)));
    await until('web gone from the runtime', async () => !(await cri.listPodSandbox()).some((s) => s.metadata.uid === uid));
  });
});
