/**
 * Admission plugin `ServiceAccount`, its defaulting part (upstream
 * plugin/pkg/admission/serviceaccount): a pod created without `spec.serviceAccountName` runs as
 * `default` (the deprecated `spec.serviceAccount` mirrors it), and unless the pod or its account
 * opts out, the `kube-api-access-*` projected token volume is mounted (`service-account-token.ts`;
 * the kubelet fills it through TokenRequest). Unlike upstream, the account is not required to
 * exist — as envtest-style control planes run without the controller that creates accounts.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { mountServiceAccountToken, type AccountLike, type PodSpecLike } from './service-account-token.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const SERVICE_ACCOUNT_PLUGIN = 'ServiceAccount';

/** Defaults the pod's service account (pure on the object). */
export function defaultServiceAccount(spec: { serviceAccountName?: string; serviceAccount?: string }): void {
  const name = spec.serviceAccountName || spec.serviceAccount || 'default';
  spec.serviceAccountName = name;
  spec.serviceAccount = name;
}

const SERVICE_ACCOUNTS = { group: '', plural: 'serviceaccounts', namespaced: true } as const;
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export function createServiceAccountPlugin(ctx: AdmissionContext): AdmissionPlugin {
  return {
    name: SERVICE_ACCOUNT_PLUGIN,
    admit(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.info.group !== '' || attrs.info.kind !== 'Pod' || !attrs.object) return;
      return admitPodCreate(ctx, attrs, attrs.object);
    },
  };
}

async function admitPodCreate(ctx: AdmissionContext, attrs: AdmissionAttributes, pod: KubeObject): Promise<void> {
  const spec = (pod.spec ??= {}) as PodSpecLike & { serviceAccountName?: string; serviceAccount?: string };
  defaultServiceAccount(spec);
  // Mirror pods of static pods never get API credentials (upstream skips them too).
  const namespace = attrs.namespace;
  if (!namespace || spec.automountServiceAccountToken === false || pod.metadata.annotations?.[MIRROR_ANNOTATION] !== undefined) return;
  const account = await ctx.storage.get(ctx.keyFor(SERVICE_ACCOUNTS, namespace, spec.serviceAccountName ?? 'default'));
  mountServiceAccountToken(spec, account as AccountLike | undefined);
}
