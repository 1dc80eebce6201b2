import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/meta.ts';
import { createIfAbsent } from './create-if-absent.ts';
import { MemoryStorage } from './memory.ts';
import { StorageError } from './types.ts';

const cm = (value: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'd' }, data: { value } }) as KubeObject;

describe('createIfAbsent', () => {
  it('creates once; a second call writes nothing and says so', async () => {
    const storage = new MemoryStorage();
    expect(await createIfAbsent(storage, '/registry/configmaps/d/a', cm('first'))).toBe(true);
    expect(await createIfAbsent(storage, '/registry/configmaps/d/a', cm('second'))).toBe(false);
    expect(await storage.get('/registry/configmaps/d/a')).toMatchObject({ data: { value: 'first' } });
  });

  it('passes other storage errors on', async () => {
    const failing = { create: async () => Promise.reject(new StorageError('Unavailable', 'etcd down')) } as unknown as MemoryStorage;
    await expect(createIfAbsent(failing, '/k', cm('x'))).rejects.toThrow('etcd down');
  });
});
