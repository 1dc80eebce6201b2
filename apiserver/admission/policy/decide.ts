/**
 * From the outcomes of every (policy, binding) a request met to what the client sees (upstream
 * validating.dispatcher): a binding's denials go where its validationActions say — Deny rejects,
 * Warn adds the `Warning` header `Validation failed for ValidatingAdmissionPolicy '<p>' with binding
 * '<b>': <message>`, Audit is recorded (audit annotations) — and configuration errors (a missing
 * param, an unknown paramKind) reject under failurePolicy Fail whatever the actions. The first
 * rejection becomes `<resource> "<name>" is forbidden: ValidatingAdmissionPolicy '<p>' with binding
 * '<b>' denied request: <message>`, with the validation's reason (default Invalid) and its code. Pure.
 */
import { ApiError, forbidden, type StatusReason } from '../../../pkg/errors/index.ts';
import type { PolicyDenial } from './evaluate.ts';

/** What one (policy, binding) pair produced for the request. */
export interface BindingOutcome {
  policyName: string;
  /** Absent for a policy-level configuration error. */
  bindingName?: string;
  validationActions: readonly string[];
  /** Failed validations (already filtered by the failurePolicy). */
  denials: PolicyDenial[];
  /** A configuration error (already filtered by the failurePolicy): rejects whatever the actions. */
  configError?: string;
  /** Failed audit annotations (already filtered by the failurePolicy): reject after the denials, whatever the actions. */
  auditErrors?: string[];
  /** Audit annotations to record (`<policy>/<key>`). */
  annotations?: Array<{ key: string; value: string }>;
}

/** One failure the Audit action records (upstream's `validation.policy.admission.k8s.io/validation_failure`). */
export interface AuditedFailure {
  message: string;
  policy: string;
  binding: string;
  expressionIndex: number;
  validationActions: readonly string[];
}

/** What admission does with the request. */
export interface PolicyVerdict {
  rejection?: { policyName: string; bindingName?: string; message: string; reason?: string };
  warnings: string[];
  audited: AuditedFailure[];
  /** Audit annotations (`<policy>/<key>` → value). */
  annotations: Array<{ key: string; value: string }>;
}

/** Folds the outcomes, in evaluation order. */
export function decide(outcomes: readonly BindingOutcome[]): PolicyVerdict {
  const verdict: PolicyVerdict = { warnings: [], audited: [], annotations: [] };
  const reject = (r: NonNullable<PolicyVerdict['rejection']>) => void (verdict.rejection ??= r);
  for (const o of outcomes) {
    if (o.configError !== undefined) {
      reject({ policyName: o.policyName, bindingName: o.bindingName, message: o.configError });
      continue;
    }
    o.denials.forEach((d, i) => {
      for (const action of o.validationActions) {
        if (action === 'Deny') reject({ policyName: o.policyName, bindingName: o.bindingName, message: d.message, reason: d.reason });
        else if (action === 'Warn') verdict.warnings.push(`Validation failed for ValidatingAdmissionPolicy '${o.policyName}' with binding '${o.bindingName ?? ''}': ${d.message}`);
        else if (action === 'Audit') verdict.audited.push({ message: d.message, policy: o.policyName, binding: o.bindingName ?? '', expressionIndex: i, validationActions: o.validationActions });
      }
    });
    for (const message of o.auditErrors ?? []) reject({ policyName: o.policyName, bindingName: o.bindingName, message });
    for (const a of o.annotations ?? []) verdict.annotations.push({ key: `${o.policyName}/${a.key}`, value: a.value });
  }
  return verdict;
}

const REASON_CODES: Record<string, number> = { Forbidden: 403, Unauthorized: 401, RequestEntityTooLarge: 413, Invalid: 422 };

/** The Status error of a rejection (upstream admission.NewForbidden with the reason and code replaced). */
export function rejectionError(rejection: NonNullable<PolicyVerdict['rejection']>, target: { group: string; resource: string; name: string }): ApiError {
  const by = rejection.bindingName !== undefined ? `ValidatingAdmissionPolicy '${rejection.policyName}' with binding '${rejection.bindingName}'` : `ValidatingAdmissionPolicy '${rejection.policyName}'`;
  const message = `${by} denied request: ${rejection.message}`;
  const base = forbidden({ group: target.group, resource: target.resource }, target.name, message);
  const reason = rejection.reason || 'Invalid';
  return new ApiError({ code: REASON_CODES[reason] ?? 422, reason: reason as StatusReason, message: base.message, details: { ...base.details, causes: [{ message }] } });
}
