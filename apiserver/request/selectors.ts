/**
 * Label and field selectors as matchers (upstream `labels.Parse`, `fields.ParseSelector`).
 * Parse errors are 400s; a field label the kind does not support is
 * `field label not supported: <label>` (400) as upstream's conversion functions say.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { badRequest } from '../../pkg/errors/index.ts';

export type ObjectMatcher = (obj: KubeObject) => boolean;

type Requirement =
  | { op: 'exists' | 'notexists'; key: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'gt' | 'lt'; key: string; value: number };

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

function parseRequirement(text: string, selector: string): Requirement {
  const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
  if (set) return { op: set[2] as 'in' | 'notin', key: set[1], values: set[3].split(',').map((v) => v.trim()) };
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|>|<)\s*(.*)$/.exec(text);
  if (cmp) {
    const [, key, op, value] = cmp;
    if (op === '>' || op === '<') {
      if (!/^-?\d+$/.test(value)) throw badRequest(`unable to parse requirement: invalid value "${value}" for operator ${op}`);
      return { op: op === '>' ? 'gt' : 'lt', key, value: Number(value) };
    }
    if (/[\s()]/.test(value)) throw badRequest(`unable to parse requirement: found '${value}', expected: identifier`);
    return { op: op === '!=' ? 'notin' : 'in', key, values: [value] };
  }
  const not = /^!\s*([^\s=!<>()]+)$/.exec(text);
  if (not) return { op: 'notexists', key: not[1] };
  if (/^[^\s=!<>()]+$/.test(text)) return { op: 'exists', key: text };
  throw badRequest(`unable to parse requirement: found '${text}' in selector "${selector}"`);
}

function matches(req: Requirement, get: (key: string) => string | undefined): boolean {
  const v = get(req.key);
  switch (req.op) {
    case 'exists':
      return v !== undefined;
    case 'notexists':
      return v === undefined;
    case 'in':
      return v !== undefined && req.values.includes(v);
    case 'notin':
      return v === undefined || !req.values.includes(v);
    case 'gt':
      return v !== undefined && /^-?\d+$/.test(v) && Number(v) > req.value;
    case 'lt':
      return v !== undefined && /^-?\d+$/.test(v) && Number(v) < req.value;
  }
}

/** A matcher for a label selector string; undefined/empty matches everything. */
export function compileLabelSelector(selector: string | undefined): ObjectMatcher {
  if (!selector || selector.trim() === '') return () => true;
  const reqs = splitTopLevel(selector).map((r) => parseRequirement(r, selector));
  return (obj) => {
    const labels = obj.metadata?.labels ?? {};
    return reqs.every((r) => matches(r, (k) => (Object.hasOwn(labels, k) ? labels[k] : undefined)));
  };
}

type FieldInfo = Pick<ResourceInfo, 'fieldSelectors'>;

/** The extractors for a kind's field labels (metadata.name / metadata.namespace always). */
function fieldExtractor(info: FieldInfo, label: string): ((obj: KubeObject) => string | undefined) | undefined {
  if (label === 'metadata.name') return (o) => o.metadata?.name ?? '';
  if (label === 'metadata.namespace') return (o) => o.metadata?.namespace ?? '';
  const extra = info.fieldSelectors?.[label];
  return extra ? (o) => extra(o) ?? '' : undefined;
}

/** A matcher for a field selector string (only `=`, `==`, `!=`). */
export function compileFieldSelector(selector: string | undefined, info: FieldInfo): ObjectMatcher {
  if (!selector || selector.trim() === '') return () => true;
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean).map((term) => {
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(term);
    if (!m) throw badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [, label, op, value] = m;
    const extract = fieldExtractor(info, label);
    if (!extract) throw badRequest(`field label not supported: ${label}`);
    return { extract, negate: op === '!=', value };
  });
  return (obj) => terms.every((t) => (t.extract(obj) === t.value) !== t.negate);
}

/** `metadata.name=<name>` requirement pulled out of a field selector, if any (single-object fast path). */
export function exactNameFromFieldSelector(selector: string | undefined): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(',')) {
    const m = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (m) return m[1];
  }
  return undefined;
}
