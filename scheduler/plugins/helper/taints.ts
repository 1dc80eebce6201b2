/** The scheduler's view of toleration matching: the shared pure matching (pkg/api) and a pod's tolerations. */
import type { PodObject } from '../../framework/index.ts';
import type { TolerationLike } from '../../../pkg/api/core/v1/taints.ts';

export { findUntoleratedTaint, toleratesTaint, type TaintLike, type TolerationLike } from '../../../pkg/api/core/v1/taints.ts';

export function podTolerations(pod: PodObject): readonly TolerationLike[] {
  return pod.spec?.tolerations ?? [];
}
