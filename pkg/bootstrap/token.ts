/**
 * Bootstrap tokens as upstream (k8s.io/cluster-bootstrap): `<id>.<secret>` with a 6-character id
 * and a 16-character secret of `[a-z0-9]`, stored as the Secret `kube-system/bootstrap-token-<id>`
 * of type `bootstrap.kubernetes.io/token`. Everything here is pure.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../api/core/v1/secret.ts';

/** The Secret type of bootstrap tokens. */
export const BOOTSTRAP_TOKEN_SECRET_TYPE = 'bootstrap.kubernetes.io/token';
/** Bootstrap-token Secrets live here. */
export const BOOTSTRAP_TOKEN_NAMESPACE = 'kube-system';
/** Prefix of a bootstrap-token Secret's name. */
export const BOOTSTRAP_TOKEN_SECRET_PREFIX = 'bootstrap-token-';
/** Prefix of the user a bootstrap token authenticates as. */
export const BOOTSTRAP_USER_PREFIX = 'system:bootstrap:';
/** The group of every bootstrap-token user. */
export const BOOTSTRAPPERS_GROUP = 'system:bootstrappers';
/** The extra group kubeadm gives node-join tokens. */
export const DEFAULT_NODE_TOKEN_GROUP = 'system:bootstrappers:kubeadm:default-node-token';

const TOKEN = /^([a-z0-9]{6})\.([a-z0-9]{16})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A token split into its public id and its secret. */
export interface BootstrapToken {
  id: string;
  secret: string;
}

/** `<id>.<secret>` → its parts, or undefined when it does not have the bootstrap-token format. Pure. */
export function parseBootstrapToken(token: string): BootstrapToken | undefined {
  const m = TOKEN.exec(token);
  return m ? { id: m[1], secret: m[2] } : undefined;
}

/** The token's text `<id>.<secret>`. Pure. */
export function formatBootstrapToken(token: BootstrapToken): string {
  return `${token.id}.${token.secret}`;
}

/** A fresh random token (`random(n)` returns an integer in [0, n); default crypto). */
export function generateBootstrapToken(random: (n: number) => number = (n) => randomInt(n)): BootstrapToken {
  const pick = (len: number) => Array.from({ length: len }, () => ALPHABET[random(ALPHABET.length)]).join('');
  return { id: pick(6), secret: pick(16) };
}

/** The Secret name of a token id. Pure. */
export function bootstrapTokenSecretName(id: string): string {
  return `${BOOTSTRAP_TOKEN_SECRET_PREFIX}${id}`;
}

/** What `k8ts token create` stores. */
export interface BootstrapTokenSpec {
  token: BootstrapToken;
  /** Absent = never expires. */
  expiration?: Date;
  description?: string;
  usages: ReadonlyArray<'authentication' | 'signing'>;
  extraGroups: readonly string[];
}

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** The Secret holding a token (data base64-encoded, keys as upstream). Pure. */
export function bootstrapTokenSecret(spec: BootstrapTokenSpec): Secret {
  const data: Record<string, string> = { 'token-id': b64(spec.token.id), 'token-secret': b64(spec.token.secret) };
  if (spec.description) data.description = b64(spec.description);
  if (spec.expiration) data.expiration = b64(spec.expiration.toISOString().replace(/\.\d+Z$/, 'Z'));
  for (const usage of spec.usages) data[`usage-bootstrap-${usage}`] = b64('true');
  if (spec.extraGroups.length) data['auth-extra-groups'] = b64(spec.extraGroups.join(','));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name: bootstrapTokenSecretName(spec.token.id), namespace: BOOTSTRAP_TOKEN_NAMESPACE }, type: BOOTSTRAP_TOKEN_SECRET_TYPE, data } as Secret;
}

/** A bootstrap-token Secret as read back: undefined values when a key is absent. */
export interface StoredBootstrapToken {
  id: string;
  secret: string;
  expiration?: string;
  description?: string;
  usages: string[];
  extraGroups: string[];
}

/** A value of `data` (base64) or `stringData`, decoded. Pure. */
export function secretValue(secret: Pick<Secret, 'data' | 'stringData'>, key: string): string | undefined {
  const s = (secret as { stringData?: Record<string, string> }).stringData?.[key];
  if (s !== undefined) return s;
  const d = secret.data?.[key];
  return d === undefined ? undefined : Buffer.from(d, 'base64').toString('utf8');
}

/**
 * Reads a bootstrap-token Secret; undefined unless it has the right type, a name matching
 * `bootstrap-token-<token-id>` and both id and secret. Pure.
 */
export function readBootstrapTokenSecret(secret: Secret): StoredBootstrapToken | undefined {
  if ((secret as { type?: string }).type !== BOOTSTRAP_TOKEN_SECRET_TYPE) return undefined;
  const id = secretValue(secret, 'token-id');
  const tokenSecret = secretValue(secret, 'token-secret');
  if (!id || !tokenSecret || secret.metadata.name !== bootstrapTokenSecretName(id)) return undefined;
  const usages = Object.keys({ ...(secret.data ?? {}), ...((secret as { stringData?: object }).stringData ?? {}) })
    .filter((k) => k.startsWith('usage-bootstrap-') && secretValue(secret, k) === 'true')
    .map((k) => k.slice('usage-bootstrap-'.length))
    .sort();
  const groups = secretValue(secret, 'auth-extra-groups');
  return { id, secret: tokenSecret, expiration: secretValue(secret, 'expiration'), description: secretValue(secret, 'description'), usages, extraGroups: groups ? groups.split(',').map((g) => g.trim()).filter(Boolean) : [] };
}

/** Whether an RFC 3339 expiration lies at or before `now` (an unparsable one counts as expired). Pure. */
export function isExpired(expiration: string | undefined, now: Date): boolean {
  if (!expiration) return false;
  const t = Date.parse(expiration);
  return Number.isNaN(t) || t <= now.getTime();
}

/** Why a presented token was not accepted, or the user it is. */
export type BootstrapTokenCheck = { ok: true; user: { username: string; groups: string[] } } | { ok: false; reason: string };

/**
 * Upstream's bootstrap-token authenticator decision for a bearer token and the Secret named by
 * its id (undefined when absent): secret compared in constant time, not expired, authentication
 * usage set, extra groups all under `system:bootstrappers:`. Pure.
 */
export function checkBootstrapToken(token: string, secret: Secret | undefined, now: Date): BootstrapTokenCheck {
  const parsed = parseBootstrapToken(token);
  if (!parsed) return { ok: false, reason: 'not a bootstrap token' };
  if (!secret || secret.metadata.deletionTimestamp) return { ok: false, reason: `no secret of name ${bootstrapTokenSecretName(parsed.id)} to match bootstrap bearer token` };
  const stored = readBootstrapTokenSecret(secret);
  if (!stored) return { ok: false, reason: `secret ${secret.metadata.name} is not a bootstrap token` };
  const a = Buffer.from(stored.secret);
  const b = Buffer.from(parsed.secret);
  if (a.length !== b.length || !timingSafeEqual(a, b) || stored.id !== parsed.id) return { ok: false, reason: 'bootstrap token secret does not match' };
  if (isExpired(stored.expiration, now)) return { ok: false, reason: `bootstrap token ${parsed.id} has expired` };
  if (!stored.usages.includes('authentication')) return { ok: false, reason: `bootstrap token ${parsed.id} is not usable for authentication` };
  const bad = stored.extraGroups.find((g) => !g.startsWith(`${BOOTSTRAPPERS_GROUP}:`));
  if (bad) return { ok: false, reason: `bootstrap token ${parsed.id} has an invalid extra group ${JSON.stringify(bad)}` };
  return { ok: true, user: { username: `${BOOTSTRAP_USER_PREFIX}${parsed.id}`, groups: [BOOTSTRAPPERS_GROUP, ...stored.extraGroups] } };
}
