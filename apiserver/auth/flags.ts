/**
 * The API server's authentication/authorization flags turned into settings: `--token-auth-file`
 * read and parsed, `--authorization-mode` validated.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../../pkg/util/process.ts';
import { AUTHORIZATION_MODES, type AuthorizationMode } from './authorizer.ts';
import { parseTokenFile } from './token-file.ts';
import type { UserInfo } from '../../pkg/auth/user.ts';

/** `Node,RBAC` → the modes, in order; throws UsageError for an unknown or empty mode. Pure. */
export function parseAuthorizationModes(value: string): AuthorizationMode[] {
  const modes = value.split(',').map((m) => m.trim());
  for (const m of modes) {
    if (!(AUTHORIZATION_MODES as readonly string[]).includes(m)) throw new UsageError(`--authorization-mode: unknown authorization mode "${m}" (supported: ${AUTHORIZATION_MODES.join(', ')})`);
  }
  return modes as AuthorizationMode[];
}

/** Reads and parses a `--token-auth-file`. */
export function readTokenFile(path: string): Map<string, UserInfo> {
  return parseTokenFile(readFileSync(path, 'utf8'), path);
}
