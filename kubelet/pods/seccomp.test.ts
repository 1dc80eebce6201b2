import { describe, expect, it } from 'vitest';
import type { Pod } from '../../pkg/api/core/v1/pod.ts';
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import { seccompProfileFor } from './seccomp.ts';

const pod = (podProfile?: object): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], ...(podProfile ? { securityContext: { seccompProfile: podProfile } } : {}) } }) as unknown as Pod;
const container = (profile?: object): Container => ({ name: 'c', ...(profile ? { securityContext: { seccompProfile: profile } } : {}) }) as Container;

describe('seccompProfileFor (upstream getSeccompProfile, --seccomp-default off)', () => {
  it.each([
    ['no profile anywhere', pod(), container(), { profileType: 'Unconfined' }],
    ['the pod\'s RuntimeDefault', pod({ type: 'RuntimeDefault' }), container(), { profileType: 'RuntimeDefault' }],
    ['the container\'s over the pod\'s', pod({ type: 'RuntimeDefault' }), container({ type: 'Unconfined' }), { profileType: 'Unconfined' }],
    ['a Localhost file under <root-dir>/seccomp', pod(), container({ type: 'Localhost', localhostProfile: 'profiles/audit.json' }), { profileType: 'Localhost', localhostRef: '/var/lib/kubelet/seccomp/profiles/audit.json' }],
  ])('%s', (_name, p, c, expected) => {
    expect(seccompProfileFor(p, c, '/var/lib/kubelet')).toEqual(expected);
  });
});
