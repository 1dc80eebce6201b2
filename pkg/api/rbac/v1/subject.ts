/**
 * rbac/v1 Subject: who a binding grants its role to (a ServiceAccount, User or Group), with
 * upstream's `SetDefaults_Subject` and `ValidateRoleBindingSubject`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { child, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { RBAC_GROUP } from './group.ts';

/** Upstream `rbacv1.ServiceAccountKind`, `UserKind`, `GroupKind`, in the order messages list them. */
export const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'] as const;

/** `kind` and `name` are required strings upstream: missing decodes as `''`, reported by validation. */
export const SubjectSchema = z.object({
  kind: z.string().optional().default(''),
  apiGroup: z.string().optional(),
  name: z.string().optional().default(''),
  namespace: z.string().optional(),
});
export type Subject = z.infer<typeof SubjectSchema>;

/**
 * Upstream `SetDefaults_Subject`: an empty `apiGroup` becomes rbac.authorization.k8s.io for
 * User and Group subjects; a ServiceAccount's stays empty (the core group). Idempotent.
 */
export function applySubjectDefaults(subject: Subject): void {
  if (subject.apiGroup) return;
  if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = RBAC_GROUP;
}

/**
 * Upstream `ValidateRoleBindingSubject` at `path` (`subjects[i]`): a name is required; a
 * ServiceAccount's name is a DNS-1123 subdomain, its apiGroup empty, and its namespace required
 * unless the binding is `namespaced` (a RoleBinding); Users and Groups belong to
 * rbac.authorization.k8s.io; other kinds are not supported.
 */
export function validateSubject(subject: Subject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = subject.apiGroup ?? '';
  if (!subject.name) errs.push(required(child(path, 'name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (subject.name) for (const msg of isDNS1123Subdomain(subject.name)) errs.push(invalidValue(child(path, 'name'), subject.name, msg));
      if (apiGroup) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(child(path, 'apiGroup'), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(child(path, 'kind'), subject.kind, SUBJECT_KINDS));
  }
  return errs;
}
