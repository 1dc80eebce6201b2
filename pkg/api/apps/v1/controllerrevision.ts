/**
 * apps/v1 ControllerRevision: an immutable snapshot of a workload's template (`data`) with its
 * revision number, as DaemonSets and StatefulSets keep their rollout history
 * (`kubectl rollout history/undo`). Validation as upstream ValidateControllerRevision(Update).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { required } from '../../validation/field-errors.ts';
import { validateImmutable } from '../../validation/common-rules.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { nonNegative } from './workload.ts';

export const ControllerRevisionSchema = kubeObject({
  /** A RawExtension: any JSON object (upstream stores a strategic merge patch of the template). */
  data: z.unknown().optional(),
  revision: z.number().int().optional(),
});
export type ControllerRevision = z.infer<typeof ControllerRevisionSchema>;

/** Upstream ValidateControllerRevision, plus ValidateControllerRevisionUpdate's immutable `data`. */
export function validateControllerRevision(cr: ControllerRevision, old?: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, { namespaced: true });
  if (cr.data === undefined || cr.data === null) errs.push(required('data', 'data is mandatory'));
  errs.push(...nonNegative('revision', cr.revision ?? 0));
  if (old) errs.push(...validateImmutable('data', cr.data, old.data));
  return errs;
}

export const controllerRevisionResource = defineResource<ControllerRevision>({
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  plural: 'controllerrevisions',
  singular: 'controllerrevision',
  namespaced: true,
  schema: ControllerRevisionSchema,
  rawFields: ['data'],
  patchMeta: {
    'metadata.finalizers': { strategy: 'merge' },
    'metadata.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
  },
  applyDefaults(cr) {
    cr.revision ??= 0;
  },
  validate: validateControllerRevision,
});
