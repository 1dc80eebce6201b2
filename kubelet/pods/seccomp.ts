/**
 * A pod's or container's `seccompProfile` as the CRI SecurityProfile containerd applies (upstream
 * kuberuntime's getSeccompProfile): the container's own profile, else the pod's, else
 * `Unconfined` (upstream's default while `--seccomp-default` is off). A `Localhost` profile is a
 * file under `<root-dir>/seccomp` (upstream's seccomp profile root).
 */
import { join } from 'node:path';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { SecurityProfile } from '../cri/types.ts';

/** The profile for the sandbox (`container` undefined) or one container. Pure. */
export function seccompProfileFor(pod: Pod, container: Container | undefined, rootDir: string): SecurityProfile {
  const profile = container?.securityContext?.seccompProfile ?? pod.spec?.securityContext?.seccompProfile;
  switch (profile?.type) {
    case 'RuntimeDefault':
      return { profileType: 'RuntimeDefault' };
    case 'Localhost':
      return { profileType: 'Localhost', localhostRef: join(rootDir, 'seccomp', profile.localhostProfile ?? '') };
    default:
      return { profileType: 'Unconfined' };
  }
}
