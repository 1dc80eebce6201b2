/**
 * PodSecurity through the API server as `k8ts apiserver` assembles it (memory storage): namespace
 * labels choose the level, pods are refused with upstream's 403 text, invalid labels are 422.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../../../pkg/api/builtin.ts';
import { MemoryStorage } from '../../../pkg/storage/index.ts';
import { assembleApiServer } from '../../assemble.ts';
import type { ApiServer } from '../../server.ts';
import { podSecurityLabelErrors, policyToEvaluate } from './namespace-labels.ts';

let server: ApiServer;
let url: string;
beforeAll(async () => {
  server = await assembleApiServer({ storage: new MemoryStorage(), registry: createBuiltinRegistry(), logger: pino({ level: 'silent' }), serviceClusterIpRange: '10.96.0.0/12', serviceNodePortRange: '30000-32767', advertise: { ip: '127.0.0.1', port: 6443 } });
  url = await server.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => server?.close());

async function send(method: string, path: string, body: unknown, contentType = 'application/json'): Promise<{ code: number; body: Record<string, unknown>; warnings: string | null }> {
  const res = await fetch(`${url}${path}`, { method, headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  return { code: res.status, body: (await res.json()) as Record<string, unknown>, warnings: res.headers.get('warning') };
}
const namespace = (name: string, labels: Record<string, string>) => send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
const pod = (ns: string, name: string, spec: Record<string, unknown>) => send('POST', `/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec });
const nginx = { containers: [{ name: 'nginx', image: 'nginx' }] };
const hardened = { securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } }, containers: [{ name: 'nginx', image: 'nginx', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }] };

describe('PodSecurity admission (enforce)', () => {
  it('restricted: a plain pod is refused with upstream\'s message, a hardened one is created', async () => {
    expect((await namespace('locked', { 'pod-security.kubernetes.io/enforce': 'restricted' })).code).toBe(201);
    const refused = await pod('locked', 'nginx', nginx);
    expect(refused).toMatchObject({ code: 403, body: { reason: 'Forbidden', details: { name: 'nginx', kind: 'pods' } } });
    expect(refused.body.message).toBe('pods "nginx" is forbidden: violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "nginx" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "nginx" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "nginx" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "nginx" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")');
    expect((await pod('locked', 'hardened', hardened)).code).toBe(201);
  });

  it('baseline with a pinned version: host namespaces are refused, a plain pod is fine; unlabelled namespaces check nothing', async () => {
    await namespace('base', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'v1.30' });
    const refused = await pod('base', 'host', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] });
    expect(refused.body.message).toBe('pods "host" is forbidden: violates PodSecurity "baseline:v1.30": host namespaces (hostNetwork=true)');
    expect((await pod('base', 'plain', nginx)).code).toBe(201);
    expect((await pod('default', 'host', { hostNetwork: true, containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] })).code).toBe(201);
  });

  it('a label change takes effect for the next pod; updates that keep the images are not re-checked', async () => {
    await namespace('later', {});
    expect((await pod('later', 'before', nginx)).code).toBe(201);
    const labelled = await send('PATCH', '/api/v1/namespaces/later', { metadata: { labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } }, 'application/merge-patch+json');
    expect(labelled.code).toBe(200);
    expect((await pod('later', 'after', nginx)).code).toBe(403);
    // The pod that predates the label can still be labelled (no image change).
    expect((await send('PATCH', '/api/v1/namespaces/later/pods/before', { metadata: { labels: { a: 'b' } } }, 'application/merge-patch+json')).code).toBe(200);
    expect((await send('PATCH', '/api/v1/namespaces/later/pods/before', { spec: { containers: [{ name: 'nginx', image: 'nginx:2' }] } }, 'application/strategic-merge-patch+json')).code).toBe(403);
  });

  it('warn mode: a pod that passes enforce but fails the warned level is created with a Warning; a Deployment is warned about, never refused', async () => {
    await namespace('warned', { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    const created = await pod('warned', 'nginx', nginx);
    expect(created.code).toBe(201);
    expect(created.warnings).toBe('299 - "would violate PodSecurity \\"restricted:latest\\": allowPrivilegeEscalation != false (container \\"nginx\\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container \\"nginx\\" must set securityContext.capabilities.drop=[\\"ALL\\"]), runAsNonRoot != true (pod or container \\"nginx\\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container \\"nginx\\" must set securityContext.seccompProfile.type to \\"RuntimeDefault\\" or \\"Localhost\\")"');
    expect((await pod('warned', 'hardened', hardened)).warnings).toBeNull();
    // In an enforce=restricted namespace without a warn label, warn follows enforce: a
    // Deployment whose template fails is created, with the warning kubectl prints.
    const deployment = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec } } });
    const created2 = await send('POST', '/apis/apps/v1/namespaces/locked/deployments', deployment('web', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }));
    expect(created2.code).toBe(201);
    expect(created2.warnings).toMatch(/^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostNetwork=true\), allowPrivilegeEscalation != false/);
    const quiet = await send('POST', '/apis/apps/v1/namespaces/locked/deployments', deployment('ok', hardened));
    expect([quiet.code, quiet.warnings]).toEqual([201, null]);
    const sts = await send('POST', '/apis/apps/v1/namespaces/locked/statefulsets', { ...deployment('db', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }), kind: 'StatefulSet' });
    expect(sts.code).toBe(201);
    expect(sts.warnings).toMatch(/^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostNetwork=true\)/);
    // A CronJob's pod template sits inside its job template.
    const jobTemplate = { template: { spec: { restartPolicy: 'Never', hostNetwork: true, containers: [{ name: 'c', image: 'x' }] } } };
    const cj = await send('POST', '/apis/batch/v1/namespaces/locked/cronjobs', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { schedule: '0 3 * * *', jobTemplate: { spec: jobTemplate } } });
    expect(cj.code).toBe(201);
    expect(cj.warnings).toMatch(/^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostNetwork=true\)/);
    const ds = await send('POST', '/apis/apps/v1/namespaces/locked/daemonsets', { ...deployment('agent', { hostNetwork: true, containers: [{ name: 'c', image: 'x' }] }), kind: 'DaemonSet' });
    expect(ds.code).toBe(201);
    expect(ds.warnings).toMatch(/^299 - "would violate PodSecurity \\"restricted:latest\\": host namespaces \(hostNetwork=true\)/);
  });

  it('ephemeral containers added through pods/ephemeralcontainers are checked as upstream; the main resource\'s other subresources are not', async () => {
    await namespace('debugged', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    expect((await pod('debugged', 'app', nginx)).code).toBe(201);
    const privileged = { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox', securityContext: { privileged: true } }] } };
    const refused = await send('PATCH', '/api/v1/namespaces/debugged/pods/app/ephemeralcontainers', privileged, 'application/strategic-merge-patch+json');
    expect(refused).toMatchObject({ code: 403, body: { reason: 'Forbidden', details: { name: 'app', kind: 'pods' } } });
    expect(refused.body.message).toBe('pods "app" is forbidden: violates PodSecurity "baseline:latest": privileged (container "dbg" must not set securityContext.privileged=true)');
    const plain = { spec: { ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] } };
    expect((await send('PATCH', '/api/v1/namespaces/debugged/pods/app/ephemeralcontainers', plain, 'application/strategic-merge-patch+json')).code).toBe(200);
    // A status write (ignored by PodSecurity upstream) is not re-checked.
    expect((await send('PATCH', '/api/v1/namespaces/debugged/pods/app/status', { status: { phase: 'Running' } }, 'application/merge-patch+json')).code).toBe(200);
  });

  it('invalid pod-security labels on a namespace are 422', async () => {
    const res = await namespace('bad', { 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/warn-version': '1.30' });
    expect(res.code).toBe(422);
    expect(res.body.message).toBe('Namespace "bad" is invalid: [metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted, metadata.labels[pod-security.kubernetes.io/warn-version]: Invalid value: "1.30": must be "latest" or "v1.x"]');
  });
});

describe('policyToEvaluate and podSecurityLabelErrors', () => {
  it('absent is privileged; an invalid level fails closed to restricted, an invalid version is latest', () => {
    expect(policyToEvaluate(undefined).policy.enforce).toEqual({ level: 'privileged', version: 'latest' });
    expect(policyToEvaluate({ 'pod-security.kubernetes.io/enforce': 'strict', 'pod-security.kubernetes.io/enforce-version': 'x' }).policy.enforce).toEqual({ level: 'restricted', version: 'latest' });
    expect(podSecurityLabelErrors({ 'pod-security.kubernetes.io/audit': 'baseline', 'pod-security.kubernetes.io/audit-version': 'v1.29' })).toEqual([]);
  });
});
