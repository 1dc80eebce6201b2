import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { mountServiceAccountToken, SERVICE_ACCOUNT_TOKEN_MOUNT_PATH as PATH } from './service-account-token.ts';

const token = (name: string, account = 'default', data: Record<string, string> = { token: 'dG9r' }, uid?: string) =>
  ({ metadata: { name, annotations: { 'kubernetes.io/service-account.name': account, ...(uid ? { 'kubernetes.io/service-account.uid': uid } : {}) } }, type: 'kubernetes.io/service-account-token', data }) as KubeObject & { type: string; data: Record<string, string> };
const spec = (extra: object = {}) => ({ serviceAccountName: 'default', containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: PATH }] }], initContainers: [{ name: 'i' }], ...extra }) as unknown as Parameters<typeof mountServiceAccountToken>[0];

describe('mountServiceAccountToken', () => {
  it('mounts the token Secret with the namespace in every container that has nothing there', () => {
    const s = spec();
    expect(mountServiceAccountToken(s, undefined, [token('default-token-b'), token('default-token-a'), token('other-token', 'builder')])).toBe('default-token-a');
    expect(s.volumes).toEqual([{ name: 'default-token-a', projected: { defaultMode: 0o644, sources: [{ secret: { name: 'default-token-a' } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }] } }]);
    expect(s.containers![0]!.volumeMounts).toEqual([{ name: 'default-token-a', readOnly: true, mountPath: PATH }]);
    expect(s.containers![1]!.volumeMounts).toEqual([{ name: 'own', mountPath: PATH }]);
    expect(s.initContainers![0]!.volumeMounts).toHaveLength(1);
  });

  it.each([
    ['pod opts out', spec({ automountServiceAccountToken: false }), undefined, [token('t')]],
    ['account opts out', spec(), { metadata: { name: 'default' }, automountServiceAccountToken: false }, [token('t')]],
    ['no token Secret', spec(), undefined, [token('t', 'builder')]],
    ['empty token', spec(), undefined, [token('t', 'default', {})]],
    ['uid of another account', spec(), { metadata: { name: 'default', uid: 'u1' } }, [token('t', 'default', { token: 'x' }, 'u2')]],
  ] as const)('mounts nothing when %s', (_n, s, account, secrets) => {
    expect(mountServiceAccountToken(s, account as never, secrets)).toBeUndefined();
    expect(s.volumes).toBeUndefined();
  });

  it('prefers the Secret the account lists, keeps a namespace key, and avoids volume name clashes', () => {
    const s = spec({ volumes: [{ name: 'listed', emptyDir: {} }] });
    const listed = token('listed', 'default', { token: 'x', namespace: 'ZGVmYXVsdA==' });
    expect(mountServiceAccountToken(s, { metadata: { name: 'default' }, secrets: [{ name: 'listed' }] } as never, [token('a-first'), listed])).toBe('listed');
    expect(s.volumes![1]).toEqual({ name: 'listed-1', projected: { defaultMode: 0o644, sources: [{ secret: { name: 'listed' } }] } });
  });
});
