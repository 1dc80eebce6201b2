/**
 * networking.k8s.io/v1 IngressClass (cluster-scoped): names the controller that implements
 * Ingresses of this class (required, a domain-prefixed path, immutable) and optional parameters.
 * The `ingressclass.kubernetes.io/is-default-class: "true"` annotation makes it the class
 * Ingresses created without one get (DefaultIngressClass admission).
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateImmutable } from '../../validation/common-rules.ts';
import { child, forbidden, invalidValue, notSupported, required, tooLong } from '../../validation/field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../validation/names.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { validateTypedLocalObjectReference } from './ingress-validation.ts';

export const IngressClassSchema = kubeObject({
  spec: z.object({
    controller: z.string().optional(),
    parameters: z.object({
      apiGroup: z.string().optional(),
      kind: z.string().default(''),
      name: z.string().default(''),
      scope: z.string().optional(),
      namespace: z.string().optional(),
    }).optional(),
  }).optional(),
});
export type IngressClass = z.infer<typeof IngressClassSchema>;

/** The annotation marking the default class. */
export const DEFAULT_INGRESS_CLASS_ANNOTATION = 'ingressclass.kubernetes.io/is-default-class';
const SCOPES = ['Cluster', 'Namespace'] as const;
const MAX_CONTROLLER_LENGTH = 250;
const HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const HTTP_PATH_RE = new RegExp(`^${HTTP_PATH_FMT}$`);

/** networking/v1 SetDefaults_IngressClass: parameters without a scope are cluster-scoped. */
export function applyIngressClassDefaults(ic: IngressClass): void {
  ic.spec ??= {};
  if (ic.spec.parameters && ic.spec.parameters.scope === undefined) ic.spec.parameters.scope = 'Cluster';
}

/** Upstream `IsDomainPrefixedPath`. */
function validateDomainPrefixedPath(path: string, value: string): FieldError[] {
  if (!value) return [required(path)];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || !host || !rest) return [invalidValue(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errs = isDNS1123Subdomain(host).map((msg) => invalidValue(path, host, msg));
  if (!HTTP_PATH_RE.test(rest)) errs.push(invalidValue(path, rest, `must be a valid path (regex used for validation is '${HTTP_PATH_FMT}')`));
  return errs;
}

function validateParameters(params: NonNullable<NonNullable<IngressClass['spec']>['parameters']>): FieldError[] {
  const path = 'spec.parameters';
  const errs = validateTypedLocalObjectReference(params, path);
  if (params.scope === undefined) return [...errs, required(child(path, 'scope'))];
  if (!(SCOPES as readonly string[]).includes(params.scope)) return [...errs, notSupported(child(path, 'scope'), params.scope, SCOPES)];
  if (params.scope === 'Namespace') {
    if (params.namespace === undefined) errs.push(required(child(path, 'namespace'), "`parameters.scope` is set to 'Namespace'"));
    else for (const msg of isDNS1123Label(params.namespace)) errs.push(invalidValue(child(path, 'namespace'), params.namespace, msg));
  } else if (params.namespace !== undefined) {
    errs.push(forbidden(child(path, 'namespace'), "`parameters.scope` is set to 'Cluster'"));
  }
  return errs;
}

/** Upstream ValidateIngressClass / ValidateIngressClassUpdate. */
export function validateIngressClass(ic: IngressClass, old?: IngressClass): FieldError[] {
  const errs: FieldError[] = [];
  if (old) errs.push(...validateImmutable('spec.controller', ic.spec?.controller ?? '', old.spec?.controller ?? ''));
  errs.push(...validateObjectMeta(ic.metadata, { namespaced: false }));
  const controller = ic.spec?.controller ?? '';
  if (controller.length > MAX_CONTROLLER_LENGTH) errs.push(tooLong('spec.controller', MAX_CONTROLLER_LENGTH));
  errs.push(...validateDomainPrefixedPath('spec.controller', controller));
  if (ic.spec?.parameters) errs.push(...validateParameters(ic.spec.parameters));
  return errs;
}

export const ingressClassResource = defineResource<IngressClass>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  singular: 'ingressclass',
  namespaced: false,
  schema: IngressClassSchema,
  applyDefaults: applyIngressClassDefaults,
  validate: validateIngressClass,
});
