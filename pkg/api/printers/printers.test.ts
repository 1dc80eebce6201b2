import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import { getPrinter, humanDuration, podStatusColumns, toTable } from './index.ts';
import { formatEndpoints, servicePorts } from './networking.ts';

const now = new Date('2026-11-22T12:00:00Z');
const created = '2026-11-22T11:59:30Z';

function pod(status: Record<string, unknown>, spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): KubeObject {
  return { metadata: { name: 'p', creationTimestamp: created, ...meta }, spec: { containers: [{ name: 'a' }], ...spec }, status };
}

const running = { state: { running: { startedAt: created } }, ready: true, restartCount: 0 };

describe('humanDuration', () => {
  it.each([
    [-5000, '<invalid>'],
    [-500, '0s'],
    [45_000, '45s'],
    [119_000, '119s'],
    [200_000, '3m20s'],
    [300_000, '5m'],
    [15 * 60_000, '15m'],
    [(5 * 60 + 3) * 60_000, '5h3m'],
    [20 * 3600_000, '20h'],
    [(2 * 24 + 3) * 3600_000, '2d3h'],
    [40 * 24 * 3600_000, '40d'],
    [(3 * 365 + 10) * 24 * 3600_000, '3y10d'],
  ])('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
});

describe('pod STATUS as printPod shows it', () => {
  it.each([
    ['pending', pod({ phase: 'Pending' }), '0/1', 'Pending', '0'],
    ['running', pod({ phase: 'Running', containerStatuses: [running] }), '1/1', 'Running', '0'],
    ['container creating', pod({ phase: 'Pending', containerStatuses: [{ state: { waiting: { reason: 'ContainerCreating' } }, ready: false, restartCount: 0 }] }), '0/1', 'ContainerCreating', '0'],
    ['crash loop', pod({ phase: 'Running', containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-22T11:58:00Z' } }, ready: false, restartCount: 4 }] }), '0/1', 'CrashLoopBackOff', '4 (2m ago)'],
    ['completed', pod({ phase: 'Succeeded', containerStatuses: [{ state: { terminated: { exitCode: 0, reason: 'Completed' } }, ready: false, restartCount: 0 }] }), '0/1', 'Completed', '0'],
    ['error exit without reason', pod({ phase: 'Failed', containerStatuses: [{ state: { terminated: { exitCode: 2 } }, ready: false, restartCount: 0 }] }), '0/1', 'ExitCode:2', '0'],
    ['init waiting', pod({ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'PodInitializing' } }, restartCount: 0 }] }, { initContainers: [{ name: 'i' }] }), '0/1', 'Init:0/1', '0'],
    ['init error', pod({ phase: 'Pending', initContainerStatuses: [{ state: { terminated: { exitCode: 1, reason: 'Error' } }, restartCount: 0 }] }, { initContainers: [{ name: 'i' }] }), '0/1', 'Init:Error', '0'],
    ['init crash loop', pod({ phase: 'Pending', initContainerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } }, restartCount: 3 }] }, { initContainers: [{ name: 'i' }] }), '0/1', 'Init:CrashLoopBackOff', '3'],
    ['sidecar starting', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'proxy', state: { running: {} }, started: false, ready: false, restartCount: 0 }] }, { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }), '0/2', 'Init:0/1', '0'],
    ['sidecar and app running', pod({ phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 'proxy', state: { running: {} }, started: true, ready: true, restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: '2026-11-22T11:55:00Z' } } }], containerStatuses: [running] }, { initContainers: [{ name: 'proxy', restartPolicy: 'Always' }] }), '2/2', 'Running', '2 (5m ago)'],
    ['regular init done, sidecar unready', pod({ phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }], initContainerStatuses: [{ name: 'setup', state: { terminated: { exitCode: 0, reason: 'Completed' } }, restartCount: 1 }, { name: 'proxy', state: { running: {} }, started: true, ready: false, restartCount: 0 }], containerStatuses: [running] }, { initContainers: [{ name: 'setup' }, { name: 'proxy', restartPolicy: 'Always' }] }), '1/2', 'Running', '0'],
    ['terminating', pod({ phase: 'Running', containerStatuses: [running] }, {}, { deletionTimestamp: created }), '1/1', 'Terminating', '0'],
    ['node lost', pod({ phase: 'Running', reason: 'NodeLost' }, {}, { deletionTimestamp: created }), '0/1', 'Unknown', '0'],
  ])('%s', (_name, p, ready, status, restarts) => {
    expect(podStatusColumns(p, now)).toEqual({ ready, status, restarts });
  });

  it('prints the wide columns with <none> for what is not set yet', () => {
    expect(getPrinter('', 'Pod')!.row(pod({ phase: 'Pending' }), now)).toEqual(['p', '0/1', 'Pending', '0', '30s', '<none>', '<none>', '<none>', '<none>']);
  });
});

describe('service and endpoints columns', () => {
  it.each([
    [[{ port: 80, nodePort: 32143, protocol: 'TCP' }], '80:32143/TCP'],
    [[{ port: 8080, protocol: 'TCP' }, { port: 8005, protocol: 'TCP' }], '8080/TCP,8005/TCP'],
    [[{ port: 53, protocol: 'UDP' }], '53/UDP'],
    [[], '<none>'],
  ])('ports %j → %s', (ports, text) => {
    expect(servicePorts(ports)).toBe(text);
  });

  it('prints a NodePort Service row', () => {
    const svc: KubeObject = { metadata: { name: 'my-nginx-app-svc', creationTimestamp: created }, spec: { type: 'NodePort', clusterIP: '10.96.3.4', ports: [{ port: 80, nodePort: 32143, protocol: 'TCP' }], selector: { app: 'my-nginx-app' } } };
    expect(getPrinter('', 'Service')!.row(svc, now)).toEqual(['my-nginx-app-svc', 'NodePort', '10.96.3.4', '<none>', '80:32143/TCP', '30s', 'app=my-nginx-app']);
  });

  it.each([
    [[], '<none>'],
    [[{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80'],
    [[{ addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...'],
  ])('endpoints %j → %s', (subsets, text) => {
    expect(formatEndpoints(subsets)).toBe(text);
  });
});

describe('other kinds', () => {
  it('prints a Deployment as READY UP-TO-DATE AVAILABLE', () => {
    const d: KubeObject = { metadata: { name: 'web', creationTimestamp: created }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } };
    expect(getPrinter('apps', 'Deployment')!.row(d, now)).toEqual(['web', '2/3', 3, 2, '30s', 'nginx', 'nginx', 'app=web']);
  });

  it('prints node status, roles and unknown OS fields', () => {
    const n: KubeObject = { metadata: { name: 'n1', creationTimestamp: created, labels: { 'node-role.kubernetes.io/control-plane': '' } }, spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.33.0' }, addresses: [{ type: 'InternalIP', address: '10.1.0.2' }] } };
    expect(getPrinter('', 'Node')!.row(n, now)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane', '30s', 'v1.33.0', '10.1.0.2', '<none>', '<unknown>', '<unknown>', '<unknown>']);
  });

  it('prints an event with its repeat count', () => {
    const ev: KubeObject = { metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p' }, reason: 'BackOff', type: 'Warning', message: 'Back-off restarting failed container', firstTimestamp: '2026-11-22T11:50:00Z', lastTimestamp: '2026-11-22T11:59:00Z', count: 5, source: { component: 'kubelet' } };
    expect(getPrinter('', 'Event')!.row(ev, now).slice(0, 7)).toEqual(['60s (x5 over 10m)', 'Warning', 'BackOff', 'pod/p', '', 'kubelet', 'Back-off restarting failed container']);
  });

  it('builds a Table with PartialObjectMetadata rows and leaves unknown kinds to the caller', () => {
    const table = toTable({ info: { group: '', kind: 'ConfigMap' }, objects: [{ metadata: { name: 'c', creationTimestamp: created }, data: { a: '1' } }], includeObject: 'Metadata', now }) as any;
    expect(table.columnDefinitions.map((c: { name: string }) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(table.rows[0]).toEqual({ cells: ['c', 1, '30s'], object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'c', creationTimestamp: created } } });
    expect(toTable({ info: { group: 'example.com', kind: 'Widget' }, objects: [], includeObject: 'None', now })).toBeUndefined();
  });
});
