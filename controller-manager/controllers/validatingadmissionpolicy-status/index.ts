/**
 * The `validatingadmissionpolicy-status-controller` (upstream pkg/controller/
 * validatingadmissionpolicystatus): when a ValidatingAdmissionPolicy's generation is ahead of
 * `status.observedGeneration`, it type-checks the policy and applies
 * `status: {observedGeneration, typeChecking: {expressionWarnings}}` with server-side apply as
 * its own field manager. This server checks expressions dynamically (no per-kind schemas), so
 * the type check finds no warnings and `typeChecking` is `{}`, as upstream's for a clean policy.
 */
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import type { Client, ResourceCoordinates } from '../../../pkg/client/index.ts';
import { isNotFound } from '../../../pkg/errors/index.ts';
import type { DeepReadonly, Lister } from '../../../pkg/informer/index.ts';
import { newControllerBuilder, type ReconcileContext, type ReconcileRequest, type Reconciler, type Result } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';

export const CONTROLLER_NAME = 'validatingadmissionpolicy-status-controller';

export const VALIDATING_ADMISSION_POLICIES: ResourceCoordinates = { group: 'admissionregistration.k8s.io', version: 'v1', plural: 'validatingadmissionpolicies', namespaced: false, kind: 'ValidatingAdmissionPolicy' };

/** The status to apply, or undefined when the observed generation is current. Pure. */
export function desiredPolicyStatus(policy: DeepReadonly<ValidatingAdmissionPolicy>): Record<string, unknown> | undefined {
  const generation = policy.metadata.generation ?? 0;
  if (generation <= (policy.status?.observedGeneration ?? 0)) return undefined;
  return { observedGeneration: generation, typeChecking: {} };
}

/** Level-based: reads the cached policy, applies the status it should have; errors are retried. */
export class PolicyStatusReconciler implements Reconciler {
  constructor(private readonly deps: { client: Client; policies: Lister<ValidatingAdmissionPolicy> }) {}

  async reconcile(req: ReconcileRequest, ctx: ReconcileContext): Promise<Result | void> {
    const policy = this.deps.policies.get(req.name);
    if (!policy) return;
    const status = desiredPolicyStatus(policy);
    if (!status) return;
    const apply = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingAdmissionPolicy', metadata: { name: req.name }, status };
    try {
      await this.deps.client.resource<ValidatingAdmissionPolicy>(VALIDATING_ADMISSION_POLICIES).patch(req.name, apply, { type: 'apply', subresource: 'status', fieldManager: CONTROLLER_NAME, force: true });
      ctx.log.info({ policy: req.name, observedGeneration: status.observedGeneration }, 'policy status updated');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const validatingAdmissionPolicyStatusController: ControllerDescriptor = {
  name: CONTROLLER_NAME,
  enabledByDefault: true,
  register({ manager, settings }) {
    newControllerBuilder(manager, CONTROLLER_NAME)
      .for(VALIDATING_ADMISSION_POLICIES)
      .withMaxConcurrentReconciles(settings.concurrentSyncs[CONTROLLER_NAME] ?? 5)
      .complete(new PolicyStatusReconciler({ client: manager.client, policies: manager.lister<ValidatingAdmissionPolicy>(VALIDATING_ADMISSION_POLICIES) }));
  },
};
