import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { CriError } from '../cri/client.ts';
import type { RuntimePod } from '../runtime/types.ts';
import { criOperationType, KubeletMetrics, RUNTIME_OPERATION_BUCKETS, runningCounts, startErrorCode } from './kubelet-metrics.ts';

const pod = (uid: string, sandboxes: Array<'ready' | 'notready'>, containers: Array<'created' | 'running' | 'exited' | 'unknown'>): RuntimePod =>
  ({ uid, name: uid, namespace: 'default', sandboxes: sandboxes.map((state, i) => ({ id: `${uid}-s${i}`, state })), containers: containers.map((state, i) => ({ id: `${uid}-c${i}`, state })) }) as unknown as RuntimePod;

/** The exposition lines of `name` (without HELP/TYPE). */
async function lines(m: KubeletMetrics, name: string): Promise<string[]> {
  return (await m.registry.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

describe('runningCounts (upstream updateRunningPodAndContainerMetrics)', () => {
  it('a pod counts once with any ready sandbox; containers count by state', () => {
    expect(runningCounts([pod('a', ['notready', 'ready'], ['running', 'exited', 'running']), pod('b', ['notready'], ['exited', 'created']), pod('c', [], ['unknown'])])).toEqual({
      pods: 1,
      containers: { running: 2, exited: 2, created: 1, unknown: 1 },
    });
    expect(runningCounts([])).toEqual({ pods: 0, containers: {} });
  });
});

describe('criOperationType (instrumented_services.go operation names)', () => {
  it.each([
    ['RunPodSandbox', 'run_podsandbox'],
    ['ListPodSandbox', 'list_podsandbox'],
    ['PodSandboxStatus', 'podsandbox_status'],
    ['StopPodSandbox', 'stop_podsandbox'],
    ['ListContainerStats', 'list_container_stats'],
    ['ContainerStatus', 'container_status'],
    ['ExecSync', 'exec_sync'],
    ['UpdateRuntimeConfig', 'update_runtime_config'],
    ['ImageFsInfo', 'image_fs_info'],
    ['Version', 'version'],
    ['PullImage', 'pull_image'],
  ])('%s → %s', (method, op) => {
    expect(criOperationType(method)).toBe(op);
  });
});

describe('KubeletMetrics', () => {
  it('names the node and has upstream HELP texts with the stability level', async () => {
    const m = new KubeletMetrics({ nodeName: 'node-a' });
    const text = await m.registry.metrics();
    expect(text).toContain('# HELP kubelet_node_name [ALPHA] The node\'s name. The count is always 1.\n# TYPE kubelet_node_name gauge\nkubelet_node_name{node="node-a"} 1\n');
    expect(text).toContain('# HELP kubelet_started_pods_total [ALPHA] Cumulative number of pods started\n# TYPE kubelet_started_pods_total counter\nkubelet_started_pods_total 0\n');
    expect(text).toContain('# HELP kubelet_evictions [ALPHA] Cumulative number of pod evictions by eviction signal\n# TYPE kubelet_evictions counter\n');
    // No default process metrics unless asked for.
    expect(text).not.toContain('process_cpu_seconds_total');
    expect(await new KubeletMetrics({ nodeName: 'n', defaultMetrics: true }).registry.metrics()).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('running pods and containers follow the last relist; a state no longer seen drops out', async () => {
    const m = new KubeletMetrics({ nodeName: 'n' });
    m.relisted([pod('a', ['ready'], ['running', 'exited']), pod('b', ['ready'], ['running'])]);
    expect(await lines(m, 'kubelet_running_pods')).toEqual(['kubelet_running_pods 2']);
    expect(await lines(m, 'kubelet_running_containers')).toEqual(['kubelet_running_containers{container_state="running"} 2', 'kubelet_running_containers{container_state="exited"} 1']);
    m.relisted([pod('a', ['ready'], ['running'])]);
    expect(await lines(m, 'kubelet_running_containers')).toEqual(['kubelet_running_containers{container_state="running"} 1']);
  });

  it('counts starts, start errors by gRPC code, evictions and runtime operations', async () => {
    const m = new KubeletMetrics({ nodeName: 'n' });
    m.podStarting();
    m.podStarting();
    m.podStartFailed();
    m.containerStarting('init_container');
    m.containerStarting('container');
    m.containerStarting('container');
    m.containerStartFailed('container', startErrorCode(new CriError('CreateContainer', grpc.status.NOT_FOUND, 'image gone')));
    m.evicted('memory.available');
    m.runtimeOperation('ListContainers', 0.003, false);
    m.runtimeOperation('ListContainers', 0.02, true);
    m.podStartDuration(2.5);
    expect(await lines(m, 'kubelet_started_pods_total')).toEqual(['kubelet_started_pods_total 2']);
    expect(await lines(m, 'kubelet_started_pods_errors_total')).toEqual(['kubelet_started_pods_errors_total 1']);
    expect(await lines(m, 'kubelet_started_containers_total')).toEqual(['kubelet_started_containers_total{container_type="init_container"} 1', 'kubelet_started_containers_total{container_type="container"} 2']);
    expect(await lines(m, 'kubelet_started_containers_errors_total')).toEqual(['kubelet_started_containers_errors_total{container_type="container",code="NotFound"} 1']);
    expect(await lines(m, 'kubelet_evictions')).toEqual(['kubelet_evictions{eviction_signal="memory.available"} 1']);
    expect(await lines(m, 'kubelet_runtime_operations_total')).toEqual(['kubelet_runtime_operations_total{operation_type="list_containers"} 2']);
    expect(await lines(m, 'kubelet_runtime_operations_errors_total')).toEqual(['kubelet_runtime_operations_errors_total{operation_type="list_containers"} 1']);
    const durations = (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('kubelet_runtime_operations_duration_seconds_bucket'));
    expect(durations.slice(0, 3)).toEqual([
      'kubelet_runtime_operations_duration_seconds_bucket{le="0.005",operation_type="list_containers"} 1',
      'kubelet_runtime_operations_duration_seconds_bucket{le="0.0125",operation_type="list_containers"} 1',
      'kubelet_runtime_operations_duration_seconds_bucket{le="0.03125",operation_type="list_containers"} 2',
    ]);
    const starts = (await m.registry.metrics()).split('\n').filter((l) => l.startsWith('kubelet_pod_start_duration_seconds'));
    expect(starts.slice(0, 4)).toEqual(['kubelet_pod_start_duration_seconds_bucket{le="0.5"} 0', 'kubelet_pod_start_duration_seconds_bucket{le="1"} 0', 'kubelet_pod_start_duration_seconds_bucket{le="2"} 0', 'kubelet_pod_start_duration_seconds_bucket{le="3"} 1']);
    expect(starts.filter((l) => !l.includes('_bucket'))).toEqual(['kubelet_pod_start_duration_seconds_sum 2.5', 'kubelet_pod_start_duration_seconds_count 1']);
  });

  it('upstream buckets: ExponentialBuckets(.005, 2.5, 14) for runtime operations', () => {
    expect(RUNTIME_OPERATION_BUCKETS).toHaveLength(14);
    expect(RUNTIME_OPERATION_BUCKETS.slice(0, 4)).toEqual([0.005, 0.0125, 0.03125, 0.078125]);
    expect(RUNTIME_OPERATION_BUCKETS.at(-1)).toBeCloseTo(0.005 * 2.5 ** 13, 6);
  });

  it('a non-gRPC start error has code Unknown', () => {
    expect(startErrorCode(new Error('boom'))).toBe('Unknown');
    expect(startErrorCode(new CriError('StartContainer', grpc.status.DEADLINE_EXCEEDED, 'slow'))).toBe('DeadlineExceeded');
  });
});
