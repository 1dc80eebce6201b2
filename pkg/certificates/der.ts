/**
 * A minimal DER (ASN.1) reader: enough to walk a PKCS#10 certificate request. Every function is
 * pure and throws {@link DerError} on malformed input instead of reading past the buffer.
 */

/** Malformed DER. */
export class DerError extends Error {}

/** One TLV element: its tag byte, its content bytes and the whole encoding. */
export interface DerElement {
  tag: number;
  /** The content octets. */
  content: Buffer;
  /** Tag + length + content, as it appears in the input. */
  raw: Buffer;
}

/** Reads the element starting at `offset`; returns it and the offset after it. Pure. */
export function readElement(buf: Buffer, offset = 0): { element: DerElement; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || offset + 2 + bytes > buf.length) throw new DerError('bad DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[offset + 2 + i];
    header += bytes;
  }
  const end = offset + header + length;
  if (end > buf.length) throw new DerError('truncated DER element');
  return { element: { tag, content: buf.subarray(offset + header, end), raw: buf.subarray(offset, end) }, next: end };
}

/** The elements inside a constructed element (SEQUENCE, SET, context tags). Pure. */
export function children(element: DerElement): DerElement[] {
  const out: DerElement[] = [];
  let offset = 0;
  while (offset < element.content.length) {
    const { element: child, next } = readElement(element.content, offset);
    out.push(child);
    offset = next;
  }
  return out;
}

/** Decodes an OBJECT IDENTIFIER's content as dotted text. Pure. */
export function decodeOid(content: Buffer): string {
  if (content.length === 0) throw new DerError('empty OID');
  const parts = [Math.floor(content[0] / 40), content[0] % 40];
  let value = 0;
  for (let i = 1; i < content.length; i++) {
    value = value * 128 + (content[i] & 0x7f);
    if (!(content[i] & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The PEM blocks of a text: type and DER bytes. Pure. */
export function pemBlocks(text: string): Array<{ type: string; der: Buffer }> {
  const out: Array<{ type: string; der: Buffer }> = [];
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push({ type: m[1], der: Buffer.from(m[2].replace(/\s+/g, ''), 'base64') });
  return out;
}
