/**
 * The writes that bring an Endpoints object's mirrored slices to the desired state (upstream
 * `reconcileByPortMapping`, `finalize` and `recycleSlices`). Pure.
 */
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { EndpointSlice } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';
import { copyJson } from '../../../pkg/util/json-copy.ts';
import { semanticJson } from '../../../pkg/util/semantic-json.ts';
import { sliceKey, type DesiredSlice } from './desired.ts';
import { mirroredSliceMetadata, sliceGenerateName, sliceMetadataMatches } from './slice-metadata.ts';

type Slice = DeepReadonly<EndpointSlice>;

/** Slices to create (with `generateName`), to update (full objects, resourceVersion kept) and to delete. */
export interface SliceChanges {
  readonly create: EndpointSlice[];
  readonly update: EndpointSlice[];
  readonly delete: Slice[];
}

/** Same endpoints regardless of order (upstream compares them as a set). */
function sameEndpoints(slice: Slice, desired: DesiredSlice): boolean {
  const have = (slice.endpoints ?? []).map(semanticJson).sort();
  const want = desired.endpoints.map(semanticJson).sort();
  return have.length === want.length && have.every((e, i) => e === want[i]);
}

function content(desired: DesiredSlice): Pick<EndpointSlice, 'addressType' | 'endpoints' | 'ports'> {
  return { addressType: desired.addressType, endpoints: copyJson([...desired.endpoints]), ports: copyJson([...desired.ports]) };
}

function newSlice(endpoints: DeepReadonly<Endpoints>, desired: DesiredSlice): EndpointSlice {
  const meta = mirroredSliceMetadata(endpoints);
  return { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { generateName: sliceGenerateName(endpoints.metadata.name as string), namespace: endpoints.metadata.namespace, ...meta }, ...content(desired) } as EndpointSlice;
}

function rewrittenSlice(endpoints: DeepReadonly<Endpoints>, existing: Slice, desired: DesiredSlice): EndpointSlice {
  const copy = copyJson(existing) as EndpointSlice;
  return { ...copy, metadata: { ...copy.metadata, ...mirroredSliceMetadata(endpoints) }, ...content(desired) };
}

/**
 * Per desired slice (matched to existing ones by address type and port set): none existing →
 * create; otherwise keep the first, rewrite it when its endpoints, labels or annotations differ,
 * and delete the others. Existing slices whose key is no longer desired are deleted. A create
 * and a delete of the same address type become one update of the slice that would be deleted.
 * `existing` must be in a stable order (the first of a key is the one kept).
 */
export function planSliceChanges(endpoints: DeepReadonly<Endpoints>, desired: readonly DesiredSlice[], existing: readonly Slice[]): SliceChanges {
  const existingByKey = new Map<string, Slice[]>();
  for (const slice of existing) {
    const key = sliceKey(slice.addressType, slice.ports ?? []);
    existingByKey.set(key, [...(existingByKey.get(key) ?? []), slice]);
  }
  const create: Array<{ desired: DesiredSlice; slice: EndpointSlice }> = [];
  const update: EndpointSlice[] = [];
  const remove: Slice[] = [];
  for (const want of desired) {
    const [first, ...rest] = existingByKey.get(want.key) ?? [];
    existingByKey.delete(want.key);
    remove.push(...rest);
    if (!first) create.push({ desired: want, slice: newSlice(endpoints, want) });
    else if (!sameEndpoints(first, want) || !sliceMetadataMatches(endpoints, first)) update.push(rewrittenSlice(endpoints, first, want));
  }
  for (const slices of existingByKey.values()) remove.push(...slices);

  // Recycle: reuse a slice about to be deleted for a create of the same address type.
  const stillCreate: EndpointSlice[] = [];
  for (const { desired: want, slice } of create) {
    const reusable = remove.findIndex((s) => s.addressType === want.addressType);
    if (reusable < 0) {
      stillCreate.push(slice);
      continue;
    }
    const [recycled] = remove.splice(reusable, 1);
    update.push(rewrittenSlice(endpoints, recycled, want));
  }
  return { create: stillCreate, update, delete: remove };
}
