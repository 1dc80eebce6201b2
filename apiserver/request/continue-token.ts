/**
 * `continue` tokens: base64url JSON `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key after prefix>\u0000"}`,
 * the same shape as upstream's (apiserver `storage.EncodeContinue`), decoded with its rules and
 * messages (`storage.DecodeContinue`). Opaque to clients. A negative revision means "the latest":
 * upstream hands out such a token with the 410 for a compacted snapshot.
 */
import { posix } from 'node:path';
import { badRequest } from '../../pkg/errors/index.ts';
import { goJsonSyntaxError } from '../../pkg/util/go-json-syntax.ts';
import { jsonKindName } from '../../pkg/api/validation/json-kind.ts';

export interface ContinuePosition {
  /** The snapshot to continue in; `undefined` for the latest. */
  revision: number | undefined;
  /** Storage key to continue after (exclusive). */
  startAfter: string;
}

const API_VERSION = 'meta.k8s.io/v1';

export function encodeContinueToken(options: { revision: number; startAfter: string; prefix: string }): string {
  const relative = options.startAfter.startsWith(options.prefix) ? options.startAfter.slice(options.prefix.length) : options.startAfter;
  const json = JSON.stringify({ v: API_VERSION, rv: options.revision, start: `${relative}\u0000` });
  return Buffer.from(json).toString('base64url');
}

/** Decodes a token into its position under `prefix`, or throws upstream's 400 `invalid continue token: …`. */
export function decodeContinueToken(token: string, prefix: string): ContinuePosition {
  const invalidToken = (why: string) => badRequest(`invalid continue token: continue key is not valid: ${why}`);
  const illegal = illegalRawUrlBase64Offset(token);
  if (illegal >= 0) throw invalidToken(`illegal base64 data at input byte ${illegal}`);
  const bytes = Buffer.from(token, 'base64url');
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw invalidToken(goJsonSyntaxError(bytes) ?? (err as Error).message);
  }
  const fields = tokenFields(parsed);
  if (typeof fields === 'string') throw invalidToken(fields);
  if (fields.v !== API_VERSION) throw invalidToken(`server does not recognize this encoded version ${fields.v}`);
  if (fields.rv === 0) throw invalidToken(`incorrect encoded start resourceVersion (version ${API_VERSION})`);
  if (fields.start === '') throw invalidToken(`encoded start key empty (version ${API_VERSION})`);
  // Path traversal: the start key, made absolute, must already be clean.
  const absolute = fields.start.startsWith('/') ? fields.start : `/${fields.start}`;
  if (posix.normalize(absolute) !== absolute || (absolute.length > 1 && absolute.endsWith('/'))) throw invalidToken(fields.start);
  const start = absolute.slice(1);
  return { revision: fields.rv > 0 ? fields.rv : undefined, startAfter: prefix + (start.endsWith('\u0000') ? start.slice(0, -1) : start) };
}

/** The token's fields as Go's `json.Unmarshal` into upstream's struct sees them, or its type error. */
function tokenFields(parsed: unknown): { v: string; rv: number; start: string } | string {
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return parsed === null ? { v: '', rv: 0, start: '' } : `json: cannot unmarshal ${jsonKindName(parsed)} into Go value of type storage.continueToken`;
  }
  const fields = { v: '', rv: 0, start: '' };
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const field = (['v', 'rv', 'start'] as const).find((f) => f === key.toLowerCase());
    if (!field || value === null) continue;
    const goType = field === 'rv' ? 'int64' : 'string';
    const fits = field === 'rv' ? typeof value === 'number' && Number.isSafeInteger(value) : typeof value === 'string';
    if (!fits) {
      const shown = typeof value === 'number' ? `number ${value}` : jsonKindName(value);
      return `json: cannot unmarshal ${shown} into Go struct field continueToken.${field} of type ${goType}`;
    }
    (fields as Record<string, unknown>)[field] = value;
  }
  return fields;
}

/**
 * Offset of the first byte Go's `base64.RawURLEncoding` refuses (`-` and `_` alphabet, no
 * padding; CR and LF skipped), or -1 when the whole text decodes.
 */
function illegalRawUrlBase64Offset(text: string): number {
  let symbols = 0;
  let lastSymbol = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') continue;
    if (!/[A-Za-z0-9_-]/.test(c)) return i;
    symbols++;
    lastSymbol = i;
  }
  // A final quantum of one symbol cannot hold a byte.
  return symbols % 4 === 1 ? lastSymbol : -1;
}
