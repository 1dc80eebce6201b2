import { describe, expect, it } from 'vitest';
import { HorizontalPodAutoscalerSchema, type HorizontalPodAutoscaler } from '../v2/horizontalpodautoscaler.ts';
import { applyHpaDefaults } from '../v2/horizontalpodautoscaler-defaults.ts';
import { behaviorFromGoJson, HPA_ANNOTATIONS, hpaFromV1, hpaToV1 } from './conversion.ts';
import { HorizontalPodAutoscalerV1Schema, horizontalPodAutoscalerV1Resource as v1Resource, type HorizontalPodAutoscalerV1 } from './horizontalpodautoscaler.ts';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'php-apache' };
const meta = { name: 'php-apache', namespace: 'default' };
const cpu50 = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const memory = { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } };
const queue = { type: 'External', external: { metric: { name: 'queue_messages', selector: { matchLabels: { queue: 'work' } } }, target: { type: 'AverageValue', averageValue: '30' } } };

function v2(spec: Record<string, unknown>, status?: Record<string, unknown>, metadata: Record<string, unknown> = meta): HorizontalPodAutoscaler {
  const obj = HorizontalPodAutoscalerSchema.parse({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec, ...(status ? { status } : {}) });
  applyHpaDefaults(obj);
  return obj;
}
function v1(fields: Record<string, unknown>): HorizontalPodAutoscalerV1 {
  const obj = HorizontalPodAutoscalerV1Schema.parse({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', ...fields });
  v1Resource.applyDefaults(obj);
  return obj;
}
/** v1 → the stored v2 object (conversion plus v2 defaults, as the v1 resource stores it). */
function stored(obj: HorizontalPodAutoscalerV1): HorizontalPodAutoscaler {
  const out = hpaFromV1(obj);
  applyHpaDefaults(out);
  return out;
}

describe('autoscaling/v2 → v1', () => {
  it('maps a CPU utilization target to targetCPUUtilizationPercentage, with no annotations', () => {
    const out = hpaToV1(v2({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics: [cpu50] }));
    expect(out.spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
    expect(out.status).toEqual({ currentReplicas: 0, desiredReplicas: 0 });
    expect(out.metadata.annotations).toBeUndefined();
  });

  it('keeps what v1 cannot say in upstream\'s annotations, byte for byte', () => {
    const hpa = v2(
      { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 10, metrics: [cpu50, memory, queue], behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
      {
        currentReplicas: 3,
        desiredReplicas: 4,
        lastScaleTime: '2026-12-06T08:00:00Z',
        currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 120, averageValue: '240m' } } }, { type: 'Resource', resource: { name: 'memory', current: { averageValue: '50Mi' } } }],
        conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2026-12-06T08:00:00Z', reason: 'ReadyForNewScale', message: 'recommended size matches current size' }],
      },
      { ...meta, annotations: { team: 'web', [HPA_ANNOTATIONS.metrics]: 'stale' } },
    );
    const out = hpaToV1(hpa);
    expect(out.spec?.targetCPUUtilizationPercentage).toBe(50);
    expect(out.status).toEqual({ lastScaleTime: '2026-12-06T08:00:00Z', currentReplicas: 3, desiredReplicas: 4, currentCPUUtilizationPercentage: 120 });
    expect(out.metadata.annotations).toEqual({
      team: 'web',
      'autoscaling.alpha.kubernetes.io/metrics': '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}},{"type":"External","external":{"metricName":"queue_messages","metricSelector":{"matchLabels":{"queue":"work"}},"targetAverageValue":"30"}}]',
      'autoscaling.alpha.kubernetes.io/current-metrics': '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":120,"currentAverageValue":"240m"}},{"type":"Resource","resource":{"name":"memory","currentAverageValue":"50Mi"}}]',
      'autoscaling.alpha.kubernetes.io/behavior': '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":{"StabilizationWindowSeconds":60,"SelectPolicy":"Max","Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null}}',
      'autoscaling.alpha.kubernetes.io/conditions': '[{"type":"AbleToScale","status":"True","lastTransitionTime":"2026-12-06T08:00:00Z","reason":"ReadyForNewScale","message":"recommended size matches current size"}]',
    });
    // …and reading it back as v2 gives the same object (the annotations are consumed), except
    // that the CPU metric comes last, as upstream's conversion appends it after the annotation's.
    expect(stored(out)).toEqual({ ...hpa, metadata: { ...meta, annotations: { team: 'web' } }, spec: { ...hpa.spec, metrics: [memory, queue, cpu50] } });
  });

  it('marshals as Go does: selector map keys sorted, HTML characters escaped', () => {
    const pods = { type: 'Pods', pods: { metric: { name: 'rps', selector: { matchLabels: { zone: 'b', app: 'a' } } }, target: { type: 'AverageValue', averageValue: '1' } } };
    const out = hpaToV1(v2({ scaleTargetRef: ref, maxReplicas: 3, metrics: [pods] }, { desiredReplicas: 0, conditions: [{ type: 'ScalingLimited', status: 'True', reason: 'TooFewReplicas', message: 'the desired replica count is <1 & >0' }] }));
    expect(out.metadata.annotations).toEqual({
      [HPA_ANNOTATIONS.metrics]: '[{"type":"Pods","pods":{"metricName":"rps","targetAverageValue":"1","selector":{"matchLabels":{"app":"a","zone":"b"}}}}]',
      [HPA_ANNOTATIONS.conditions]: '[{"type":"ScalingLimited","status":"True","lastTransitionTime":null,"reason":"TooFewReplicas","message":"the desired replica count is \\u003c1 \\u0026 \\u003e0"}]',
    });
    expect(stored(out).status?.conditions?.[0]?.message).toBe('the desired replica count is <1 & >0');
  });

  it('writes Go zero quantities for non-pointer v1 fields', () => {
    const pods = { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '1k' } } };
    const object = { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'AverageValue', averageValue: '10' } } };
    const out = hpaToV1(v2({ scaleTargetRef: ref, maxReplicas: 3, metrics: [pods, object] }));
    expect(JSON.parse(out.metadata.annotations![HPA_ANNOTATIONS.metrics]!)).toEqual([
      { type: 'Pods', pods: { metricName: 'rps', targetAverageValue: '1k' } },
      { type: 'Object', object: { target: { kind: 'Service', name: 'web' }, metricName: 'hits', targetValue: '0', averageValue: '10' } },
    ]);
  });
});

describe('autoscaling/v1 → v2', () => {
  it('gives kubectl autoscale\'s v1 object a CPU metric, and a v1 object without target the 80% default', () => {
    expect(stored(v1({ metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 10, targetCPUUtilizationPercentage: 50 } })).spec).toEqual({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 10, metrics: [cpu50] });
    expect(stored(v1({ metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 10 } })).spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });

  it('puts the annotation metrics first and the CPU target last, as upstream', () => {
    const obj = v1({ metadata: { ...meta, annotations: { [HPA_ANNOTATIONS.metrics]: '[{"type":"Resource","resource":{"name":"memory","targetAverageUtilization":70}}]' } }, spec: { scaleTargetRef: ref, maxReplicas: 10, targetCPUUtilizationPercentage: 50 } });
    const out = stored(obj);
    expect(out.spec?.metrics).toEqual([{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } } }, cpu50]);
    expect(out.metadata.annotations).toBeUndefined();
  });

  it('reads the status from currentCPUUtilizationPercentage, and the annotation over it', () => {
    expect(stored(v1({ metadata: meta, spec: { scaleTargetRef: ref, maxReplicas: 3 }, status: { currentReplicas: 1, desiredReplicas: 1, currentCPUUtilizationPercentage: 7 } })).status).toEqual({ currentReplicas: 1, desiredReplicas: 1, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 7 } } }] });
    const annotated = v1({ metadata: { ...meta, annotations: { [HPA_ANNOTATIONS.currentMetrics]: '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":9,"currentAverageValue":"10m"}}]' } }, spec: { scaleTargetRef: ref, maxReplicas: 3 }, status: { currentCPUUtilizationPercentage: 7 } });
    expect(stored(annotated).status?.currentMetrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', current: { averageValue: '10m', averageUtilization: 9 } } }]);
  });

  it('ignores malformed annotations (and drops them)', () => {
    const obj = v1({ metadata: { ...meta, annotations: { [HPA_ANNOTATIONS.metrics]: 'abc', [HPA_ANNOTATIONS.behavior]: '{}', [HPA_ANNOTATIONS.conditions]: '', keep: 'me' } }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 60 } });
    const out = stored(obj);
    expect(out.spec?.metrics).toHaveLength(1);
    expect(out.spec?.behavior).toBeUndefined();
    expect(out.status?.conditions).toBeUndefined();
    expect(out.metadata.annotations).toEqual({ keep: 'me' });
  });

  it('reads the behavior annotation case-insensitively, as encoding/json does', () => {
    expect(behaviorFromGoJson('{"scaleDown":{"stabilizationWindowSeconds":30,"policies":[{"type":"Pods","value":1,"periodSeconds":60}]}}')).toEqual({ scaleDown: { stabilizationWindowSeconds: 30, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] } });
    expect(behaviorFromGoJson('{"ScaleUp":null,"ScaleDown":null}')).toBeUndefined();
  });

  it('round-trips v1 → v2 → v1 without loss', () => {
    const obj = v1({ metadata: meta, spec: { scaleTargetRef: ref, minReplicas: 2, maxReplicas: 7, targetCPUUtilizationPercentage: 65 }, status: { currentReplicas: 2, desiredReplicas: 3, currentCPUUtilizationPercentage: 90 } });
    const back = hpaToV1(stored(obj));
    expect(back.spec).toEqual(obj.spec);
    expect(back.status).toEqual(obj.status);
    expect(JSON.parse(back.metadata.annotations![HPA_ANNOTATIONS.currentMetrics]!)).toEqual([{ type: 'Resource', resource: { name: 'cpu', currentAverageUtilization: 90, currentAverageValue: '0' } }]);
  });
});

describe('the autoscaling/v1 resource', () => {
  it('is stored as autoscaling/v2, validates as v2 does, and keeps status annotations out of create', () => {
    const obj = v1({ metadata: { ...meta, annotations: { [HPA_ANNOTATIONS.conditions]: '[{"type":"AbleToScale","status":"True"}]' } }, spec: { scaleTargetRef: ref, minReplicas: 5, maxReplicas: 3 } });
    expect(v1Resource.validate(obj).map((e) => `${e.field}: ${e.detail}`)).toEqual(['spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`']);
    v1Resource.prepareForCreate!(obj);
    expect(obj.metadata.annotations).toBeUndefined();
    const storedObj = v1Resource.conversion!.toStorage(obj);
    expect(storedObj).toMatchObject({ apiVersion: 'autoscaling/v2', status: { desiredReplicas: 0, currentMetrics: null } });
    expect(v1Resource.conversion!.fromStorage(storedObj)).toMatchObject({ apiVersion: 'autoscaling/v1', spec: { minReplicas: 5, maxReplicas: 3 } });
  });

  it('drops a gated tolerance from the behavior annotation on create, and keeps one the stored object uses', () => {
    const behavior = '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":"50m"},"ScaleDown":null}';
    const obj = v1({ metadata: { ...meta, annotations: { [HPA_ANNOTATIONS.behavior]: behavior } }, spec: { scaleTargetRef: ref, maxReplicas: 3 } });
    const kept = structuredClone(obj);
    v1Resource.prepareForCreate!(obj);
    expect(obj.metadata.annotations?.[HPA_ANNOTATIONS.behavior]).toBe('{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15}],"Tolerance":null},"ScaleDown":null}');
    const next = structuredClone(kept);
    v1Resource.prepareForUpdate!(next, kept);
    expect(next.metadata.annotations?.[HPA_ANNOTATIONS.behavior]).toBe(behavior);
  });
});
