/**
 * Admission plugin `ServiceAccount`, its defaulting part (upstream
 * plugin/pkg/admission/serviceaccount): a pod created without `spec.serviceAccountName` runs as
 * `default` (the deprecated `spec.serviceAccount` mirrors it). Unlike upstream, the account is
 * not required to exist yet and no token volume is added — as envtest-style control planes run
 * without the controller that creates accounts and the token issuer.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './types.ts';

export const SERVICE_ACCOUNT_PLUGIN = 'ServiceAccount';

/** Defaults the pod's service account (pure on the object). */
export function defaultServiceAccount(spec: { serviceAccountName?: string; serviceAccount?: string }): void {
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
}

export function createServiceAccountPlugin(): AdmissionPlugin {
  return {
    name: SERVICE_ACCOUNT_PLUGIN,
    async admit(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.info.group !== '' || attrs.info.kind !== 'Pod' || !attrs.object) return;
      defaultServiceAccount(((attrs.object.spec ??= {}) as { serviceAccountName?: string; serviceAccount?: string }));
    },
  };
}
