import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { endpointSliceResource } from './endpointslice.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);
const meta = { name: 'web-abc12', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } };

function slice(fields: Record<string, unknown>) {
  const s = endpointSliceResource.schema.parse({ apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta, ...fields });
  endpointSliceResource.applyDefaults(s);
  return s;
}

describe('EndpointSlice', () => {
  it('decodes a controller-written slice and defaults port name and protocol', () => {
    const s = slice({
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', zone: 'z1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'default' } }],
      ports: [{ port: 80 }],
    });
    expect(s.ports).toEqual([{ port: 80, name: '', protocol: 'TCP' }]);
    expect(s.endpoints?.[0].conditions).toEqual({ ready: true, serving: true, terminating: false });
    expect(endpointSliceResource.validate(s)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['missing addressType', {}, ['addressType: Required value']],
    ['bad addressType', { addressType: 'IP' }, ['addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"']],
    ['endpoint without addresses', { addressType: 'IPv4', endpoints: [{ addresses: [] }] }, ['endpoints[0].addresses: Required value: must contain at least 1 address']],
    ['IPv6 in an IPv4 slice', { addressType: 'IPv4', endpoints: [{ addresses: ['fd00::1'] }] }, ['endpoints[0].addresses[0]: Invalid value: "fd00::1": must be a valid IPv4 address']],
    ['duplicate port names', { addressType: 'IPv4', ports: [{ name: 'http', port: 80 }, { name: 'http', port: 81 }] }, ['ports[1].name: Duplicate value: "http"']],
    ['bad protocol', { addressType: 'IPv4', ports: [{ port: 80, protocol: 'HTTP' }] }, ['ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']],
  ])('%s', (_name, fields, expected) => {
    expect(lines(endpointSliceResource.validate(slice(fields)))).toEqual(expected);
  });

  it('serialises missing endpoints as null', () => {
    expect(slice({ addressType: 'IPv4' }).endpoints).toBeNull();
  });

  it('allows at most 1000 endpoints', () => {
    const endpoints = (n: number) => Array.from({ length: n }, (_, i) => ({ addresses: [`10.1.${Math.floor(i / 250)}.${(i % 250) + 1}`] }));
    expect(endpointSliceResource.validate(slice({ addressType: 'IPv4', endpoints: endpoints(1000) }))).toEqual([]);
    expect(lines(endpointSliceResource.validate(slice({ addressType: 'IPv4', endpoints: endpoints(1001) })))).toEqual(['endpoints: Too many: 1001: must have at most 1000 items']);
  });

  it('addressType is immutable', () => {
    const old = slice({ addressType: 'IPv4' });
    expect(lines(endpointSliceResource.validate(slice({ addressType: 'IPv6' }), old))).toEqual(['addressType: Invalid value: "IPv6": field is immutable']);
  });
});
