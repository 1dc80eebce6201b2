/**
 * storage.k8s.io/v1 CSINode (cluster-scoped, named after its Node and owned by it): the CSI
 * drivers registered on one node — the driver's own ID for the node, the topology keys it
 * reports, and how many of its volumes the node can hold. The kubelet creates it, with no
 * drivers, when it registers its node; node-driver-registrar fills the list in.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { deepEqual, validateQualifiedNameField } from '../../validation/common-rules.ts';
import { child, duplicate, index, invalidValue, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { goPointers, goSlice, invalidGo, validateCSIDriverNameField } from './csi-rules.ts';

export const CSINodeDriverSchema = z.object({
  name: z.string().default(''),
  nodeID: z.string().default(''),
  topologyKeys: z.array(z.string()).optional(),
  allocatable: z.object({ count: z.number().int().optional() }).optional(),
});
export type CSINodeDriver = z.infer<typeof CSINodeDriverSchema>;

export const CSINodeSchema = kubeObject({ spec: z.object({ drivers: z.array(CSINodeDriverSchema).optional() }).default({}) });
export type CSINode = z.infer<typeof CSINodeSchema>;

/** Upstream csiNodeIDLongerMaxLength: the limit since 1.22 (AllowLongNodeID is always on). */
const NODE_ID_MAX_LENGTH = 256;

/** `drivers` has no omitempty upstream: an object always carries the list. */
export function applyCSINodeDefaults(node: CSINode): void {
  node.spec ??= {};
  node.spec.drivers ??= [];
}

function validateDriver(driver: CSINodeDriver, seen: Set<string>, path: string): FieldError[] {
  const errs = validateCSIDriverNameField(child(path, 'name'), driver.name);
  if (!driver.nodeID) errs.push(required(child(path, 'nodeID')));
  if (driver.nodeID.length > NODE_ID_MAX_LENGTH) errs.push(invalidValue(child(path, 'nodeID'), driver.nodeID, `must be ${NODE_ID_MAX_LENGTH} characters or less`));
  const count = driver.allocatable?.count;
  if (count !== undefined && count < 0) errs.push(invalidValue(child(child(path, 'allocatable'), 'count'), count, 'must be greater than or equal to 0'));
  if (seen.has(driver.name)) errs.push(duplicate(child(path, 'name'), driver.name));
  seen.add(driver.name);
  const keys = new Set<string>();
  for (const key of driver.topologyKeys ?? []) {
    if (!key) errs.push(required(path));
    if (keys.has(key)) errs.push(duplicate(path, key));
    keys.add(key);
    errs.push(...validateQualifiedNameField(path, key));
  }
  return errs;
}

/** Go `%#v` of the internal storage.CSINodeDriver, as ValidateImmutableField prints it. */
export function goCSINodeDriver(driver: CSINodeDriver): string {
  const ptr = goPointers();
  return `storage.CSINodeDriver{Name:${JSON.stringify(driver.name)}, NodeID:${JSON.stringify(driver.nodeID)}, TopologyKeys:${goSlice('string', driver.topologyKeys)}, Allocatable:${ptr('storage.VolumeNodeResources', driver.allocatable !== undefined)}}`;
}

/** Upstream ValidateCSINode, plus ValidateCSINodeUpdate (a registered driver's entry never changes). Pure. */
export function validateCSINode(node: CSINode, old?: CSINode): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false });
  const seen = new Set<string>();
  (node.spec?.drivers ?? []).forEach((driver, i) => errs.push(...validateDriver(driver, seen, index('spec.drivers', i))));
  for (const oldDriver of old?.spec?.drivers ?? []) {
    for (const driver of node.spec?.drivers ?? []) {
      if (driver.name === oldDriver.name && !deepEqual(driver, oldDriver)) errs.push(invalidGo('spec.drivers', goCSINodeDriver(driver), 'field is immutable'));
    }
  }
  return errs;
}

export const csiNodeResource = defineResource<CSINode>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSINode',
  plural: 'csinodes',
  singular: 'csinode',
  namespaced: false,
  schema: CSINodeSchema,
  patchMeta: { 'spec.drivers': { strategy: 'merge', mergeKey: 'name' } },
  applyDefaults: applyCSINodeDefaults,
  validate: validateCSINode,
});
