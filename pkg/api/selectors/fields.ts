/**
 * Field selectors (upstream `fields.ParseSelector`): `a=b`, `a==b`, `a!=b` terms joined by `,`;
 * values escape `\`, `,` and `=` with a backslash. No whitespace trimming (as upstream).
 */
import { SelectorParseError } from './errors.ts';

/** One term; `==` parses to `=` as upstream. */
export interface FieldRequirement {
  readonly field: string;
  readonly operator: '=' | '!=';
  /** The unescaped value. */
  readonly value: string;
}

/** Reads a field of the object being matched; `undefined` counts as `''` (as upstream's `Set`). */
export type FieldGetter = (field: string) => string | undefined;

/**
 * A parsed field selector. Immutable. `matches` is true when every term holds; `toString()`
 * gives upstream's canonical form (terms sorted, values escaped); empty selects everything.
 */
export interface FieldSelectorMatcher {
  matches(get: FieldGetter): boolean;
  empty(): boolean;
  toString(): string;
  requirements(): readonly FieldRequirement[];
  /** The value `field` must equal, if a `=` term demands one. */
  requiresExactMatch(field: string): string | undefined;
}

/** Upstream `fields.EscapeValue`. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Upstream `fields.UnescapeValue`; throws on a bad escape or an unescaped `,`/`=`. */
export function unescapeFieldValue(text: string): string {
  if (!/[\\,=]/.test(text)) return text;
  let out = '';
  let inSlash = false;
  for (const c of text) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') throw new SelectorParseError(`invalid field selector: invalid escape sequence: \\${c}`);
      out += c;
      inSlash = false;
    } else if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') throw new SelectorParseError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    else out += c;
  }
  if (inSlash) throw new SelectorParseError('invalid field selector: invalid escape sequence: \\');
  return out;
}

function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

function fromRequirements(reqs: readonly FieldRequirement[]): FieldSelectorMatcher {
  const frozen = Object.freeze(reqs.map((r) => Object.freeze({ ...r })));
  const text = frozen.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(',');
  return Object.freeze({
    matches: (get: FieldGetter) => frozen.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '=')),
    empty: () => frozen.length === 0,
    toString: () => text,
    requirements: () => frozen,
    requiresExactMatch: (field: string) => frozen.find((r) => r.field === field && r.operator === '=')?.value,
  });
}

/**
 * Parses a field selector. Throws {@link SelectorParseError} with upstream's messages:
 * `invalid selector: '<sel>'; can't understand '<term>'`, or an escaping error.
 */
export function parseFieldSelector(text: string): FieldSelectorMatcher {
  const parts = splitTerms(text).sort();
  const reqs: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const term = splitTerm(part);
    if (!term) throw new SelectorParseError(`invalid selector: '${text}'; can't understand '${part}'`);
    reqs.push({ field: term.lhs, operator: term.op === '!=' ? '!=' : '=', value: unescapeFieldValue(term.rhs) });
  }
  return fromRequirements(reqs);
}

/** A selector of exact `field=value` terms (upstream `fields.SelectorFromSet`), sorted by field. */
export function fieldSelectorFromSet(set: Readonly<Record<string, string>>): FieldSelectorMatcher {
  return fromRequirements(Object.keys(set).sort().map((field) => ({ field, operator: '=' as const, value: set[field] })));
}
