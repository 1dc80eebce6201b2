import { describe, expect, it } from 'vitest';
import type { Pod } from '../../../pkg/api/core/v1/pod.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { desiredSlices, desiredSubsets, endpointHostname, endpointSliceLabels, endpointsLabels, HEADLESS_LABEL, MANAGED_BY, MANAGED_BY_LABEL, resolveTargetPort, SERVICE_NAME_LABEL, truncateSubsets } from './desired.ts';

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

const web = { metadata: { name: 'web', namespace: 'ns', labels: { app: 'web' } }, spec: { clusterIP: '10.96.0.10', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } as Service;
const webPod = (name: string, ip: string, opts: { ready?: boolean; deleting?: boolean; phase?: string; node?: string } = {}): Pod =>
  ({
    metadata: { name, namespace: 'ns', uid: `u-${name}`, ...(opts.deleting ? { deletionTimestamp: '2026-12-07T00:00:00Z' } : {}) },
    spec: { nodeName: opts.node ?? 'n1', containers: [{ name: 'c', ports: [{ name: 'http', containerPort: 8080 }] }] },
    status: { phase: opts.phase ?? 'Running', podIP: ip, conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True' }] },
  }) as Pod;

describe('terminating and finished pods (upstream ShouldPodBeInEndpoints, podToEndpoint)', () => {
  const pods = [webPod('a', '10.0.0.1'), webPod('b', '10.0.0.2', { deleting: true }), webPod('c', '10.0.0.3', { deleting: true, ready: false }), webPod('d', '10.0.0.4', { phase: 'Succeeded' }), webPod('e', '10.0.0.5', { phase: 'Failed' })];

  it('keeps terminating pods in slices, not ready, serving as their Ready condition says', () => {
    const [slice] = desiredSlices(web, pods);
    expect(slice?.endpoints.map((e) => [e.addresses[0], e.conditions])).toEqual([
      ['10.0.0.1', { ready: true, serving: true, terminating: false }],
      ['10.0.0.2', { ready: false, serving: true, terminating: true }],
      ['10.0.0.3', { ready: false, serving: false, terminating: true }],
    ]);
  });

  it('leaves terminating pods out of the Endpoints object', () => {
    expect(desiredSubsets(web, pods)).toEqual([{ addresses: [expect.objectContaining({ ip: '10.0.0.1' })], ports: [{ port: 8080, protocol: 'TCP' }] }]);
  });

  it('with publishNotReadyAddresses: terminating pods are ready in slices and listed in the Endpoints', () => {
    const publishing = { ...web, spec: { ...web.spec, publishNotReadyAddresses: true } } as Service;
    expect(desiredSlices(publishing, pods)[0]?.endpoints.map((e) => e.conditions)).toEqual([
      { ready: true, serving: true, terminating: false },
      { ready: true, serving: true, terminating: true },
      { ready: true, serving: false, terminating: true },
    ]);
    expect(desiredSubsets(publishing, pods)[0]?.addresses?.map((a) => a.ip)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
  });
});

describe('slice endpoints and ports', () => {
  it('carry the zone of their node when it is labelled, and a name on every port', () => {
    const zones: Record<string, string> = { n1: 'zone-a' };
    const [slice] = desiredSlices(web, [webPod('a', '10.0.0.1'), webPod('b', '10.0.0.2', { node: 'n2' })], { zoneOf: (n) => zones[n] });
    expect(slice?.endpoints.map((e) => [e.nodeName, e.zone])).toEqual([['n1', 'zone-a'], ['n2', undefined]]);
    expect(slice?.ports).toEqual([{ name: '', port: 8080, protocol: 'TCP' }]);
  });

  it('carry zone hints for ready endpoints with a zone when the Service prefers close traffic (upstream trafficdist)', () => {
    const zones: Record<string, string> = { n1: 'zone-a' };
    const close = { ...web, spec: { ...web.spec, trafficDistribution: 'PreferClose' } } as Service;
    const pods = [webPod('a', '10.0.0.1'), webPod('b', '10.0.0.2', { ready: false }), webPod('c', '10.0.0.3', { node: 'n2' })];
    expect(desiredSlices(close, pods, { zoneOf: (n) => zones[n] })[0]?.endpoints.map((e) => e.hints)).toEqual([{ forZones: [{ name: 'zone-a' }] }, undefined, undefined]);
    expect(desiredSlices(web, pods, { zoneOf: (n) => zones[n] })[0]?.endpoints.map((e) => e.hints)).toEqual([undefined, undefined, undefined]);
  });

  it('resolve a named targetPort on a sidecar (an init container with restartPolicy Always), not on a plain init container', () => {
    const sp = { port: 80, targetPort: 'metrics' };
    const withInit = (restartPolicy?: string) => ({ ...webPod('a', '10.0.0.1'), spec: { containers: [{ name: 'c' }], initContainers: [{ name: 's', ...(restartPolicy ? { restartPolicy } : {}), ports: [{ name: 'metrics', containerPort: 9090 }] }] } }) as Pod;
    expect(resolveTargetPort(withInit('Always'), sp)).toBe(9090);
    expect(resolveTargetPort(withInit(), sp)).toBeUndefined();
    expect(resolveTargetPort(webPod('a', '10.0.0.1'), { port: 80, targetPort: 'http', protocol: 'UDP' })).toBeUndefined();
  });
});

describe('labels (upstream setEndpointSliceLabels and the endpoints controller)', () => {
  it.each([
    ['a Service with a cluster IP', '10.96.0.10', { app: 'web' }],
    ['a headless Service', 'None', { app: 'web', [HEADLESS_LABEL]: '' }],
  ])('%s', (_name, clusterIP, endpoints) => {
    const s = { ...web, metadata: { ...web.metadata, labels: { app: 'web', [HEADLESS_LABEL]: 'stale', [MANAGED_BY_LABEL]: 'me' } }, spec: { ...web.spec, clusterIP } } as Service;
    expect(endpointsLabels(s)).toEqual({ ...endpoints, [MANAGED_BY_LABEL]: 'me' });
    expect(endpointSliceLabels(s, MANAGED_BY)).toEqual({ ...endpoints, [SERVICE_NAME_LABEL]: 'web', [MANAGED_BY_LABEL]: MANAGED_BY });
  });
});

describe('Endpoints capacity (upstream truncateEndpoints)', () => {
  const addrs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ ip: `${prefix}.${i}` }));

  it('leaves subsets within the cap alone', () => {
    const subsets = [{ addresses: addrs('10.0.0', 3), notReadyAddresses: addrs('10.0.1', 2) }];
    expect(truncateSubsets(subsets, 5)).toEqual({ subsets, truncated: false });
  });

  it('drops not-ready addresses first, sharing the room left by proportion, rounded up', () => {
    const { subsets, truncated } = truncateSubsets([{ addresses: addrs('10.0.0', 4), notReadyAddresses: addrs('10.0.1', 3) }, { addresses: addrs('10.0.2', 2), notReadyAddresses: addrs('10.0.3', 1) }], 8);
    expect(truncated).toBe(true);
    expect(subsets.map((s) => [s.addresses?.length, s.notReadyAddresses?.length])).toEqual([[4, 2], [2, 0]]);
  });

  it('keeps only ready addresses when they alone exceed the cap', () => {
    const { subsets } = truncateSubsets([{ addresses: addrs('10.0.0', 6), notReadyAddresses: addrs('10.0.1', 1) }, { addresses: addrs('10.0.2', 4) }], 5);
    expect(subsets.map((s) => [s.addresses?.length, s.notReadyAddresses?.length])).toEqual([[3, 0], [2, 0]]);
  });
});
