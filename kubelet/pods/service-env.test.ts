import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { resolveEnv } from './env.ts';
import { serviceEnvironment, type ServiceForEnv } from './service-env.ts';

const svc = (namespace: string, name: string, clusterIP: string, ports: ServiceForEnv['spec'] extends infer S ? (S extends { ports?: infer P } ? P : never) : never = []): ServiceForEnv => ({ metadata: { namespace, name }, spec: { clusterIP, ports } });
const kubernetes = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443, protocol: 'TCP' }]);
const redis = svc('shop', 'redis-master', '10.96.0.20', [{ port: 6379 }, { name: 'metrics', port: 9121, protocol: 'TCP' }]);
const headless = svc('shop', 'db', 'None', [{ port: 5432 }]);
const elsewhere = svc('other', 'web', '10.96.0.30', [{ port: 80 }]);

describe('serviceEnvironment', () => {
  it("gives upstream's variables for kubernetes and the namespace's Services", () => {
    expect(serviceEnvironment([kubernetes, redis, headless, elsewhere], 'shop', true)).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      REDIS_MASTER_SERVICE_HOST: '10.96.0.20',
      REDIS_MASTER_SERVICE_PORT: '6379',
      REDIS_MASTER_SERVICE_PORT_METRICS: '9121',
      REDIS_MASTER_PORT: 'tcp://10.96.0.20:6379',
      REDIS_MASTER_PORT_6379_TCP: 'tcp://10.96.0.20:6379',
      REDIS_MASTER_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_MASTER_PORT_6379_TCP_PORT: '6379',
      REDIS_MASTER_PORT_6379_TCP_ADDR: '10.96.0.20',
      REDIS_MASTER_PORT_9121_TCP: 'tcp://10.96.0.20:9121',
      REDIS_MASTER_PORT_9121_TCP_PROTO: 'tcp',
      REDIS_MASTER_PORT_9121_TCP_PORT: '9121',
      REDIS_MASTER_PORT_9121_TCP_ADDR: '10.96.0.20',
    });
  });

  it('keeps only the kubernetes Service without service links', () => {
    expect(Object.keys(serviceEnvironment([kubernetes, redis], 'shop', false)).every((k) => k.startsWith('KUBERNETES_'))).toBe(true);
  });

  it('brackets IPv6 addresses in the link URLs', () => {
    expect(serviceEnvironment([svc('default', 'kubernetes', 'fd00::1', [{ port: 443, protocol: 'TCP' }])], 'x', true).KUBERNETES_PORT).toBe('tcp://[fd00::1]:443');
  });
});

describe('resolveEnv with Service variables', () => {
  const pod = { metadata: { name: 'p', namespace: 'shop' }, spec: { containers: [] } } as unknown as Pod;
  const sources = { configMap: () => undefined, secret: () => undefined, podIP: '', podIPs: [], hostIP: '', nodeName: 'n', nodeAllocatable: {}, serviceEnv: serviceEnvironment([kubernetes, redis], 'shop', true) };
  it('appends them after the container’s own, which win, and expands $(VAR) against them', () => {
    const env = resolveEnv(pod, { name: 'c', env: [{ name: 'REDIS_MASTER_SERVICE_HOST', value: 'mine' }, { name: 'URL', value: 'redis://$(REDIS_MASTER_SERVICE_HOST):$(REDIS_MASTER_SERVICE_PORT)' }] } as never, sources);
    const byKey = Object.fromEntries(env.map((e) => [e.key, e.value]));
    expect(env[0]).toEqual({ key: 'REDIS_MASTER_SERVICE_HOST', value: 'mine' });
    expect(byKey.URL).toBe('redis://mine:6379');
    expect(byKey.KUBERNETES_SERVICE_HOST).toBe('10.96.0.1');
    expect(env.filter((e) => e.key === 'REDIS_MASTER_SERVICE_HOST')).toHaveLength(1);
  });
});
