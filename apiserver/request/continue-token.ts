/**
 * `continue` tokens: base64 JSON `{"v":"meta.k8s.io/v1","rv":<revision>,"start":"<key after prefix>\u0000"}`,
 * the same shape as upstream's (storage/etcd3 `encodeContinue`). Opaque to clients.
 */
import { badRequest } from '../../pkg/errors/index.ts';

export interface ContinuePosition {
  revision: number;
  /** Storage key to continue after (exclusive). */
  startAfter: string;
}

export function encodeContinueToken(options: { revision: number; startAfter: string; prefix: string }): string {
  const relative = options.startAfter.startsWith(options.prefix) ? options.startAfter.slice(options.prefix.length) : options.startAfter;
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv: options.revision, start: `${relative}\u0000` });
  return Buffer.from(json).toString('base64url').replace(/=+$/, '');
}

export function decodeContinueToken(token: string, prefix: string): ContinuePosition {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  if (parsed.v !== 'meta.k8s.io/v1') throw badRequest('continue key is not valid: server does not recognize this encoded version');
  if (typeof parsed.rv !== 'number' || !Number.isInteger(parsed.rv) || parsed.rv <= 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || parsed.start.length === 0) throw badRequest('continue key is not valid: encoded start key empty');
  const start = parsed.start.endsWith('\u0000') ? parsed.start.slice(0, -1) : parsed.start;
  if (start.includes('..') || start.startsWith('/')) throw badRequest('continue key is not valid: key must be relative');
  return { revision: parsed.rv, startAfter: prefix + start };
}
