/**
 * What RoleBinding and ClusterRoleBinding share: `subjects` + `roleRef`, their defaulting, and
 * the validation both kinds run (upstream `ValidateRoleBinding` / `ValidateClusterRoleBinding`
 * and their `…Update`), which differ only in scope and in the role kinds a roleRef may name.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import type { KubeObject } from '../../meta.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { validateRBACName } from './group.ts';
import { applyRoleRefDefaults, emptyRoleRef, RoleRefSchema, validateRoleRef, validateRoleRefUpdate, type RoleRef } from './role-ref.ts';
import { applySubjectDefaults, SubjectSchema, validateSubject, type Subject } from './subject.ts';

/**
 * The fields of both binding kinds. `subjects` is an atomic list upstream (no merge key);
 * `roleRef` is required upstream and decodes as an empty one when missing.
 */
export const bindingShape = {
  subjects: z.array(SubjectSchema).optional(),
  roleRef: RoleRefSchema.optional().default(emptyRoleRef),
};

/** A RoleBinding or ClusterRoleBinding after decoding. */
export interface Binding extends KubeObject {
  subjects?: Subject[];
  roleRef: RoleRef;
}

/** Upstream v1 defaults of a binding: its roleRef's and every subject's apiGroup. Idempotent. */
export function applyBindingDefaults(binding: Binding): void {
  binding.roleRef ??= emptyRoleRef();
  applyRoleRefDefaults(binding.roleRef);
  for (const subject of binding.subjects ?? []) applySubjectDefaults(subject);
}

export interface BindingRules {
  /** RoleBinding: true (its ServiceAccount subjects may leave out the namespace). */
  namespaced: boolean;
  /** The kinds `roleRef.kind` may name. */
  roleRefKinds: readonly string[];
}

/** Field errors of a binding; with `old` (an update) a changed roleRef is refused. Pure. */
export function validateBinding(binding: Binding, rules: BindingRules, old?: Binding): FieldError[] {
  const errs = validateObjectMeta(binding.metadata, { namespaced: rules.namespaced, nameValidator: validateRBACName });
  const roleRef = binding.roleRef ?? emptyRoleRef();
  errs.push(...validateRoleRef(roleRef, rules.roleRefKinds));
  (binding.subjects ?? []).forEach((subject, i) => errs.push(...validateSubject(subject, rules.namespaced, `subjects[${i}]`)));
  if (old) errs.push(...validateRoleRefUpdate(roleRef, old.roleRef ?? emptyRoleRef()));
  return errs;
}
