/**
 * `runAsNonRoot` (upstream kuberuntime's verifyRunAsNonRoot): a container that asks not to run as
 * root may not start when its user is 0, or would be 0, or cannot be told. The user is the
 * effective `runAsUser` (the container's, else the pod's); without one, the image's — its numeric
 * user, else its user name (which cannot be checked), else root, as an image without a USER runs.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { ImageUser } from '../runtime/types.ts';

/** Whether the container asks not to run as root (its own setting, else the pod's). Pure. */
export function wantsNonRoot(pod: Pod, container: Container): boolean {
  return (container.securityContext?.runAsNonRoot ?? pod.spec?.securityContext?.runAsNonRoot) === true;
}

/** The runAsUser in effect for the container, if any. Pure. */
function effectiveRunAsUser(pod: Pod, container: Container): number | undefined {
  return container.securityContext?.runAsUser ?? pod.spec?.securityContext?.runAsUser;
}

/** Why the container may not start under runAsNonRoot (upstream's text), or undefined. Pure. */
export function runAsNonRootViolation(pod: Pod, container: Container, image: ImageUser): string | undefined {
  if (!wantsNonRoot(pod, container)) return undefined;
  const who = `(pod: "${pod.metadata.name}_${pod.metadata.namespace ?? 'default'}(${pod.metadata.uid ?? ''})", container: ${container.name})`;
  const runAsUser = effectiveRunAsUser(pod, container);
  if (runAsUser !== undefined) return runAsUser === 0 ? `container's runAsUser breaks non-root policy ${who}` : undefined;
  if (image.uid !== undefined) return image.uid === 0 ? `container has runAsNonRoot and image will run as root ${who}` : undefined;
  if (image.username) return `container has runAsNonRoot and image has non-numeric user (${image.username}), cannot verify user is non-root ${who}`;
  return `container has runAsNonRoot and image will run as root ${who}`;
}
