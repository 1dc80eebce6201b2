/**
 * The token mount of upstream's `ServiceAccount` admission plugin (Kubernetes ≥ 1.22, bound
 * service account token volumes): unless the pod opts out, every container and init container
 * that mounts nothing at /var/run/secrets/kubernetes.io/serviceaccount gets a read-only mount of
 * a projected volume `kube-api-access-<5 random chars>` holding a TokenRequest token (`token`),
 * the cluster CA from the `kube-root-ca.crt` ConfigMap (`ca.crt`) and the pod's `namespace`.
 * Opting out is `automountServiceAccountToken: false` on the pod, or on the account when the
 * pod leaves it unset. No token Secret is involved (upstream removed the legacy Secret mount).
 * Pure apart from the name's randomness, which the caller may inject.
 */
import { generateName } from '../strategies/generate-name.ts';

/** Where containers find the token (upstream `DefaultAPITokenMountPath`). */
export const SERVICE_ACCOUNT_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The volume's name prefix (upstream `ServiceAccountVolumeName`). */
export const SERVICE_ACCOUNT_VOLUME_NAME = 'kube-api-access';
/** The ConfigMap holding the cluster CA in every namespace (root-ca-cert-publisher). */
export const ROOT_CA_CONFIG_MAP = 'kube-root-ca.crt';
/** Upstream `WarnOnlyBoundTokenExpirationSeconds`: one hour and seven seconds. */
export const BOUND_TOKEN_EXPIRATION_SECONDS = 3607;

interface Mount {
  name: string;
  mountPath?: string;
  readOnly?: boolean;
}
interface ContainerLike {
  volumeMounts?: Mount[];
}
/** The parts of a pod spec the token mount reads and writes. */
export interface PodSpecLike {
  automountServiceAccountToken?: boolean;
  volumes?: Array<{ name: string } & Record<string, unknown>>;
  containers?: ContainerLike[];
  initContainers?: ContainerLike[];
}
/** The part of a ServiceAccount the token mount reads. */
export interface AccountLike {
  automountServiceAccountToken?: boolean;
}

/** Upstream `TokenVolumeSource()`: the projected source of the token volume. Pure. */
export function tokenVolumeSource(): Record<string, unknown> {
  return {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: BOUND_TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  };
}

/** Upstream `shouldAutomount`: the pod's setting, else the account's, else true. Pure. */
export function shouldAutomount(spec: Pick<PodSpecLike, 'automountServiceAccountToken'>, account: AccountLike | undefined): boolean {
  return spec.automountServiceAccountToken ?? account?.automountServiceAccountToken ?? true;
}

/**
 * Adds the token volume and mounts to `spec` in place (see the module contract); returns the
 * volume's name, or undefined when nothing was mounted. A volume already named
 * `kube-api-access-*` is reused, as upstream does (e.g. a pod created from another pod's spec).
 */
export function mountServiceAccountToken(spec: PodSpecLike, account: AccountLike | undefined, newName: (base: string) => string = generateName): string | undefined {
  if (!shouldAutomount(spec, account)) return undefined;
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(`${SERVICE_ACCOUNT_VOLUME_NAME}-`));
  const volumeName = existing?.name ?? newName(`${SERVICE_ACCOUNT_VOLUME_NAME}-`);
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_TOKEN_MOUNT_PATH)) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH }];
    needed = true;
  }
  if (!needed) return undefined;
  if (!existing) spec.volumes = [...(spec.volumes ?? []), { name: volumeName, projected: tokenVolumeSource() }];
  return volumeName;
}
