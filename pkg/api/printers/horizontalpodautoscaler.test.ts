import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../meta.ts';
import type { MetricSpec, MetricStatus } from '../autoscaling/v2/horizontalpodautoscaler.ts';
import { formatHpaMetrics, horizontalPodAutoscalerPrinter } from './horizontalpodautoscaler.ts';
import { getPrinter } from './index.ts';

const cpu = (averageUtilization?: number): MetricSpec => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', ...(averageUtilization === undefined ? {} : { averageUtilization }) } } });
const cpuNow = (averageUtilization?: number): MetricStatus => ({ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '10m', ...(averageUtilization === undefined ? {} : { averageUtilization }) } } });
const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } };
const memoryNow: MetricStatus = { type: 'Resource', resource: { name: 'memory', current: { averageValue: '104857600' } } };
const pods: MetricSpec = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } };
const podsNow: MetricStatus = { type: 'Pods', pods: { metric: { name: 'rps' }, current: { averageValue: '250' } } };
const objectValue: MetricSpec = { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'web' }, metric: { name: 'hits' }, target: { type: 'Value', value: '2k' } } };
const externalAvg: MetricSpec = { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } };
const externalAvgNow: MetricStatus = { type: 'External', external: { metric: { name: 'queue' }, current: { averageValue: '12' } } };
const containerCpu: MetricSpec = { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } };

describe('formatHpaMetrics (upstream formatHPAMetrics, 1.33)', () => {
  it.each<[string, MetricSpec[] | undefined, MetricStatus[] | null | undefined, string]>([
    ['no metrics', [], null, '<none>'],
    ['kubectl autoscale before any status', [cpu(50)], null, 'cpu: <unknown>/50%'],
    ['a CPU reading', [cpu(50)], [cpuNow(0)], 'cpu: 0%/50%'],
    ['a status without utilization', [cpu(50)], [cpuNow()], 'cpu: <unknown>/50%'],
    ['no utilization target', [cpu()], null, 'cpu: <unknown>/<auto>'],
    ['a memory average value (a decimal current stays decimal, as upstream prints it)', [memory], [memoryNow], 'memory: 104857600/500Mi'],
    ['a memory average value before any status', [memory], null, 'memory: <unknown>/500Mi'],
    ['pods', [pods], [podsNow], '250/1k'],
    ['an object value', [objectValue], null, '<unknown>/2k'],
    ['an external average value', [externalAvg], [externalAvgNow], '12/30 (avg)'],
    ['a container resource', [containerCpu], null, 'cpu: <unknown>/60%'],
    ['an unknown type', [{ type: 'Custom' }], null, '<unknown type>'],
    ['statuses read by position', [memory, cpu(50)], [memoryNow, cpuNow(75)], 'memory: 104857600/500Mi, cpu: 75%/50%'],
    ['more than two', [cpu(50), memory, pods, externalAvg], null, 'cpu: <unknown>/50%, memory: <unknown>/500Mi + 2 more...'],
  ])('%s', (_name, specs, statuses, want) => {
    expect(formatHpaMetrics(specs, statuses)).toBe(want);
  });
});

describe('HPA printer', () => {
  const now = new Date('2026-12-06T08:10:00Z');
  const hpa = (fields: Record<string, unknown>): KubeObject => ({ metadata: { name: 'php-apache', namespace: 'default', creationTimestamp: '2026-12-06T08:00:00Z' }, ...fields });

  it('prints NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE', () => {
    expect(horizontalPodAutoscalerPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
    expect(horizontalPodAutoscalerPrinter.columns.map((c) => c.type)).toEqual(['string', 'string', 'string', 'string', 'integer', 'integer', 'string']);
    const row = horizontalPodAutoscalerPrinter.row(hpa({ apiVersion: 'autoscaling/v2', spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' }, minReplicas: 1, maxReplicas: 10, metrics: [cpu(50)] }, status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [cpuNow(42)] } }), now);
    expect(row).toEqual(['php-apache', 'Deployment/php-apache', 'cpu: 42%/50%', '1', 10, 3, '10m']);
    expect(getPrinter('autoscaling', 'HorizontalPodAutoscaler')).toBe(horizontalPodAutoscalerPrinter);
  });

  it('reads an autoscaling/v1 object as the v2 object it stands for', () => {
    const row = horizontalPodAutoscalerPrinter.row(hpa({ apiVersion: 'autoscaling/v1', spec: { scaleTargetRef: { kind: 'Deployment', name: 'php-apache' }, maxReplicas: 5, targetCPUUtilizationPercentage: 50 }, status: { currentReplicas: 0, desiredReplicas: 0 } }), now);
    expect(row).toEqual(['php-apache', 'Deployment/php-apache', 'cpu: <unknown>/50%', '<unset>', 5, 0, '10m']);
  });
});
