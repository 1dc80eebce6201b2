import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { type HorizontalPodAutoscaler, HorizontalPodAutoscalerSchema } from './horizontalpodautoscaler.ts';
import { applyHpaDefaults, defaultScaleDownRules, defaultScaleUpRules } from './horizontalpodautoscaler-defaults.ts';
import { horizontalPodAutoscalerResource as resource } from './horizontalpodautoscaler-resource.ts';
import { validateHorizontalPodAutoscaler } from './horizontalpodautoscaler-validation.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' };
const cpu = (averageUtilization: number) => ({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } } });

function hpa(spec: Record<string, unknown>, extra: Record<string, unknown> = {}): HorizontalPodAutoscaler {
  return HorizontalPodAutoscalerSchema.parse({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'php-apache', namespace: 'default' }, spec, ...extra });
}
function defaulted(spec: Record<string, unknown>): HorizontalPodAutoscaler {
  const obj = hpa(spec);
  applyHpaDefaults(obj);
  return obj;
}
const errors = (spec: Record<string, unknown>) => lines(validateHorizontalPodAutoscaler(defaulted(spec)));
const Q = (v: number, scale: number, s: string, format = 'DecimalSI') => `resource.Quantity{i:resource.int64Amount{value:${v}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${s}", Format:"${format}"}`;

describe('HorizontalPodAutoscaler defaults (SetDefaults_HorizontalPodAutoscaler)', () => {
  it('gives minReplicas 1, the 80% CPU metric, no behavior, and the always-present status', () => {
    const obj = defaulted({ scaleTargetRef: ref, maxReplicas: 10 });
    expect(obj.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics: [cpu(80)] });
    expect(obj.status).toEqual({ desiredReplicas: 0, currentMetrics: null });
  });

  it('keeps given metrics and minReplicas, canonicalising quantities', () => {
    const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } };
    const obj = defaulted({ scaleTargetRef: ref, minReplicas: 3, maxReplicas: 10, metrics: [memory] });
    expect(obj.spec?.minReplicas).toBe(3);
    expect(obj.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1Gi' } } }]);
  });

  it.each([
    ['an empty behavior gets both directions\' defaults', {}, { scaleUp: defaultScaleUpRules(), scaleDown: defaultScaleDownRules() }],
    [
      'a scale-down window alone keeps the default policies; scale-down stabilization stays unset otherwise',
      { scaleDown: { stabilizationWindowSeconds: 60 } },
      { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] }, scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    ],
    [
      'given policies and selectPolicy replace the defaults',
      { scaleUp: { selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } },
      { scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] }, scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    ],
  ])('behavior: %s', (_name, behavior, want) => {
    const obj = defaulted({ scaleTargetRef: ref, maxReplicas: 10, behavior });
    expect(obj.spec?.behavior).toEqual(want);
    expect(obj.spec?.behavior?.scaleDown).not.toHaveProperty('stabilizationWindowSeconds', 300);
    const again = structuredClone(obj);
    applyHpaDefaults(again);
    expect(again).toEqual(obj);
  });

  it('writes no currentReplicas of 0 (omitempty) and keeps a controller-written status', () => {
    const obj = hpa({ scaleTargetRef: ref, maxReplicas: 10 }, { status: { currentReplicas: 0, desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '0.1' } } }] } });
    applyHpaDefaults(obj);
    expect(obj.status).toEqual({ desiredReplicas: 2, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12, averageValue: '100m' } } }] });
  });
});

describe('HorizontalPodAutoscaler strategy', () => {
  it('resets the status on create and drops the gated tolerance', () => {
    const obj = hpa({ scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleUp: { tolerance: '0.05' } } }, { status: { desiredReplicas: 7 } });
    resource.prepareForCreate!(obj);
    resource.applyDefaults(obj);
    expect(obj.status).toEqual({ desiredReplicas: 0, currentMetrics: null });
    expect(obj.spec?.behavior?.scaleUp).not.toHaveProperty('tolerance');
  });

  it('keeps the stored status on update, and a tolerance the stored object already uses', () => {
    const old = hpa({ scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleDown: { tolerance: '50m' } } }, { status: { desiredReplicas: 2 } });
    const next = hpa({ scaleTargetRef: ref, maxReplicas: 4, behavior: { scaleDown: { tolerance: '100m' } } }, { status: { desiredReplicas: 9 } });
    resource.prepareForUpdate!(next, old);
    expect(next.status).toEqual({ desiredReplicas: 2 });
    expect(next.spec?.behavior?.scaleDown?.tolerance).toBe('100m');
  });

  it('is autoscaling/v2 horizontalpodautoscalers, short name hpa, category all, with a status subresource', () => {
    expect(resource).toMatchObject({ group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', shortNames: ['hpa'], categories: ['all'], namespaced: true, subresources: { status: true } });
  });
});

describe('HorizontalPodAutoscaler validation', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['kubectl autoscale\'s object', { scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics: [cpu(50)] }, []],
    ['maxReplicas below minReplicas', { scaleTargetRef: ref, minReplicas: 5, maxReplicas: 3 }, ['spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`']],
    ['minReplicas 0 without the scale-to-zero gate', { scaleTargetRef: ref, minReplicas: 0, maxReplicas: 3 }, ['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1', 'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas']],
    ['no maxReplicas', { scaleTargetRef: ref }, ['spec.maxReplicas: Invalid value: 0: must be greater than 0', 'spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`']],
    ['an empty scale target', { maxReplicas: 3 }, ['spec.scaleTargetRef.kind: Required value', 'spec.scaleTargetRef.name: Required value']],
    ['a scale target name with a slash', { scaleTargetRef: { kind: 'Deployment', name: 'a/b' }, maxReplicas: 3 }, ['spec.scaleTargetRef.name: Invalid value: "a/b": may not contain \'/\'']],
    ['a metric without type', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, [
      'spec.metrics[0].type: Required value: must specify a metric source type',
      'spec.metrics[0].type: Unsupported value: "": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
      'spec.metrics[0].type: Unsupported value: "": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ]],
    ['a Pods metric with a resource source', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, ['spec.metrics[0].pods: Required value: must populate information for the given metric source']],
    ['a Pods metric with a resource source too', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } }, resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, ['spec.metrics[0].resource: Forbidden: must populate the given metric source only']],
    ['a resource target with neither value nor utilization', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue' } } }] }, ['spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization']],
    ['a resource target with both', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50, averageValue: '100m' } } }] }, ['spec.metrics[0].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization']],
    ['a bad target type and a zero utilization', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Percent', averageUtilization: 0 } } }] }, ['spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue', 'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']],
    ['a negative average value', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '-1' } } }] }, [`spec.metrics[0].pods.target.averageValue: Invalid value: ${Q(-1, 0, '-1')}: must be positive`]],
    ['a Pods metric without name or average value', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Pods', pods: { metric: {}, target: { type: 'Value', value: '1' } } }] }, ['spec.metrics[0].pods.metric.name: Required value: must specify a metric name', 'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue']],
    ['an Object metric without a target value', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'rps' }, target: { type: 'Value' } } }] }, ['spec.metrics[0].object.target.averageValue: Required value: must set either a target value or averageValue']],
    ['an External metric with both values', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10', averageValue: '1' } } }] }, ['spec.metrics[0].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target']],
    ['a ContainerResource metric without container', { scaleTargetRef: ref, maxReplicas: 3, metrics: [{ type: 'ContainerResource', containerResource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } }] }, ['spec.metrics[0].containerResource.container: Required value: must specify a container']],
    ['bad behavior rules', { scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Most', policies: [{ type: 'Nodes', value: 0, periodSeconds: 1801 }] }, scaleDown: { policies: [] } } }, [
      'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600',
      'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Most": supported values: "Disabled", "Max", "Min"',
      'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Nodes": supported values: "Percent", "Pods"',
      'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero',
      'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800',
      'spec.behavior.scaleDown.policies: Required value: must specify at least one Policy',
    ]],
    ['a negative stabilization window', { scaleTargetRef: ref, maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: -1 } } }, ['spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero']],
  ])('%s', (_name, spec, want) => {
    expect(errors(spec)).toEqual(want);
  });

  it('lets an update keep minReplicas 0 the stored object already had', () => {
    const old = defaulted({ scaleTargetRef: ref, minReplicas: 0, maxReplicas: 3, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '5' } } }] });
    const next = structuredClone(old);
    expect(lines(validateHorizontalPodAutoscaler(next, old))).toEqual([]);
    expect(lines(validateHorizontalPodAutoscaler(next))).toEqual(['spec.minReplicas: Invalid value: 0: must be greater than or equal to 1']);
  });

  it('checks the replica counts of the status', () => {
    const obj = defaulted({ scaleTargetRef: ref, maxReplicas: 3 });
    obj.status = { desiredReplicas: -1, currentReplicas: -2 };
    expect(lines(validateHorizontalPodAutoscaler(obj))).toEqual(['status.currentReplicas: Invalid value: -2: must be greater than or equal to 0', 'status.desiredReplicas: Invalid value: -1: must be greater than or equal to 0']);
  });
});
