/**
 * The token mount of upstream's `ServiceAccount` admission plugin, in its legacy-Secret form
 * (what it did before TokenRequest, and what a Kubernetes user still gets when the account has a
 * token Secret): when the pod's account has a populated Secret of type
 * `kubernetes.io/service-account-token`, the pod gets a projected volume of that Secret plus its
 * namespace, mounted read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container and init container that mounts nothing there. Opting out with
 * `automountServiceAccountToken: false` on the pod, or on the account when the pod leaves it
 * unset, mounts nothing. Pure: the plugin reads the account and the Secrets, this decides.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';

/** Where containers find the token (upstream `DefaultAPITokenMountPath`). */
export const SERVICE_ACCOUNT_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const NAME_ANNOTATION = 'kubernetes.io/service-account.name';
const UID_ANNOTATION = 'kubernetes.io/service-account.uid';

interface Mount {
  name: string;
  mountPath?: string;
  readOnly?: boolean;
}
interface ContainerLike {
  volumeMounts?: Mount[];
}
interface PodSpecLike {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string } & Record<string, unknown>>;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}
type SecretLike = KubeObject & { type?: string; data?: Record<string, string> };
type AccountLike = KubeObject & { automountServiceAccountToken?: boolean; secrets?: Array<{ name?: string }> };

/** Whether `secret` is a populated token of `account` (type, name annotation, uid when both have one, non-empty token). */
export function isAccountToken(secret: SecretLike, accountName: string, account: AccountLike | undefined): boolean {
  const annotations = secret.metadata.annotations ?? {};
  if (secret.type !== SERVICE_ACCOUNT_TOKEN_SECRET_TYPE || annotations[NAME_ANNOTATION] !== accountName || !secret.data?.token) return false;
  const uid = annotations[UID_ANNOTATION];
  return !uid || !account?.metadata.uid || uid === account.metadata.uid;
}

/**
 * Adds the token volume and mounts to `spec` in place (see the module contract); returns the
 * Secret used, or undefined when nothing was added.
 */
export function mountServiceAccountToken(spec: PodSpecLike, account: AccountLike | undefined, secrets: readonly SecretLike[]): string | undefined {
  const accountName = spec.serviceAccountName || 'default';
  if (spec.automountServiceAccountToken === false || (spec.automountServiceAccountToken === undefined && account?.automountServiceAccountToken === false)) return undefined;
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const needing = containers.filter((c) => !(c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_TOKEN_MOUNT_PATH));
  if (needing.length === 0) return undefined;
  const listed = new Set((account?.secrets ?? []).map((s) => s.name));
  const tokens = secrets.filter((s) => isAccountToken(s, accountName, account)).sort((a, b) => Number(listed.has(b.metadata.name)) - Number(listed.has(a.metadata.name)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const secret = tokens[0];
  if (!secret) return undefined;
  const secretName = secret.metadata.name as string;
  const taken = new Set((spec.volumes ?? []).map((v) => v.name));
  let volumeName = secretName;
  for (let i = 1; taken.has(volumeName); i++) volumeName = `${secretName}-${i}`;
  const sources: unknown[] = [{ secret: { name: secretName } }];
  if (!secret.data?.namespace) sources.push({ downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } });
  spec.volumes = [...(spec.volumes ?? []), { name: volumeName, projected: { sources, defaultMode: 0o644 } }];
  for (const c of needing) c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH }];
  return secretName;
}
