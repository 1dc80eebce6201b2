/**
 * A rule's `fieldPath` (upstream `cel.ValidFieldPath`): a JSON path of `.field` and `['key']`
 * steps below the rule's schema node, which must name fields the schema declares. CRD
 * `selectableFields` use it without the `['key']` steps.
 */
import { additionalPropertiesSchema, propertySchema, type JSONSchemaProps } from '../structural/schema-props.ts';

/**
 * The validated path as steps (`spec.replicas`, `['a.b']` kept bracketed) with the schema node it
 * reaches, or why it is invalid.
 */
export type RuleFieldPath = { ok: true; path: string; schema: JSONSchemaProps } | { ok: false; error: string };

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', "'": "'", '\\': '\\' };

function tokens(path: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i]!;
    if (c === '.' || c === '[' || c === ']') {
      out.push(c);
      i++;
    } else if (c === "'") {
      let j = i + 1;
      while (j < path.length && !(path[j] === "'" && path[j - 1] !== '\\')) j++;
      out.push(path.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < path.length && !'.[]'.includes(path[j]!)) j++;
      out.push(path.slice(i, j));
      i = j;
    }
  }
  return out;
}

function step(schema: JSONSchemaProps, name: string): JSONSchemaProps | undefined {
  if (schema.properties) return propertySchema(schema, name);
  return additionalPropertiesSchema(schema);
}

/** Validates `fieldPath` against the schema node the rule is declared on (`['key']` steps refused without `allowArrayNotation`). */
export function validRuleFieldPath(fieldPath: string, schema: JSONSchemaProps, options: { allowArrayNotation?: boolean } = {}): RuleFieldPath {
  const ts = tokens(fieldPath);
  const steps: string[] = [];
  let node: JSONSchemaProps | undefined = schema;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    let name: string;
    if (t === '.') {
      if (i + 1 >= ts.length) return { ok: false, error: 'unexpected end of JSON path' };
      name = ts[++i]!;
    } else if (t === '[') {
      if (options.allowArrayNotation === false) return { ok: false, error: 'array notation is not allowed' };
      const quoted = ts[++i];
      if (quoted === undefined) return { ok: false, error: 'unexpected end of JSON path' };
      if (quoted.length < 2 || !quoted.startsWith("'") || !quoted.endsWith("'")) return { ok: false, error: `expected single quoted string but got ${quoted}` };
      let bad: string | undefined;
      name = quoted.slice(1, -1).replace(/\\./g, (m) => ESCAPES[m[1]!] ?? ((bad ??= m), ''));
      if (bad) return { ok: false, error: `invalid string literal: invalid escape char ${bad}` };
      if (ts[++i] !== ']') return { ok: false, error: ts[i] === undefined ? 'unexpected end of JSON path' : `expected ] but got ${ts[i]}` };
    } else {
      return { ok: false, error: `expected [ or . but got: ${t}` };
    }
    if (!node || (!node.properties && !additionalPropertiesSchema(node))) return { ok: false, error: 'does not refer to a valid field' };
    const next = step(node, name);
    if (!next) return { ok: false, error: 'does not refer to a valid field' };
    steps.push(node.properties ? name : `[${name}]`);
    node = next;
  }
  return { ok: true, path: steps.reduce((acc, s) => (s.startsWith('[') || acc === '' ? acc + s : `${acc}.${s}`), ''), schema: node! };
}
