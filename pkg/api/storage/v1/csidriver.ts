/**
 * storage.k8s.io/v1 CSIDriver (cluster-scoped): how Kubernetes talks to one installed CSI volume
 * driver — whether volumes need a VolumeAttachment (`attachRequired`), which pod details reach
 * NodePublishVolume, which volume lifecycles it serves, whether it publishes CSIStorageCapacity.
 * Named after the driver (`nfs.csi.k8s.io`). Upstream defaults every flag; `attachRequired` and
 * `volumeLifecycleModes` never change after creation.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { defineResource } from '../../core/v1/common.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { child, duplicate, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { goSlice, invalidGo } from './csi-rules.ts';

export const CSIDriverSpecSchema = z.object({
  attachRequired: z.boolean().optional(),
  podInfoOnMount: z.boolean().optional(),
  volumeLifecycleModes: z.array(z.string()).optional(),
  storageCapacity: z.boolean().optional(),
  fsGroupPolicy: z.string().optional(),
  tokenRequests: z.array(z.object({ audience: z.string().default(''), expirationSeconds: z.number().int().optional() })).optional(),
  requiresRepublish: z.boolean().optional(),
  seLinuxMount: z.boolean().optional(),
  /** Behind the MutableCSINodeAllocatableCount gate (alpha, off in 1.33): accepted, then dropped. */
  nodeAllocatableUpdatePeriodSeconds: z.number().int().optional(),
});

export const CSIDriverSchema = kubeObject({ spec: CSIDriverSpecSchema.default({}) });
export type CSIDriver = z.infer<typeof CSIDriverSchema>;
type Spec = CSIDriver['spec'];

/** FSGroupPolicy values, sorted as upstream lists them in messages. */
export const FS_GROUP_POLICIES = ['File', 'None', 'ReadWriteOnceWithFSType'] as const;
/** VolumeLifecycleMode values, in upstream's message order. */
export const VOLUME_LIFECYCLE_MODES = ['Persistent', 'Ephemeral'] as const;
const MIN_TOKEN_SECONDS = 600;
const MAX_TOKEN_SECONDS = 2 ** 32;

/** Upstream SetDefaults_CSIDriver (SELinuxMountReadWriteOncePod is on in 1.33, so seLinuxMount defaults too). */
export function applyCSIDriverDefaults(driver: CSIDriver): void {
  const spec = (driver.spec ??= {});
  spec.attachRequired ??= true;
  spec.podInfoOnMount ??= false;
  spec.storageCapacity ??= false;
  spec.fsGroupPolicy ??= 'ReadWriteOnceWithFSType';
  if (!spec.volumeLifecycleModes?.length) spec.volumeLifecycleModes = ['Persistent'];
  spec.requiresRepublish ??= false;
  spec.seLinuxMount ??= false;
}

/** Strategy PrepareForCreate/Update: fields of disabled gates are dropped unless the stored object has them. */
function dropDisabledFields(driver: CSIDriver, old?: CSIDriver): void {
  if (old?.spec?.nodeAllocatableUpdatePeriodSeconds === undefined) delete driver.spec.nodeAllocatableUpdatePeriodSeconds;
}

function validateTokenRequests(requests: Spec['tokenRequests'], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, request] of (requests ?? []).entries()) {
    const p = index(path, i);
    if (seen.has(request.audience)) {
      errs.push(duplicate(child(p, 'audience'), request.audience));
      continue;
    }
    seen.add(request.audience);
    const seconds = request.expirationSeconds;
    if (seconds === undefined) continue;
    if (seconds < MIN_TOKEN_SECONDS) errs.push(invalidValue(child(p, 'expirationSeconds'), seconds, 'may not specify a duration less than 10 minutes'));
    if (seconds > MAX_TOKEN_SECONDS) errs.push(invalidValue(child(p, 'expirationSeconds'), seconds, 'may not specify a duration larger than 2^32 seconds'));
  }
  return errs;
}

/** validateCSIDriverSpec, with upstream's paths (the attach flag is reported as `attachedRequired`). */
function validateSpec(spec: Spec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.attachRequired === undefined) errs.push(required('spec.attachedRequired'));
  if (spec.podInfoOnMount === undefined) errs.push(required('spec.podInfoOnMount'));
  if (spec.storageCapacity === undefined) errs.push(required('spec.storageCapacity'));
  if (spec.fsGroupPolicy !== undefined && !(FS_GROUP_POLICIES as readonly string[]).includes(spec.fsGroupPolicy)) {
    errs.push(notSupported('spec.fsGroupPolicy', spec.fsGroupPolicy, FS_GROUP_POLICIES));
  }
  errs.push(...validateTokenRequests(spec.tokenRequests, 'spec.tokenRequests'));
  for (const mode of spec.volumeLifecycleModes ?? []) {
    if (!(VOLUME_LIFECYCLE_MODES as readonly string[]).includes(mode)) errs.push(notSupported('spec.volumeLifecycleModes', mode, VOLUME_LIFECYCLE_MODES));
  }
  if (spec.seLinuxMount === undefined) errs.push(required('spec.seLinuxMount'));
  return errs;
}

/** Upstream ValidateCSIDriver, plus ValidateCSIDriverUpdate's immutable fields when `old` is given. Pure. */
export function validateCSIDriver(driver: CSIDriver, old?: CSIDriver): FieldError[] {
  const errs = validateObjectMeta(driver.metadata, { namespaced: false });
  errs.push(...validateSpec(driver.spec ?? {}));
  if (!old) return errs;
  const spec = driver.spec ?? {};
  const oldSpec = old.spec ?? {};
  if (spec.attachRequired !== oldSpec.attachRequired) errs.push(invalidValue('spec.attachedRequired', spec.attachRequired ?? null, 'field is immutable'));
  if (!deepEqual(spec.volumeLifecycleModes, oldSpec.volumeLifecycleModes)) {
    errs.push(invalidGo('spec.volumeLifecycleModes', goSlice('storage.VolumeLifecycleMode', spec.volumeLifecycleModes), 'field is immutable'));
  }
  return errs;
}

export const csiDriverResource = defineResource<CSIDriver>({
  group: 'storage.k8s.io',
  version: 'v1',
  kind: 'CSIDriver',
  plural: 'csidrivers',
  singular: 'csidriver',
  namespaced: false,
  schema: CSIDriverSchema,
  applyDefaults: applyCSIDriverDefaults,
  validate: validateCSIDriver,
  prepareForCreate: (driver) => dropDisabledFields(driver),
  prepareForUpdate: (driver, old) => dropDisabledFields(driver, old),
});
