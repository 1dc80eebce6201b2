/**
 * The legacy service-account token mount (what upstream's `ServiceAccount` admission plugin
 * added before TokenRequest, and still does for accounts with a token Secret), decided on the
 * node: when the pod's account has a populated Secret of type
 * `kubernetes.io/service-account-token`, every container (init containers included) that does
 * not already mount something at {@link SERVICE_ACCOUNT_TOKEN_MOUNT_PATH} gets a read-only mount
 * there holding `token`, `ca.crt` and `namespace`. Opting out with
 * `automountServiceAccountToken: false` on the pod, or on the account when the pod leaves it
 * unset, mounts nothing; so does an account without such a Secret. Pure.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import type { ServiceAccount } from '../../pkg/api/core/v1/serviceaccount.ts';
import type { Mount } from '../cri/types.ts';
import type { VolumeFile, VolumePlan } from './content.ts';

/** Where containers find the token (upstream `DefaultAPITokenMountPath`). */
export const SERVICE_ACCOUNT_TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
/** The Secret type of legacy account tokens. */
export const SERVICE_ACCOUNT_TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
/** Annotation naming the account a token Secret belongs to. */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = 'kubernetes.io/service-account.name';
/** Annotation holding the uid of that account (checked when both sides have one). */
export const SERVICE_ACCOUNT_UID_ANNOTATION = 'kubernetes.io/service-account.uid';

const FILE_MODE = 0o644;

/** What to set up and mount for the pod's account token. */
export interface ServiceAccountTokenPlan {
  /** A secret-plugin file volume with `token`, optionally `ca.crt`, and `namespace`. */
  volume: Extract<VolumePlan, { kind: 'files' }>;
  /** The Secret the token came from. */
  secretName: string;
  /** Names of the containers and init containers that get the mount. */
  containers: string[];
}

/** The pod's account name as admission defaults it. */
function accountName(pod: Pod): string {
  return pod.spec?.serviceAccountName || pod.spec?.serviceAccount || 'default';
}

/**
 * Whether `secret` is a token of the account `name` (upstream `IsServiceAccountToken`): the
 * type, the name annotation, and the uid annotation when the Secret and the account both have one.
 */
export function isServiceAccountToken(secret: Secret, name: string, account: ServiceAccount | undefined): boolean {
  if (secret.type !== SERVICE_ACCOUNT_TOKEN_SECRET_TYPE) return false;
  const annotations = secret.metadata.annotations ?? {};
  if (annotations[SERVICE_ACCOUNT_NAME_ANNOTATION] !== name) return false;
  const uid = annotations[SERVICE_ACCOUNT_UID_ANNOTATION];
  return !uid || !account?.metadata.uid || uid === account.metadata.uid;
}

function decoded(secret: Secret, key: string): Buffer | undefined {
  const value = secret.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64');
}

/** The account's populated token Secret: those the account lists first (in order), then by name. */
function chooseToken(name: string, account: ServiceAccount | undefined, secrets: readonly Secret[]): Secret | undefined {
  const usable = secrets.filter((s) => isServiceAccountToken(s, name, account) && (decoded(s, 'token')?.length ?? 0) > 0);
  const listed = (account?.secrets ?? []).map((ref) => ref.name);
  const rank = (s: Secret) => {
    const i = listed.indexOf(s.metadata.name);
    return i < 0 ? listed.length : i;
  };
  return usable.sort((a, b) => rank(a) - rank(b) || String(a.metadata.name).localeCompare(String(b.metadata.name)))[0];
}

function mountsTokenPath(container: Container): boolean {
  return (container.volumeMounts ?? []).some((m) => m.mountPath === SERVICE_ACCOUNT_TOKEN_MOUNT_PATH);
}

/** A volume name not used by the pod: the Secret's name, suffixed if taken. */
function freeVolumeName(pod: Pod, base: string): string {
  const taken = new Set((pod.spec?.volumes ?? []).map((v) => v.name));
  let name = base;
  for (let i = 1; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/**
 * Decides the token mount for `pod`, given its ServiceAccount (undefined when it does not
 * exist) and the candidate Secrets of the pod's namespace. Undefined means mount nothing.
 */
export function planServiceAccountToken(pod: Pod, account: ServiceAccount | undefined, secrets: readonly Secret[]): ServiceAccountTokenPlan | undefined {
  const automount = pod.spec?.automountServiceAccountToken ?? account?.automountServiceAccountToken;
  if (automount === false) return undefined;
  const name = accountName(pod);
  const namespace = pod.metadata.namespace ?? 'default';
  const all = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  const containers = all.filter((c) => !mountsTokenPath(c)).map((c) => c.name ?? '');
  if (!containers.length) return undefined;
  const secret = chooseToken(name, account, secrets.filter((s) => (s.metadata.namespace ?? namespace) === namespace));
  if (!secret) return undefined;
  const files: VolumeFile[] = [{ path: 'token', content: decoded(secret, 'token') as Buffer, mode: FILE_MODE }];
  const ca = decoded(secret, 'ca.crt');
  if (ca) files.push({ path: 'ca.crt', content: ca, mode: FILE_MODE });
  files.push({ path: 'namespace', content: decoded(secret, 'namespace') ?? Buffer.from(namespace), mode: FILE_MODE });
  const secretName = secret.metadata.name as string;
  return { volume: { kind: 'files', name: freeVolumeName(pod, secretName), plugin: 'secret', files }, secretName, containers };
}

/**
 * The CRI mount `container` gets from `plan` (read-only, private propagation), or undefined
 * when it gets none. `volumeDirs` maps volume name → host path, as set up by the volume manager.
 */
export function serviceAccountTokenMount(plan: ServiceAccountTokenPlan | undefined, container: Container, volumeDirs: ReadonlyMap<string, string>): Mount | undefined {
  if (!plan || !plan.containers.includes(container.name ?? '')) return undefined;
  const hostPath = volumeDirs.get(plan.volume.name);
  if (hostPath === undefined) return undefined;
  return { containerPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH, hostPath, readonly: true, propagation: 'PROPAGATION_PRIVATE' };
}
