/**
 * Go's `encoding/json` syntax errors. Upstream decodes request bodies, patches and continue
 * tokens with Go's scanner, so a malformed JSON text is reported as it would word it
 * (`invalid character 'x' looking for beginning of object key string`, `unexpected end of
 * JSON input`) rather than as V8's `JSON.parse` does. A pure byte-level scanner after Go's
 * state machine (`encoding/json/scanner.go`): the first error wins, the end of input is
 * stepped as one space, as `checkValid` does.
 */

type Step = (c: number) => Step | string;

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

const NAMED_ESCAPES: Readonly<Record<number, string>> = { 0x07: '\\a', 0x08: '\\b', 0x0c: '\\f', 0x0a: '\\n', 0x0d: '\\r', 0x09: '\\t', 0x0b: '\\v', 0x5c: '\\\\' };

/** Go's `quoteChar`: the byte as a rune in single quotes, escaped as `strconv.Quote` escapes it. */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  if (NAMED_ESCAPES[c]) return `'${NAMED_ESCAPES[c]}'`;
  if (c < 0x20 || c === 0x7f) return `'\\x${c.toString(16).padStart(2, '0')}'`;
  // Latin-1 runes Go does not count as printable: C1 controls, no-break space, soft hyphen.
  if ((c >= 0x80 && c <= 0xa0) || c === 0xad) return `'\\u${c.toString(16).padStart(4, '0')}'`;
  return `'${String.fromCharCode(c)}'`;
}

const invalid = (c: number, context: string) => `invalid character ${goQuoteChar(c)} ${context}`;

/**
 * Go's message for the first syntax error in `text` (as UTF-8 bytes), or `undefined` when
 * `text` is one well-formed JSON value (surrounded by whitespace at most).
 */
export function goJsonSyntaxError(text: string | Uint8Array): string | undefined {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const stack: ('key' | 'value' | 'array')[] = [];
  let endTop = false;

  const endTopStep: Step = (c) => (isSpace(c) ? endTopStep : invalid(c, 'after top-level value'));
  const endValue: Step = (c) => {
    const top = stack.length - 1;
    if (top < 0) {
      endTop = true;
      return endTopStep(c);
    }
    if (isSpace(c)) return endValue;
    switch (stack[top]) {
      case 'key':
        if (c === 0x3a) {
          stack[top] = 'value';
          return beginValue;
        }
        return invalid(c, 'after object key');
      case 'value':
        if (c === 0x2c) {
          stack[top] = 'key';
          return beginString;
        }
        if (c === 0x7d) return pop();
        return invalid(c, 'after object key:value pair');
      default:
        if (c === 0x2c) return beginValue;
        if (c === 0x5d) return pop();
        return invalid(c, 'after array element');
    }
  };
  const pop = (): Step => {
    stack.pop();
    if (stack.length === 0) endTop = true;
    return stack.length === 0 ? endTopStep : endValue;
  };
  const beginValue: Step = (c) => {
    if (isSpace(c)) return beginValue;
    switch (c) {
      case 0x7b:
        stack.push('key');
        return beginStringOrEmpty;
      case 0x5b:
        stack.push('array');
        return beginValueOrEmpty;
      case 0x22:
        return inString;
      case 0x2d:
        return neg;
      case 0x30:
        return zero;
      case 0x74:
        return literal('true', 1);
      case 0x66:
        return literal('false', 1);
      case 0x6e:
        return literal('null', 1);
    }
    if (c >= 0x31 && c <= 0x39) return digits;
    return invalid(c, 'looking for beginning of value');
  };
  const beginValueOrEmpty: Step = (c) => {
    if (isSpace(c)) return beginValueOrEmpty;
    return c === 0x5d ? endValue(c) : beginValue(c);
  };
  const beginStringOrEmpty: Step = (c) => {
    if (isSpace(c)) return beginStringOrEmpty;
    if (c === 0x7d) {
      stack[stack.length - 1] = 'value';
      return endValue(c);
    }
    return beginString(c);
  };
  const beginString: Step = (c) => {
    if (isSpace(c)) return beginString;
    return c === 0x22 ? inString : invalid(c, 'looking for beginning of object key string');
  };
  const inString: Step = (c) => {
    if (c === 0x22) return endValue;
    if (c === 0x5c) return inStringEscape;
    return c < 0x20 ? invalid(c, 'in string literal') : inString;
  };
  const inStringEscape: Step = (c) => {
    if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return inString;
    return c === 0x75 ? unicodeEscape(4) : invalid(c, 'in string escape code');
  };
  const unicodeEscape =
    (left: number): Step =>
    (c) => {
      if (!isHex(c)) return invalid(c, 'in \\u hexadecimal character escape');
      return left === 1 ? inString : unicodeEscape(left - 1);
    };
  const neg: Step = (c) => (c === 0x30 ? zero : c >= 0x31 && c <= 0x39 ? digits : invalid(c, 'in numeric literal'));
  const digits: Step = (c) => (isDigit(c) ? digits : zero(c));
  const zero: Step = (c) => (c === 0x2e ? dot : c === 0x65 || c === 0x45 ? exponent : endValue(c));
  const dot: Step = (c) => (isDigit(c) ? fraction : invalid(c, 'after decimal point in numeric literal'));
  const fraction: Step = (c) => (isDigit(c) ? fraction : c === 0x65 || c === 0x45 ? exponent : endValue(c));
  const exponent: Step = (c) => (c === 0x2b || c === 0x2d ? exponentSign : exponentSign(c));
  const exponentSign: Step = (c) => (isDigit(c) ? exponentDigits : invalid(c, 'in exponent of numeric literal'));
  const exponentDigits: Step = (c) => (isDigit(c) ? exponentDigits : endValue(c));
  const literal =
    (word: string, at: number): Step =>
    (c) => {
      if (c !== word.charCodeAt(at)) return invalid(c, `in literal ${word} (expecting '${word[at]}')`);
      return at === word.length - 1 ? endValue : literal(word, at + 1);
    };

  let step: Step = beginValue;
  for (const c of bytes) {
    const next = step(c);
    if (typeof next === 'string') return next;
    step = next;
  }
  if (endTop) return undefined;
  const last = step(0x20);
  if (typeof last === 'string') return last;
  return endTop ? undefined : 'unexpected end of JSON input';
}
