/**
 * ClusterRole aggregation against the in-process API server: a ClusterRole labelled
 * `aggregate-to-view` extends `view`, then `edit` and `admin` (which aggregate `view` and
 * `edit`), and its removal takes its rules back out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../pkg/api/meta.ts';
import { startTestControlPlane, type TestControlPlane } from '../../../pkg/testing/control-plane.ts';
import { waitFor } from '../../../pkg/testing/wait.ts';

let cp: TestControlPlane;
type Role = KubeObject & { rules?: Array<{ apiGroups?: string[]; resources?: string[]; verbs?: string[] }> };
const CLUSTER_ROLES = { group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false, kind: 'ClusterRole' } as const;

beforeAll(async () => {
  cp = await startTestControlPlane({ controllers: ['clusterrole-aggregation'] });
});
afterAll(() => cp?.stop());

describe('clusterrole-aggregation', () => {
  it('adds an aggregate-to-view role to view, edit and admin, and removes it again', async () => {
    const roles = cp.client.resource<Role>(CLUSTER_ROLES);
    const hasWidgets = async (name: string) => ((await roles.get(name)).rules ?? []).some((r) => r.resources?.includes('widgets'));
    expect(await hasWidgets('view')).toBe(false);
    await roles.create({
      metadata: { name: 'widget-viewer', labels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
      rules: [{ apiGroups: ['example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }],
    } as Role);
    for (const name of ['view', 'edit', 'admin']) await waitFor(`${name} has widgets`, () => hasWidgets(name), { timeoutMs: 15_000, intervalMs: 50 });
    expect(await hasWidgets('cluster-admin')).toBe(false);
    await roles.delete('widget-viewer');
    for (const name of ['view', 'edit', 'admin']) await waitFor(`${name} lost widgets`, async () => !(await hasWidgets(name)), { timeoutMs: 15_000, intervalMs: 50 });
    // What the other aggregated roles contribute stays.
    expect(((await roles.get('view')).rules ?? []).some((r) => r.resources?.includes('pods'))).toBe(true);
  });
});
