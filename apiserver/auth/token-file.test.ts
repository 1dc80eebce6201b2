import { describe, expect, it } from 'vitest';
import { parseTokenFile, splitCsvLine, TokenFileError } from './token-file.ts';

describe('splitCsvLine', () => {
  it.each([
    ['a,b,c', ['a', 'b', 'c']],
    ['a,b,c,"g1,g2"', ['a', 'b', 'c', 'g1,g2']],
    ['a, b,  c', ['a', 'b', 'c']],
    ['"x""y",b,c', ['x"y', 'b', 'c']],
    ['a,,c,', ['a', '', 'c', '']],
  ])('%s', (line, fields) => expect(splitCsvLine(line)).toEqual(fields));

  it('rejects an unterminated quote', () => expect(() => splitCsvLine('a,"b')).toThrow(TokenFileError));
});

describe('parseTokenFile', () => {
  it.each([
    ['token,user,uid', { t: 'token', user: { username: 'user', uid: 'uid', groups: [] } }],
    ['token,user,uid,"system:masters,devs"', { t: 'token', user: { username: 'user', uid: 'uid', groups: ['system:masters', 'devs'] } }],
    ['token,user,uid,ops', { t: 'token', user: { username: 'user', uid: 'uid', groups: ['ops'] } }],
    ['\n\ntoken,user,uid\r\n', { t: 'token', user: { username: 'user', uid: 'uid', groups: [] } }],
  ])('%j', (text, { t, user }) => expect(parseTokenFile(text).get(t)).toEqual(user));

  it('skips empty tokens and lets a later duplicate win', () => {
    const tokens = parseTokenFile(',nobody,0\nt,first,1\nt,second,2\n');
    expect([...tokens.keys()]).toEqual(['t']);
    expect(tokens.get('t')?.username).toBe('second');
  });

  it('rejects a record with fewer than 3 columns, with upstream wording', () => {
    expect(() => parseTokenFile('t,user\n', '/etc/tokens.csv')).toThrow("token file '/etc/tokens.csv' must have at least 3 columns (token, user name, user uid), found 2");
  });
});
