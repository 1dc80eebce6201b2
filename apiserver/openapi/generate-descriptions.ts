/**
 * Generates `upstream-descriptions.json`: the `description` upstream's OpenAPI documents give each
 * named definition k8ts publishes and each of its fields, which `kubectl explain` prints. Upstream
 * derives them from the Go doc comments of the API types; this reads the same comments from the
 * `generated.proto` files of local checkouts of kubernetes/api and kubernetes/apimachinery (git
 * directories) and formats them as upstream's generator does ({@link formatDocComment}). Two
 * things come from the Go sources instead: the `kind`/`apiVersion` comments of the inlined
 * TypeMeta, and the `Possible enum values:` list upstream appends to an enum-typed field (each
 * value with its constant's comment, the constant's name taken off).
 *
 *   npx tsx apiserver/openapi/generate-descriptions.ts <api git dir> <apimachinery git dir> [ref]
 *
 * `ref` (default `HEAD`) is the tag or commit of both checkouts, e.g. `v0.33.9` for Kubernetes 1.33.
 * Only definitions and fields k8ts's built-in registry publishes are kept.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { formatDocComment } from './doc-comment.ts';
import { isObject } from './kind-schemas.ts';
import { openApiSchemas } from './schema-set.ts';
import { UPSTREAM_ENUMS } from './upstream-enums.ts';

const [apiDir, machineryDir, ref = 'HEAD'] = process.argv.slice(2);
if (!apiDir || !machineryDir) throw new Error('usage: generate-descriptions.ts <api git dir> <apimachinery git dir> [ref]');
const git = (dir: string, ...args: string[]): string => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

/** A Go package's facts: each struct's field types by JSON name, and the string constants of each type. */
interface GoPackage {
  fieldTypes: Map<string, Map<string, string>>;
  constants: Map<string, Array<{ name: string; value: string; comment: string }>>;
}

/** A definition's raw comment lines (`''` for the type, else the field's JSON name) and the Go package it came from. */
interface Found {
  comments: Map<string, string[]>;
  struct: string;
  go: GoPackage;
}

const found = new Map<string, Found>();

function parseGoPackage(sources: readonly string[]): GoPackage {
  const pkg: GoPackage = { fieldTypes: new Map(), constants: new Map() };
  for (const text of sources) {
    for (const m of text.matchAll(/^type (\w+) struct \{([\s\S]*?)^\}/gm)) {
      const fields = new Map<string, string>();
      for (const f of m[2]!.matchAll(/^\s+\w+\s+[*[\]]*([\w.]+)\s+`json:"(\w+)/gm)) fields.set(f[2]!, f[1]!);
      pkg.fieldTypes.set(m[1]!, fields);
    }
    let comment: string[] = [];
    for (const line of text.split('\n')) {
      const c = /^\s*\/\/ ?(.*)$/.exec(line);
      if (c) {
        comment.push(c[1]!);
        continue;
      }
      const k = /^\s*(?:const\s+)?(\w+)\s+(\w+)\s*=\s*"([^"]*)"/.exec(line);
      if (k) {
        const list = pkg.constants.get(k[2]!) ?? [];
        list.push({ name: k[1]!, value: k[3]!, comment: comment.join('\n') });
        pkg.constants.set(k[2]!, list);
      }
      comment = [];
    }
  }
  return pkg;
}

function goPackage(dir: string, path: string): GoPackage {
  const files = git(dir, 'ls-tree', '--name-only', `${ref}:${path}`).split('\n');
  return parseGoPackage(files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !f.startsWith('zz_') && f !== 'generated.pb.go').map((f) => git(dir, 'show', `${ref}:${path}/${f}`)));
}

/** Reads each top-level message of a proto file and the comment block right above it and above each field. */
function parseProto(text: string, go: GoPackage): void {
  const pkg = /^package ([\w.]+);/m.exec(text)?.[1];
  if (!pkg) return;
  const definitionPrefix = pkg.replace(/^k8s\.io\./, 'io.k8s.');
  let comment: string[] = [];
  let current: Found | undefined;
  for (const line of text.split('\n')) {
    const c = /^\s*\/\/ ?(.*)$/.exec(line);
    if (c) {
      comment.push(c[1]!);
      continue;
    }
    const message = /^message (\w+) \{/.exec(line);
    const field = current && /^\s+(?:optional|repeated)?\s*(?:map<[^>]+>|[\w.]+)\s+(\w+)\s*=\s*\d+;/.exec(line);
    if (message) {
      current = { comments: new Map([['', comment]]), struct: message[1]!, go };
      found.set(`${definitionPrefix}.${message[1]}`, current);
    } else if (field && current) current.comments.set(field[1]!, comment);
    else if (/^\}/.test(line)) current = undefined;
    comment = [];
  }
}

function readProtos(dir: string, under?: string): void {
  const paths = git(dir, 'ls-tree', '-r', '--name-only', ref, ...(under ? [under] : [])).split('\n').filter((p) => p.endsWith('/generated.proto'));
  for (const path of paths) parseProto(git(dir, 'show', `${ref}:${path}`), goPackage(dir, path.slice(0, path.lastIndexOf('/'))));
}
readProtos(apiDir);
readProtos(machineryDir, 'pkg');

/** Upstream's enum list: each value (in UPSTREAM_ENUMS' order) with its constant's comment, the constant's name taken off. */
function enumLines(go: GoPackage, goType: string | undefined, values: readonly string[]): string[] {
  const constants = goType ? (go.constants.get(goType) ?? []) : [];
  return values.map((value) => {
    const constant = constants.find((c) => c.value === value);
    const text = constant ? constant.comment.trim().replace(new RegExp(`^${constant.name}`), '').trim().replace(/\s+/g, ' ') : '';
    return ` - \`${JSON.stringify(value)}\` ${text}`;
  });
}

const typeMeta = found.get('io.k8s.apimachinery.pkg.apis.meta.v1.TypeMeta');
const { schemas } = openApiSchemas(createBuiltinRegistry().all());
const out: Record<string, Record<string, string>> = {};
for (const name of Object.keys(schemas).sort()) {
  const properties = isObject(schemas[name]!.properties) ? (schemas[name]!.properties as Record<string, unknown>) : {};
  const def = found.get(name);
  const comments = new Map<string, string[]>();
  // `kind` and `apiVersion` are TypeMeta's, inlined into every kind and list.
  if (typeMeta && 'kind' in properties && 'apiVersion' in properties) for (const [field, lines] of typeMeta.comments) if (field) comments.set(field, lines);
  for (const [field, lines] of def?.comments ?? []) comments.set(field, lines);
  const docs: Record<string, string> = {};
  for (const [field, lines] of comments) {
    if (field !== '' && !(field in properties)) continue;
    const values = field && def ? UPSTREAM_ENUMS[name]?.[field] : undefined;
    const all = values && def ? [...lines, '', 'Possible enum values:', ...enumLines(def.go, def.go.fieldTypes.get(def.struct)?.get(field), values)] : lines;
    const doc = formatDocComment(all);
    if (doc) docs[field] = doc;
  }
  if (Object.keys(docs).length) out[name] = docs;
}
const target = fileURLToPath(new URL('./upstream-descriptions.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(out)}\n`);
process.stdout.write(`${Object.keys(out).length} definitions → ${target}\n`);
