/**
 * Decisions of the bootstrap-token controllers, pure: which tokens sign cluster-info and when a
 * token Secret is due for deletion.
 */
import type { Secret } from '../../../pkg/api/core/v1/secret.ts';
import { isExpired, readBootstrapTokenSecret } from '../../../pkg/bootstrap/token.ts';
import type { DeepReadonly } from '../../../pkg/informer/index.ts';

/** id → secret of the tokens usable for signing now (type, usage-bootstrap-signing, not expired, not deleting). Pure. */
export function signingTokens(secrets: ReadonlyArray<DeepReadonly<Secret>>, now: Date): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of secrets) {
    if (s.metadata.deletionTimestamp) continue;
    const token = readBootstrapTokenSecret(s as Secret);
    if (token && token.usages.includes('signing') && !isExpired(token.expiration, now)) out.set(token.id, token.secret);
  }
  return out;
}

/** `delete` when a bootstrap-token Secret has expired, `{ inMs }` until it will, `keep` when it never does. Pure. */
export function tokenCleanup(secret: DeepReadonly<Secret>, now: Date): 'delete' | 'keep' | { inMs: number } {
  const token = readBootstrapTokenSecret(secret as Secret);
  if (!token?.expiration) return 'keep';
  if (isExpired(token.expiration, now)) return 'delete';
  return { inMs: Date.parse(token.expiration) - now.getTime() };
}
