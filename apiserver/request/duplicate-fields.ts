/**
 * Duplicate keys in a JSON text (JSON.parse silently keeps the last), reported with upstream's
 * strict-decoding paths (`metadata.labels.a`, `spec.containers[0].name`). A linear scan over a
 * text that has already parsed successfully; paths are only spelled out for duplicates, and
 * keys are only JSON-decoded when they contain an escape.
 */
export function findDuplicateFields(text: string): string[] {
  const scan = new DuplicateScan(text);
  try {
    scan.value();
  } catch {
    // Not valid JSON after all: report what was found so far.
  }
  return scan.found;
}

/**
 * `findDuplicateFields(text)` for a text that parsed into `parsed`: a text with as many object
 * members as `parsed` has keys repeats none, which one pass over its characters and one over the
 * parsed value tell without building keys or paths; only a text that differs is scanned for them.
 */
export function findDuplicateFieldsOf(text: string, parsed: unknown): string[] {
  return memberCount(text) === keyCount(parsed) ? [] : findDuplicateFields(text);
}

/**
 * Object members in a JSON text that parsed: the `:` outside string literals. Jumps from quote to
 * quote and colon to colon with `indexOf` instead of looking at every character.
 */
export function memberCount(text: string): number {
  let count = 0;
  let colon = text.indexOf(':');
  let from = 0;
  for (;;) {
    const open = text.indexOf('"', from);
    const end = open < 0 ? text.length : open;
    while (colon >= 0 && colon < end) {
      count++;
      colon = text.indexOf(':', colon + 1);
    }
    if (open < 0 || colon < 0) return count;
    // The closing quote: the next one not escaped (preceded by an even run of backslashes).
    let close = open;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return count;
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) break;
    }
    from = close + 1;
    // Colons inside the string are not members.
    while (colon >= 0 && colon < from) colon = text.indexOf(':', from);
  }
}

/** Keys of every object in a parsed JSON value. */
function keyCount(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += keyCount(item);
    return count;
  }
  const obj = value as Record<string, unknown>;
  for (const k of Object.keys(obj)) count += 1 + keyCount(obj[k]);
  return count;
}

const SPACE = 32;
const TAB = 9;
const CR = 13;
const LF = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;

function isSpace(ch: number): boolean {
  return ch === SPACE || ch === LF || ch === CR || ch === TAB;
}

/** One pass over one text; `path` holds the keys (strings) and item indexes (numbers) above the cursor. */
class DuplicateScan {
  readonly found: string[] = [];
  private i = 0;
  private readonly path: Array<string | number> = [];

  constructor(private readonly text: string) {}

  private ws(): void {
    const { text } = this;
    while (this.i < text.length && isSpace(text.charCodeAt(this.i))) this.i++;
  }

  /** Reads a string literal starting at the cursor (a quote); returns its value. */
  private str(): string {
    const { text } = this;
    const start = this.i;
    if (text.charCodeAt(start) !== QUOTE) throw new SyntaxError(`expected a string at ${start}`);
    let escaped = false;
    this.i++;
    while (this.i < text.length) {
      const ch = text.charCodeAt(this.i);
      if (ch === QUOTE) break;
      if (ch === BACKSLASH) {
        escaped = true;
        this.i += 2;
      } else this.i++;
    }
    if (this.i >= text.length) throw new SyntaxError('unterminated string');
    this.i++;
    return escaped ? (JSON.parse(text.slice(start, this.i)) as string) : text.slice(start + 1, this.i - 1);
  }

  /** The path of `key` under the current position, as upstream spells it. */
  private pathOf(key: string): string {
    let out = '';
    for (const seg of this.path) out = typeof seg === 'number' ? `${out}[${seg}]` : out ? `${out}.${seg}` : seg;
    return out ? `${out}.${key}` : key;
  }

  value(): void {
    const { text } = this;
    this.ws();
    const ch = text.charCodeAt(this.i);
    if (ch === OPEN_BRACE) {
      this.i++;
      this.ws();
      if (text.charCodeAt(this.i) === CLOSE_BRACE) {
        this.i++;
        return;
      }
      const seen = new Set<string>();
      for (;;) {
        this.ws();
        const key = this.str();
        if (seen.has(key)) this.found.push(this.pathOf(key));
        else seen.add(key);
        this.ws();
        this.i++; // ':'
        this.path.push(key);
        this.value();
        this.path.pop();
        this.ws();
        if (text.charCodeAt(this.i++) === CLOSE_BRACE) return;
        if (this.i >= text.length) throw new SyntaxError('unterminated object');
      }
    } else if (ch === OPEN_BRACKET) {
      this.i++;
      this.ws();
      if (text.charCodeAt(this.i) === CLOSE_BRACKET) {
        this.i++;
        return;
      }
      for (let n = 0; ; n++) {
        this.path.push(n);
        this.value();
        this.path.pop();
        this.ws();
        if (text.charCodeAt(this.i++) === CLOSE_BRACKET) return;
        if (this.i >= text.length) throw new SyntaxError('unterminated array');
      }
    } else if (ch === QUOTE) {
      this.str();
    } else {
      while (this.i < text.length) {
        const c = text.charCodeAt(this.i);
        if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isSpace(c)) break;
        this.i++;
      }
    }
  }
}
