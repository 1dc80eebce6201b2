/**
 * Label selectors as values (upstream `labels.Selector`): parse the string form, convert a
 * `metav1.LabelSelector`, match label sets, print the canonical string.
 */
import type { LabelSelector } from '../meta.ts';
import { SelectorParseError } from './errors.ts';
import { parseLabelRequirements } from './label-parser.ts';
import { newRequirement, requirementMatches, requirementToString, type LabelOperator, type LabelRequirement, type Labels } from './requirement.ts';

/**
 * A parsed label selector. Immutable. Contract:
 * - `matches` is true when every requirement holds (an empty selector matches everything;
 *   the "nothing" selector from a `null` LabelSelector matches nothing).
 * - `toString()` is upstream's canonical form: requirements sorted by key, set values sorted,
 *   so equal selectors print equally; the empty selector prints `''`.
 */
export interface LabelSelectorMatcher {
  matches(labels: Labels): boolean;
  /** True when the selector does not restrict anything (not true for `nothing`). */
  empty(): boolean;
  toString(): string;
  /** The requirements, sorted by key; `[]` for both everything and nothing. */
  requirements(): readonly LabelRequirement[];
  /** False only for the "nothing" selector (upstream's `selectable=false`). */
  selectable(): boolean;
  /** The single value `key` must equal (`=`, `==` or one-value `in`), if the selector demands one. */
  requiresExactMatch(key: string): string | undefined;
  /** A new selector with more requirements (re-sorted by key). */
  add(...reqs: LabelRequirement[]): LabelSelectorMatcher;
}

function sortByKey(reqs: readonly LabelRequirement[]): LabelRequirement[] {
  return reqs.map((r, i) => ({ r, i })).sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i)).map(({ r }) => r);
}

function fromRequirements(reqs: readonly LabelRequirement[]): LabelSelectorMatcher {
  const frozen = Object.freeze([...reqs]);
  const text = frozen.map(requirementToString).join(',');
  return Object.freeze({
    matches: (labels: Labels) => frozen.every((r) => requirementMatches(r, labels)),
    empty: () => frozen.length === 0,
    toString: () => text,
    requirements: () => frozen,
    selectable: () => true,
    requiresExactMatch(key: string): string | undefined {
      const r = frozen.find((x) => x.key === key);
      if (!r) return undefined;
      return (r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1 ? r.values[0] : undefined;
    },
    add: (...more: LabelRequirement[]) => fromRequirements(sortByKey([...frozen, ...more])),
  });
}

const NOTHING: LabelSelectorMatcher = Object.freeze({
  matches: () => false,
  empty: () => false,
  toString: () => '',
  requirements: () => [],
  selectable: () => false,
  requiresExactMatch: () => undefined,
  add: () => NOTHING,
});

/** Matches every label set. */
export function everything(): LabelSelectorMatcher {
  return fromRequirements([]);
}

/** Matches no label set (upstream `labels.Nothing()`, what a nil LabelSelector converts to). */
export function nothing(): LabelSelectorMatcher {
  return NOTHING;
}

/**
 * Parses the string form (`a=b,c!=d,e in (x,y),f notin (z),g,!h`, `a==b`, `n>3`, `n<3`).
 * Empty or whitespace-only text selects everything. Throws {@link SelectorParseError} with
 * upstream's message, e.g. `unable to parse requirement: found '', expected: identifier`.
 */
export function parseLabelSelector(text: string): LabelSelectorMatcher {
  return fromRequirements(parseLabelRequirements(text));
}

/** A selector demanding every `key=value` of the set (empty set: everything). Validated. */
export function selectorFromSet(set: Readonly<Record<string, string>> | undefined): LabelSelectorMatcher {
  const keys = Object.keys(set ?? {}).sort();
  return fromRequirements(keys.map((k) => newRequirement(k, '=', [set![k]])));
}

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Upstream `metav1.LabelSelectorAsSelector`: `null`/`undefined` selects nothing, `{}` selects
 * everything; matchLabels become `=` requirements, matchExpressions In/NotIn/Exists/DoesNotExist.
 * Throws {@link SelectorParseError}: `"Foo" is not a valid label selector operator`, or the
 * requirement's validation message (e.g. `values: Invalid value: []string(nil): for 'in',
 * 'notin' operators, values set can't be empty`).
 */
export function fromLabelSelector(selector: LabelSelector | null | undefined): LabelSelectorMatcher {
  if (selector === null || selector === undefined) return NOTHING;
  const matchLabels = selector.matchLabels ?? {};
  const expressions = selector.matchExpressions ?? [];
  if (Object.keys(matchLabels).length + expressions.length === 0) return everything();
  const reqs: LabelRequirement[] = Object.keys(matchLabels)
    .sort()
    .map((k) => newRequirement(k, '=', [matchLabels[k]]));
  for (const expr of expressions) {
    const op = EXPRESSION_OPERATORS[expr.operator];
    if (!op) throw new SelectorParseError(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    reqs.push(newRequirement(expr.key, op, expr.values));
  }
  return fromRequirements(sortByKey(reqs));
}
