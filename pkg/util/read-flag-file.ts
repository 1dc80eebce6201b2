import { readFileSync } from 'node:fs';
import { UserError } from './user-error.ts';

/**
 * Reads the file a flag names; a file that cannot be read is the user's to fix, so the error is
 * a {@link UserError} naming the flag (`--client-ca-file /x: ENOENT: no such file or directory, open '/x'`).
 */
export function readFlagFile(flag: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UserError(`${flag} ${path}: ${(err as Error).message}`, { cause: err });
  }
}
