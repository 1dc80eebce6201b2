/** Table tests of the operator's pure decisions (desired children, drift checks, status). */
import { describe, expect, it } from 'vitest';
import { deploymentMatches, desiredDeployment, desiredService, desiredStatus, isControlledByOther, serviceMatches, statusDiffers, websiteUrl } from './desired.ts';
import type { DeploymentLike, Website } from './types.ts';

const site = (spec: Partial<Website['spec']> = {}, extra: Partial<Website> = {}): Website =>
  ({ apiVersion: 'example.k8ts.dev/v1', kind: 'Website', metadata: { name: 'blog', namespace: 'web', uid: 'u1', generation: 3 }, spec: { image: 'nginx:1', ...spec }, ...extra }) as Website;
const NOW = '2025-01-01T00:00:00Z';
const EARLIER = '2024-12-31T00:00:00Z';

describe('desiredDeployment / desiredService', () => {
  it('name, labels, selector, controller ref, defaults for replicas and port', () => {
    const d = desiredDeployment(site());
    expect(d.metadata).toEqual({ name: 'blog', namespace: 'web', labels: { 'app.kubernetes.io/name': 'blog' }, ownerReferences: [{ apiVersion: 'example.k8ts.dev/v1', kind: 'Website', name: 'blog', uid: 'u1', controller: true, blockOwnerDeletion: true }] });
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.template?.spec?.containers).toEqual([{ name: 'web', image: 'nginx:1', ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }]);
    expect(desiredService(site({ port: 8080 })).spec).toEqual({ selector: { 'app.kubernetes.io/name': 'blog' }, ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'TCP' }] });
  });
});

describe('drift checks', () => {
  const want = desiredDeployment(site({ replicas: 2 }));
  const cases: Array<[string, DeploymentLike | undefined, boolean]> = [
    ['missing', undefined, false],
    ['identical', structuredClone(want), true],
    ['plus server defaults', { ...structuredClone(want), spec: { ...structuredClone(want.spec!), template: { ...structuredClone(want.spec!.template!), spec: { containers: [{ ...want.spec!.template!.spec!.containers![0]!, ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }] }] } } }, status: { availableReplicas: 1 } } as DeploymentLike, true],
    ['replicas edited', { ...structuredClone(want), spec: { ...structuredClone(want.spec!), replicas: 5 } }, false],
    ['image edited', { ...structuredClone(want), spec: { ...structuredClone(want.spec!), template: { metadata: want.spec!.template!.metadata, spec: { containers: [{ name: 'web', image: 'other', ports: [{ containerPort: 80 }] }] } } } }, false],
    ['owner ref missing', { ...structuredClone(want), metadata: { ...want.metadata, ownerReferences: [] } }, false],
  ];
  it.each(cases)('deploymentMatches: %s → %s', (_name, current, expected) => {
    expect(deploymentMatches(current, want)).toBe(expected);
  });

  it('serviceMatches: port change and extra selector keys are drift', () => {
    const svc = desiredService(site());
    expect(serviceMatches({ ...structuredClone(svc), spec: { ...structuredClone(svc.spec!), clusterIP: '10.96.0.5' } }, svc)).toBe(true);
    expect(serviceMatches(svc, desiredService(site({ port: 81 })))).toBe(false);
    expect(serviceMatches({ ...structuredClone(svc), spec: { ...structuredClone(svc.spec!), selector: { ...svc.spec!.selector, extra: 'x' } } }, svc)).toBe(false);
  });

  it('isControlledByOther: only a controller ref with another uid', () => {
    const d = desiredDeployment(site());
    expect(isControlledByOther(d, 'u1')).toBe(false);
    expect(isControlledByOther(d, 'u2')).toBe(true);
    expect(isControlledByOther({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'u2' }] } }, 'u1')).toBe(false);
  });
});

describe('desiredStatus', () => {
  const dep = (availableReplicas?: number): DeploymentLike => ({ metadata: { name: 'blog' }, status: { availableReplicas } });
  const cases: Array<[string, Website, DeploymentLike | undefined, { status: string; reason: string; message: string; available: number }]> = [
    ['no deployment yet', site(), undefined, { status: 'False', reason: 'DeploymentNotFound', message: 'Deployment blog does not exist yet', available: 0 }],
    ['no available pods', site({ replicas: 2 }), dep(undefined), { status: 'False', reason: 'ReplicasUnavailable', message: '0/2 replicas available', available: 0 }],
    ['some available', site({ replicas: 2 }), dep(1), { status: 'False', reason: 'ReplicasUnavailable', message: '1/2 replicas available', available: 1 }],
    ['all available', site({ replicas: 2 }), dep(2), { status: 'True', reason: 'ReplicasAvailable', message: '2/2 replicas available', available: 2 }],
    ['scaled to zero', site({ replicas: 0 }), dep(undefined), { status: 'True', reason: 'ReplicasAvailable', message: '0/0 replicas available', available: 0 }],
  ];
  it.each(cases)('%s', (_name, website, deployment, want) => {
    const s = desiredStatus(website, deployment, NOW);
    expect(s).toEqual({ availableReplicas: want.available, url: 'http://blog.web.svc.cluster.local:80', conditions: [{ type: 'Ready', status: want.status, reason: want.reason, message: want.message, lastTransitionTime: NOW, observedGeneration: 3 }] });
  });

  it('keeps lastTransitionTime while the condition status stays, resets it on a flip, keeps other conditions', () => {
    const other = { type: 'Custom', status: 'True' as const, reason: 'R', message: 'm', lastTransitionTime: EARLIER };
    const prior = (status: 'True' | 'False') => site({ replicas: 1 }, { status: { conditions: [other, { type: 'Ready', status, reason: 'x', message: 'y', lastTransitionTime: EARLIER }] } });
    expect(desiredStatus(prior('False'), dep(0), NOW).conditions).toEqual([other, expect.objectContaining({ type: 'Ready', status: 'False', lastTransitionTime: EARLIER })]);
    expect(desiredStatus(prior('False'), dep(1), NOW).conditions?.[1]).toMatchObject({ status: 'True', lastTransitionTime: NOW });
  });

  it('statusDiffers ignores key order and undefined fields, sees value changes', () => {
    const s = desiredStatus(site(), dep(0), NOW);
    const reordered = { conditions: s.conditions, url: s.url, availableReplicas: s.availableReplicas, extra: undefined };
    expect(statusDiffers(reordered, s)).toBe(false);
    expect(statusDiffers(undefined, s)).toBe(true);
    expect(statusDiffers({ ...s, availableReplicas: 1 }, s)).toBe(true);
  });

  it('websiteUrl uses the port', () => {
    expect(websiteUrl(site({ port: 8080 }))).toBe('http://blog.web.svc.cluster.local:8080');
  });
});
