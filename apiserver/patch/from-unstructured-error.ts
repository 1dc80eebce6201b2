/**
 * The error text of apimachinery's `DefaultUnstructuredConverter.FromUnstructured` for a value of
 * the wrong type, which a strategic merge patch meets where other decoders meet Go's JSON
 * decoder: upstream decodes the strategically merged map with the converter, not from JSON
 * (`unrecognized type: string` for an object where a string goes, `cannot convert int64 to
 * string`, `cannot restore slice from string`). Pure.
 */
import { goTypeName } from './go-format.ts';

/** Go kinds of the scalar types a converter writes into, by the Go type name of the field. */
const SCALAR_KINDS: Record<string, 'string' | 'bool' | 'int' | 'float'> = {
  string: 'string',
  bool: 'bool',
  int32: 'int',
  int64: 'int',
  uint32: 'int',
  uint64: 'int',
  double: 'float',
  float: 'float',
  float64: 'float',
  float32: 'float',
};

/** Types with a JSON form of their own (`json.Unmarshaler`s): the converter hands them their JSON, not worded here. */
const OWN_JSON = /^(resource\.Quantity|intstr\.IntOrString|v1\.(Time|MicroTime|Duration|FieldsV1)|runtime\.RawExtension)$/;

/** Go's `reflect.Kind` name of a JSON-decoded value (integers are `int64`, as upstream's decoder keeps them). */
function sourceKind(value: unknown): string {
  if (Array.isArray(value)) return 'slice';
  if (value !== null && typeof value === 'object') return 'map';
  return goTypeName(value);
}

/** The Go kind name printed for a scalar destination type. */
function destinationKind(goType: string): string {
  if (goType === 'double') return 'float64';
  if (goType === 'float') return 'float32';
  return goType;
}

/**
 * The converter's error for `value` going into a field of Go type `goType` (`int32`, `string`,
 * `[]string`, `map[string]string`, `v1.Container`), or undefined when the converter takes it or
 * words the failure through the type's own JSON decoding.
 */
export function fromUnstructuredError(value: unknown, goType: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  const source = sourceKind(value);
  if (goType.startsWith('[]')) {
    if (goType === '[]uint8' && source === 'string') return undefined;
    return source === 'slice' ? undefined : `cannot restore slice from ${source}`;
  }
  if (goType.startsWith('map[')) return source === 'map' ? undefined : `cannot restore map from ${source}`;
  const scalar = SCALAR_KINDS[goType];
  if (!scalar) {
    if (OWN_JSON.test(goType)) return undefined;
    return source === 'map' ? undefined : `cannot restore struct from: ${source}`;
  }
  const destination = destinationKind(goType);
  const unrecognized = `unrecognized type: ${destination}`;
  switch (source) {
    case 'string':
      return scalar === 'string' ? undefined : unrecognized;
    case 'bool':
      return scalar === 'bool' ? undefined : unrecognized;
    case 'int64':
      // Go converts integers to any number type and (as a rune) to string, which the converter refuses.
      if (scalar === 'int' || scalar === 'float') return undefined;
      return scalar === 'string' ? `cannot convert int64 to ${destination}` : unrecognized;
    case 'float64':
      if (scalar === 'float') return undefined;
      if (scalar === 'int') return Number.isInteger(value) ? undefined : `cannot convert float64 to ${destination}`;
      return unrecognized;
    default:
      return unrecognized; // a map or a slice where a scalar goes
  }
}
