/**
 * metrics.k8s.io/v1beta1 PodMetrics (`kubectl top pod`, the HPA's resource metrics): the usage
 * of each container of a pod over `window`, measured at `timestamp`. Computed by the API server
 * from the pod's kubelet (`/stats/summary`); namespaced, get/list only, never stored.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineMetricsResource, UsageSchema } from './common.ts';

export const ContainerMetricsSchema = z.object({ name: z.string(), usage: UsageSchema });
export type ContainerMetrics = z.infer<typeof ContainerMetricsSchema>;

export const PodMetricsSchema = kubeObject({
  timestamp: z.string().optional(),
  window: z.string().optional(),
  containers: z.array(ContainerMetricsSchema).optional(),
});
export type PodMetrics = z.infer<typeof PodMetricsSchema>;

export const podMetricsResource = defineMetricsResource<PodMetrics>({
  kind: 'PodMetrics',
  plural: 'pods',
  namespaced: true,
  schema: PodMetricsSchema,
});
