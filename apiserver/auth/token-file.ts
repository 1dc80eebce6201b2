/**
 * Static bearer tokens (`--token-auth-file`), upstream's CSV format: one record per line,
 * `token,user,uid[,"group1,group2"]`. Blank lines are skipped; a record with an empty token is
 * skipped; a later duplicate token wins (upstream warns and overwrites).
 */
import type { UserInfo } from '../../pkg/auth/user.ts';

/** A token file that cannot be used (the API server refuses to start). */
export class TokenFileError extends Error {}

/** Splits one CSV line into fields (RFC 4180 quotes, `""` escapes, leading spaces trimmed). Pure. */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new TokenFileError(`extraneous or missing " in quoted-field: ${line}`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') throw new TokenFileError(`extraneous or missing " in quoted-field: ${line}`);
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    fields.push(field);
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

/**
 * Parses a token file's text into token → user (groups split on commas). Throws
 * {@link TokenFileError} for a record with fewer than 3 columns. Pure.
 */
export function parseTokenFile(text: string, path = 'token file'): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  for (const raw of text.split(/\r?\n/)) {
    if (raw.trim() === '') continue;
    const record = splitCsvLine(raw);
    if (record.length < 3) throw new TokenFileError(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    const [token, username, uid, groups] = record;
    if (token === '') continue;
    tokens.set(token, { username, uid, groups: groups !== undefined && groups !== '' ? groups.split(',') : [] });
  }
  return tokens;
}
