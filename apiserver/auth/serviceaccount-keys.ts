/**
 * The API server's service-account token settings from its flags (upstream kube-apiserver's
 * `--service-account-signing-key-file`, `--service-account-key-file`, `--service-account-issuer`,
 * `--api-audiences`, `--service-account-max-token-expiration`): the keys read and parsed, the
 * defaults applied.
 */
import type { KeyObject } from 'node:crypto';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER } from '../../pkg/auth/serviceaccount-claims.ts';
import { parsePrivateKeyPem, parsePublicKeysPem, publicKeyOf, algorithmFor } from '../../pkg/auth/serviceaccount-jwt.ts';
import type { ServiceAccountTokenSettings } from '../../pkg/auth/serviceaccount-token.ts';
import { readFlagFile } from '../../pkg/util/read-flag-file.ts';
import { UserError } from '../../pkg/util/user-error.ts';

/** How the server issues tokens (TokenRequest); absent when it has no signing key. */
export interface ServiceAccountTokenIssuer {
  /** The private key tokens are signed with. */
  signingKey: KeyObject;
  /** The `iss` of issued tokens (the first `--service-account-issuer`). */
  issuer: string;
  /** Requests for longer tokens are shortened to this (`--service-account-max-token-expiration`). */
  maxExpirationSeconds?: number;
}

/**
 * Everything about service-account tokens: how they are verified (always, when configured) and,
 * with a signing key, how they are issued. Built once at start-up; immutable.
 */
export interface ServiceAccountTokenConfig {
  verification: ServiceAccountTokenSettings;
  issuing?: ServiceAccountTokenIssuer;
}

/** The flag values (already validated by the server's zod schema). */
export interface ServiceAccountTokenFlags {
  signingKeyFile?: string;
  keyFiles: readonly string[];
  issuers: readonly string[];
  apiAudiences: readonly string[];
  maxTokenExpirationSeconds?: number;
}

/**
 * Key material in memory → the configuration, with upstream's defaults: issuers default to
 * {@link DEFAULT_SERVICE_ACCOUNT_ISSUER}, API audiences to the issuers, verifying keys to the
 * signing key's public half. Undefined when there is neither a signing key nor a verifying key. Pure.
 */
export function serviceAccountTokenConfig(options: { signingKey?: KeyObject; publicKeys: readonly KeyObject[]; issuers: readonly string[]; apiAudiences: readonly string[]; maxTokenExpirationSeconds?: number }): ServiceAccountTokenConfig | undefined {
  const { signingKey } = options;
  if (!signingKey && options.publicKeys.length === 0) return undefined;
  const issuers = options.issuers.length ? [...options.issuers] : [DEFAULT_SERVICE_ACCOUNT_ISSUER];
  const apiAudiences = options.apiAudiences.length ? [...options.apiAudiences] : [...issuers];
  const publicKeys = options.publicKeys.length ? [...options.publicKeys] : [publicKeyOf(signingKey as KeyObject)];
  return {
    verification: { publicKeys, issuers, apiAudiences },
    ...(signingKey ? { issuing: { signingKey, issuer: issuers[0], ...(options.maxTokenExpirationSeconds ? { maxExpirationSeconds: options.maxTokenExpirationSeconds } : {}) } } : {}),
  };
}

function parseKeyFile<T>(flag: string, path: string, parse: (pem: Buffer) => T): T {
  const pem = readFlagFile(flag, path);
  try {
    return parse(pem);
  } catch (err) {
    throw new UserError(`${flag} ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Reads the key files the flags name; throws a {@link UserError} naming the flag for an unreadable or unusable file. */
export function readServiceAccountTokenConfig(flags: ServiceAccountTokenFlags): ServiceAccountTokenConfig | undefined {
  const signingKey = flags.signingKeyFile
    ? parseKeyFile('--service-account-signing-key-file', flags.signingKeyFile, (pem) => {
        const key = parsePrivateKeyPem(pem);
        algorithmFor(key);
        return key;
      })
    : undefined;
  const publicKeys = flags.keyFiles.flatMap((path) => parseKeyFile('--service-account-key-file', path, parsePublicKeysPem));
  return serviceAccountTokenConfig({ signingKey, publicKeys, issuers: flags.issuers, apiAudiences: flags.apiAudiences, maxTokenExpirationSeconds: flags.maxTokenExpirationSeconds });
}
