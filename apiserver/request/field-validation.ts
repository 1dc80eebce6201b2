/**
 * The `fieldValidation` query parameter (Strict | Warn | Ignore; server default Warn) and what it
 * does with unknown and duplicate fields: a `strict decoding error: …` or `Warning: 299` headers.
 */
import { invalid } from '../../pkg/errors/index.ts';
import { BodyDecodeError } from './body-decode-error.ts';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Parses the query value; an unknown value is a 422 as upstream's options validation. */
export function parseFieldValidation(value: string | undefined, optionsKind = 'CreateOptions'): FieldValidation {
  if (value === undefined || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw invalid({
    group: 'meta.k8s.io',
    kind: optionsKind,
    name: '',
    errors: [{ type: 'FieldValueNotSupported', field: 'fieldValidation', detail: `Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"` }],
  });
}

/** Problems found while decoding: unknown field paths and duplicated field paths. */
export interface DecodingProblems {
  unknown: string[];
  duplicates: string[];
}

/** Throws a {@link BodyDecodeError} under Strict; returns the warning texts under Warn; nothing under Ignore. */
export function enforceFieldValidation(mode: FieldValidation, problems: DecodingProblems): string[] {
  const messages = [
    ...problems.duplicates.map((p) => `duplicate field "${p}"`),
    ...problems.unknown.map((p) => `unknown field "${p}"`),
  ];
  if (messages.length === 0 || mode === 'Ignore') return [];
  if (mode === 'Strict') throw new BodyDecodeError(`strict decoding error: ${messages.join(', ')}`);
  return messages;
}

/** A `Warning` header value (RFC 7234 code 299, agent `-`). */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
