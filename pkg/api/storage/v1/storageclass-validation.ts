/**
 * StorageClass validation (upstream pkg/apis/storage/validation ValidateStorageClass and
 * ValidateStorageClassUpdate): a provisioner that is a qualified name, parameters within 512
 * entries and 256 KiB, reclaim policy Delete or Retain, binding mode Immediate or
 * WaitForFirstConsumer, well-formed allowed topologies; parameters, provisioner, reclaim policy
 * and binding mode never change after creation.
 */
import type { FieldError } from '../../../errors/index.ts';
import { validateQualifiedNameField, deepEqual, validateImmutable } from '../../validation/common-rules.ts';
import { child, duplicate, forbidden, index, invalidValue, notSupported, required, tooLong } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import type { StorageClass } from './storageclass.ts';

export const STORAGE_CLASS_RECLAIM_POLICIES = ['Delete', 'Retain'] as const;
export const VOLUME_BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'] as const;
const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function validateParameters(params: Record<string, string> | undefined): FieldError[] {
  const entries = Object.entries(params ?? {});
  if (entries.length > MAX_PARAMETERS) return [tooLong('parameters', MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (!k) errs.push(invalidValue('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(v);
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(tooLong('parameters', MAX_PARAMETERS_SIZE));
  return errs;
}

type Topology = NonNullable<StorageClass['allowedTopologies']>[number];

/** ValidateTopologySelectorTerm: each requirement has values (no duplicates) and a label key; keys unique. */
function validateTopologyTerm(term: Topology, path: string): { keys: Map<string, Set<string>>; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const keys = new Map<string, Set<string>>();
  for (const [i, rq] of (term.matchLabelExpressions ?? []).entries()) {
    const rp = index(child(path, 'matchLabelExpressions'), i);
    const values = new Set<string>();
    if (rq.values.length === 0) errors.push(required(child(rp, 'values'), 'must specify as least one value'));
    for (const [j, v] of rq.values.entries()) {
      if (values.has(v)) errors.push(duplicate(index(child(rp, 'values'), j), v));
      values.add(v);
    }
    errors.push(...validateQualifiedNameField(child(rp, 'key'), rq.key));
    if (keys.has(rq.key)) errors.push(duplicate(child(rp, 'key'), rq.key));
    keys.set(rq.key, values);
  }
  return { keys, errors };
}

function termEqual(a: Map<string, Set<string>>, b: Map<string, Set<string>>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) {
    const w = b.get(k);
    if (!w || w.size !== v.size || [...v].some((x) => !w.has(x))) return false;
  }
  return true;
}

/** validateAllowedTopologies: valid terms, no term repeated (an empty term repeats upstream's placeholders). */
function validateAllowedTopologies(terms: readonly Topology[] | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!terms?.length) return errs;
  // Upstream starts its list of seen terms with one empty entry per term.
  const seen: Map<string, Set<string>>[] = terms.map(() => new Map());
  for (const [i, term] of terms.entries()) {
    const { keys, errors } = validateTopologyTerm(term, index('allowedTopologies', i));
    errs.push(...errors);
    for (const other of seen) if (termEqual(keys, other)) errs.push(duplicate(child(index('allowedTopologies', i), 'matchLabelExpressions'), ''));
    seen.push(keys);
  }
  return errs;
}

/** ValidateStorageClass (+ Update when `old` is given). Pure. */
export function validateStorageClass(sc: StorageClass, old?: StorageClass): FieldError[] {
  const errs = validateObjectMeta(sc.metadata, { namespaced: false });
  if (!sc.provisioner) errs.push(required('provisioner'));
  else errs.push(...validateQualifiedNameField('provisioner', sc.provisioner.toLowerCase()));
  errs.push(...validateParameters(sc.parameters));
  if (sc.reclaimPolicy && !(STORAGE_CLASS_RECLAIM_POLICIES as readonly string[]).includes(sc.reclaimPolicy)) {
    errs.push(notSupported('reclaimPolicy', sc.reclaimPolicy, STORAGE_CLASS_RECLAIM_POLICIES));
  }
  if (sc.volumeBindingMode === undefined) errs.push(required('volumeBindingMode'));
  else if (!(VOLUME_BINDING_MODES as readonly string[]).includes(sc.volumeBindingMode)) errs.push(notSupported('volumeBindingMode', sc.volumeBindingMode, VOLUME_BINDING_MODES));
  errs.push(...validateAllowedTopologies(sc.allowedTopologies));
  if (old) {
    if (!deepEqual(sc.parameters ?? {}, old.parameters ?? {})) errs.push(forbidden('parameters', 'updates to parameters are forbidden.'));
    if (sc.provisioner !== old.provisioner) errs.push(forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (sc.reclaimPolicy !== old.reclaimPolicy) errs.push(forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
    errs.push(...validateImmutable('volumeBindingMode', sc.volumeBindingMode, old.volumeBindingMode));
  }
  return errs;
}
