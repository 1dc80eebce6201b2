import { expect, it } from 'vitest';
import { podReferences } from './pod-references.ts';

it('collects every reference kind of a pod', () => {
  const pod = {
    metadata: { name: 'p' },
    spec: {
      serviceAccountName: 'sa',
      imagePullSecrets: [{ name: 'pull' }],
      containers: [{ name: 'c', envFrom: [{ secretRef: { name: 'env-s' } }, { configMapRef: { name: 'env-cm' } }], env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'key-s', key: 'k' } } }] }],
      volumes: [
        { name: 'a', secret: { secretName: 'vol-s' } },
        { name: 'b', configMap: { name: 'vol-cm' } },
        { name: 'c', persistentVolumeClaim: { claimName: 'claim' } },
        { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
        { name: 'd', projected: { sources: [{ configMap: { name: 'kube-root-ca.crt' } }, { secret: { name: 'proj-s' } }] } },
      ],
    },
  };
  const refs = podReferences(pod as never);
  expect([...refs.secrets].sort()).toEqual(['env-s', 'key-s', 'proj-s', 'pull', 'vol-s']);
  expect([...refs.configmaps].sort()).toEqual(['env-cm', 'kube-root-ca.crt', 'vol-cm']);
  expect([...refs.persistentvolumeclaims]).toEqual(['claim', 'p-scratch']);
  expect([...refs.serviceaccounts]).toEqual(['sa']);
});
