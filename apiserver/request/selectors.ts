/**
 * Label and field selectors as matchers (upstream `labels.Parse`, `fields.ParseSelector`).
 * Parse errors are 400s; a field label the kind does not support is
 * `field label not supported: <label>` (400) as upstream's conversion functions say.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import type { ResourceInfo } from '../../pkg/api/resource.ts';
import { badRequest } from '../../pkg/errors/index.ts';
import { SelectorParseError } from '../../pkg/api/selectors/errors.ts';
import { parseLabelSelector, type LabelSelectorMatcher } from '../../pkg/api/selectors/labels.ts';

export type ObjectMatcher = (obj: KubeObject) => boolean;

/**
 * A matcher for a label selector string (upstream `labels.Parse`: `a=b,c!=d,e in (x,y),!f,n>3`,
 * keys and values validated); undefined/empty matches everything. A selector that does not parse
 * is a 400 with upstream's text (`unable to parse requirement: found '=', expected: identifier`).
 */
export function compileLabelSelector(selector: string | undefined): ObjectMatcher {
  if (!selector || selector.trim() === '') return () => true;
  let parsed: LabelSelectorMatcher;
  try {
    parsed = parseLabelSelector(selector);
  } catch (err) {
    if (err instanceof SelectorParseError) throw badRequest(err.message);
    throw err;
  }
  return (obj) => parsed.matches(obj.metadata?.labels ?? {});
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
