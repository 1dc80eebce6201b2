import { describe, expect, it } from 'vitest';
import type { FieldError } from '../../../errors/index.ts';
import { endpointsResource } from './endpoints.ts';
import { eventResource } from './event.ts';
import { nodeResource } from './node.ts';
import { serviceAccountResource } from './serviceaccount.ts';

const lines = (errs: FieldError[]) => errs.map((e) => `${e.field}: ${e.detail}`);

describe('Node', () => {
  const base = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } };

  it('defaults podCIDRs from podCIDR, allocatable from capacity, and always-present status structs', () => {
    const node = nodeResource.schema.parse({ ...base, spec: { podCIDR: '10.244.1.0/24' }, status: { capacity: { cpu: '2', pods: '110' } } });
    nodeResource.applyDefaults(node);
    expect(node.spec).toEqual({ podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
    expect(node.status).toEqual({
      capacity: { cpu: '2', pods: '110' },
      allocatable: { cpu: '2', pods: '110' },
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '', kubeletVersion: '', kubeProxyVersion: '', operatingSystem: '', architecture: '' },
    });
    expect(nodeResource.validate(node)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['bad CIDR', { podCIDRs: ['10.0.0.0/33'] }, ['spec.podCIDRs[0]: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']],
    ['two IPv4 CIDRs', { podCIDRs: ['10.0.0.0/24', '10.0.1.0/24'] }, ['spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.1.0/24"}: may specify no more than one CIDR for each IP family']],
    ['dual-stack CIDRs', { podCIDRs: ['10.0.0.0/24', 'fd00::/64'] }, []],
    ['taint without effect', { taints: [{ key: 'k', effect: '' }] }, ['spec.taints[0].effect: Required value']],
    ['bad taint effect', { taints: [{ key: 'k', effect: 'NoRun' }] }, ['spec.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"']],
    ['duplicate taint', { taints: [{ key: 'k', effect: 'NoSchedule' }, { key: 'k', value: 'v', effect: 'NoSchedule' }] }, [
      'spec.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"v", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
    ]],
  ])('%s', (_name, spec, expected) => {
    const node = nodeResource.schema.parse({ ...base, spec });
    nodeResource.applyDefaults(node);
    expect(lines(nodeResource.validate(node))).toEqual(expected);
  });

  it('forbids changing podCIDRs and providerID once set; status is kept on main updates', () => {
    const old = nodeResource.schema.parse({ ...base, spec: { podCIDRs: ['10.0.0.0/24'], providerID: 'kind://a' }, status: { phase: 'Running' } });
    const next = nodeResource.schema.parse({ ...base, spec: { podCIDRs: ['10.0.9.0/24'], providerID: 'kind://b' } });
    nodeResource.prepareForUpdate!(next, old);
    expect(next.status).toEqual({ phase: 'Running' });
    expect(lines(nodeResource.validate(next, old))).toEqual([
      'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
      'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid',
    ]);
  });

  it('is cluster-scoped with short name no and selects spec.unschedulable', () => {
    expect(nodeResource).toMatchObject({ namespaced: false, shortNames: ['no'], subresources: { status: true } });
    expect(nodeResource.patchMeta['status.addresses']).toEqual({ strategy: 'merge', mergeKey: 'type' });
    const node = nodeResource.schema.parse({ ...base, spec: { unschedulable: true } });
    expect(nodeResource.fieldSelectors?.['spec.unschedulable']?.(node)).toBe('true');
    expect(nodeResource.fieldSelectors?.['spec.unschedulable']?.(nodeResource.schema.parse(base))).toBe('false');
  });
});

describe('Endpoints', () => {
  const base = { metadata: { name: 'web', namespace: 'default' } };

  it('defaults port protocol and accepts a normal subset', () => {
    const ep = endpointsResource.schema.parse({ ...base, subsets: [{ addresses: [{ ip: '10.244.0.5', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'p' } }], ports: [{ port: 80 }] }] });
    endpointsResource.applyDefaults(ep);
    expect(ep.subsets?.[0].ports).toEqual([{ port: 80, protocol: 'TCP' }]);
    expect(endpointsResource.validate(ep)).toEqual([]);
  });

  it.each<[string, unknown[], string[]]>([
    ['empty subset', [{ ports: [{ port: 80 }] }], ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']],
    ['bad IP', [{ addresses: [{ ip: 'x' }] }], ['subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['loopback not-ready IP', [{ notReadyAddresses: [{ ip: '127.0.0.1' }] }], ['subsets[0].notReadyAddresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)']],
    ['unnamed ports', [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { name: 'b', port: 0 }] }], [
      'subsets[0].ports[0].name: Required value',
      'subsets[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    ]],
  ])('%s', (_name, subsets, expected) => {
    const ep = endpointsResource.schema.parse({ ...base, subsets });
    endpointsResource.applyDefaults(ep);
    expect(lines(endpointsResource.validate(ep))).toEqual(expected);
  });
});

describe('Event', () => {
  const base = { metadata: { name: 'web.17a', namespace: 'default' }, involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1' } };

  it('fills the fields upstream always serialises and validates a kubelet-style event', () => {
    const ev = eventResource.schema.parse({ ...base, reason: 'Pulled', message: 'ok', type: 'Normal', source: { component: 'kubelet', host: 'n1' }, count: 1, firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:00:00Z' });
    eventResource.applyDefaults(ev);
    expect(ev).toMatchObject({ eventTime: null, reportingComponent: '', reportingInstance: '' });
    expect(eventResource.validate(ev)).toEqual([]);
    const select = (label: string) => eventResource.fieldSelectors?.[label]?.(ev);
    expect([select('involvedObject.name'), select('involvedObject.kind'), select('involvedObject.uid'), select('reason'), select('source'), select('type')]).toEqual(['web', 'Pod', 'u1', 'Pulled', 'kubelet', 'Normal']);
  });

  it('renders eventTime as MicroTime', () => {
    const ev = eventResource.schema.parse({ ...base, eventTime: '2024-01-01T00:00:00.5+01:00', reportingComponent: 'k8ts.io/scheduler', reportingInstance: 'i', action: 'Binding', reason: 'Scheduled' });
    eventResource.applyDefaults(ev);
    expect(ev.eventTime).toBe('2023-12-31T23:00:00.500000Z');
    expect(eventResource.validate(ev)).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['namespace mismatch', { involvedObject: { kind: 'Pod', namespace: 'other', name: 'x' } }, ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']],
    ['new-style event without reporting fields', { eventTime: '2024-01-01T00:00:00.000000Z' }, [
      'reportingComponent: Required value',
      "reportingComponent: Invalid value: \"\": name part must be non-empty",
      'reportingInstance: Required value',
      'action: Required value',
      'reason: Required value',
    ]],
  ])('%s', (_name, fields, expected) => {
    const ev = eventResource.schema.parse({ ...base, ...fields });
    eventResource.applyDefaults(ev);
    expect(lines(eventResource.validate(ev))).toEqual(expected);
  });
});

describe('ServiceAccount', () => {
  it('decodes secrets, imagePullSecrets and automount', () => {
    const sa = serviceAccountResource.schema.parse({ metadata: { name: 'default', namespace: 'default' }, secrets: [{ name: 's' }], imagePullSecrets: [{ name: 'r' }], automountServiceAccountToken: false });
    expect(sa).toMatchObject({ secrets: [{ name: 's' }], imagePullSecrets: [{ name: 'r' }], automountServiceAccountToken: false });
    expect(serviceAccountResource.validate(sa)).toEqual([]);
    expect(serviceAccountResource.shortNames).toEqual(['sa']);
  });
});
