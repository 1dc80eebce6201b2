import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { getPrinter } from '../../printers/index.ts';
import { runtimeClassResource } from './runtimeclass.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

function rc(fields: Record<string, unknown>, name = 'gvisor') {
  const obj = runtimeClassResource.schema.parse({ apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name }, ...fields });
  runtimeClassResource.applyDefaults(obj);
  return obj;
}

const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe('RuntimeClass', () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    ['a plain handler', { handler: 'runsc' }, []],
    ['overhead and scheduling', { handler: 'kata', overhead: { podFixed: { cpu: '250m', memory: '120Mi' } }, scheduling: { nodeSelector: { 'runtime/kata': 'true' }, tolerations: [{ key: 'kata', operator: 'Exists', effect: 'NoSchedule' }] } }, []],
    ['a missing handler', {}, [`handler: Invalid value: "": ${LABEL_MSG}`]],
    ['a handler that is no DNS label', { handler: 'Run_C' }, [`handler: Invalid value: "Run_C": ${LABEL_MSG}`]],
    ['a negative overhead', { handler: 'runc', overhead: { podFixed: { cpu: '-1' } } }, ['overhead.limits[cpu]: Invalid value: "-1": must be greater than or equal to 0']],
    ['a bad node selector label', { handler: 'runc', scheduling: { nodeSelector: { 'a b': 'x' } } }, [expect.stringMatching(/^scheduling\.nodeSelector: Invalid value: "a b": name part must consist of/) as unknown as string]],
    ['a bad toleration', { handler: 'runc', scheduling: { tolerations: [{ key: 'k', operator: 'Maybe' }] } }, ['scheduling.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"']],
  ])('%s', (_name, fields, expected) => {
    expect(lines(runtimeClassResource.validate(rc(fields)))).toEqual(expected);
  });

  it('keeps handler immutable; overhead and scheduling may change', () => {
    const old = rc({ handler: 'runc' });
    expect(lines(runtimeClassResource.validate(rc({ handler: 'runsc' }), old))).toEqual(['handler: Invalid value: "runsc": field is immutable']);
    expect(runtimeClassResource.validate(rc({ handler: 'runc', overhead: { podFixed: { cpu: '1' } } }), old)).toEqual([]);
  });

  it('is cluster-scoped in node.k8s.io/v1, with no short names, and serialises handler even when empty', () => {
    expect(runtimeClassResource).toMatchObject({ group: 'node.k8s.io', version: 'v1', plural: 'runtimeclasses', singular: 'runtimeclass', namespaced: false, shortNames: [] });
    expect(rc({}).handler).toBe('');
  });

  it('prints NAME HANDLER AGE', () => {
    const printer = getPrinter('node.k8s.io', 'RuntimeClass')!;
    expect(printer.columns.map((c) => c.name)).toEqual(['Name', 'Handler', 'Age']);
    const obj = rc({ handler: 'runc' }, 'myclass');
    obj.metadata.creationTimestamp = '2026-01-01T00:00:00Z';
    expect(printer.row(obj, new Date('2026-01-01T00:05:00Z'))).toEqual(['myclass', 'runc', '5m']);
  });
});
