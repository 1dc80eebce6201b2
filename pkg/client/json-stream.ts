/**
 * Splits a byte stream of concatenated JSON values (a watch body: one `{"type","object"}` per
 * event, newline-separated or not) into parsed values, without buffering the whole body.
 */

/** Incremental splitter: feed text chunks, get every complete top-level JSON object. */
export class JsonObjectSplitter {
  private buffer = '';
  private depth = 0;
  private inString = false;
  private escaped = false;
  private start = -1;
  private scanned = 0;

  /** Adds text; returns the raw text of every object completed by it. */
  push(chunk: string): string[] {
    this.buffer += chunk;
    const out: string[] = [];
    for (let i = this.scanned; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') {
        if (this.depth === 0) this.start = i;
        this.depth++;
      } else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0 && this.start >= 0) {
          out.push(this.buffer.slice(this.start, i + 1));
          this.start = -1;
        }
      }
    }
    if (this.depth === 0) {
      this.buffer = '';
      this.scanned = 0;
    } else {
      this.buffer = this.buffer.slice(this.start);
      this.scanned = this.buffer.length;
      this.start = 0;
    }
    return out;
  }

  /** Whether it is inside an object (the next text continues it). */
  get busy(): boolean {
    return this.depth > 0;
  }

  /** Text of an unfinished object at end of stream ('' when none). */
  remainder(): string {
    return this.depth > 0 ? this.buffer : '';
  }
}

/**
 * Parses a stream of chunks into JSON values. A malformed value throws a SyntaxError.
 *
 * API servers (k8ts and upstream) end every watch event with a newline, and JSON text has no raw
 * newline inside a string, so a line that starts with `{` and ends with `}` and parses is exactly
 * one object: it goes straight to `JSON.parse`, without the character-by-character
 * {@link JsonObjectSplitter} (which every watch event went through). Anything else — objects
 * spread over lines, several on one line, streams without newlines — takes the splitter. Text
 * after the last newline waits for the next chunk, unless it ends with `}` (a stream without
 * newlines) and may hold complete objects.
 */
export async function* parseJsonStream(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const splitter = new JsonObjectSplitter();
  const decoder = new TextDecoder();
  let tail = '';
  for await (const chunk of chunks) {
    const text = tail + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    tail = '';
    let from = 0;
    // Line by line: the splitter gets a line only while it is inside an object or when the line
    // is not exactly one object; a newline is whitespace to it, so it may stop at any.
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
      const line = text.slice(from, nl + 1);
      from = nl + 1;
      const value = splitter.busy ? undefined : parseObjectLine(line);
      if (value !== undefined) yield value;
      else for (const raw of splitter.push(line)) yield JSON.parse(raw);
    }
    const rest = text.slice(from);
    if (splitter.busy || rest.trimEnd().endsWith('}')) for (const raw of splitter.push(rest)) yield JSON.parse(raw);
    else tail = rest;
  }
  for (const raw of splitter.push(tail)) yield JSON.parse(raw);
}

/** The object a line holds when it is exactly one; undefined otherwise (the splitter decides). */
function parseObjectLine(line: string): unknown {
  const t = line.trim();
  if (t[0] !== '{' || t[t.length - 1] !== '}') return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}
