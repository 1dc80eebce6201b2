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

  /** Text of an unfinished object at end of stream ('' when none). */
  remainder(): string {
    return this.depth > 0 ? this.buffer : '';
  }
}

/** Parses a stream of chunks into JSON values. A malformed value throws a SyntaxError. */
export async function* parseJsonStream(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<unknown> {
  const splitter = new JsonObjectSplitter();
  const decoder = new TextDecoder();
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    for (const raw of splitter.push(text)) yield JSON.parse(raw);
  }
}
