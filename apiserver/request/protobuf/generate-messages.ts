/**
 * Generates `messages.json`: the wire schema (message and field names, field numbers, types, and
 * the Go pointer/omitempty facts that decide which zero values are meaningful) of the built-in
 * kinds that clients send as `application/vnd.kubernetes.protobuf`. It reads upstream's
 * `generated.proto` and `types.go` files from local checkouts of kubernetes/api and
 * kubernetes/apimachinery (git directories), so numbers and names match upstream exactly.
 *
 *   npx tsx apiserver/request/protobuf/generate-messages.ts <api git dir> <apimachinery git dir> [ref]
 *
 * `ref` (default `v0.33.9`, the Kubernetes 1.33 k8ts implements; a newer ref brings fields 1.33 does
 * not have) is the tag or commit of both checkouts.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Field {
  name: string;
  number: number;
  /** `string`, `int32`, `int64`, `bool`, `bytes`, `double`, or a fully-qualified message name. */
  type: string;
  repeated?: boolean;
  /** For maps: the value type (keys are strings). */
  mapValue?: string;
  /** Go field is a pointer: a zero value on the wire is meaningful. */
  pointer?: boolean;
  /** Go JSON tag has omitempty: a zero value is left out of JSON. */
  omitempty?: boolean;
  /** An embedded Go struct: JSON flattens its members into the parent. */
  inline?: boolean;
}

const SCALARS = new Set(['string', 'int32', 'int64', 'bool', 'bytes', 'double', 'float', 'uint32', 'uint64']);

const [apiDir, machineryDir, ref = 'v0.33.9'] = process.argv.slice(2);
const show = (dir: string, path: string): string => execFileSync('git', ['--git-dir', dir, 'show', `${ref}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });

const API_GROUPS = ['certificates/v1', 'core/v1', 'apps/v1', 'batch/v1', 'rbac/v1', 'networking/v1', 'policy/v1', 'scheduling/v1', 'coordination/v1', 'discovery/v1', 'autoscaling/v1', 'autoscaling/v2', 'authorization/v1', 'authentication/v1', 'storage/v1', 'events/v1', 'node/v1', 'flowcontrol/v1'];
const MACHINERY = ['pkg/apis/meta/v1', 'pkg/runtime', 'pkg/util/intstr', 'pkg/api/resource'];

const messages = new Map<string, Field[]>();

interface GoField {
  pointer: boolean;
  omitempty: boolean;
  inline: boolean;
}

function parseProto(text: string, goTypes: Map<string, Map<number, GoField>>): void {
  const pkg = /^package ([\w.]+);/m.exec(text)![1];
  const re = /^message (\w+) \{([\s\S]*?)^\}/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, name, body] = m;
    const fields: Field[] = [];
    const goFields = goTypes.get(name);
    for (const line of body.split('\n')) {
      const f = /^\s+(optional|repeated)?\s*(map<\s*string,\s*([\w.]+)>|[\w.]+)\s+(\w+)\s*=\s*(\d+);/.exec(line);
      if (!f) continue;
      const [, label, typeText, mapValue, fieldName, num] = f;
      const resolve = (t: string) => (SCALARS.has(t) ? t : t.startsWith('.') ? t.slice(1) : t.includes('.') ? t : `${pkg}.${t}`);
      const field: Field = { name: fieldName, number: Number(num), type: mapValue ? 'map' : resolve(typeText) };
      if (mapValue) field.mapValue = resolve(mapValue);
      if (label === 'repeated') field.repeated = true;
      const go = goFields?.get(Number(num));
      if (go?.pointer) field.pointer = true;
      if (go?.omitempty) field.omitempty = true;
      if (go?.inline) field.inline = true;
      fields.push(field);
    }
    messages.set(`${pkg}.${name}`, fields);
  }
}

/**
 * Go struct field facts by struct name and protobuf field number. A field without a Go name
 * with no JSON name either (`LocalObjectReference \`json:",inline" protobuf:"bytes,1,…"\``) is an
 * embedded struct whose members JSON flattens into the parent.
 */
function parseGoTypes(text: string): Map<string, Map<number, GoField>> {
  const out = new Map<string, Map<number, GoField>>();
  const re = /^type (\w+) struct \{([\s\S]*?)^\}/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const fields = new Map<number, GoField>();
    for (const line of m[2].split('\n')) {
      const f = /^\s+(?:(\w+)\s+)?(\S+)\s+`json:"([^"]*)".*protobuf:"[^,]*,(\d+),/.exec(line);
      if (f) fields.set(Number(f[4]), { pointer: f[2].startsWith('*'), omitempty: f[3].split(',').includes('omitempty'), inline: f[1] === undefined && f[3].split(',')[0] === '' });
    }
    out.set(m[1], fields);
  }
  return out;
}

function goTypesOf(dir: string, base: string): Map<string, Map<number, GoField>> {
  const files = execFileSync('git', ['--git-dir', dir, 'ls-tree', '--name-only', `${ref}:${base}`], { encoding: 'utf8' }).split('\n');
  const merged = new Map<string, Map<number, GoField>>();
  for (const file of files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_') && f !== 'generated.pb.go')) {
    for (const [k, v] of parseGoTypes(show(dir, `${base}/${file}`))) merged.set(k, v);
  }
  return merged;
}

for (const group of API_GROUPS) parseProto(show(apiDir, `${group}/generated.proto`), goTypesOf(apiDir, group));
for (const path of MACHINERY) parseProto(show(machineryDir, `${path}/generated.proto`), goTypesOf(machineryDir, path));

const out: Record<string, Field[]> = {};
for (const [name, fields] of [...messages].sort(([a], [b]) => (a < b ? -1 : 1))) out[name] = fields;
const target = fileURLToPath(new URL('./messages.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(`${Object.keys(out).length} messages → ${target}\n`);
