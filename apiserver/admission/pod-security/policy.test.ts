import { describe, expect, it } from 'vitest';
import type { PodSpec } from '../../../pkg/api/core/v1/pod-spec.ts';
import { evaluatePodSecurity, forbiddenDetail } from './policy.ts';

const c = (name: string, securityContext?: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name, image: 'x', ...(securityContext ? { securityContext } : {}), ...extra });
const detail = (level: 'baseline' | 'restricted', spec: Record<string, unknown>) => forbiddenDetail(evaluatePodSecurity(level, spec as PodSpec));
/** A container that meets restricted. */
const hardened = (name: string) => c(name, { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });

describe('Pod Security Standards, baseline', () => {
  it.each([
    [{ containers: [c('a')] }, ''],
    [{ hostNetwork: true, hostIPC: true, containers: [c('a')] }, 'host namespaces (hostNetwork=true, hostIPC=true)'],
    [{ containers: [c('a', { privileged: true }), c('b', { privileged: true })] }, 'privileged (containers "a", "b" must not set securityContext.privileged=true)'],
    [{ containers: [c('a', { capabilities: { add: ['SYS_ADMIN', 'NET_ADMIN', 'CHOWN'] } })] }, 'non-default capabilities (container "a" must not include "NET_ADMIN", "SYS_ADMIN" in securityContext.capabilities.add)'],
    [{ containers: [c('a')], volumes: [{ name: 'h', hostPath: { path: '/' } }, { name: 'e', emptyDir: {} }] }, 'hostPath volumes (volume "h")'],
    [{ containers: [c('b', undefined, { ports: [{ containerPort: 80, hostPort: 20 }] }), c('c', undefined, { ports: [{ containerPort: 81, hostPort: 10 }, { containerPort: 82, hostPort: 30 }] })] }, 'hostPort (containers "b", "c" use hostPorts 10, 20, 30)'],
    [{ containers: [c('b', undefined, { ports: [{ containerPort: 80, hostPort: 20 }] })] }, 'hostPort (container "b" uses hostPort 20)'],
    [{ securityContext: { seLinuxOptions: { type: 'foo_t', user: 'u' } }, containers: [c('a', { seLinuxOptions: { role: 'r' } })] }, 'seLinuxOptions (pod and container "a" set forbidden securityContext.seLinuxOptions: type "foo_t"; user may not be set; role may not be set)'],
    [{ containers: [c('a', { procMount: 'Unmasked' })] }, 'procMount (container "a" must not set securityContext.procMount to "Unmasked")'],
    [{ securityContext: { seccompProfile: { type: 'Unconfined' } }, containers: [c('a')] }, 'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined")'],
    [{ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'kernel.msgmax', value: '1' }, { name: 'net.core.somaxconn', value: '1' }] }, containers: [c('a')] }, 'forbidden sysctls (kernel.msgmax, net.core.somaxconn)'],
    [{ containers: [c('a', { appArmorProfile: { type: 'Unconfined' } })] }, 'forbidden AppArmor profile (container "a" must not set AppArmor profile type to "Unconfined")'],
  ])('%j → %s', (spec, expected) => {
    expect(detail('baseline', spec)).toBe(expected);
  });

  it('reports every failure, in upstream\'s check order', () => {
    expect(detail('baseline', { hostPID: true, containers: [c('a', { privileged: true, capabilities: { add: ['NET_RAW', 'SYS_TIME'] } })] })).toBe('non-default capabilities (container "a" must not include "NET_RAW", "SYS_TIME" in securityContext.capabilities.add), host namespaces (hostPID=true), privileged (container "a" must not set securityContext.privileged=true)');
  });
});

describe('Pod Security Standards, restricted', () => {
  it('a plain pod fails every restricted check that applies, as kubectl users see it', () => {
    expect(detail('restricted', { containers: [c('nginx')] })).toBe(
      'allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it.each([
    [{ containers: [hardened('a')] }, ''],
    [{ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } })] }, ''],
    [{ containers: [hardened('a')], volumes: [{ name: 'b1', hostPath: { path: '/' } }, { name: 'c1', nfs: { server: 's', path: '/' } }, { name: 'ok', configMap: { name: 'x' } }] }, 'restricted volume types (volumes "b1", "c1" use restricted volume types "hostPath", "nfs")'],
    [{ containers: [c('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] }, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })] }, 'unrestricted capabilities (container "a" must not include "NET_ADMIN" in securityContext.capabilities.add)'],
    [{ securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [c('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: false, runAsUser: 0 })] }, 'runAsNonRoot != true (container "a" must not set securityContext.runAsNonRoot=false), runAsUser=0 (container "a" must not set runAsUser=0)'],
    [{ containers: [c('a', { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] }, runAsNonRoot: true, seccompProfile: { type: 'Unconfined' } })] }, 'seccompProfile (container "a" must not set securityContext.seccompProfile.type to "Unconfined")'],
  ])('%j → %s', (spec, expected) => {
    expect(detail('restricted', spec)).toBe(expected);
  });

  it('privileged checks nothing', () => {
    expect(evaluatePodSecurity('privileged', { hostNetwork: true, containers: [c('a', { privileged: true })] } as PodSpec)).toEqual([]);
  });
});
