/**
 * Keys that expire: upstream's per-resource `TTLFunc` (events live `--event-ttl`, 1 h by
 * default, after their last write). A storage given these rules attaches the expiry to every
 * create and update of a key under a rule's prefix; the key is then deleted by the store (a
 * watch sees an ordinary delete) unless written again before it expires.
 */

/** Keys under `prefix` expire `seconds` after their last write. */
export interface KeyTtl {
  prefix: string;
  seconds: number;
}

/** The TTL of `key` under the first rule whose prefix it has, or undefined (never expires); pure. */
export function ttlSecondsFor(rules: readonly KeyTtl[], key: string): number | undefined {
  for (const rule of rules) if (key.startsWith(rule.prefix)) return rule.seconds;
  return undefined;
}
