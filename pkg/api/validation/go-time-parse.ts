/**
 * Go's `time.Parse(time.RFC3339, value)` error texts, as `metav1.Time.UnmarshalJSON` returns
 * them: the generic layout parser walking `2006-01-02T15:04:05Z07:00` element by element
 * (Parse's RFC 3339 fast path only ever succeeds, so failures always speak as the generic one).
 */

/** The layout string Go names in its errors. */
export const RFC3339_LAYOUT = '2006-01-02T15:04:05Z07:00';

type Element = '2006' | '01' | '02' | '15' | '04' | '05' | 'Z07:00';

/** The layout as Go's parser walks it: a literal prefix, then an element. */
const CHUNKS: ReadonlyArray<readonly [string, Element]> = [
  ['', '2006'],
  ['-', '01'],
  ['-', '02'],
  ['T', '15'],
  [':', '04'],
  [':', '05'],
  ['', 'Z07:00'],
];

/**
 * Go's `time` package quoting: `"` and `\` escaped, bytes of control and non-ASCII characters
 * as `\xNN` (UTF-8 bytes).
 */
export function goTimeQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || code >= 0x80) {
      for (const byte of Buffer.from(ch, 'utf8')) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    } else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}

const isDigit = (s: string, i: number): boolean => i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57;

/** Go's getnum: one or (fixed: exactly) two leading digits. */
function getnum(s: string, fixed: boolean): { n: number; rest: string } | undefined {
  if (!isDigit(s, 0)) return undefined;
  if (!isDigit(s, 1)) return fixed ? undefined : { n: Number(s[0]), rest: s.slice(1) };
  return { n: Number(s.slice(0, 2)), rest: s.slice(2) };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

type Step = { rest: string; value?: number } | { bad: true } | { range: string; rest: string };

/** Parses one element at the start of `s`. */
function element(el: Element, s: string): Step {
  switch (el) {
    case '2006':
      if (s.length < 4 || !/^\d{4}/.test(s)) return { bad: true };
      return { value: Number(s.slice(0, 4)), rest: s.slice(4) };
    case '01':
    case '02':
    case '15':
    case '04': {
      const got = getnum(s, el !== '15');
      if (!got) return { bad: true };
      const limit = { '01': 12, '02': Infinity, '15': 23, '04': 59 }[el];
      const name = { '01': 'month', '02': 'day', '15': 'hour', '04': 'minute' }[el];
      if ((el === '01' && got.n === 0) || got.n > limit) return { range: name, rest: got.rest };
      return { value: got.n, rest: got.rest };
    }
    case '05': {
      const got = getnum(s, true);
      if (!got) return { bad: true };
      if (got.n > 59) return { range: 'second', rest: got.rest };
      // A fractional second the layout does not spell is taken anyway (`.5` or `,5`).
      const frac = /^[.,]\d+/.exec(got.rest);
      return { value: got.n, rest: frac ? got.rest.slice(frac[0].length) : got.rest };
    }
    case 'Z07:00': {
      if (s.startsWith('Z')) return { rest: s.slice(1) };
      if (s.length < 6 || s[3] !== ':') return { bad: true };
      const hr = getnum(s.slice(1, 3), true);
      const mm = hr && getnum(s.slice(4, 6), true);
      const rest = s.slice(6);
      // Checked before the digits' error, the last failing check naming the range.
      if (mm && mm.n > 60) return { range: 'time zone offset minute', rest };
      if (hr && hr.n > 24) return { range: 'time zone offset hour', rest };
      if (!hr || !mm || (s[0] !== '+' && s[0] !== '-')) return { bad: true };
      return { rest };
    }
  }
}

/**
 * The error Go's `time.Parse(time.RFC3339, value)` returns, or undefined when it accepts the
 * value. Matches Go's generic parser: a mismatched literal is `cannot parse "<rest>" as "<literal>"`,
 * an element that does not parse is `cannot parse "<rest from the element>" as "<element>"`,
 * values out of range are `parsing time "<value>": month out of range` (day, hour, minute,
 * second, time zone offset hour/minute), and trailing text is `…: extra text: "<rest>"`. Like Go,
 * it accepts a one-digit hour, fractional seconds after `.` or `,`, and offsets up to ±24:60.
 */
export function goRFC3339ParseError(value: string): string | undefined {
  const head = `parsing time ${goTimeQuote(value)}`;
  const cannot = (rest: string, what: string) => `${head} as ${goTimeQuote(RFC3339_LAYOUT)}: cannot parse ${goTimeQuote(rest)} as ${goTimeQuote(what)}`;
  const got: Partial<Record<Element, number>> = {};
  let rest = value;
  for (const [literal, el] of CHUNKS) {
    for (const ch of literal) {
      if (!rest.startsWith(ch)) return cannot(rest, literal);
      rest = rest.slice(1);
    }
    const step = element(el, rest);
    if ('bad' in step) return cannot(rest, el);
    if ('range' in step) return `${head}: ${step.range} out of range`;
    got[el] = step.value;
    rest = step.rest;
  }
  if (rest !== '') return `${head}: extra text: ${goTimeQuote(rest)}`;
  if ((got['02'] as number) < 1 || (got['02'] as number) > daysIn(got['01'] as number, got['2006'] as number)) return `${head}: day out of range`;
  return undefined;
}
