/**
 * core/v1 Namespace: cluster-scoped, DNS-1123 label names, `kubernetes` finalizer and phase
 * `Active` on create (upstream pkg/registry/core/namespace strategy + v1 defaults).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { invalidValue } from '../../validation/field-errors.ts';
import { isDNS1123Label, isQualifiedName } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { defineResource } from './common.ts';

export const NamespaceConditionSchema = z.object({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: z.string().nullable().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const NamespaceSchema = kubeObject({
  spec: z.object({ finalizers: z.array(z.string()).optional() }).optional(),
  status: z.object({
    phase: z.string().optional(),
    conditions: z.array(NamespaceConditionSchema).optional(),
  }).optional(),
});
export type Namespace = z.infer<typeof NamespaceSchema>;
export type NamespaceCondition = z.infer<typeof NamespaceConditionSchema>;

/** The finalizer the namespace controller removes once the namespace is empty. */
export const FINALIZER_KUBERNETES = 'kubernetes';
const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];
const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

export function applyNamespaceDefaults(ns: Namespace): void {
  if (ns.metadata.name) {
    ns.metadata.labels = { ...(ns.metadata.labels ?? {}), [LABEL_METADATA_NAME]: ns.metadata.name };
  }
  ns.spec ??= {};
  ns.status ??= {};
  ns.status.phase ||= 'Active';
}

export function validateNamespace(ns: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameValidator: isDNS1123Label });
  for (const finalizer of ns.spec?.finalizers ?? []) errs.push(...validateFinalizerName('spec.finalizers', finalizer));
  return errs;
}

/** Upstream `validateFinalizerName`: a qualified name, and standard unless it has a prefix. */
export function validateFinalizerName(path: string, name: string): FieldError[] {
  const errs = isQualifiedName(name).map((msg) => invalidValue(path, name, msg));
  if (!name.includes('/') && !STANDARD_FINALIZERS.includes(name)) {
    errs.push(invalidValue(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export const namespaceResource = defineResource<Namespace>({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  singular: 'namespace',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  schema: NamespaceSchema,
  subresources: { status: true },
  patchMeta: { 'status.conditions': { strategy: 'merge', mergeKey: 'type' } },
  applyDefaults: applyNamespaceDefaults,
  validate: validateNamespace,
  prepareForCreate(ns) {
    const finalizers = ns.spec?.finalizers ?? [];
    ns.spec = { ...ns.spec, finalizers: finalizers.includes(FINALIZER_KUBERNETES) ? finalizers : [...finalizers, FINALIZER_KUBERNETES] };
    ns.status = { phase: 'Active' };
  },
  prepareForUpdate(ns, old) {
    // Finalizers change only through the finalize subresource; status only through /status.
    ns.spec = { ...ns.spec, finalizers: old.spec?.finalizers };
    if (ns.spec.finalizers === undefined) delete ns.spec.finalizers;
    ns.status = old.status;
  },
  fieldSelectors: { 'status.phase': (ns) => ns.status?.phase ?? '' },
});
