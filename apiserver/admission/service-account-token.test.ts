import { describe, expect, it } from 'vitest';
import { NAME_ALPHABET } from '../strategies/generate-name.ts';
import { mountServiceAccountToken, shouldAutomount, SERVICE_ACCOUNT_TOKEN_MOUNT_PATH as PATH, type PodSpecLike } from './service-account-token.ts';

const spec = (extra: object = {}) => ({ containers: [{ name: 'a' }, { name: 'b', volumeMounts: [{ name: 'own', mountPath: PATH }] }], initContainers: [{ name: 'i' }], ...extra }) as unknown as PodSpecLike;
const fixedName = (base: string) => `${base}x7b2q`;

const PROJECTED = {
  defaultMode: 420,
  sources: [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
  ],
};

describe('mountServiceAccountToken', () => {
  it('adds the kube-api-access projected volume and a read-only mount in every container and init container lacking one', () => {
    const s = spec();
    expect(mountServiceAccountToken(s, undefined, fixedName)).toBe('kube-api-access-x7b2q');
    expect(s.volumes).toEqual([{ name: 'kube-api-access-x7b2q', projected: PROJECTED }]);
    expect(s.containers![0]!.volumeMounts).toEqual([{ name: 'kube-api-access-x7b2q', readOnly: true, mountPath: PATH }]);
    expect(s.containers![1]!.volumeMounts).toEqual([{ name: 'own', mountPath: PATH }]);
    expect(s.initContainers![0]!.volumeMounts).toEqual([{ name: 'kube-api-access-x7b2q', readOnly: true, mountPath: PATH }]);
  });

  it('names the volume with five characters of upstream’s alphabet by default', () => {
    const s = spec();
    const name = mountServiceAccountToken(s, undefined) as string;
    expect(name).toMatch(new RegExp(`^kube-api-access-[${NAME_ALPHABET}]{5}$`));
  });

  it('keeps an existing kube-api-access volume instead of adding a second one', () => {
    const s = spec({ volumes: [{ name: 'kube-api-access-abcde', projected: { sources: [] } }] });
    expect(mountServiceAccountToken(s, undefined, fixedName)).toBe('kube-api-access-abcde');
    expect(s.volumes).toEqual([{ name: 'kube-api-access-abcde', projected: { sources: [] } }]);
    expect(s.containers![0]!.volumeMounts).toEqual([{ name: 'kube-api-access-abcde', readOnly: true, mountPath: PATH }]);
  });

  it('adds nothing when every container already mounts something at the path', () => {
    const s = { containers: [{ name: 'a', volumeMounts: [{ name: 'mine', mountPath: PATH }] }] } as unknown as PodSpecLike;
    expect(mountServiceAccountToken(s, undefined, fixedName)).toBeUndefined();
    expect(s.volumes).toBeUndefined();
    expect(s.containers![0]!.volumeMounts).toEqual([{ name: 'mine', mountPath: PATH }]);
  });

  it.each([
    ['the pod opts out', { automountServiceAccountToken: false }, undefined, false],
    ['the account opts out and the pod leaves it unset', {}, { automountServiceAccountToken: false }, false],
    ['the pod opts in over the account', { automountServiceAccountToken: true }, { automountServiceAccountToken: false }, true],
    ['neither says anything', {}, undefined, true],
    ['the account opts in', {}, { automountServiceAccountToken: true }, true],
  ] as const)('mounts only when it should: %s', (_n, podSetting, account, mounted) => {
    expect(shouldAutomount(podSetting, account)).toBe(mounted);
    const s = spec(podSetting);
    expect(mountServiceAccountToken(s, account, fixedName) !== undefined).toBe(mounted);
    expect(s.volumes !== undefined).toBe(mounted);
  });
});
