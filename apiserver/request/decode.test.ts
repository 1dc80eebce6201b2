import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeWithSchema } from './decode.ts';

const info = {
  group: 'apps',
  version: 'v1',
  kind: 'ControllerRevision',
  schema: z.object({ metadata: z.object({ name: z.string().optional(), labels: z.record(z.string(), z.string()).optional() }), data: z.unknown().optional(), revision: z.number().optional() }) as never,
};

describe('decodeWithSchema', () => {
  it.each([
    ['drops null members elsewhere', {}, { metadata: { name: 'r' }, data: { spec: { template: { metadata: {} } } } }],
    ['keeps them inside raw JSON fields (RawExtension)', { rawFields: ['data'] }, { metadata: { name: 'r' }, data: { spec: { template: { metadata: { creationTimestamp: null } } } } }],
  ])('%s', (_name, extra, expected) => {
    const input = { metadata: { name: 'r', labels: null }, data: { spec: { template: { metadata: { creationTimestamp: null } } } } };
    expect(decodeWithSchema({ ...info, ...extra }, input, { fieldValidation: 'Strict' }).object).toEqual(expected);
  });
});
