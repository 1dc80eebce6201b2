/**
 * AppArmor on the node, as upstream's kubelet (Kubernetes 1.33, pkg/security/apparmor and
 * kuberuntime): which profile a container gets — its own field, else its deprecated annotation
 * (static pods may not have had it synced to the field), else the pod's field —, how it goes to
 * the runtime (the CRI `apparmor` SecurityProfile plus the deprecated `apparmor_profile` string
 * older runtimes read), and the admission check that refuses a pending pod which asks for
 * AppArmor on a host without it (`Cannot enforce AppArmor: AppArmor is not enabled on the host`)
 * instead of running it unconfined. Pure.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import { allPodContainers } from '../../pkg/api/core/v1/pod-spec.ts';
import { APPARMOR_CONTAINER_PREFIX, APPARMOR_LOCALHOST_PREFIX, APPARMOR_RUNTIME_DEFAULT, APPARMOR_UNCONFINED, appArmorProfileForAnnotation, type AppArmorProfile } from '../../pkg/api/core/v1/pod-apparmor.ts';
import type { AdmitResult } from '../eviction/admission.ts';
import type { SecurityProfile } from '../cri/types.ts';

/** Upstream's admission reason for a pod whose AppArmor profile cannot be enforced. */
export const APPARMOR_NOT_ADMITTED_REASON = 'AppArmor';

/**
 * A deprecated annotation's profile (upstream getProfileFromPodAnnotations): the API's conversion,
 * except that `localhost/` alone names an empty profile, which admission then refuses.
 */
function profileFromAnnotation(value: string | undefined): AppArmorProfile | undefined {
  if (value === undefined) return undefined;
  return value === APPARMOR_LOCALHOST_PREFIX ? { type: 'Localhost', localhostProfile: '' } : appArmorProfileForAnnotation(value);
}

/** The profile a container runs with (upstream GetProfile); undefined = the runtime's choice. */
export function appArmorProfileOf(pod: Pod, container: Pick<Container, 'name' | 'securityContext'>): AppArmorProfile | undefined {
  return container.securityContext?.appArmorProfile
    ?? profileFromAnnotation(pod.metadata.annotations?.[APPARMOR_CONTAINER_PREFIX + (container.name ?? '')])
    ?? pod.spec?.securityContext?.appArmorProfile;
}

/** The CRI fields for a container's profile (none when it has none: the runtime applies its default). */
export function appArmorCriFields(profile: AppArmorProfile | undefined): { apparmor?: SecurityProfile; apparmorProfile?: string } {
  switch (profile?.type) {
    case 'RuntimeDefault':
      return { apparmor: { profileType: 'RuntimeDefault' }, apparmorProfile: APPARMOR_RUNTIME_DEFAULT };
    case 'Unconfined':
      return { apparmor: { profileType: 'Unconfined' }, apparmorProfile: APPARMOR_UNCONFINED };
    case 'Localhost':
      return { apparmor: { profileType: 'Localhost', localhostRef: profile.localhostProfile ?? '' }, apparmorProfile: APPARMOR_LOCALHOST_PREFIX + (profile.localhostProfile ?? '') };
    default:
      return {};
  }
}

/** Does the pod ask for AppArmor enforcement anywhere (upstream isRequired: a profile other than Unconfined)? */
export function appArmorRequired(pod: Pod): boolean {
  const enforced = (p: AppArmorProfile | undefined) => p !== undefined && p.type !== 'Unconfined';
  if (enforced(pod.spec?.securityContext?.appArmorProfile)) return true;
  if (allPodContainers(pod.spec).some((c) => enforced(c.securityContext?.appArmorProfile))) return true;
  // Upstream looks at the first AppArmor annotation it meets.
  const annotation = Object.entries(pod.metadata.annotations ?? {}).find(([key]) => key.startsWith(APPARMOR_CONTAINER_PREFIX));
  return annotation !== undefined && annotation[1] !== APPARMOR_UNCONFINED;
}

/**
 * Upstream's AppArmor admit handler: a pending pod that asks for AppArmor is refused on a host
 * without it, and one whose Localhost profile has no name anywhere.
 */
export function admitAppArmor(pod: Pod, hostEnabled: boolean): AdmitResult {
  if ((pod.status?.phase ?? 'Pending') !== 'Pending' || !appArmorRequired(pod)) return { admit: true };
  const refuse = (why: string): AdmitResult => ({ admit: false, reason: APPARMOR_NOT_ADMITTED_REASON, message: `Cannot enforce AppArmor: ${why}` });
  if (!hostEnabled) return refuse('AppArmor is not enabled on the host');
  for (const container of allPodContainers(pod.spec)) {
    const profile = appArmorProfileOf(pod, container);
    if (profile?.type === 'Localhost' && !profile.localhostProfile?.trim()) return refuse(`invalid empty AppArmor profile name for container "${container.name}"`);
  }
  return { admit: true };
}
