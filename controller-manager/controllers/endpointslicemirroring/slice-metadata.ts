/**
 * The metadata a mirrored slice carries (upstream `newEndpointSlice`) and whether an existing
 * slice still carries it. Pure.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { OwnerReference } from '../../../pkg/api/meta.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { newControllerRef } from '../../../pkg/runtime/index.ts';
import { semanticEqual } from '../../../pkg/util/semantic-json.ts';
import { ANNOTATIONS_NOT_MIRRORED, LABEL_MANAGED_BY, LABEL_SERVICE_NAME, MIRRORING_CONTROLLER_NAME } from './well-known.ts';

/** Labels, annotations and owner of a mirrored slice. */
export interface MirroredSliceMetadata {
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  readonly ownerReferences: OwnerReference[];
}

const MAX_NAME_LENGTH = 253;

/** `generateName` of new slices: `<endpoints>-`, or the bare name when the dash would not fit. */
export function sliceGenerateName(endpointsName: string): string {
  return endpointsName.length < MAX_NAME_LENGTH ? `${endpointsName}-` : endpointsName;
}

function withoutKeys(map: Readonly<Record<string, string>> | undefined, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !keys.includes(k)));
}

/**
 * Every label of the Endpoints plus `kubernetes.io/service-name: <name>` and
 * `endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io`; every
 * annotation but the last-change trigger time and kubectl's last-applied configuration; the
 * Endpoints as controller owner.
 */
export function mirroredSliceMetadata(endpoints: DeepReadonly<Endpoints>): MirroredSliceMetadata {
  return {
    labels: { ...endpoints.metadata.labels, [LABEL_SERVICE_NAME]: endpoints.metadata.name as string, [LABEL_MANAGED_BY]: MIRRORING_CONTROLLER_NAME },
    annotations: withoutKeys(endpoints.metadata.annotations, ANNOTATIONS_NOT_MIRRORED),
    ownerReferences: [newControllerRef(endpoints, { apiVersion: 'v1', kind: 'Endpoints' })],
  };
}

/**
 * Whether an existing slice's labels and annotations are what the Endpoints gives it (upstream
 * compares these, not owner references). Missing and empty maps are equal.
 */
export function sliceMetadataMatches(endpoints: DeepReadonly<Endpoints>, slice: DeepReadonly<EndpointSlice>): boolean {
  const want = mirroredSliceMetadata(endpoints);
  return semanticEqual(want.labels, slice.metadata.labels ?? {}) && semanticEqual(want.annotations, slice.metadata.annotations ?? {});
}
