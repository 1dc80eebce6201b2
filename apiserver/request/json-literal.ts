/**
 * The source text of one scalar in a JSON text, for error messages that quote the literal as
 * written (`99999999999999999999`, which JS numbers cannot hold). Meant for the error path: a
 * linear scan of a text that already parsed.
 */

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';

class Scan {
  i = 0;
  constructor(readonly text: string) {}

  ws(): void {
    while (isSpace(this.text[this.i])) this.i++;
  }

  /** Skips a string literal at the cursor; returns its raw text. */
  str(): string {
    const start = this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') this.i += this.text[this.i] === '\\' ? 2 : 1;
    this.i++;
    return this.text.slice(start, this.i);
  }

  /** Skips the value at the cursor; returns [start, end) of its text. */
  skip(): [number, number] {
    this.ws();
    const start = this.i;
    const ch = this.text[this.i];
    if (ch === '"') this.str();
    else if (ch === '{' || ch === '[') {
      let depth = 0;
      do {
        const c = this.text[this.i];
        if (c === '"') {
          this.str();
          continue;
        }
        if (c === '{' || c === '[') depth++;
        else if (c === '}' || c === ']') depth--;
        this.i++;
      } while (depth > 0 && this.i < this.text.length);
    } else {
      while (this.i < this.text.length && !/[\s,}\]]/.test(this.text[this.i])) this.i++;
    }
    return [start, this.i];
  }

  /** Moves the cursor to the member `key` (the last of that name, as JSON.parse keeps) or item `index`. */
  enter(seg: string | number): boolean {
    this.ws();
    const open = this.text[this.i];
    if (open !== (typeof seg === 'number' ? '[' : '{')) return false;
    this.i++;
    let found = -1;
    for (let n = 0; ; n++) {
      this.ws();
      if (this.text[this.i] === '}' || this.text[this.i] === ']' || this.i >= this.text.length) break;
      let hit = n === seg;
      if (open === '{') {
        const raw = this.str();
        hit = (raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1)) === seg;
        this.ws();
        this.i++; // ':'
      }
      this.ws();
      if (hit) found = this.i;
      this.skip();
      this.ws();
      if (this.text[this.i] === ',') this.i++;
    }
    if (found < 0) return false;
    this.i = found;
    return true;
  }
}

/**
 * The raw text of the value at `path` (member names and item indexes) in the JSON `text`, or
 * undefined when the path is not there or the text is not JSON.
 */
export function jsonLiteralAt(text: string, path: readonly (string | number)[]): string | undefined {
  const scan = new Scan(text);
  try {
    for (const seg of path) if (!scan.enter(seg)) return undefined;
    const [start, end] = scan.skip();
    return start < end ? text.slice(start, end) : undefined;
  } catch {
    return undefined;
  }
}
