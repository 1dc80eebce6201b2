import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Secret } from '../../pkg/api/core/v1/secret.ts';
import type { ServiceAccount } from '../../pkg/api/core/v1/serviceaccount.ts';
import { planServiceAccountToken, serviceAccountTokenMount, SERVICE_ACCOUNT_TOKEN_MOUNT_PATH } from './service-account-token.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function tokenSecret(name: string, opts: { account?: string; uid?: string; type?: string; data?: Record<string, string>; namespace?: string } = {}): Secret {
  return {
    metadata: { name, namespace: opts.namespace ?? 'ns', annotations: { 'kubernetes.io/service-account.name': opts.account ?? 'default', ...(opts.uid ? { 'kubernetes.io/service-account.uid': opts.uid } : {}) } },
    type: opts.type ?? 'kubernetes.io/service-account-token',
    data: Object.fromEntries(Object.entries(opts.data ?? { token: 'tok-' + name, 'ca.crt': 'CA' }).map(([k, v]) => [k, b64(v)])),
  } as Secret;
}

function pod(spec: Record<string, unknown> = {}): Pod {
  return { metadata: { name: 'p', namespace: 'ns', uid: 'u' }, spec: { containers: [{ name: 'app' }], ...spec } } as unknown as Pod;
}

const account = (extra: Partial<ServiceAccount> = {}, name = 'default'): ServiceAccount => ({ metadata: { name, namespace: 'ns', uid: 'sa-uid' }, ...extra }) as ServiceAccount;

/** The decision as plain text: secret, volume name, containers and files. */
function summary(p: Pod, sa: ServiceAccount | undefined, secrets: Secret[]) {
  const plan = planServiceAccountToken(p, sa, secrets);
  if (!plan) return undefined;
  return { secret: plan.secretName, volume: plan.volume.name, containers: plan.containers, files: Object.fromEntries(plan.volume.files.map((f) => [f.path, `${f.content.toString()} ${f.mode.toString(8)}`])) };
}

describe('planServiceAccountToken', () => {
  const standard = { secret: 'default-token-abc', volume: 'default-token-abc', containers: ['app'], files: { token: 'tok-default-token-abc 644', 'ca.crt': 'CA 644', namespace: 'ns 644' } };
  const cases: Array<{ name: string; pod: Pod; sa?: ServiceAccount; secrets: Secret[]; want: ReturnType<typeof summary> }> = [
    { name: 'annotated token Secret of the default account', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc')], want: standard },
    { name: 'account object absent: the annotation alone is enough', pod: pod(), sa: undefined, secrets: [tokenSecret('default-token-abc')], want: standard },
    { name: 'no Secrets at all: nothing, no error', pod: pod(), sa: account(), secrets: [], want: undefined },
    { name: 'Secret of another type is ignored', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { type: 'Opaque' })], want: undefined },
    { name: 'token of another account is ignored', pod: pod(), sa: account(), secrets: [tokenSecret('builder-token-x', { account: 'builder' })], want: undefined },
    { name: 'the pod names its account', pod: pod({ serviceAccountName: 'builder' }), sa: account({}, 'builder'), secrets: [tokenSecret('default-token-abc'), tokenSecret('builder-token-x', { account: 'builder' })], want: { ...standard, secret: 'builder-token-x', volume: 'builder-token-x', files: { ...standard.files, token: 'tok-builder-token-x 644' } } },
    { name: 'uid annotation of a deleted-and-recreated account does not match', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { uid: 'old-uid' })], want: undefined },
    { name: 'matching uid annotation', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { uid: 'sa-uid' })], want: standard },
    { name: 'Secret not yet populated (no token) is skipped', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { data: { 'ca.crt': 'CA' } })], want: undefined },
    { name: 'Secret in another namespace is ignored', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { namespace: 'other' })], want: undefined },
    { name: 'pod opts out', pod: pod({ automountServiceAccountToken: false }), sa: account(), secrets: [tokenSecret('default-token-abc')], want: undefined },
    { name: 'account opts out', pod: pod(), sa: account({ automountServiceAccountToken: false }), secrets: [tokenSecret('default-token-abc')], want: undefined },
    { name: 'pod opting in overrides the account', pod: pod({ automountServiceAccountToken: true }), sa: account({ automountServiceAccountToken: false }), secrets: [tokenSecret('default-token-abc')], want: standard },
    { name: 'Secret data.namespace wins over the pod namespace; no ca.crt, no file', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-abc', { data: { token: 't', namespace: 'from-secret' } })], want: { ...standard, files: { token: 't 644', namespace: 'from-secret 644' } } },
    { name: 'the Secret the account lists comes first', pod: pod(), sa: account({ secrets: [{ name: 'default-token-zzz' }] }), secrets: [tokenSecret('default-token-abc'), tokenSecret('default-token-zzz')], want: { ...standard, secret: 'default-token-zzz', volume: 'default-token-zzz', files: { ...standard.files, token: 'tok-default-token-zzz 644' } } },
    { name: 'otherwise the first by name', pod: pod(), sa: account(), secrets: [tokenSecret('default-token-zzz'), tokenSecret('default-token-abc')], want: standard },
    {
      name: 'init containers too; a container with its own mount at the path is left alone',
      pod: pod({ initContainers: [{ name: 'init' }], containers: [{ name: 'app' }, { name: 'own', volumeMounts: [{ name: 'x', mountPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH }] }] }),
      sa: account(),
      secrets: [tokenSecret('default-token-abc')],
      want: { ...standard, containers: ['init', 'app'] },
    },
    { name: 'every container mounts the path itself: nothing', pod: pod({ containers: [{ name: 'own', volumeMounts: [{ name: 'x', mountPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH }] }] }), sa: account(), secrets: [tokenSecret('default-token-abc')], want: undefined },
    { name: 'a pod volume already named like the Secret: the token volume gets a free name', pod: pod({ volumes: [{ name: 'default-token-abc', emptyDir: {} }] }), sa: account(), secrets: [tokenSecret('default-token-abc')], want: { ...standard, volume: 'default-token-abc-1' } },
  ];
  it.each(cases)('$name', ({ pod: p, sa, secrets, want }) => {
    expect(summary(p, sa, secrets)).toEqual(want);
  });

  it('plans a secret-plugin file volume', () => {
    expect(planServiceAccountToken(pod(), account(), [tokenSecret('default-token-abc')])?.volume).toMatchObject({ kind: 'files', plugin: 'secret', name: 'default-token-abc' });
  });
});

describe('serviceAccountTokenMount', () => {
  const plan = planServiceAccountToken(pod({ containers: [{ name: 'app' }, { name: 'own', volumeMounts: [{ name: 'x', mountPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH }] }] }), account(), [tokenSecret('default-token-abc')]);
  const dirs = new Map([['default-token-abc', '/var/lib/kubelet/pods/u/volumes/kubernetes.io~secret/default-token-abc']]);
  it.each([
    { name: 'a planned container: read-only at the token path', container: 'app', plan, dirs, want: { containerPath: SERVICE_ACCOUNT_TOKEN_MOUNT_PATH, hostPath: dirs.get('default-token-abc'), readonly: true, propagation: 'PROPAGATION_PRIVATE' } },
    { name: 'a container with its own mount there', container: 'own', plan, dirs, want: undefined },
    { name: 'no plan', container: 'app', plan: undefined, dirs, want: undefined },
    { name: 'volume not set up', container: 'app', plan, dirs: new Map<string, string>(), want: undefined },
  ])('$name', ({ container, plan: p, dirs: d, want }) => {
    expect(serviceAccountTokenMount(p, { name: container }, d)).toEqual(want);
  });
});
