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
