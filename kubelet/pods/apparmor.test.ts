import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import { appArmorEnabledOnHost } from '../node/apparmor-host.ts';
import { admitAppArmor, appArmorCriFields, appArmorProfileOf, appArmorRequired } from './apparmor.ts';

const ANN = 'container.apparmor.security.beta.kubernetes.io/';
type Profile = { type: string; localhostProfile?: string };
const pod = (o: { podProfile?: Profile; containerProfile?: Profile; annotations?: Record<string, string>; phase?: string } = {}): Pod =>
  ({
    metadata: { name: 'p', annotations: o.annotations },
    spec: { securityContext: o.podProfile ? { appArmorProfile: o.podProfile } : undefined, containers: [{ name: 'app', image: 'x', securityContext: o.containerProfile ? { appArmorProfile: o.containerProfile } : undefined }] },
    status: o.phase ? { phase: o.phase } : undefined,
  }) as Pod;

describe('appArmorProfileOf (upstream GetProfile)', () => {
  it.each<[string, Pod, unknown]>([
    ['nothing: the runtime decides', pod(), undefined],
    ['the container field first', pod({ containerProfile: { type: 'Unconfined' }, annotations: { [`${ANN}app`]: 'runtime/default' }, podProfile: { type: 'RuntimeDefault' } }), { type: 'Unconfined' }],
    ['then its annotation (a static pod never synced)', pod({ annotations: { [`${ANN}app`]: 'localhost/k8s-deny' }, podProfile: { type: 'RuntimeDefault' } }), { type: 'Localhost', localhostProfile: 'k8s-deny' }],
    ['an unrecognised annotation is no profile', pod({ annotations: { [`${ANN}app`]: 'bogus' }, podProfile: { type: 'RuntimeDefault' } }), { type: 'RuntimeDefault' }],
    ['then the pod field', pod({ podProfile: { type: 'RuntimeDefault' } }), { type: 'RuntimeDefault' }],
  ])('%s', (_name, p, want) => expect(appArmorProfileOf(p, p.spec!.containers![0]!)).toEqual(want));
});

describe('appArmorCriFields', () => {
  it.each<[Profile | undefined, unknown]>([
    [undefined, {}],
    [{ type: 'RuntimeDefault' }, { apparmor: { profileType: 'RuntimeDefault' }, apparmorProfile: 'runtime/default' }],
    [{ type: 'Unconfined' }, { apparmor: { profileType: 'Unconfined' }, apparmorProfile: 'unconfined' }],
    [{ type: 'Localhost', localhostProfile: 'k8s-deny' }, { apparmor: { profileType: 'Localhost', localhostRef: 'k8s-deny' }, apparmorProfile: 'localhost/k8s-deny' }],
  ])('%j → %j', (profile, want) => expect(appArmorCriFields(profile as never)).toEqual(want));
});

describe('AppArmor admission (upstream isRequired + the admit handler)', () => {
  it.each<[string, Pod, boolean]>([
    ['no profile', pod(), false],
    ['Unconfined everywhere', pod({ podProfile: { type: 'Unconfined' }, containerProfile: { type: 'Unconfined' } }), false],
    ['a pod RuntimeDefault', pod({ podProfile: { type: 'RuntimeDefault' } }), true],
    ['a container Localhost', pod({ containerProfile: { type: 'Localhost', localhostProfile: 'x' } }), true],
    ['an annotation runtime/default', pod({ annotations: { [`${ANN}app`]: 'runtime/default' } }), true],
    ['an annotation unconfined', pod({ annotations: { [`${ANN}app`]: 'unconfined' } }), false],
  ])('%s: required=%s', (_name, p, want) => expect(appArmorRequired(p)).toBe(want));

  it('refuses a pending pod asking for AppArmor on a host without it, as upstream words it', () => {
    expect(admitAppArmor(pod({ podProfile: { type: 'RuntimeDefault' } }), false)).toEqual({ admit: false, reason: 'AppArmor', message: 'Cannot enforce AppArmor: AppArmor is not enabled on the host' });
    expect(admitAppArmor(pod({ podProfile: { type: 'RuntimeDefault' } }), true)).toEqual({ admit: true });
    expect(admitAppArmor(pod({ podProfile: { type: 'Unconfined' } }), false)).toEqual({ admit: true });
    // A pod already running (a kubelet restart) is not checked again.
    expect(admitAppArmor(pod({ podProfile: { type: 'RuntimeDefault' }, phase: 'Running' }), false)).toEqual({ admit: true });
  });

  it('refuses a Localhost profile without a name (only a static pod\'s `localhost/` annotation can say that)', () => {
    expect(admitAppArmor(pod({ annotations: { [`${ANN}app`]: 'localhost/' } }), true)).toMatchObject({ admit: false, reason: 'AppArmor', message: 'Cannot enforce AppArmor: invalid empty AppArmor profile name for container "app"' });
  });
});

describe('appArmorEnabledOnHost', () => {
  const root = mkdtempSync(join(tmpdir(), 'k8ts-apparmor-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  it('needs securityfs and the module enabled', () => {
    expect(appArmorEnabledOnHost(root)).toBe(false);
    mkdirSync(join(root, 'sys/kernel/security/apparmor'), { recursive: true });
    expect(appArmorEnabledOnHost(root)).toBe(false);
    mkdirSync(join(root, 'sys/module/apparmor/parameters'), { recursive: true });
    writeFileSync(join(root, 'sys/module/apparmor/parameters/enabled'), 'N\n');
    expect(appArmorEnabledOnHost(root)).toBe(false);
    writeFileSync(join(root, 'sys/module/apparmor/parameters/enabled'), 'Y\n');
    expect(appArmorEnabledOnHost(root)).toBe(true);
  });
});
