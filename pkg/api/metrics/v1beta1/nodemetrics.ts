/**
 * metrics.k8s.io/v1beta1 NodeMetrics (`kubectl top node`): a node's CPU and memory usage over
 * `window`, measured at `timestamp`. Computed by the API server from the node's kubelet
 * (`/stats/summary`); cluster-scoped, get/list only, never stored.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineMetricsResource, UsageSchema } from './common.ts';

export const NodeMetricsSchema = kubeObject({
  timestamp: z.string().optional(),
  window: z.string().optional(),
  usage: UsageSchema.optional(),
});
export type NodeMetrics = z.infer<typeof NodeMetricsSchema>;

export const nodeMetricsResource = defineMetricsResource<NodeMetrics>({
  kind: 'NodeMetrics',
  plural: 'nodes',
  namespaced: false,
  schema: NodeMetricsSchema,
});
