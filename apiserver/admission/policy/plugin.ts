/**
 * Admission plugin `ValidatingAdmissionPolicy` (upstream admission/plugin/policy/validating), in
 * the validate phase before the validating webhooks: for every policy that has bindings and whose
 * matchConstraints select the request, and every binding of it whose matchResources do, evaluates
 * the policy's validations once per parameter object and applies the binding's validationActions
 * (see decide.ts). Policies and bindings are read through the admission configuration cache
 * (fresh within a second; at once after a write through this server) and compiled once per
 * stored version. Requests for the admission configuration kinds themselves are exempt.
 * Expressions see `authorizer` (checks as the requesting user against the server's authorizer,
 * cached for the request; see cel-authorizer.ts).
 */
import { randomUUID } from 'node:crypto';
import type { ParamKind } from '../../../pkg/api/admissionregistration/v1/policy-types.ts';
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import type { ValidatingAdmissionPolicyBinding } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicybinding.ts';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { admissionCelAuthorizer } from '../cel-authorizer.ts';
import { admissionObjectName } from '../object-name.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from '../types.ts';
import type { WebhookConfigCache } from '../webhook/config-cache.ts';
import { namespaceLabelsOf } from '../webhook/invocations.ts';
import { isExemptResource, ruleRequestOf, type RuleRequest } from '../webhook/rules.ts';
import { baseActivation } from './activation.ts';
import { CompiledPolicyCache, type CompiledPolicy } from './compile-policy.ts';
import type { PolicyCompiler } from './compiler.ts';
import { decide, rejectionError, type BindingOutcome, type PolicyVerdict } from './decide.ts';
import { evaluatePolicyFully, type PolicyActivation } from './evaluate.ts';
import { convertObject, equivalentRequests } from './equivalents.ts';
import { matchedRequest, matchResourcesMatch, needsNamespaceLabelsFor, type PolicyRequest } from './matching.ts';
import { collectParams, gvkString, type ResolvedParamKind } from './params.ts';

export const VALIDATING_ADMISSION_POLICY_PLUGIN = 'ValidatingAdmissionPolicy';

const NAMESPACES = { group: '', plural: 'namespaces', namespaced: false } as const;

/** Options of {@link createValidatingAdmissionPolicyPlugin}. */
export interface ValidatingAdmissionPolicyPluginOptions {
  compiler: PolicyCompiler;
  /** Where policies and bindings are read. */
  cache: WebhookConfigCache;
}

const byName = <T extends KubeObject>(a: T, b: T) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : (a.metadata.name ?? '') > (b.metadata.name ?? '') ? 1 : 0);

/** The storage reader of a paramKind the server serves, or undefined. */
function resolveParamKind(ctx: AdmissionContext, kind: ParamKind): ResolvedParamKind | undefined {
  const apiVersion = kind.apiVersion ?? '';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const info = ctx.registry?.byKind(group, version, kind.kind ?? '');
  if (!info) return undefined;
  const storageInfo = { group: info.conversion?.storageGroup ?? info.group, plural: info.plural, namespaced: info.namespaced };
  const withType = (o: KubeObject): KubeObject => (o.apiVersion && o.kind ? o : { ...o, apiVersion, kind: kind.kind });
  return {
    namespaced: info.namespaced,
    reader: {
      get: async (namespace, name) => {
        const o = await ctx.storage.get(ctx.keyFor(storageInfo, namespace, name));
        return o && withType(o);
      },
      list: async (namespace) => (await ctx.storage.list(ctx.keyFor(storageInfo, namespace, ''))).items.map(withType),
    },
  };
}

export function createValidatingAdmissionPolicyPlugin(ctx: AdmissionContext, options: ValidatingAdmissionPolicyPluginOptions): AdmissionPlugin {
  const { cache } = options;
  const compiled = new CompiledPolicyCache(options.compiler);
  return {
    name: VALIDATING_ADMISSION_POLICY_PLUGIN,
    validate(attrs) {
      const req = ruleRequestOf(attrs);
      if (isExemptResource(req)) {
        if (req.resource.startsWith('validatingadmissionpolic')) {
          cache.invalidate();
          attrs.onSuccess(async () => cache.invalidate());
        }
        return;
      }
      // No bindings (known without waiting): no policy applies.
      if (cache.peek('validatingadmissionpolicybindings')?.length === 0) return;
      return dispatch(attrs);
    },
  };

  async function dispatch(attrs: AdmissionAttributes): Promise<void> {
    const [policies, bindings] = (await Promise.all([cache.list('validatingadmissionpolicies'), cache.list('validatingadmissionpolicybindings')])) as [ValidatingAdmissionPolicy[], ValidatingAdmissionPolicyBinding[]];
    if (bindings.length === 0) return;
    const programs = compiled.compileAll(policies);
    const rule = ruleRequestOf(attrs);
    const preq: PolicyRequest = { rule, name: attrs.name || (attrs.object?.metadata.name ?? ''), object: attrs.object, oldObject: attrs.oldObject };
    const bound = policies.filter((p) => bindings.some((b) => b.spec?.policyName === p.metadata.name)).sort(byName);
    const needsLabels = bound.some((p) => needsNamespaceLabelsFor(p.spec?.matchConstraints, rule)) || bindings.some((b) => needsNamespaceLabelsFor(b.spec?.matchResources, rule));
    if (needsLabels) preq.namespaceLabels = await namespaceLabelsOf(ctx, attrs, rule);
    const namespaceName = rule.resource === 'namespaces' && rule.group === '' ? '' : (attrs.namespace ?? '');
    const equivalents = equivalentRequests(ctx.registry, attrs.info, rule);
    const activations = new Map<string, Promise<PolicyActivation>>();
    const uid = randomUUID();
    // One per request: its checks are cached across every policy and binding (upstream's caching authorizer).
    const authorizer = admissionCelAuthorizer(ctx.authorizer, attrs);
    let namespace: Promise<KubeObject | undefined> | undefined;
    /** The activation for the version a policy matched as (the object converted to it). */
    const activationFor = (matched: RuleRequest): Promise<PolicyActivation> => {
      const key = `${matched.group}/${matched.version}`;
      let activation = activations.get(key);
      if (!activation) {
        namespace ??= namespaceName ? ctx.storage.get(ctx.keyFor(NAMESPACES, undefined, namespaceName)) : Promise.resolve(undefined);
        activation = namespace.then((ns) => ({ ...baseActivation(asVersion(attrs, matched), uid, ns, attrs.info), ...(authorizer ? { authorizer } : {}) }));
        activations.set(key, activation);
      }
      return activation;
    };
    const outcomes: BindingOutcome[] = [];
    for (const policy of bound) {
      const matched = matchedRequest(policy.spec?.matchConstraints, preq, equivalents);
      if (!matched) continue;
      const program = programs.get(policy.metadata.name ?? '')!;
      const fail = program.failurePolicy === 'Fail';
      const paramKind = policy.spec?.paramKind;
      const resolved = paramKind ? resolveParamKind(ctx, paramKind) : undefined;
      if (paramKind && !resolved) {
        if (fail) outcomes.push({ policyName: program.name, validationActions: [], denials: [], configError: `failed to configure policy: failed to find resource referenced by paramKind: '${gvkString(paramKind)}'` });
        continue;
      }
      for (const binding of bindings.filter((b) => b.spec?.policyName === policy.metadata.name).sort(byName)) {
        if (!matchResourcesMatch(binding.spec?.matchResources, preq, equivalents)) continue;
        outcomes.push(await evaluateBinding(attrs, program, paramKind, binding, resolved, await activationFor(matched)));
      }
    }
    const verdict = decide(outcomes);
    attrs.warnings?.push(...verdict.warnings);
    recordAuditAnnotations(attrs, verdict);
    if (verdict.rejection) throw rejectionError(verdict.rejection, { group: attrs.info.group, resource: attrs.info.plural, name: admissionObjectName(attrs) });
  }

  /** The request as the `matched` version of its resource sees it (objects converted; requestKind stays). */
  function asVersion(attrs: AdmissionAttributes, matched: RuleRequest): AdmissionAttributes {
    if (matched.group === attrs.info.group && matched.version === attrs.info.version) return attrs;
    const target = ctx.registry?.lookup(matched.group, matched.version, matched.resource);
    if (!target) return attrs;
    return {
      ...attrs,
      info: target,
      object: attrs.object && convertObject(attrs.object, attrs.info, target),
      oldObject: attrs.oldObject && convertObject(attrs.oldObject, attrs.info, target),
    };
  }

  async function evaluateBinding(attrs: AdmissionAttributes, program: CompiledPolicy, paramKind: ParamKind | undefined, binding: ValidatingAdmissionPolicyBinding, resolved: ResolvedParamKind | undefined, activation: PolicyActivation): Promise<BindingOutcome> {
    const outcome: BindingOutcome = { policyName: program.name, bindingName: binding.metadata.name ?? '', validationActions: binding.spec?.validationActions ?? [], denials: [] };
    const params = await collectParams({ paramKind, resolved, paramRef: binding.spec?.paramRef, requestNamespace: attrs.namespace ?? '' });
    if (!params.ok) {
      if (program.failurePolicy === 'Fail') outcome.configError = `failed to configure binding: ${params.error}`;
      return outcome;
    }
    for (const param of params.params) {
      const result = await evaluatePolicyFully(program, { ...activation, params: param });
      outcome.denials.push(...result.denials);
      (outcome.auditErrors ??= []).push(...result.auditErrors);
      (outcome.annotations ??= []).push(...result.annotations);
    }
    return outcome;
  }
}

/** Upstream's audit annotation key for failures of bindings with the Audit action. */
export const VALIDATION_FAILURE_ANNOTATION = 'validation.policy.admission.k8s.io/validation_failure';

/** The verdict's audit annotations on the request's audit record: Audit-action failures (one JSON array) and each policy's `<policy>/<key>`. */
function recordAuditAnnotations(attrs: AdmissionAttributes, verdict: PolicyVerdict): void {
  if (!attrs.audit) return;
  if (verdict.audited.length) {
    const failures = verdict.audited.map((f) => ({ message: f.message, policy: f.policy, binding: f.binding, expressionIndex: f.expressionIndex, validationActions: f.validationActions }));
    attrs.audit.add(VALIDATION_FAILURE_ANNOTATION, JSON.stringify(failures));
  }
  for (const annotation of verdict.annotations) attrs.audit.add(annotation.key, annotation.value);
}
