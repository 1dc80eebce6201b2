/**
 * HorizontalPodAutoscaler printer (upstream 1.33 printHorizontalPodAutoscaler):
 * `NAME REFERENCE TARGETS MINPODS MAXPODS REPLICAS AGE`. REFERENCE is `Kind/name`; TARGETS is
 * upstream's formatHPAMetrics — `current/target` per metric (`cpu: 0%/50%`, `cpu: <unknown>/50%`,
 * `memory: <unknown>/500Mi`, `<unknown>/10 (avg)` for Object/External average values), at most
 * two of them and then `+ N more...`; `<none>` without metrics. autoscaling/v1 objects are read
 * as the v2 object they stand for.
 */
import type { KubeObject } from '../meta.ts';
import { canonicalQuantity } from '../quantity.ts';
import { hpaFromV1 } from '../autoscaling/v1/conversion.ts';
import type { HorizontalPodAutoscalerV1 } from '../autoscaling/v1/horizontalpodautoscaler.ts';
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from '../autoscaling/v2/horizontalpodautoscaler.ts';
import { ageColumn, col, nameColumn } from './columns.ts';
import { age } from './format.ts';
import type { Printer } from './printer.ts';

const UNKNOWN = '<unknown>';
const MAX_SHOWN = 2;

/** Go's `(*resource.Quantity).String()`: canonical, `<nil>` for a nil pointer. */
function quantity(q: string | number | undefined): string {
  return q === undefined ? '<nil>' : canonicalQuantity(q);
}

function percent(n: number | undefined, unset: string): string {
  return n === undefined ? unset : `${n}%`;
}

/** The TARGETS text of one metric (`statuses[i]` is read by position, as upstream does). */
function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External':
    case 'Object': {
      const source = spec.type === 'External' ? spec.external : spec.object;
      const current = spec.type === 'External' ? status?.external?.current : status?.object?.current;
      const target = source?.target;
      if (target?.averageValue !== undefined) {
        const now = current?.averageValue !== undefined ? quantity(current.averageValue) : UNKNOWN;
        return `${now}/${quantity(target.averageValue)} (avg)`;
      }
      return `${current ? quantity(current.value) : UNKNOWN}/${quantity(target?.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? quantity(status.pods.current.averageValue) : UNKNOWN}/${quantity(spec.pods?.target.averageValue)}`;
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const current = spec.type === 'Resource' ? status?.resource?.current : status?.containerResource?.current;
      const name = source?.name ?? '';
      if (source?.target.averageValue !== undefined) {
        return `${name}: ${current ? quantity(current.averageValue) : UNKNOWN}/${quantity(source.target.averageValue)}`;
      }
      return `${name}: ${percent(current?.averageUtilization, UNKNOWN)}/${percent(source?.target.averageUtilization, '<auto>')}`;
    }
    default:
      return '<unknown type>';
  }
}

/** Upstream formatHPAMetrics. Pure. */
export function formatHpaMetrics(specs: readonly MetricSpec[] | undefined, statuses: readonly MetricStatus[] | null | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const list = specs.map((spec, i) => formatMetric(spec, statuses?.[i]));
  const shown = list.slice(0, MAX_SHOWN).join(', ');
  return list.length > MAX_SHOWN ? `${shown} + ${list.length - MAX_SHOWN} more...` : shown;
}

function asV2(obj: KubeObject): HorizontalPodAutoscaler {
  return obj.apiVersion === 'autoscaling/v1' ? hpaFromV1(obj as HorizontalPodAutoscalerV1) : (obj as HorizontalPodAutoscaler);
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn,
    col('Reference', 'string', 0, 'scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.'),
    col('Targets', 'string', 0, 'metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond. If not set, the default metric will be set to 80% average CPU utilization.'),
    col('MinPods', 'string', 0, 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.'),
    col('MaxPods', 'integer', 0, 'maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.'),
    col('Replicas', 'integer', 0, 'currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler.'),
    ageColumn,
  ],
  row(obj, now) {
    const hpa = asV2(obj);
    const ref = hpa.spec?.scaleTargetRef;
    const minPods = hpa.spec?.minReplicas === undefined ? '<unset>' : String(hpa.spec.minReplicas);
    return [hpa.metadata.name ?? '', `${ref?.kind ?? ''}/${ref?.name ?? ''}`, formatHpaMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics), minPods, hpa.spec?.maxReplicas ?? 0, hpa.status?.currentReplicas ?? 0, age(hpa, now)];
  },
};
