import { describe, expect, it } from 'vitest';
import type { APIService } from '../../pkg/api/apiregistration/v1/apiservice.ts';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { discoveryCondition, nextStatus, serviceCondition, type RemoteObservation } from './availability.ts';

const remote: APIService = { metadata: { name: 'v1beta1.metrics.k8s.io' }, spec: { group: 'metrics.k8s.io', version: 'v1beta1', service: { namespace: 'kube-system', name: 'metrics-server', port: 443 } } };
const service = (ports: Array<{ name?: string; port: number }>, type?: string): KubeObject => ({ metadata: { name: 'metrics-server', namespace: 'kube-system' }, spec: { ports, ...(type ? { type } : {}) } }) as KubeObject;
const endpoints = (subsets: unknown[]): KubeObject => ({ metadata: { name: 'metrics-server', namespace: 'kube-system' }, subsets }) as KubeObject;
const https = [{ name: 'https', port: 443 }];

describe('serviceCondition', () => {
  it.each<[string, RemoteObservation, string | undefined, string | undefined]>([
    ['no service', {}, 'ServiceNotFound', 'service/metrics-server in "kube-system" is not present'],
    ['service read failed', { serviceError: 'etcd down' }, 'ServiceAccessError', 'service/metrics-server in "kube-system" cannot be checked due to: etcd down'],
    ['wrong port', { service: service([{ port: 80 }]) }, 'ServicePortError', 'service/metrics-server in "kube-system" is not listening on port 443'],
    ['no endpoints object', { service: service(https) }, 'ServiceNotFound', 'service/metrics-server in "kube-system" is not present'],
    ['endpoints read failed', { service: service(https), endpointsError: 'boom' }, 'EndpointsAccessError', 'service/metrics-server in "kube-system" cannot be checked due to: boom'],
    ['no ready address', { service: service(https), endpoints: endpoints([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 4443 }] }]) }, 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'],
    ['address under another port name', { service: service(https), endpoints: endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'metrics', port: 4443 }] }]) }, 'MissingEndpoints', 'endpoints for service/metrics-server in "kube-system" have no addresses with port name "https"'],
    ['ready: the discovery check decides', { service: service(https), endpoints: endpoints([{ addresses: [{ ip: '10.0.0.1' }], ports: [{ name: 'https', port: 4443 }] }]) }, undefined, undefined],
    ['ExternalName: the discovery check decides', { service: service([], 'ExternalName') }, undefined, undefined],
  ])('%s', (_n, seen, reason, message) => {
    const c = serviceCondition(remote, seen);
    expect(c && { reason: c.reason, message: c.message, status: c.status }).toEqual(reason ? { reason, message, status: 'False' } : undefined);
  });

  it('a local APIService is always available', () => {
    expect(serviceCondition({ metadata: { name: 'v1.apps' }, spec: { group: 'apps', version: 'v1' } }, {})).toEqual({ status: 'True', reason: 'Local', message: 'Local APIServices are always available' });
  });
});

describe('discoveryCondition and nextStatus', () => {
  it('passes or reports the failing URL', () => {
    expect(discoveryCondition({ url: 'https://10.0.0.1:4443/apis/metrics.k8s.io/v1beta1', ok: true })).toEqual({ status: 'True', reason: 'Passed', message: 'all checks passed' });
    expect(discoveryCondition({ url: 'https://10.0.0.1:4443/apis/metrics.k8s.io/v1beta1', ok: false, error: 'bad status from https://10.0.0.1:4443/apis/metrics.k8s.io/v1beta1: 503' })).toEqual({
      status: 'False',
      reason: 'FailedDiscoveryCheck',
      message: 'failing or missing response from https://10.0.0.1:4443/apis/metrics.k8s.io/v1beta1: bad status from https://10.0.0.1:4443/apis/metrics.k8s.io/v1beta1: 503',
    });
  });

  it('writes only changes, keeping the transition time while the status holds', () => {
    const first = nextStatus(remote, { status: 'False', reason: 'ServiceNotFound', message: 'x' }, 't1');
    expect(first?.conditions).toEqual([{ type: 'Available', status: 'False', lastTransitionTime: 't1', reason: 'ServiceNotFound', message: 'x' }]);
    const withStatus = { ...remote, status: first };
    expect(nextStatus(withStatus, { status: 'False', reason: 'ServiceNotFound', message: 'x' }, 't2')).toBeUndefined();
    expect(nextStatus(withStatus, { status: 'False', reason: 'MissingEndpoints', message: 'y' }, 't2')?.conditions?.[0]?.lastTransitionTime).toBe('t1');
    expect(nextStatus(withStatus, { status: 'True', reason: 'Passed', message: 'all checks passed' }, 't3')?.conditions?.[0]?.lastTransitionTime).toBe('t3');
  });
});

describe('proxy helpers', async () => {
  const { aggregatedPath, backendHeaders, escapeExtraKey } = await import('./proxy.ts');
  const { dialErrorText } = await import('../handlers/forward.ts');
  it.each<[string, { group: string; version: string } | undefined]>([
    ['/apis/wardle.example.com/v1alpha1', { group: 'wardle.example.com', version: 'v1alpha1' }],
    ['/apis/wardle.example.com/v1alpha1/namespaces/default/flunders?watch=true', { group: 'wardle.example.com', version: 'v1alpha1' }],
    ['/apis/wardle.example.com', undefined],
    ['/api/v1/pods', undefined],
  ])('aggregatedPath(%s)', (url, expected) => {
    expect(aggregatedPath(url)).toEqual(expected);
  });
  it('front-proxy headers replace credentials and made-up identity headers', () => {
    const h = backendHeaders({ authorization: 'Bearer t', 'impersonate-user': 'x', 'x-remote-user': 'forged', accept: 'application/json', connection: 'keep-alive' }, { username: 'alice', groups: ['dev', 'system:authenticated'], extra: { 'scopes.example.com/a b': ['1', '2'] } }, '10.0.0.9');
    expect(h).toEqual({ accept: 'application/json', 'x-remote-user': 'alice', 'x-remote-group': ['dev', 'system:authenticated'], 'x-remote-extra-scopes.example.com%2Fa%20b': ['1', '2'], 'x-forwarded-for': '10.0.0.9' });
    expect(escapeExtraKey("it's")).toBe('it%27s');
    expect(escapeExtraKey('a:b=c@d')).toBe('a:b=c@d');
  });
  it('dial errors read as Go writes them', () => {
    const target = new URL('https://10.0.0.5:8443/apis/x/v1');
    expect(dialErrorText(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }), target)).toBe('dial tcp 10.0.0.5:8443: connect: connection refused');
  });
});
