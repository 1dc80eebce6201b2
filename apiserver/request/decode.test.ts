import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BodyDecodeError } from './body-decode-error.ts';
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

describe('decodeWithSchema for built-in kinds (Go\'s integer and time rules)', () => {
  const podInfo = {
    group: '',
    version: 'v1',
    kind: 'Pod',
    schema: z.object({
      metadata: z.object({ name: z.string().optional(), creationTimestamp: z.string().optional() }).optional(),
      spec: z.object({ containers: z.array(z.object({ name: z.string(), image: z.string() })), terminationGracePeriodSeconds: z.number().int().optional() }),
    }) as never,
  };
  const grace = 'json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64';
  const image = 'json: cannot unmarshal number into Go struct field Container.spec.containers.image of type string';
  const message = (info: object, input: Record<string, unknown>, text?: string) => {
    try {
      decodeWithSchema({ ...podInfo, ...info }, input, { fieldValidation: 'Strict', text });
      return 'decoded';
    } catch (err) {
      expect(err).toBeInstanceOf(BodyDecodeError);
      return (err as Error).message;
    }
  };

  it.each([
    ['zod\'s own issue on that number is superseded', { spec: { containers: [{ name: 'c', image: 'i' }], terminationGracePeriodSeconds: 1.5 } }, grace],
    ['the first type error in document order wins (zod\'s)', { spec: { containers: [{ name: 'c', image: 1 }], terminationGracePeriodSeconds: 1.5 } }, image],
    ['the first type error in document order wins (Go\'s)', { spec: { terminationGracePeriodSeconds: 1.5, containers: [{ name: 'c', image: 1 }] } }, grace],
    ['a bad time stops the decoder, ahead of any type error', { spec: { terminationGracePeriodSeconds: 1.5, containers: [{ name: 'c', image: 1 }] }, metadata: { creationTimestamp: 'now' } }, `parsing time "now" as "2006-01-02T15:04:05Z07:00": cannot parse "now" as "2006"`],
  ])('%s', (_name, input, expected) => {
    expect(message({}, input)).toBe(expected);
  });

  it('quotes the number as the JSON text has it', () => {
    const text = '{"spec": {"containers": [{"name": "c", "image": "i"}], "terminationGracePeriodSeconds": -99999999999999999999}}';
    expect(message({}, JSON.parse(text), text)).toBe(`json: cannot unmarshal number -99999999999999999999 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64`);
  });

  it('leaves custom resources to their schema', () => {
    expect(message({ customResource: true, schema: z.object({ spec: z.unknown() }) }, { spec: { terminationGracePeriodSeconds: 1.5 } })).toBe('decoded');
  });
});
