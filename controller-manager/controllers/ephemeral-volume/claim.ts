/**
 * Generic ephemeral volumes, pure (upstream component-helpers storage/ephemeral and
 * pkg/controller/volume/ephemeral): the claim `<pod>-<volume>` built from the volume's
 * `volumeClaimTemplate` (its labels, annotations and spec) with the pod as controller, and the
 * check that an existing claim of that name really belongs to the pod.
 */
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Volume } from '../../../pkg/api/core/v1/pod-volume.ts';
import type { PersistentVolumeClaim } from '../../../pkg/api/core/v1/persistentvolumeclaim.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { controllerRefOf } from '../../../pkg/runtime/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { ephemeralClaimName } from '../../../pkg/volume/pod-claims.ts';

type P = Pod | DeepReadonly<Pod>;
type V = Volume | DeepReadonly<Volume>;

/** The claim the ephemeral volume asks for. */
export function ephemeralClaim(pod: P, volume: V): PersistentVolumeClaim {
  const template = copyJson((volume.ephemeral?.volumeClaimTemplate ?? {}) as NonNullable<NonNullable<Volume['ephemeral']>['volumeClaimTemplate']>);
  const meta = (template.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: ephemeralClaimName(pod, volume),
      namespace: pod.metadata.namespace,
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name as string, uid: pod.metadata.uid as string, controller: true, blockOwnerDeletion: true }],
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.labels ? { labels: meta.labels } : {}),
    },
    spec: template.spec,
  } as PersistentVolumeClaim;
}
