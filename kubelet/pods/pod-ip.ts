/**
 * The IP a pod has for the kubelet — its status, probes, lifecycle hooks, `status.podIP` in env
 * and downward-API volumes, the managed hosts file: a host-network pod inherits the node's IP
 * (upstream `generateAPIPodStatus`: "HostNetwork Pods inherit the node IPs as PodIPs", and the
 * kubelet's SyncPod hands that IP on to the runtime manager); any other pod has its sandbox's.
 */
import type { Pod } from '../../pkg/api/core/v1/pod.ts';

/** `hostIP` for a host-network pod, else `sandboxIP`; '' while unknown. */
export function podIPOf(pod: Pod, sandboxIP: string | undefined, hostIP: string): string {
  return pod.spec?.hostNetwork ? hostIP : (sandboxIP ?? '');
}
