import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { type Namespace, namespaceResource } from './namespace.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

function create(raw: unknown): Namespace {
  const ns = namespaceResource.schema.parse(raw);
  namespaceResource.prepareForCreate!(ns);
  namespaceResource.applyDefaults(ns);
  return ns;
}

describe('Namespace', () => {
  it('gets the kubernetes finalizer, phase Active and the name label on create', () => {
    const ns = create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' }, status: { phase: 'Terminating' } });
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a', labels: { 'kubernetes.io/metadata.name': 'team-a' } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
    expect(namespaceResource.validate(ns)).toEqual([]);
  });

  it('appends kubernetes to existing finalizers once', () => {
    expect(create({ metadata: { name: 'a' }, spec: { finalizers: ['example.com/x'] } }).spec?.finalizers).toEqual(['example.com/x', 'kubernetes']);
    expect(create({ metadata: { name: 'a' }, spec: { finalizers: ['kubernetes'] } }).spec?.finalizers).toEqual(['kubernetes']);
  });

  it('keeps finalizers and status from the stored object on update', () => {
    const old = create({ metadata: { name: 'a' } });
    const next = namespaceResource.schema.parse({ metadata: { name: 'a', labels: { x: 'y' } }, spec: { finalizers: [] }, status: { phase: 'Terminating' } });
    namespaceResource.prepareForUpdate!(next, old);
    namespaceResource.applyDefaults(next);
    expect(next.spec).toEqual({ finalizers: ['kubernetes'] });
    expect(next.status).toEqual({ phase: 'Active' });
    expect(next.metadata.labels).toEqual({ x: 'y', 'kubernetes.io/metadata.name': 'a' });
  });

  it.each<[string, unknown, string[]]>([
    ['DNS-1123 label name', { metadata: { name: 'a.b' } }, [
      `metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]],
    ['namespace field forbidden', { metadata: { name: 'a', namespace: 'default' } }, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['unqualified finalizer', { metadata: { name: 'a' }, spec: { finalizers: ['custom'] } }, [
      'spec.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]],
  ])('%s', (_name, raw, expected) => {
    const ns = namespaceResource.schema.parse(raw);
    namespaceResource.applyDefaults(ns);
    expect(lines(namespaceResource.validate(ns))).toEqual(expected);
  });

  it('selects by status.phase and is served as upstream', () => {
    expect(namespaceResource.fieldSelectors?.['status.phase']?.(create({ metadata: { name: 'a' } }))).toBe('Active');
    expect(namespaceResource).toMatchObject({ namespaced: false, shortNames: ['ns'], categories: [], subresources: { status: true } });
    expect(namespaceResource.verbs).not.toContain('deletecollection');
  });
});
