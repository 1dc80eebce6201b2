import { describe, expect, it } from 'vitest';
import type { Endpoints } from '../../../pkg/api/core/v1/endpoints.ts';
import type { Service } from '../../../pkg/api/core/v1/service.ts';
import { endpointsAllowMirroring, hasSelector, mirroringDecision } from './should-mirror.ts';

const endpoints = (labels?: Record<string, string>, annotations?: Record<string, string>): Endpoints => ({ metadata: { name: 'ext', namespace: 'ns', labels, annotations } }) as Endpoints;
const service = (selector?: Record<string, string>): Service => ({ metadata: { name: 'ext', namespace: 'ns' }, spec: { selector } }) as Service;

describe('mirroringDecision', () => {
  it.each([
    ['selectorless Service and plain Endpoints', true, endpoints(), service()],
    ['Service with an empty selector', true, endpoints(), service({})],
    ['skip-mirror "false" does not opt out', true, endpoints({ 'endpointslice.kubernetes.io/skip-mirror': 'false' }), service()],
    ['no Endpoints', false, undefined, service()],
    ['no Service', false, endpoints(), undefined],
    ['Service with a selector', false, endpoints(), service({ app: 'web' })],
    ['skip-mirror "true"', false, endpoints({ 'endpointslice.kubernetes.io/skip-mirror': 'true' }), service()],
    ['leader-election lock', false, endpoints(undefined, { 'control-plane.alpha.kubernetes.io/leader': '{}' }), service()],
  ] as const)('%s → mirror=%s', (_name, want, ep, svc) => {
    expect(mirroringDecision(ep, svc).mirror).toBe(want);
  });

  it('says why it does not mirror', () => {
    expect(mirroringDecision(endpoints(), service({ app: 'web' }))).toEqual({ mirror: false, reason: 'Service has a selector' });
  });
});

describe('hasSelector and endpointsAllowMirroring', () => {
  it('read the selector and the opt-outs', () => {
    expect([hasSelector(service()), hasSelector(service({})), hasSelector(service({ a: 'b' }))]).toEqual([false, false, true]);
    expect([endpointsAllowMirroring(endpoints()), endpointsAllowMirroring(endpoints({ 'endpointslice.kubernetes.io/skip-mirror': 'true' }))]).toEqual([true, false]);
  });
});
