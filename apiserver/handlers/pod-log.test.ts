import { describe, expect, it } from 'vitest';
import { ApiError } from '../../pkg/errors/index.ts';
import { decodeLogOptions, kubeletLogQuery, validateLogOptions } from './pod-log.ts';

const decodeError = (query: Record<string, string>) => {
  try {
    decodeLogOptions(query);
  } catch (err) {
    return [(err as ApiError).code, (err as ApiError).reason, (err as ApiError).message];
  }
  return undefined;
};

describe('PodLogOptions from the query', () => {
  it('decodes booleans as upstream: anything but 0/false is true, so Python clients follow', () => {
    const opts = decodeLogOptions({ follow: 'True', previous: '1', timestamps: 'false', container: 'c' });
    expect(opts).toEqual({ container: 'c', follow: true, previous: true, timestamps: false, sinceSeconds: undefined, sinceTime: undefined, tailLines: undefined, limitBytes: undefined });
    expect(kubeletLogQuery(opts).toString()).toBe('follow=true&previous=true');
  });

  it('passes integers and sinceTime on in canonical form', () => {
    const opts = decodeLogOptions({ tailLines: '+10', limitBytes: '4096', sinceTime: '2026-01-01T00:00:00Z' });
    expect(kubeletLogQuery(opts).toString()).toBe('sinceTime=2026-01-01T00%3A00%3A00Z&tailLines=10&limitBytes=4096');
  });

  it.each([
    [{ tailLines: 'abc' }, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    [{ tailLines: '' }, 'strconv.ParseInt: parsing "": invalid syntax'],
    [{ limitBytes: '1e3' }, 'strconv.ParseInt: parsing "1e3": invalid syntax'],
    [{ sinceSeconds: '99999999999999999999' }, 'strconv.ParseInt: parsing "99999999999999999999": value out of range'],
    [{ sinceTime: 'garbage' }, 'parsing time "garbage" as "2006-01-02T15:04:05Z07:00": cannot parse "garbage" as "2006"'],
  ])('%o is a 400 with Go\'s text', (query, message) => {
    expect(decodeError(query)).toEqual([400, 'BadRequest', message]);
  });

  it('validates what decodes (422 causes, upstream ValidatePodLogOptions)', () => {
    const errs = validateLogOptions(decodeLogOptions({ tailLines: '-1', limitBytes: '0', sinceSeconds: '0', sinceTime: '2026-01-01T00:00:00Z' }));
    expect(errs.map((e) => `${e.field}: ${e.detail}`)).toEqual([
      'tailLines: Invalid value: -1: must be greater than or equal to 0',
      'limitBytes: Invalid value: 0: must be greater than 0',
      'sinceSeconds: Invalid value: 0: must be greater than 0',
      ': Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified',
    ]);
    expect(validateLogOptions(decodeLogOptions({ tailLines: '0', sinceSeconds: '5' }))).toEqual([]);
  });
});
