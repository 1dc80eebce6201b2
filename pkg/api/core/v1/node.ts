/**
 * core/v1 Node: cluster-scoped, spec (podCIDR(s), providerID, unschedulable, taints) and the
 * status the kubelet reports. podCIDR ↔ podCIDRs kept in step; allocatable defaults to capacity.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { goStringSlice, validateQualifiedNameField } from '../../validation/common-rules.ts';
import { forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { ipFamilyOf, validateCIDR } from '../../validation/ip.ts';
import { isValidLabelValue } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from './common.ts';

export const TaintSchema = z.object({
  key: z.string(),
  value: z.string().optional(),
  effect: z.string(),
  timeAdded: z.string().nullable().optional(),
});
export type Taint = z.infer<typeof TaintSchema>;

export const NodeSpecSchema = z.object({
  podCIDR: z.string().optional(),
  podCIDRs: z.array(z.string()).optional(),
  providerID: z.string().optional(),
  unschedulable: z.boolean().optional(),
  taints: z.array(TaintSchema).optional(),
  externalID: z.string().optional(),
});

export const NodeConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastHeartbeatTime: z.string().nullable().optional(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NodeCondition = z.infer<typeof NodeConditionSchema>;

export const NodeAddressSchema = z.object({ type: z.string(), address: z.string() });
export type NodeAddress = z.infer<typeof NodeAddressSchema>;

export const NodeSystemInfoSchema = z.object({
  machineID: z.string().optional(),
  systemUUID: z.string().optional(),
  bootID: z.string().optional(),
  kernelVersion: z.string().optional(),
  osImage: z.string().optional(),
  containerRuntimeVersion: z.string().optional(),
  kubeletVersion: z.string().optional(),
  kubeProxyVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  architecture: z.string().optional(),
});

/** NodeSystemInfo fields are not omitempty upstream: always served, `""` when unknown. */
const NODE_INFO_FIELDS = ['machineID', 'systemUUID', 'bootID', 'kernelVersion', 'osImage', 'containerRuntimeVersion', 'kubeletVersion', 'kubeProxyVersion', 'operatingSystem', 'architecture'] as const;

const ResourceListSchema = z.record(z.string(), QuantitySchema);

export const NodeStatusSchema = z.object({
  capacity: ResourceListSchema.optional(),
  allocatable: ResourceListSchema.optional(),
  phase: z.string().optional(),
  conditions: z.array(NodeConditionSchema).optional(),
  addresses: z.array(NodeAddressSchema).optional(),
  daemonEndpoints: z.object({ kubeletEndpoint: z.object({ Port: z.number().int() }).optional() }).optional(),
  nodeInfo: NodeSystemInfoSchema.optional(),
  images: z.array(z.object({ names: z.array(z.string()).optional(), sizeBytes: z.number().int().optional() })).optional(),
  volumesInUse: z.array(z.string()).optional(),
  volumesAttached: z.array(z.object({ name: z.string(), devicePath: z.string() })).optional(),
  runtimeHandlers: z.array(z.object({
    name: z.string().optional(),
    features: z.object({ recursiveReadOnlyMounts: z.boolean().optional(), userNamespaces: z.boolean().optional() }).optional(),
  })).optional(),
});

export const NodeSchema = kubeObject({
  spec: NodeSpecSchema.optional(),
  status: NodeStatusSchema.optional(),
});
export type Node = z.infer<typeof NodeSchema>;

/** Upstream `isNodeReady`: the node's `Ready` condition is `True` (absent counts as not ready). */
export function isNodeReady(node: { readonly status?: { readonly conditions?: readonly { readonly type: string; readonly status: string }[] } }): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

export function applyNodeDefaults(node: Node): void {
  const spec = (node.spec ??= {});
  if (spec.podCIDR && !spec.podCIDRs?.length) spec.podCIDRs = [spec.podCIDR];
  if (!spec.podCIDR && spec.podCIDRs?.length) spec.podCIDR = spec.podCIDRs[0];
  const status = (node.status ??= {});
  status.daemonEndpoints ??= { kubeletEndpoint: { Port: 0 } };
  status.daemonEndpoints.kubeletEndpoint ??= { Port: 0 };
  const info = (status.nodeInfo ??= {});
  for (const field of NODE_INFO_FIELDS) info[field] ??= '';
  if (status.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

function goTaint(t: Taint): string {
  return `core.Taint{Key:${JSON.stringify(t.key)}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect)}, TimeAdded:(*v1.Time)(nil)}`;
}

/** `validateNodeTaints`. */
export function validateTaints(taints: readonly Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, taint] of taints.entries()) {
    const p = index(path, i);
    errs.push(...validateQualifiedNameField(`${p}.key`, taint.key));
    const valueErrs = isValidLabelValue(taint.value ?? '');
    if (valueErrs.length) errs.push(invalidValue(`${p}.value`, taint.value ?? '', valueErrs.join(';')));
    if (!taint.effect) errs.push(required(`${p}.effect`));
    else if (!TAINT_EFFECTS.includes(taint.effect)) errs.push(notSupported(`${p}.effect`, taint.effect, TAINT_EFFECTS));
    const k = `${taint.effect}\u0000${taint.key}`;
    if (seen.has(k)) {
      errs.push({ type: 'FieldValueDuplicate', field: p, detail: `Duplicate value: ${goTaint(taint)}: taints must be unique by key and effect pair` });
      continue;
    }
    seen.add(k);
  }
  return errs;
}

export function validateNode(node: Node, old?: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false });
  const spec = node.spec ?? {};
  const cidrs = spec.podCIDRs ?? [];
  for (const [i, cidr] of cidrs.entries()) errs.push(...validateCIDR(index('spec.podCIDRs', i), cidr));
  if (cidrs.length > 1 && errs.length === 0) {
    if (cidrs.length > 2 || ipFamilyOf(cidrs[0]) === ipFamilyOf(cidrs[1])) {
      errs.push({ type: 'FieldValueInvalid', field: 'spec.podCIDRs', detail: `Invalid value: ${goStringSlice(cidrs)}: may specify no more than one CIDR for each IP family` });
    }
  }
  errs.push(...validateTaints(spec.taints ?? [], 'spec.taints'));
  if (old) {
    const oldCIDRs = old.spec?.podCIDRs ?? [];
    const changed = oldCIDRs.length > 0 && (oldCIDRs.length !== cidrs.length || oldCIDRs.some((c, i) => c !== cidrs[i]));
    if (changed) errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
    if (old.spec?.providerID && old.spec.providerID !== spec.providerID) {
      errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
    }
  }
  return errs;
}

export const nodeResource = defineResource<Node>({
  group: '',
  version: 'v1',
  kind: 'Node',
  plural: 'nodes',
  singular: 'node',
  namespaced: false,
  shortNames: ['no'],
  schema: NodeSchema,
  subresources: { status: true },
  patchMeta: {
    'status.addresses': { strategy: 'merge', mergeKey: 'type' },
    'status.conditions': { strategy: 'merge', mergeKey: 'type' },
    'spec.podCIDRs': { strategy: 'merge' },
  },
  applyDefaults: applyNodeDefaults,
  validate: validateNode,
  prepareForUpdate(node, old) {
    node.status = old.status;
  },
  fieldSelectors: { 'spec.unschedulable': (node) => String(node.spec?.unschedulable ?? false) },
});
