import { describe, expect, it } from 'vitest';
import { goRFC3339ParseError, goTimeQuote } from './go-time-parse.ts';
import { isRFC3339, timeDecodeError, TimeStringSchema } from './micro-time.ts';

const as = (value: string, rest: string, elem: string) =>
  `parsing time ${value} as "2006-01-02T15:04:05Z07:00": cannot parse ${rest} as "${elem}"`;

describe('goRFC3339ParseError (Go time.Parse(time.RFC3339, v))', () => {
  it.each([
    ['yesterday', as('"yesterday"', '"yesterday"', '2006')],
    ['', as('""', '""', '2006')],
    ['20x4-01-02T03:04:05Z', as('"20x4-01-02T03:04:05Z"', '"20x4-01-02T03:04:05Z"', '2006')],
    ['2024/01/02T03:04:05Z', as('"2024/01/02T03:04:05Z"', '"/01/02T03:04:05Z"', '-')],
    ['99999-01-01T00:00:00Z', as('"99999-01-01T00:00:00Z"', '"9-01-01T00:00:00Z"', '-')],
    ['2024-1-02T03:04:05Z', as('"2024-1-02T03:04:05Z"', '"1-02T03:04:05Z"', '01')],
    ['2024-01-02', as('"2024-01-02"', '""', 'T')],
    ['2024-01-02 03:04:05Z', as('"2024-01-02 03:04:05Z"', '" 03:04:05Z"', 'T')],
    ['2024-01-02t03:04:05Z', as('"2024-01-02t03:04:05Z"', '"t03:04:05Z"', 'T')],
    ['2024-01-02Tab:04:05Z', as('"2024-01-02Tab:04:05Z"', '"ab:04:05Z"', '15')],
    ['2024-01-02T03:4:05Z', as('"2024-01-02T03:4:05Z"', '"4:05Z"', '04')],
    ['2024-01-02T03:04:05', as('"2024-01-02T03:04:05"', '""', 'Z07:00')],
    ['2024-01-02T03:04:05z', as('"2024-01-02T03:04:05z"', '"z"', 'Z07:00')],
    ['2024-01-02T03:04:05.Z', as('"2024-01-02T03:04:05.Z"', '".Z"', 'Z07:00')],
    ['2024-01-02T03:04:05+0530', as('"2024-01-02T03:04:05+0530"', '"+0530"', 'Z07:00')],
    ['2024-01-02T03:04:05x05:30', as('"2024-01-02T03:04:05x05:30"', '"x05:30"', 'Z07:00')],
    ['2024-01-02T03:04:05ZZ', 'parsing time "2024-01-02T03:04:05ZZ": extra text: "Z"'],
    ['2024-02-30T03:04:05Zx', 'parsing time "2024-02-30T03:04:05Zx": extra text: "x"'],
    ['2024-13-02T03:04:05Z', 'parsing time "2024-13-02T03:04:05Z": month out of range'],
    ['2024-00-02T03:04:05Z', 'parsing time "2024-00-02T03:04:05Z": month out of range'],
    ['2024-02-30T03:04:05Z', 'parsing time "2024-02-30T03:04:05Z": day out of range'],
    ['2023-02-29T03:04:05Z', 'parsing time "2023-02-29T03:04:05Z": day out of range'],
    ['2024-04-00T03:04:05Z', 'parsing time "2024-04-00T03:04:05Z": day out of range'],
    ['2024-01-02T24:00:00Z', 'parsing time "2024-01-02T24:00:00Z": hour out of range'],
    ['2024-01-02T03:60:00Z', 'parsing time "2024-01-02T03:60:00Z": minute out of range'],
    ['2024-01-02T03:04:60Z', 'parsing time "2024-01-02T03:04:60Z": second out of range'],
    ['2024-01-02T03:04:05+25:00', 'parsing time "2024-01-02T03:04:05+25:00": time zone offset hour out of range'],
    ['2024-01-02T03:04:05+25:61', 'parsing time "2024-01-02T03:04:05+25:61": time zone offset minute out of range'],
    ['it\'s "now"', as('"it\'s \\"now\\""', '"it\'s \\"now\\""', '2006')],
  ])('%j', (value, message) => {
    expect(goRFC3339ParseError(value)).toBe(message);
  });

  it.each([
    '2024-01-02T03:04:05Z',
    '2024-02-29T03:04:05Z',
    '2024-01-02T03:04:05.123456789+05:30',
    '2024-01-02T03:04:05,5Z',
    '2024-01-02T3:04:05Z',
    '2024-01-02T03:04:05+24:00',
    '0000-01-01T00:00:00Z',
  ])('accepts %s, as Go does', (value) => {
    expect(goRFC3339ParseError(value)).toBeUndefined();
    expect(isRFC3339(value)).toBe(true);
  });

  it('quotes as Go\'s time package does', () => {
    expect(goTimeQuote('héllo\n\\')).toBe('"h\\xc3\\xa9llo\\x0a\\\\"');
  });
});

describe('timeDecodeError (metav1.Time.UnmarshalJSON)', () => {
  it.each([
    ['2024-01-02T03:04:05Z', undefined],
    [null, undefined],
    ['yesterday', as('"yesterday"', '"yesterday"', '2006')],
    [5, 'json: cannot unmarshal number into Go value of type string'],
    [true, 'json: cannot unmarshal bool into Go value of type string'],
    [{}, 'json: cannot unmarshal object into Go value of type string'],
    [[], 'json: cannot unmarshal array into Go value of type string'],
  ])('%j → %s', (value, message) => {
    expect(timeDecodeError(value)).toBe(message);
  });

  it('TimeStringSchema refuses with the same words as a custom issue', () => {
    const result = TimeStringSchema.safeParse('2024-01-02');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ code: 'custom', message: as('"2024-01-02"', '""', 'T') });
  });
});
