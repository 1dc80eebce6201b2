/**
 * The `pods/resize` update strategy (upstream 1.33 `podResizeStrategy`): of the request only
 * `resources` and `resizePolicy` of each container and init container are taken; the rest of the
 * spec, the status and the metadata (but the request's resourceVersion precondition and
 * managedFields, as `ResetObjectMetaForStatus` leaves them) stay as stored. Pure; the rules on
 * what may change are `validatePodResize` (pod-resize-validation.ts).
 */
import type { FieldError } from '../../../errors/index.ts';
import { copyJson } from '../../../util/json-copy.ts';
import type { KubeObject } from '../../meta.ts';
import type { Container } from './pod-container.ts';
import type { PodSpec } from './pod-spec.ts';

/** The subresource through which a pod's container resources are changed in place. */
export const RESIZE = 'resize';

/**
 * The stored containers (already this request's copy), each with the requested `resources` and `resizePolicy`. When the request
 * adds, removes, renames or reorders containers its list is kept as sent, so that validation
 * refuses it with upstream's message instead of the change being silently dropped.
 */
function withRequestedResources(requested: Container[] | undefined, stored: Container[] | undefined): Container[] | undefined {
  const wanted = requested ?? [];
  const current = stored ?? [];
  if (wanted.length === 0 && current.length === 0) return stored;
  if (wanted.length !== current.length || wanted.some((c, i) => c.name !== current[i]!.name)) return copyJson(requested);
  return current.map((c, i) => {
    const { resources, resizePolicy } = wanted[i]!;
    const next: Container = { ...c, resources: copyJson(resources), resizePolicy: copyJson(resizePolicy) };
    if (resources === undefined) delete next.resources;
    if (resizePolicy === undefined) delete next.resizePolicy;
    return next;
  });
}

/**
 * The pod to store for a `pods/resize` update: `stored` with the requested containers' and init
 * containers' `resources` / `resizePolicy`, and the request's resourceVersion and managedFields.
 * Never fails itself (`errors` is always empty); the resource's `validate` judges the result.
 */
export function podResizeUpdate<T extends KubeObject & { spec?: PodSpec }>(requested: T, stored: T): { object: T; errors: FieldError[] } {
  const out = copyJson(stored);
  const spec = (out.spec ??= {});
  for (const list of ['containers', 'initContainers'] as const) {
    const next = withRequestedResources(requested.spec?.[list], spec[list]);
    if (next === undefined) delete spec[list];
    else spec[list] = next;
  }
  out.metadata = { ...out.metadata, resourceVersion: requested.metadata.resourceVersion, managedFields: requested.metadata.managedFields ?? stored.metadata.managedFields };
  return { object: out, errors: [] };
}
