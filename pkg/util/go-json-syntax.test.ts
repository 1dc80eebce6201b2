import { describe, expect, it } from 'vitest';
import { goJsonSyntaxError, goQuoteChar } from './go-json-syntax.ts';

describe('goJsonSyntaxError', () => {
  it.each([
    ['{"a":1}', undefined],
    [' [1, -2.5e+3, "x\\u00e9", true, false, null, {}] \n', undefined],
    ['', 'unexpected end of JSON input'],
    ['  ', 'unexpected end of JSON input'],
    ['{"a":', 'unexpected end of JSON input'],
    ['"abc', 'unexpected end of JSON input'],
    ['{x}', "invalid character 'x' looking for beginning of object key string"],
    ['{"kind":"Pod",}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['{"a":1 "b":2}', `invalid character '"' after object key:value pair`],
    ['[1,2', 'unexpected end of JSON input'],
    ['[1 2]', "invalid character '2' after array element"],
    ['[1,]', "invalid character ']' looking for beginning of value"],
    ['nul', "invalid character ' ' in literal null (expecting 'l')"],
    ['nul\n', "invalid character '\\n' in literal null (expecting 'l')"],
    ['tx', "invalid character 'x' in literal true (expecting 'r')"],
    ['fals', "invalid character ' ' in literal false (expecting 'e')"],
    ['-', "invalid character ' ' in numeric literal"],
    ['-a', "invalid character 'a' in numeric literal"],
    ['1.', "invalid character ' ' after decimal point in numeric literal"],
    ['1e', "invalid character ' ' in exponent of numeric literal"],
    ['01', "invalid character '1' after top-level value"],
    ['{"a":1} x', "invalid character 'x' after top-level value"],
    ['"a\tb"', "invalid character '\\t' in string literal"],
    ['"\\x"', "invalid character 'x' in string escape code"],
    ['"\\u12G4"', "invalid character 'G' in \\u hexadecimal character escape"],
    ["'a'", "invalid character '\\'' looking for beginning of value"],
    ['\u00e9', "invalid character 'Ã' looking for beginning of value"],
  ])('%j → %s', (text, message) => {
    expect(goJsonSyntaxError(text)).toBe(message);
  });
});

describe('goQuoteChar', () => {
  it.each([
    [0x22, `'"'`],
    [0x5c, "'\\\\'"],
    [0x00, "'\\x00'"],
    [0x7f, "'\\x7f'"],
    [0x85, "'\\u0085'"],
    [0xa0, "'\\u00a0'"],
    [0xe9, "'é'"],
  ])('%i → %s', (c, quoted) => {
    expect(goQuoteChar(c)).toBe(quoted);
  });
});
