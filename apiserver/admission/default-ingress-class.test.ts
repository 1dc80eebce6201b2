/** DefaultIngressClass: which class is the default, and what an Ingress created without a class gets. */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { createBuiltinRegistry } from '../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../pkg/storage/index.ts';
import { storageKey } from '../handlers/objects.ts';
import { createDefaultIngressClassPlugin, pickDefaultIngressClass } from './default-ingress-class.ts';
import type { AdmissionAttributes } from './types.ts';

const cls = (name: string, created: string, isDefault: boolean): KubeObject => ({
  metadata: { name, creationTimestamp: created, ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  spec: { controller: 'k8s.io/ingress-nginx' },
});

describe('DefaultIngressClass', () => {
  it.each<[string, KubeObject[], string | undefined]>([
    ['none marked', [cls('a', '2026-01-01T00:00:00Z', false)], undefined],
    ['one marked', [cls('a', '2026-01-01T00:00:00Z', false), cls('b', '2026-01-01T00:00:00Z', true)], 'b'],
    ['the newest of several', [cls('old', '2026-01-01T00:00:00Z', true), cls('new', '2026-01-02T00:00:00Z', true)], 'new'],
    ['same age: the first by name', [cls('z', '2026-01-01T00:00:00Z', true), cls('m', '2026-01-01T00:00:00Z', true)], 'm'],
  ])('%s', (_name, classes, expected) => {
    expect(pickDefaultIngressClass(classes)?.metadata.name).toBe(expected);
  });

  it('sets the default on created Ingresses without a class or the class annotation only', async () => {
    const storage = new MemoryStorage();
    const registry = createBuiltinRegistry();
    const info = registry.lookup('networking.k8s.io', 'v1', 'ingresses')!;
    await storage.create(storageKey({ group: 'networking.k8s.io', plural: 'ingressclasses', namespaced: false }, undefined, 'nginx'), cls('nginx', '2026-01-01T00:00:00Z', true));
    const plugin = createDefaultIngressClassPlugin({ storage, keyFor: (i, ns, name) => storageKey(i, ns, name) });
    const admit = async (object: KubeObject, operation: 'CREATE' | 'UPDATE' = 'CREATE') => {
      await plugin.admit?.({ operation, info, namespace: 'default', name: 'i', object, dryRun: false, onFailure: () => undefined, onSuccess: () => undefined } as AdmissionAttributes);
      return (object.spec as { ingressClassName?: string } | undefined)?.ingressClassName;
    };
    expect(await admit({ metadata: { name: 'i' }, spec: {} })).toBe('nginx');
    expect(await admit({ metadata: { name: 'i' }, spec: { ingressClassName: 'other' } })).toBe('other');
    expect(await admit({ metadata: { name: 'i', annotations: { 'kubernetes.io/ingress.class': 'traefik' } }, spec: {} })).toBeUndefined();
    expect(await admit({ metadata: { name: 'i' }, spec: {} }, 'UPDATE')).toBeUndefined();
  });
});
