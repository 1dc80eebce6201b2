import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { tokenProjectionKey } from '../volumes/pod-tokens.ts';
import { envSourcesOf, referencedObjects, volumeSourcesOf, type DownwardFacts, type PodObjects } from './pod-objects.ts';

const pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'shop' },
  spec: {
    initContainers: [{ name: 'i', image: 'x', envFrom: [{ configMapRef: { name: 'init-cm' } }] }],
    containers: [{ name: 'c', image: 'x', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'env-secret', key: 'k' } } }], envFrom: [{ secretRef: { name: 'from-secret' } }] }],
    volumes: [
      { name: 'v1', configMap: { name: 'vol-cm' } },
      { name: 'v2', secret: { secretName: 'vol-secret' } },
      { name: 'v3', projected: { sources: [{ configMap: { name: 'proj-cm' } }, { secret: { name: 'proj-secret' } }] } },
    ],
  },
} as unknown as Pod;

const downward: DownwardFacts = { podIP: '10.0.0.5', podIPs: ['10.0.0.5'], hostIP: '192.168.0.2', nodeName: 'n1', nodeAllocatable: { cpu: '2' } };

const objects: PodObjects = {
  configMaps: new Map([
    ['vol-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vol-cm' }, data: { a: 'b' }, binaryData: { bin: Buffer.from([0, 1, 2]).toString('base64') } }],
    ['empty-cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty-cm' } }],
  ]),
  secrets: new Map([['env-secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'env-secret' }, data: { k: Buffer.from('s3cret').toString('base64') } }]]),
  services: [{ metadata: { name: 'redis', namespace: 'shop' }, spec: { clusterIP: '10.96.0.9', ports: [{ port: 6379 }] } }],
} as PodObjects;

describe('referencedObjects', () => {
  it('names every ConfigMap and Secret of env, envFrom, init containers, volumes and projected sources', () => {
    expect(referencedObjects(pod)).toEqual({ configMaps: new Set(['init-cm', 'vol-cm', 'proj-cm']), secrets: new Set(['env-secret', 'from-secret', 'vol-secret', 'proj-secret']) });
  });
});

describe('envSourcesOf / volumeSourcesOf', () => {
  it('decode Secrets to text for env and to bytes for volumes; a ConfigMap without data is empty, a missing one undefined', () => {
    const env = envSourcesOf(pod, objects, downward);
    expect(env.secret('shop', 'env-secret')).toEqual({ k: 's3cret' });
    expect(env.configMap('shop', 'empty-cm')).toEqual({});
    expect(env.configMap('shop', 'missing')).toBeUndefined();
    expect(env.serviceEnv).toMatchObject({ REDIS_SERVICE_HOST: '10.96.0.9', REDIS_SERVICE_PORT: '6379' });
    expect(env).toMatchObject(downward);

    const volumes = volumeSourcesOf(objects, downward, new Map<string, string | Error>([[tokenProjectionKey(undefined, undefined), 'tok'], [tokenProjectionKey('vault', 600), new Error('denied')]]));
    expect(volumes.secret('shop', 'env-secret')).toEqual({ k: Buffer.from('s3cret') });
    expect(volumes.configMap('shop', 'vol-cm')).toEqual({ data: { a: 'b' }, binaryData: { bin: Buffer.from([0, 1, 2]) } });
    expect(volumes.configMap('shop', 'missing')).toBeUndefined();
    expect(volumes.serviceAccountToken!(undefined, undefined)).toBe('tok');
    expect(() => volumes.serviceAccountToken!('vault', 600)).toThrow('denied');
    expect(() => volumes.serviceAccountToken!('nope', 1)).toThrow('failed to fetch token: not requested');
  });
});
