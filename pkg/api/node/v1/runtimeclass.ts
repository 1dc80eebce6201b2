/**
 * node.k8s.io/v1 RuntimeClass (cluster-scoped): names the CRI runtime handler the kubelet asks
 * for when it creates a pod's sandbox (`handler`, a DNS label, immutable), the fixed overhead the
 * RuntimeClass admission plugin copies into pods (`overhead.podFixed`), and the node selector and
 * tolerations it merges into them (`scheduling`). No status.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject, QuantitySchema } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { canonicaliseResourceList } from '../../core/v1/pod-defaults.ts';
import { TolerationSchema } from '../../core/v1/pod-spec.ts';
import { validateOverhead, validateTolerations } from '../../core/v1/pod-validation.ts';
import { validateDNS1123LabelField, validateImmutable } from '../../validation/common-rules.ts';
import { validateLabels, validateObjectMeta } from '../../validation/object-meta.ts';

export const RuntimeClassSchema = kubeObject({
  handler: z.string().default(''),
  overhead: z.object({ podFixed: z.record(z.string(), QuantitySchema).optional() }).optional(),
  scheduling: z.object({
    nodeSelector: z.record(z.string(), z.string()).optional(),
    tolerations: z.array(TolerationSchema).optional(),
  }).optional(),
});
export type RuntimeClass = z.infer<typeof RuntimeClassSchema>;

/** The group of RuntimeClass. */
export const NODE_GROUP = 'node.k8s.io';

/** No defaults upstream; quantities are stored in canonical form (`0.25` → `250m`), as a Go round trip writes them. */
export function applyRuntimeClassDefaults(rc: RuntimeClass): void {
  canonicaliseResourceList(rc.overhead?.podFixed);
}

/** Upstream ValidateRuntimeClass, plus ValidateRuntimeClassUpdate (`handler` is immutable) on update. */
export function validateRuntimeClass(rc: RuntimeClass, old?: RuntimeClass): FieldError[] {
  const errs = validateObjectMeta(rc.metadata, { namespaced: false });
  errs.push(...validateDNS1123LabelField('handler', rc.handler ?? ''));
  if (rc.overhead) errs.push(...validateOverhead(rc.overhead.podFixed, 'overhead'));
  if (rc.scheduling) {
    errs.push(...validateLabels(rc.scheduling.nodeSelector, 'scheduling.nodeSelector'));
    errs.push(...validateTolerations(rc.scheduling.tolerations, 'scheduling.tolerations'));
  }
  if (old) errs.push(...validateImmutable('handler', rc.handler ?? '', old.handler ?? ''));
  return errs;
}

export const runtimeClassResource = defineResource<RuntimeClass>({
  group: NODE_GROUP,
  version: 'v1',
  kind: 'RuntimeClass',
  plural: 'runtimeclasses',
  singular: 'runtimeclass',
  namespaced: false,
  schema: RuntimeClassSchema,
  applyDefaults: applyRuntimeClassDefaults,
  validate: validateRuntimeClass,
});
