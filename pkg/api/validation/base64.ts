/**
 * `[]byte` fields travel as standard base64 (Go `encoding/base64.StdEncoding`). A value that is
 * not valid base64 fails decoding with Go's message, as upstream's JSON decoder does.
 */
import { z } from 'zod';

const base64Re = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Byte offset of the first illegal base64 input, or -1 when the text is valid. */
export function illegalBase64Offset(text: string): number {
  if (base64Re.test(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!/[A-Za-z0-9+/=]/.test(c)) return i;
    if (c === '=') {
      // Padding may only complete the current quantum; anything after it is illegal.
      const padEnd = i % 4 === 2 && text[i + 1] === '=' ? i + 2 : i % 4 === 3 ? i + 1 : -1;
      if (padEnd < 0) return i;
      return padEnd < text.length ? padEnd : -1;
    }
  }
  return Math.floor(text.length / 4) * 4;
}

export const base64String = z.string().superRefine((text, ctx) => {
  const at = illegalBase64Offset(text);
  if (at >= 0) ctx.addIssue({ code: 'custom', message: `illegal base64 data at input byte ${at}` });
});

/** Number of bytes a valid base64 text decodes to. */
export function decodedLength(text: string): number {
  return Buffer.from(text, 'base64').length;
}
