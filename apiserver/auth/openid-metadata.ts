/**
 * Service Account Issuer Discovery documents (upstream pkg/serviceaccount/openidmetadata.go,
 * `NewOpenIDMetadataProvider`): the OpenID Provider Configuration served at
 * {@link OPENID_CONFIG_PATH} and the key set served at {@link JWKS_PATH}, rendered once. Upstream's
 * extra checks apply: the issuer must be an `https` URL without query or fragment, `jwks_uri` is
 * `--service-account-jwks-uri` (https) or `https://<external address>/openid/v1/jwks`, and there
 * must be a key. When a check fails the endpoints are not served (the caller logs why). Pure.
 */
import type { KeyObject } from 'node:crypto';
import { publicJwks } from '../../pkg/auth/serviceaccount-jwks.ts';

/** Where the OpenID Provider Configuration is served (upstream `OpenIDConfigPath`). */
export const OPENID_CONFIG_PATH = '/.well-known/openid-configuration';
/** Where the key set is served (upstream `JWKSPath`). */
export const JWKS_PATH = '/openid/v1/jwks';
/** How long relying parties may cache both documents: upstream's static key getters say one hour. */
export const OPENID_METADATA_MAX_AGE_SECONDS = 3600;

/** What the documents are built from. */
export interface OpenIdMetadataInput {
  /** The first `--service-account-issuer` (undefined: no service-account tokens configured). */
  issuer?: string;
  /** `--service-account-jwks-uri`; empty or absent: derived from `externalAddress`. */
  jwksUri?: string;
  /** `host:port` the cluster reaches the API server at (upstream `ExternalAddress`; IPv6 hosts bracketed). */
  externalAddress: string;
  /** Every key that verifies service-account tokens. */
  publicKeys: readonly KeyObject[];
}

/** The pre-rendered bodies: exactly the bytes served, and the `Cache-Control` max-age. */
export interface OpenIdMetadata {
  configJson: string;
  keysetJson: string;
  maxAgeSeconds: number;
}

/** The documents, or why the endpoints are not served (upstream's error text). */
export type OpenIdMetadataResult = { ok: true; metadata: OpenIdMetadata } | { ok: false; reason: string };

/** JSON as Go's encoding/json writes it: `<`, `>`, `&`, U+2028 and U+2029 escaped. Pure. */
export function goJsonStringify(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The scheme of a URL reference as Go's url.Parse reads it (lower-cased; '' when there is none). */
function schemeOf(ref: string): string {
  return /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(ref)?.[1].toLowerCase() ?? '';
}

function parseUrl(ref: string): URL | string {
  try {
    return new URL(ref);
  } catch {
    return `parse ${JSON.stringify(ref)}: invalid URL`;
  }
}

/**
 * Upstream's start-up check of `--service-account-jwks-uri` (a valid https URL); the problem
 * in upstream's words, or undefined. Pure.
 */
export function jwksUriFlagProblem(jwksUri: string): string | undefined {
  const url = parseUrl(jwksUri);
  if (typeof url === 'string') return `service-account-jwks-uri must be a valid URL: ${url}`;
  if (url.protocol !== 'https:') return `service-account-jwks-uri requires https scheme, parsed as: ${jwksUri}`;
  return undefined;
}

/** Upstream's issuer checks; undefined when the issuer may be published. */
function issuerProblem(issuer: string): string | undefined {
  if (schemeOf(issuer) !== 'https') return `issuer URL must use https scheme, got: ${issuer}`;
  const url = parseUrl(issuer);
  if (typeof url === 'string') return url;
  if (url.search !== '') return `issuer URL may not include a query, got: ${issuer}`;
  if (url.hash !== '') return `issuer URL may not include a fragment, got: ${issuer}`;
  return undefined;
}

/** `--service-account-jwks-uri`, or the URI upstream derives from the external address. */
function resolveJwksUri(jwksUri: string | undefined, externalAddress: string): { uri: string } | { reason: string } {
  if (jwksUri) {
    const url = parseUrl(jwksUri);
    if (typeof url === 'string') return { reason: url };
    if (url.protocol !== 'https:') return { reason: `jwksURI requires https scheme, parsed as: ${jwksUri}` };
    return { uri: jwksUri };
  }
  const failed = (cause: string) => ({ reason: `attempted to build jwks_uri from external address ${externalAddress}, but could not construct a valid URL. Error: ${cause}` });
  if (!externalAddress) return failed('empty address');
  const expected = `https://${externalAddress}${JWKS_PATH}`;
  const url = parseUrl(expected);
  if (typeof url === 'string') return failed(url);
  // An address that is more than host:port (a scheme, a path, user info) lands elsewhere in the URL.
  if (/[/?#@]/.test(externalAddress) || url.pathname !== JWKS_PATH) return failed(`got ${url.href}, expected ${expected}`);
  return { uri: expected };
}

/** Builds both documents, or says why the endpoints stay off. Pure. */
export function buildOpenIdMetadata(input: OpenIdMetadataInput): OpenIdMetadataResult {
  if (!input.issuer) return { ok: false, reason: 'empty issuer URL' };
  if (!input.jwksUri && !input.externalAddress) return { ok: false, reason: 'either the JWKS URI or the default external address, or both, must be set' };
  const problem = issuerProblem(input.issuer);
  if (problem) return { ok: false, reason: problem };
  const jwks = resolveJwksUri(input.jwksUri, input.externalAddress);
  if ('reason' in jwks) return { ok: false, reason: jwks.reason };
  if (input.publicKeys.length === 0) return { ok: false, reason: 'no keys provided for validating keyset' };
  let keyset;
  try {
    keyset = publicJwks(input.publicKeys);
  } catch (err) {
    return { ok: false, reason: `could not marshal issuer keys JSON, error: ${(err as Error).message}` };
  }
  const config = {
    issuer: input.issuer,
    jwks_uri: jwks.uri,
    response_types_supported: ['id_token'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...new Set(keyset.keys.map((k) => k.alg))].sort(),
  };
  return { ok: true, metadata: { configJson: goJsonStringify(config), keysetJson: goJsonStringify(keyset), maxAgeSeconds: OPENID_METADATA_MAX_AGE_SECONDS } };
}
