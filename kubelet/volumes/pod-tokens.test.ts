import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { TokenRequest } from '../../pkg/client/create-token.ts';
import { planVolume, type VolumeSources } from './content.ts';
import { fetchPodTokens, tokenProjectionKey } from './pod-tokens.ts';

const KUBE_API_ACCESS = {
  name: 'kube-api-access-x7b2q',
  projected: {
    defaultMode: 0o644,
    sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
  },
};
const VAULT = { name: 'vault', projected: { sources: [{ serviceAccountToken: { audience: 'vault', expirationSeconds: 7200, path: 'vault-token' } }] } };
const pod = (extra: object = {}) => ({ metadata: { name: 'web', namespace: 'shop', uid: 'uid-9' }, spec: { serviceAccountName: 'builder', containers: [{ name: 'c' }], volumes: [KUBE_API_ACCESS, VAULT], ...extra } }) as unknown as Pod;

describe('fetchPodTokens', () => {
  it('asks once per projection for the pod’s account, bound to the pod, with the audience and lifetime', async () => {
    const calls: Array<[string, string, TokenRequest]> = [];
    const tokens = await fetchPodTokens(pod(), async (ns, sa, req) => {
      calls.push([ns, sa, req]);
      return { token: `tok-${req.spec.audiences?.[0] ?? 'api'}` };
    });
    expect(calls).toEqual([
      ['shop', 'builder', { spec: { expirationSeconds: 3607, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'uid-9' } } }],
      ['shop', 'builder', { spec: { audiences: ['vault'], expirationSeconds: 7200, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'web', uid: 'uid-9' } } }],
    ]);
    expect(tokens).toEqual(new Map([[tokenProjectionKey(undefined, 3607), 'tok-api'], [tokenProjectionKey('vault', 7200), 'tok-vault']]));
  });

  it('keeps a failure as its Error', async () => {
    const tokens = await fetchPodTokens(pod({ volumes: [KUBE_API_ACCESS] }), async () => Promise.reject(new Error('failed to fetch token: serviceaccounts "builder" not found')));
    expect(tokens.get(tokenProjectionKey(undefined, 3607))).toEqual(new Error('failed to fetch token: serviceaccounts "builder" not found'));
  });
});

describe('planVolume with a serviceAccountToken projection', () => {
  const sources = (token: () => string): VolumeSources => ({
    configMap: (_ns, name) => (name === 'kube-root-ca.crt' ? { data: { 'ca.crt': '-----CA-----' }, binaryData: {} } : undefined),
    secret: () => undefined,
    serviceAccountToken: token,
    podIP: '10.244.0.9',
    podIPs: ['10.244.0.9'],
    hostIP: '10.0.0.2',
    nodeName: 'n1',
    nodeAllocatable: {},
  });

  it('writes token, ca.crt and namespace with the default mode', () => {
    expect(planVolume(pod(), KUBE_API_ACCESS as never, sources(() => 'header.payload.sig'))).toEqual({
      kind: 'files',
      name: 'kube-api-access-x7b2q',
      plugin: 'projected',
      files: [
        { path: 'token', content: Buffer.from('header.payload.sig'), mode: 0o644 },
        { path: 'ca.crt', content: Buffer.from('-----CA-----'), mode: 0o644 },
        { path: 'namespace', content: Buffer.from('shop'), mode: 0o644 },
      ],
    });
  });

  it('a token under an fsGroup is 0600 (the group bit comes from volume ownership)', () => {
    const plan = planVolume(pod({ securityContext: { fsGroup: 2000 } }), KUBE_API_ACCESS as never, sources(() => 't'));
    expect(plan.kind === 'files' && plan.files.find((f) => f.path === 'token')?.mode).toBe(0o600);
  });

  it('a failed token request fails the volume with upstream’s FailedMount message', () => {
    expect(() => planVolume(pod(), KUBE_API_ACCESS as never, sources(() => {
      throw new Error('failed to fetch token: the API server does not have TokenRequest endpoints enabled');
    }))).toThrow('MountVolume.SetUp failed for volume "kube-api-access-x7b2q" : failed to fetch token: the API server does not have TokenRequest endpoints enabled');
  });

  it('a missing kube-root-ca.crt fails the volume (the configMap source is not optional)', () => {
    const s = { ...sources(() => 't'), configMap: () => undefined };
    expect(() => planVolume(pod(), KUBE_API_ACCESS as never, s)).toThrow('MountVolume.SetUp failed for volume "kube-api-access-x7b2q" : configmap "kube-root-ca.crt" not found');
  });
});
