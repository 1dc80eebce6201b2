/**
 * The servicecidrs controller: pure decisions as tables (upstream canDeleteCIDR cases), and the
 * controller against the in-process API server: finalizer and Ready on a new ServiceCIDR, a
 * deleting one held (Ready=False, Terminating) while an address only it covers exists, released
 * once that address is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IPAddress } from '../../../pkg/api/networking/v1/ipaddress.ts';
import type { ServiceCIDR } from '../../../pkg/api/networking/v1/servicecidr.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { Manager } from '../../../pkg/runtime/index.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/index.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';
import { DEFAULT_SETTINGS } from '../types.ts';
import { canDeleteServiceCIDR, desiredReadyCondition, TERMINATING_MESSAGE } from './decide.ts';
import { serviceCIDRsController } from './index.ts';

const sc = (name: string, cidrs: string[], deleting = false): ServiceCIDR => ({ metadata: { name, ...(deleting ? { deletionTimestamp: '2025-01-01T00:00:00Z' } : {}) }, spec: { cidrs } });
const ip = (name: string, managed = true): IPAddress => ({
  metadata: { name, labels: { 'ipaddress.kubernetes.io/ip-family': name.includes(':') ? 'IPv6' : 'IPv4', ...(managed ? { 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' } : {}) } },
  spec: { parentRef: { group: '', resource: 'services', namespace: 'default', name: 'x' } },
});

describe('canDeleteServiceCIDR', () => {
  const kubernetes = sc('kubernetes', ['10.96.0.0/28']);
  const wide = sc('wide', ['10.96.0.0/16']);
  it.each([
    ['no addresses in it', true, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes], []],
    ['an address only it covers', false, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes], [ip('10.96.0.100')]],
    ['an address the default also covers', true, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes], [ip('10.96.0.5')]],
    ['an address not made by the allocator', true, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes], [ip('10.96.0.100', false)]],
    ['a containing ServiceCIDR exists', true, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes, wide], [ip('10.96.0.100')]],
    ['a ServiceCIDR with the same CIDR exists', true, sc('newcidr1', ['10.96.0.0/24'], true), [sc('twin', ['10.96.0.0/24'])], [ip('10.96.0.100')]],
    ['an IPv6 address is not held by an IPv4 CIDR', true, sc('newcidr1', ['10.96.0.0/24'], true), [kubernetes], [ip('fd00::5')]],
  ])('%s → can delete: %s', (_label, expected, target, others, ips) => {
    expect(canDeleteServiceCIDR(target, [target, ...others], ips)).toBe(expected);
  });

  it('Ready: True while live, False/Terminating while blocked, untouched once it may go', () => {
    expect(desiredReadyCondition(sc('a', ['10.0.0.0/24']), true)).toEqual({ type: 'Ready', status: 'True', reason: '', message: 'Kubernetes Service CIDR is ready' });
    expect(desiredReadyCondition(sc('a', ['10.0.0.0/24'], true), false)).toEqual({ type: 'Ready', status: 'False', reason: 'Terminating', message: TERMINATING_MESSAGE });
    expect(desiredReadyCondition(sc('a', ['10.0.0.0/24'], true), true)).toBeUndefined();
  });
});

describe('service-cidr-controller against the API server', () => {
  let cp: TestControlPlane;
  const stop = new AbortController();
  let running: Promise<void>;

  beforeAll(async () => {
    cp = await startTestControlPlane({ serviceClusterIpRange: '10.96.0.0/28' });
    const manager = new Manager({ client: cp.client });
    serviceCIDRsController.register({ manager, settings: { ...DEFAULT_SETTINGS, serviceCIDRDeletionGraceMs: 200 } });
    running = manager.start(stop.signal).catch(() => undefined);
  }, 60_000);
  afterAll(async () => {
    stop.abort();
    await running;
    await cp?.stop();
  });

  const cidrs = () => cp.client.resource<ServiceCIDR>(C.serviceCIDRs);
  const ready = (obj: ServiceCIDR | undefined) => obj?.status?.conditions?.find((c) => c.type === 'Ready');

  it('adds the finalizer and Ready=True to a new ServiceCIDR, and the finalizer to the default one', async () => {
    await cidrs().create(sc('newcidr1', ['10.96.0.0/24']));
    const got = await waitFor('newcidr1 finalizer and Ready', async () => {
      const obj = await cidrs().get('newcidr1');
      return obj.metadata.finalizers?.includes('networking.k8s.io/service-cidr-finalizer') && ready(obj)?.status === 'True' ? obj : undefined;
    });
    expect(ready(got)).toMatchObject({ status: 'True', message: 'Kubernetes Service CIDR is ready' });
    await waitFor('kubernetes finalizer', async () => (await cidrs().get('kubernetes')).metadata.finalizers?.includes('networking.k8s.io/service-cidr-finalizer'));
  });

  it('keeps a deleting ServiceCIDR while an address only it covers exists, then lets it go', async () => {
    const svc = await cp.client.services.inNamespace('default').create({ metadata: { name: 'held' }, spec: { clusterIP: '10.96.0.100', ports: [{ port: 80 }] } });
    expect(svc.spec?.clusterIP).toBe('10.96.0.100');
    await cidrs().delete('newcidr1');
    const blocked = await waitFor('newcidr1 blocked', async () => {
      const obj = await cidrs().get('newcidr1');
      return ready(obj)?.status === 'False' ? obj : undefined;
    });
    expect(ready(blocked)).toMatchObject({ reason: 'Terminating', message: TERMINATING_MESSAGE });
    expect(blocked.metadata.deletionTimestamp).toBeTruthy();
    await cp.client.services.inNamespace('default').delete('held');
    await waitFor('newcidr1 gone', async () => cidrs().get('newcidr1').then(() => undefined, () => true));
  });
});
