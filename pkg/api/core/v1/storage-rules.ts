/**
 * Rules PersistentVolumes and PersistentVolumeClaims share (upstream validation.go and
 * storage helpers): the access modes (ReadWriteOncePod alone), the volume modes, class names
 * (DNS subdomains) and the class an object names, and a volume's node affinity (a node selector).
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';
import { validateNodeSelectorRequirement } from './pod-validation-scheduling.ts';

/** Upstream supportedAccessModes, sorted as its messages list them. */
export const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'] as const;
/** Upstream supportedVolumeModes, sorted. */
export const VOLUME_MODES = ['Block', 'Filesystem'] as const;

/** The beta annotation PVs and claims named their class with before `spec.storageClassName`. */
export const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';

type Classed = { metadata: { annotations?: Record<string, string> | undefined }; spec?: unknown };

/** GetPersistentVolume(Claim)Class: the beta annotation first, then `spec.storageClassName` ('' = none). Pure. */
export function storageClassNameOf(obj: Classed): string {
  const annotations = obj.metadata.annotations;
  if (annotations && BETA_STORAGE_CLASS_ANNOTATION in annotations) return annotations[BETA_STORAGE_CLASS_ANNOTATION] ?? '';
  return (obj.spec as { storageClassName?: unknown } | undefined)?.storageClassName as string | undefined ?? '';
}

/** PersistentVolumeClaimHasClass: the beta annotation or `spec.storageClassName` is set (an explicit `""` counts). Pure. */
export function namesStorageClass(obj: Classed): boolean {
  if (obj.metadata.annotations && BETA_STORAGE_CLASS_ANNOTATION in obj.metadata.annotations) return true;
  return (obj.spec as { storageClassName?: unknown } | undefined)?.storageClassName !== undefined;
}

/** Each mode supported; ReadWriteOncePod not combined with another mode. `path` is the list's. Pure. */
export function validateAccessModeValues(modes: readonly string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let oncePod = false;
  let other = false;
  for (const mode of modes ?? []) {
    if (!(ACCESS_MODES as readonly string[]).includes(mode)) errs.push(notSupported(path, mode, ACCESS_MODES));
    else if (mode === 'ReadWriteOncePod') oncePod = true;
    else other = true;
  }
  if (oncePod && other) errs.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

/** `volumeMode`, when set, is Block or Filesystem. Pure. */
export function validateVolumeMode(mode: string | undefined, path: string): FieldError[] {
  return mode !== undefined && !(VOLUME_MODES as readonly string[]).includes(mode) ? [notSupported(path, mode, VOLUME_MODES)] : [];
}

/** ValidateClassName (a DNS subdomain), for storage and volume attributes class names. Pure. */
export function validateClassName(name: string, path: string): FieldError[] {
  return isDNS1123Subdomain(name).map((msg) => invalidValue(path, name, msg));
}

type Requirement = { key: string; operator: string; values?: string[] | undefined };
type NodeSelector = { nodeSelectorTerms: { matchExpressions?: Requirement[] | undefined; matchFields?: Requirement[] | undefined }[] };

/** ValidateNodeFieldSelectorRequirement: `metadata.name` only, In/NotIn with exactly one value. */
function validateFieldRequirement(rq: Requirement, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (rq.operator === 'In' || rq.operator === 'NotIn') {
    if ((rq.values?.length ?? 0) !== 1) errs.push(required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(invalidValue(child(path, 'operator'), rq.operator, 'not a valid selector operator'));
  }
  if (rq.key !== 'metadata.name') errs.push(invalidValue(child(path, 'key'), rq.key, 'not a valid field selector key'));
  return errs;
}

/** ValidateNodeSelector: at least one term; each term's expressions and fields. Pure. */
export function validateNodeSelector(selector: NodeSelector, path: string): FieldError[] {
  const terms = selector.nodeSelectorTerms ?? [];
  if (terms.length === 0) return [required(child(path, 'nodeSelectorTerms'), 'must have at least one node selector term')];
  const errs: FieldError[] = [];
  for (const [i, term] of terms.entries()) {
    const tp = index(child(path, 'nodeSelectorTerms'), i);
    for (const [j, rq] of (term.matchExpressions ?? []).entries()) errs.push(...validateNodeSelectorRequirement(index(child(tp, 'matchExpressions'), j), rq));
    for (const [j, rq] of (term.matchFields ?? []).entries()) errs.push(...validateFieldRequirement(rq, index(child(tp, 'matchFields'), j)));
  }
  return errs;
}

/**
 * validateVolumeNodeAffinity: `required` must be there and be a valid node selector. Returns
 * whether affinity was specified (a `local` volume needs it) with the errors. Pure.
 */
export function validateVolumeNodeAffinity(affinity: { required?: NodeSelector | undefined } | undefined, path: string): { specified: boolean; errors: FieldError[] } {
  if (!affinity) return { specified: false, errors: [] };
  if (!affinity.required) return { specified: true, errors: [required(child(path, 'required'), 'must specify required node constraints')] };
  return { specified: true, errors: validateNodeSelector(affinity.required, child(path, 'required')) };
}
