import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { desiredSlices, desiredSubsets, endpointHostname } from './desired.ts';

const svc = { metadata: { name: 'nginx', namespace: 'ns' }, spec: { clusterIP: 'None', selector: { app: 'nginx' }, ports: [{ name: 'web', port: 80 }] } } as Service;
const pod = (spec: Record<string, unknown>, namespace = 'ns'): Pod =>
  ({ metadata: { name: 'web-0', namespace, uid: 'u' }, spec: { containers: [{ name: 'c' }], ...spec }, status: { phase: 'Running', podIP: '10.244.0.5', conditions: [{ type: 'Ready', status: 'True' }] } }) as Pod;

describe('endpoint hostnames (upstream ShouldSetHostname)', () => {
  it.each([
    ['hostname and subdomain = the Service', { hostname: 'web-0', subdomain: 'nginx' }, 'ns', 'web-0'],
    ['subdomain of another Service', { hostname: 'web-0', subdomain: 'other' }, 'ns', undefined],
    ['no subdomain', { hostname: 'web-0' }, 'ns', undefined],
    ['subdomain without hostname', { subdomain: 'nginx' }, 'ns', undefined],
    ['another namespace', { hostname: 'web-0', subdomain: 'nginx' }, 'elsewhere', undefined],
  ])('%s → %s', (_name, spec, namespace, hostname) => {
    const p = pod(spec, namespace);
    expect(endpointHostname(svc, p)).toBe(hostname);
    expect(desiredSubsets(svc, [p])[0]?.addresses?.[0]?.hostname).toBe(hostname);
    expect(desiredSlices(svc, [p])[0]?.endpoints[0]?.hostname).toBe(hostname);
  });
});
