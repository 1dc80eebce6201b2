import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../pkg/storage/memory.ts';
import { CONFIGMAPS, runWrite, testContext, testInfo } from './admission-test-kit.ts';
import { createResourceQuotaPlugin } from './resource-quota.ts';

const PODS = testInfo('', 'Pod', 'pods', true);
const QUOTAS = testInfo('', 'ResourceQuota', 'resourcequotas', true);

async function setup(hard: Record<string, string>, used: Record<string, string>) {
  const ctx = testContext(new MemoryStorage());
  await ctx.storage.create(ctx.keyFor(QUOTAS, 'default', 'q'), { metadata: { name: 'q', namespace: 'default' }, spec: { hard }, status: { hard, used } });
  return { ctx, plugins: [createResourceQuotaPlugin(ctx)] };
}

const pod = (name: string, resources: Record<string, unknown> = {}) => ({ metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'c', resources }] } });
const used = async (ctx: ReturnType<typeof testContext>) => ((await ctx.storage.get(ctx.keyFor(QUOTAS, 'default', 'q'))) as unknown as { status: { used: unknown } }).status.used;

describe('ResourceQuota admission', () => {
  it('charges each create to status.used and refuses the one over the limit with 403', async () => {
    const { ctx, plugins } = await setup({ pods: '2' }, { pods: '0' });
    await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'a', object: pod('a') });
    await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'b', object: pod('b') });
    expect(await used(ctx)).toEqual({ pods: '2' });
    const err = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'c', object: pod('c') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "c" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2' });
    expect(await ctx.storage.get(ctx.keyFor(PODS, 'default', 'c'))).toBeUndefined();
  });

  it('refuses a pod without the constrained limits', async () => {
    const { ctx, plugins } = await setup({ 'limits.cpu': '2', 'limits.memory': '2Gi' }, { 'limits.cpu': '0', 'limits.memory': '0' });
    const err = await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'x', object: pod('x') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 403, message: 'pods "x" is forbidden: failed quota: q: must specify limits.cpu for: c; limits.memory for: c' });
  });

  it('charges the growth of a pods/resize update and refuses one over the quota, changing nothing', async () => {
    const { ctx, plugins } = await setup({ 'requests.cpu': '1', 'limits.cpu': '2' }, { 'requests.cpu': '0', 'limits.cpu': '0' });
    const cpu = (request: string, limit: string) => ({ requests: { cpu: request }, limits: { cpu: limit } });
    await runWrite(ctx, plugins, { operation: 'CREATE', info: PODS, namespace: 'default', name: 'web', object: pod('web', cpu('500m', '1')) });
    expect(await used(ctx)).toEqual({ 'requests.cpu': '500m', 'limits.cpu': '1' });
    const resize = async (request: string, limit: string) => {
      const stored = (await ctx.storage.get(ctx.keyFor(PODS, 'default', 'web')))!;
      const object = { ...stored, spec: { containers: [{ name: 'c', resources: cpu(request, limit) }] } };
      return runWrite(ctx, plugins, { operation: 'UPDATE', subresource: 'resize', info: PODS, namespace: 'default', name: 'web', object });
    };
    await resize('800m', '1500m');
    expect(await used(ctx)).toEqual({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
    const err = await resize('1200m', '1500m').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 403, reason: 'Forbidden', message: 'pods "web" is forbidden: exceeded quota: q, requested: requests.cpu=400m, used: requests.cpu=800m, limited: requests.cpu=1' });
    expect(await used(ctx)).toEqual({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
    const stored = (await ctx.storage.get(ctx.keyFor(PODS, 'default', 'web'))) as unknown as { spec: { containers: Array<{ resources: unknown }> } };
    expect(stored.spec.containers[0]!.resources).toEqual(cpu('800m', '1500m'));
    // A shrink charges nothing (the controller gives usage back once the kubelet applies it); other subresources are not judged.
    await resize('100m', '200m');
    expect(await used(ctx)).toEqual({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
    const big = { ...(await ctx.storage.get(ctx.keyFor(PODS, 'default', 'web')))!, spec: { containers: [{ name: 'c', resources: cpu('8', '8') }] } };
    await runWrite(ctx, plugins, { operation: 'UPDATE', subresource: 'status', info: PODS, namespace: 'default', name: 'web', object: big });
    expect(await used(ctx)).toEqual({ 'requests.cpu': '800m', 'limits.cpu': '1500m' });
  });

  it('checks but does not charge dry-run writes, and counts configmaps', async () => {
    const { ctx, plugins } = await setup({ configmaps: '1' }, { configmaps: '0' });
    const cm = (name: string) => ({ metadata: { name, namespace: 'default' } });
    await runWrite(ctx, plugins, { operation: 'CREATE', info: CONFIGMAPS, namespace: 'default', name: 'dry', object: cm('dry'), dryRun: true });
    expect(await used(ctx)).toEqual({ configmaps: '0' });
    await runWrite(ctx, plugins, { operation: 'CREATE', info: CONFIGMAPS, namespace: 'default', name: 'one', object: cm('one') });
    await expect(runWrite(ctx, plugins, { operation: 'CREATE', info: CONFIGMAPS, namespace: 'default', name: 'two', object: cm('two') })).rejects.toMatchObject({ code: 403, message: 'configmaps "two" is forbidden: exceeded quota: q, requested: configmaps=1, used: configmaps=1, limited: configmaps=1' });
  });
});
