/**
 * Decoding `application/vnd.kubernetes.protobuf` request bodies (kubectl 1.33's typed clients
 * send them for built-in kinds): the `k8s\0` envelope holding a `runtime.Unknown`, whose `raw`
 * is the object in upstream's generated protobuf schema. The result is the object as upstream
 * would serialise it to JSON (zero values of omitempty fields left out, special types —
 * Time, IntOrString, Quantity, RawExtension, FieldsV1, bytes — in their JSON forms), so the
 * rest of the request pipeline is the same as for JSON.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ProtobufError, WireReader, varintValue } from '../../../pkg/protobuf/wire.ts';

/** One field of an upstream protobuf message, as messages.json records it. */
export interface FieldSpec {
  name: string;
  number: number;
  type: string;
  repeated?: boolean;
  mapValue?: string;
  pointer?: boolean;
  omitempty?: boolean;
  /**
   * An embedded Go struct (`LocalObjectReference` in `ConfigMapProjection`, `VolumeSource` in
   * `Volume`, …): protobuf carries it as a field of its own, JSON flattens its members into the parent.
   */
  inline?: boolean;
}

const MESSAGES: Record<string, FieldSpec[]> = JSON.parse(readFileSync(fileURLToPath(new URL('./messages.json', import.meta.url)), 'utf8'));
const BY_NUMBER = new Map<string, Map<number, FieldSpec>>(Object.entries(MESSAGES).map(([name, fields]) => [name, new Map(fields.map((f) => [f.number, f]))]));

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];
const MAX_DEPTH = 100;

export { ProtobufError };

/** The protobuf message name of a kind: `apps/v1` `Deployment` → `k8s.io.api.apps.v1.Deployment`. */
export function messageNameFor(apiVersion: string, kind: string): string | undefined {
  if (kind === 'DeleteOptions') return `${META}.DeleteOptions`;
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const pkg = group === '' ? 'core' : group.split('.')[0];
  const name = `k8s.io.api.${pkg}.${version}.${kind}`;
  return MESSAGES[name] ? name : undefined;
}

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const date = new Date(seconds * 1000);
  const base = date.toISOString().slice(0, 19);
  return micro ? `${base}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${base}Z`;
}

function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let s = Math.abs(nanos) / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const secs = `${Number(s.toFixed(9))}s`;
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${secs}`;
}

function isZero(v: unknown): boolean {
  return v === '' || v === 0 || v === false || (v instanceof Uint8Array && v.length === 0);
}

/** Special message types that have a non-object JSON form. */
function special(type: string, obj: Record<string, unknown>): { value: unknown } | undefined {
  switch (type) {
    case `${META}.Time`:
    case `${META}.MicroTime`: {
      const seconds = Number(obj.seconds ?? 0);
      const nanos = Number(obj.nanos ?? 0);
      return { value: seconds === 0 && nanos === 0 ? undefined : rfc3339(seconds, nanos, type.endsWith('MicroTime')) };
    }
    case `${META}.Duration`:
      return { value: goDuration(Number(obj.duration ?? 0)) };
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return { value: Number(obj.type ?? 0) === 1 ? String(obj.strVal ?? '') : Number(obj.intVal ?? 0) };
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return { value: String(obj.string ?? '') };
    case 'k8s.io.apimachinery.pkg.runtime.RawExtension':
    case `${META}.FieldsV1`: {
      const raw = (obj.raw ?? obj.Raw) as string | undefined;
      if (raw === undefined) return { value: undefined };
      try {
        return { value: JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) };
      } catch {
        throw new ProtobufError(`${type.split('.').pop()} does not hold JSON`);
      }
    }
    default:
      return undefined;
  }
}

function scalar(type: string, raw: { value?: number | bigint; bytes?: Uint8Array }): unknown {
  if (type === 'string') return Buffer.from(raw.bytes ?? []).toString('utf8');
  if (type === 'bytes') return Buffer.from(raw.bytes ?? []).toString('base64');
  if (type === 'double' || type === 'float') return Number(raw.value ?? 0);
  if (typeof raw.value === 'bigint') return varintValue(raw.value, type);
  throw new ProtobufError(`field of type ${type} has the wrong wire type`);
}

function decodeValue(type: string, raw: { value?: number | bigint; bytes?: Uint8Array }, depth: number): unknown {
  if (!MESSAGES[type]) return scalar(type, raw);
  if (!raw.bytes) throw new ProtobufError(`message field of type ${type} has the wrong wire type`);
  const obj = decodeMessage(type, raw.bytes, depth + 1);
  const s = special(type, obj);
  return s ? s.value : obj;
}

function decodeMessage(type: string, bytes: Uint8Array, depth: number): Record<string, unknown> {
  if (depth > MAX_DEPTH) throw new ProtobufError('message nested too deeply');
  const fields = BY_NUMBER.get(type);
  if (!fields) throw new ProtobufError(`unknown message ${type}`);
  const out: Record<string, unknown> = {};
  const reader = new WireReader(bytes);
  while (!reader.done) {
    const raw = reader.field();
    const spec = fields.get(raw.number);
    if (!spec) continue; // unknown fields are skipped, as upstream's generated code does
    if (spec.type === 'map') {
      const entry = new WireReader(raw.bytes ?? new Uint8Array());
      let key = '';
      let value: unknown = spec.mapValue && MESSAGES[spec.mapValue] ? {} : spec.mapValue === 'string' || spec.mapValue === 'bytes' ? '' : 0;
      while (!entry.done) {
        const f = entry.field();
        if (f.number === 1) key = Buffer.from(f.bytes ?? []).toString('utf8');
        else if (f.number === 2) value = decodeValue(spec.mapValue ?? 'string', f, depth);
      }
      const map = (out[spec.name] ??= {}) as Record<string, unknown>;
      map[key] = value;
      continue;
    }
    if (spec.repeated) {
      const list = (out[spec.name] ??= []) as unknown[];
      if (raw.wireType === 2 && !MESSAGES[spec.type] && spec.type !== 'string' && spec.type !== 'bytes') {
        const packed = new WireReader(raw.bytes ?? new Uint8Array());
        while (!packed.done) list.push(scalar(spec.type, { value: packed.varint() }));
      } else {
        list.push(decodeValue(spec.type, raw, depth));
      }
      continue;
    }
    const value = decodeValue(spec.type, raw, depth);
    if (spec.inline && value && typeof value === 'object') Object.assign(out, value);
    else out[spec.name] = value;
  }
  // What Go's JSON encoding of the decoded struct would leave out.
  for (const spec of fields.values()) {
    const v = out[spec.name];
    if (v === undefined) {
      delete out[spec.name];
      continue;
    }
    if (spec.pointer) continue;
    if (spec.omitempty && isZero(v)) delete out[spec.name];
    else if (MESSAGES[spec.type] && !special(spec.type, {}) && isPlainEmpty(v) && spec.name !== 'metadata') delete out[spec.name];
  }
  return out;
}

function isPlainEmpty(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0;
}

/** Whether a body starts with the Kubernetes protobuf envelope magic. */
export function hasProtobufMagic(body: Uint8Array): boolean {
  return body.length >= 4 && MAGIC.every((b, i) => body[i] === b);
}

/**
 * Decodes a protobuf request body into its JSON form with `apiVersion` and `kind` set.
 * Throws ProtobufError for malformed bodies or kinds without a known schema.
 */
export function decodeProtobufObject(body: Uint8Array): Record<string, unknown> {
  if (!hasProtobufMagic(body)) throw new ProtobufError('missing the k8s\\0 protobuf envelope');
  const unknown = new WireReader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array | undefined;
  while (!unknown.done) {
    const f = unknown.field();
    if (f.number === 1 && f.bytes) {
      const tm = new WireReader(f.bytes);
      while (!tm.done) {
        const t = tm.field();
        if (t.number === 1) apiVersion = Buffer.from(t.bytes ?? []).toString('utf8');
        if (t.number === 2) kind = Buffer.from(t.bytes ?? []).toString('utf8');
      }
    } else if (f.number === 2) raw = f.bytes;
  }
  const type = messageNameFor(apiVersion, kind);
  if (!type) throw new ProtobufError(`no protobuf schema for ${apiVersion}, Kind=${kind}`);
  const obj = decodeMessage(type, raw ?? new Uint8Array(), 0);
  return { apiVersion, kind, ...obj };
}

/** The fields of an upstream protobuf message (`k8s.io.api.apps.v1.DeploymentSpec`), if known. */
export function messageFields(type: string): readonly FieldSpec[] | undefined {
  return MESSAGES[type];
}

const byJsonName = new Map<string, Map<string, FieldSpec>>();

/**
 * A message's fields by JSON member name, embedded structs' members flattened in (the outer
 * struct's own win), as Go's JSON does; undefined for an unknown message.
 */
export function jsonFields(type: string): ReadonlyMap<string, FieldSpec> | undefined {
  const cached = byJsonName.get(type);
  if (cached) return cached;
  const fields = MESSAGES[type];
  if (!fields) return undefined;
  const map = new Map<string, FieldSpec>();
  for (const f of fields) if (f.inline) for (const [k, v] of jsonFields(f.type) ?? []) map.set(k, v);
  for (const f of fields) if (!f.inline) map.set(f.name, f);
  byJsonName.set(type, map);
  return map;
}

/**
 * The Go facts of a value's path (member names and item indexes) in a built-in kind, for decode
 * error messages: the innermost struct being decoded, the value's Go type and the path as Go's
 * decoder reports it (map keys and indexes left out: `labels.app` of a Deployment's template is
 * `ObjectMeta`, `string`, `spec.template.metadata.labels`; an item of `command` is `string`).
 * Members of embedded structs count as the outer struct's (`exec` of a Probe).
 */
export function goFieldFacts(apiVersion: string, kind: string, path: ReadonlyArray<string | number>): { struct: string; goType: string; fieldPath: string } | undefined {
  let type: string | undefined = messageNameFor(apiVersion, kind);
  const names = path.filter((p): p is string => typeof p === 'string');
  if (!type || names.length === 0) return undefined;
  const item = typeof path[path.length - 1] === 'number';
  let struct = kind;
  let spec: FieldSpec | undefined;
  const goPath: string[] = [];
  let mapValue = false;
  for (let i = 0; i < names.length; i++) {
    spec = jsonFields(type)?.get(names[i]);
    if (!spec) return undefined;
    struct = type.split('.').pop() as string;
    goPath.push(names[i]);
    if (spec.type === 'map' && i < names.length - 1) {
      i++; // the key: not part of Go's field path
      mapValue = i === names.length - 1;
      if (mapValue) break;
      if (!spec.mapValue || !MESSAGES[spec.mapValue]) return undefined;
      type = spec.mapValue;
    } else if (i < names.length - 1) type = spec.type;
  }
  if (!spec) return undefined;
  const goName = (t: string) => {
    if (!MESSAGES[t]) return t === 'bytes' ? '[]uint8' : t;
    const parts = t.split('.');
    return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
  };
  if (mapValue) return { struct, goType: goName(spec.mapValue ?? 'string'), fieldPath: goPath.join('.') };
  let goType = spec.type === 'map' ? `map[string]${goName(spec.mapValue ?? 'string')}` : goName(spec.type);
  if (spec.repeated && !item) goType = `[]${goType}`;
  return { struct, goType, fieldPath: goPath.join('.') };
}
