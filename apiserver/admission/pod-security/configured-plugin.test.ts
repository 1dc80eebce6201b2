/**
 * The PodSecurity plugin with a configuration: defaults under labels, each exemption kind, the
 * exempt-namespace label warning and the existing-pod warnings of a namespace update.
 */
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { MemoryStorage } from '../../../pkg/storage/memory.ts';
import { NAMESPACES, testContext, testInfo } from '../admission-test-kit.ts';
import type { AdmissionAttributes, AdmissionOperation } from '../types.ts';
import { loadPodSecurityConfig } from './configuration.ts';
import { createPodSecurityPlugin } from './plugin.ts';

const PODS = testInfo('', 'Pod', 'pods', true);
const DEPLOYMENTS = testInfo('apps', 'Deployment', 'deployments', true);
const config = loadPodSecurityConfig({
  apiVersion: 'pod-security.admission.config.k8s.io/v1',
  kind: 'PodSecurityConfiguration',
  defaults: { enforce: 'baseline', warn: 'restricted' },
  exemptions: { namespaces: ['ops'], usernames: ['admin'], runtimeClasses: ['kata'] },
});
const privilegedSpec = (extra: Record<string, unknown> = {}) => ({ containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }], ...extra });
const namespaceObject = (name: string, labels: Record<string, string> = {}): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });

async function setup() {
  const storage = new MemoryStorage();
  const ctx = testContext(storage);
  for (const ns of ['plain', 'ops', 'open']) await storage.create(ctx.keyFor(NAMESPACES, undefined, ns), namespaceObject(ns, ns === 'open' ? { 'pod-security.kubernetes.io/enforce': 'privileged' } : {}));
  const plugin = createPodSecurityPlugin(ctx, { config });
  const run = async (write: { operation?: AdmissionOperation; info?: AdmissionAttributes['info']; namespace?: string; name: string; object: KubeObject; oldObject?: KubeObject; user?: string }) => {
    const warnings: string[] = [];
    const attrs: AdmissionAttributes = {
      operation: write.operation ?? 'CREATE',
      info: write.info ?? PODS,
      namespace: write.namespace,
      name: write.name,
      object: write.object,
      oldObject: write.oldObject,
      dryRun: false,
      user: write.user ? { username: write.user, groups: [] } : undefined,
      warnings,
      onFailure: () => {},
      onSuccess: () => {},
    };
    await plugin.validate?.(attrs);
    return warnings;
  };
  const pod = (namespace: string, name: string, spec: Record<string, unknown>, user?: string) => run({ namespace, name, user, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec } });
  return { storage, ctx, run, pod };
}

describe('PodSecurity with a configuration', () => {
  it('the default enforce level applies to an unlabelled namespace, with upstream\'s message', async () => {
    const { pod } = await setup();
    await expect(pod('plain', 'p', privilegedSpec())).rejects.toMatchObject({ code: 403, message: 'pods "p" is forbidden: violates PodSecurity "baseline:latest": privileged (container "c" must not set securityContext.privileged=true)' });
    // Passing baseline, failing the default warn level (restricted): created with a warning.
    const warnings = await pod('plain', 'q', { containers: [{ name: 'c', image: 'x' }] });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
  });

  it('a namespace label overrides the default of its mode', async () => {
    const { pod } = await setup();
    // enforce=privileged overrides the baseline default; warn keeps the restricted default.
    const warnings = await pod('open', 'p', privilegedSpec());
    expect(warnings[0]).toMatch(/^would violate PodSecurity "restricted:latest": privileged \(container "c" must not set securityContext.privileged=true\)/);
  });

  it.each([
    ['namespace', { namespace: 'ops', user: 'someone', spec: privilegedSpec() }],
    ['user', { namespace: 'plain', user: 'admin', spec: privilegedSpec() }],
    ['runtimeClass', { namespace: 'plain', user: 'someone', spec: privilegedSpec({ runtimeClassName: 'kata' }) }],
  ])('exempt by %s: admitted unchecked, without warnings', async (_kind, { namespace, user, spec }) => {
    const { pod } = await setup();
    expect(await pod(namespace, 'p', spec, user)).toEqual([]);
  });

  it('other users and runtime classes are not exempt', async () => {
    const { pod } = await setup();
    await expect(pod('plain', 'p', privilegedSpec({ runtimeClassName: 'runc' }), 'alice')).rejects.toMatchObject({ code: 403 });
  });

  it('workloads: warned about under the default warn level; exempt users get no warning', async () => {
    const { run } = await setup();
    const deployment: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'plain' }, spec: { template: { spec: privilegedSpec() } } };
    const warned = await run({ info: DEPLOYMENTS, namespace: 'plain', name: 'd', object: deployment, user: 'alice' });
    expect(warned[0]).toMatch(/^would violate PodSecurity "restricted:latest": privileged/);
    expect(await run({ info: DEPLOYMENTS, namespace: 'plain', name: 'd', object: deployment, user: 'admin' })).toEqual([]);
  });

  it('labelling an exempt namespace warns that the policy is ignored (not when it equals the defaults)', async () => {
    const { run } = await setup();
    const create = (labels: Record<string, string>) => run({ info: NAMESPACES, name: 'ops', object: namespaceObject('ops', labels) });
    expect(await create({ 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'baseline' })).toEqual(['namespace "ops" is exempt from Pod Security, and the policy (enforce=restricted:latest, audit=baseline:latest) will be ignored']);
    expect(await create({ 'pod-security.kubernetes.io/enforce': 'baseline' })).toEqual([]);
    expect(await create({ 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'privileged' })).toEqual([]);
  });

  it('an update tightening enforce over the default warns about existing pods that fail it', async () => {
    const { storage, ctx, run } = await setup();
    const put = (name: string, spec: Record<string, unknown>, owner?: string) =>
      storage.create(ctx.keyFor(PODS, 'plain', name), { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'plain', ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: owner, controller: true }] } : {}) }, spec } as KubeObject);
    await put('web-b', { containers: [{ name: 'c', image: 'x' }] }, 'rs1');
    await put('web-a', { containers: [{ name: 'c', image: 'x' }] }, 'rs1');
    await put('solo', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] });
    await put('vm', { runtimeClassName: 'kata', containers: [{ name: 'c', image: 'x' }] });
    const update = (from: Record<string, string>, to: Record<string, string>) => run({ operation: 'UPDATE', info: NAMESPACES, name: 'plain', object: namespaceObject('plain', to), oldObject: namespaceObject('plain', from) });
    expect(await update({}, { 'pod-security.kubernetes.io/enforce': 'restricted' })).toEqual([
      'existing pods in namespace "plain" violate the new PodSecurity enforce level "restricted:latest"',
      'solo: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
      'web-a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile',
    ]);
    // Same as the default (baseline): the enforce policy did not change, nothing is checked.
    expect(await update({}, { 'pod-security.kubernetes.io/enforce': 'baseline' })).toEqual([]);
    // Relaxed, or privileged: nothing checked.
    expect(await update({ 'pod-security.kubernetes.io/enforce': 'restricted' }, {})).toEqual([]);
    // Invalid labels are still refused on update when they are new.
    await expect(update({}, { 'pod-security.kubernetes.io/enforce': 'strict' })).rejects.toMatchObject({ code: 422 });
  });
});
