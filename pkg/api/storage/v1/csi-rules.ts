/**
 * Rules shared by the storage.k8s.io CSI kinds: upstream core `ValidateCSIDriverName` (a CSI
 * driver name in a CSINode driver entry or a VolumeAttachment's attacher) and Go `%#v` renderings
 * of the internal storage structs that upstream puts into its "field is immutable" messages.
 */
import type { FieldError } from '../../../errors/index.ts';
import type { LabelSelector } from '../../meta.ts';
import { invalidValue, required } from '../../validation/field-errors.ts';
import { isDNS1123Subdomain } from '../../validation/names.ts';

/** Core ValidateCSIDriverName: required, at most 63 bytes, a DNS subdomain once lower-cased (all checks run). Pure. */
export function validateCSIDriverNameField(path: string, name: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!name) errs.push(required(path));
  if (name.length > 63) errs.push({ type: 'FieldValueTooLong', field: path, detail: 'Too long: may not be more than 63 bytes' });
  for (const msg of isDNS1123Subdomain(name.toLowerCase())) errs.push(invalidValue(path, name, msg));
  return errs;
}

/** A rendering of Go pointers: made-up addresses, stable within one call, or `(nil)`. */
export function goPointers(): (type: string, set: boolean) => string {
  let address = 0xc000b4e000;
  return (type, set) => {
    address += 0x30;
    return `(*${type})(${set ? `0x${address.toString(16)}` : 'nil'})`;
  };
}

/** Go `%#v` of a `[]string` with a named element type: `[]storage.VolumeLifecycleMode{"Persistent"}`. */
export function goSlice(type: string, values: readonly string[] | undefined): string {
  if (!values) return `[]${type}(nil)`;
  return `[]${type}{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
}

/** Go `%#v` of a `map[string]string` (keys sorted, as fmt prints maps). */
export function goStringMap(map: Readonly<Record<string, string>> | undefined): string {
  if (!map) return 'map[string]string(nil)';
  return `map[string]string{${Object.keys(map).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(map[k])}`).join(', ')}}`;
}

/** Go `%#v` of a metav1.LabelSelector (a value, not a pointer: `field.Invalid` dereferences it). */
export function goLabelSelector(selector: LabelSelector): string {
  const exprs = selector.matchExpressions;
  const reqs = exprs
    ? `[]v1.LabelSelectorRequirement{${exprs.map((r) => `v1.LabelSelectorRequirement{Key:${JSON.stringify(r.key)}, Operator:${JSON.stringify(r.operator)}, Values:${goSlice('string', r.values)}}`).join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(selector.matchLabels)}, MatchExpressions:${reqs}}`;
}

/** `field.Invalid` with a value already rendered in Go syntax. */
export function invalidGo(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, detail: `Invalid value: ${rendered}: ${detail}` };
}
